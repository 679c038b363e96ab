// libjpeg (Debian: libjpeg62-turbo-dev) needs stdio.h and stddef.h before its header.
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
