// zlib (Debian: zlib1g-dev): inflate/deflate and crc32 for PNG and zip.
#include <zlib.h>

// deflateInit2 is a macro Swift cannot call: a raw deflate stream (no zlib header), as zip
// entries hold, at `level`.
static inline int psyx_deflate_init_raw(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}
