// libpq, PostgreSQL's C client (Debian: libpq-dev, header in /usr/include/postgresql).
#include <postgresql/libpq-fe.h>
