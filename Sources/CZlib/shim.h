// zlib (Debian: zlib1g-dev): inflate/deflate and crc32 for PNG.
#include <zlib.h>
