#ifndef PSYX_JPEG_H
#define PSYX_JPEG_H

#include <stddef.h>

// libjpeg behind setjmp/longjmp: its default error handler calls exit(), and its
// warnings go to stderr. These wrappers turn both into a return code and a message,
// so a corrupt file is an error for the caller, never the end of the process.

#define PSYX_JPEG_MESSAGE_SIZE 200

typedef struct {
    int width;
    int height;
    /// width * height grey bytes, row by row; release with psyx_jpeg_free.
    unsigned char *pixels;
    /// Why decoding failed (empty on success).
    char message[PSYX_JPEG_MESSAGE_SIZE];
} psyx_jpeg_grey;

/// Decodes a JPEG held in memory to 8-bit grey. Returns 0 on success; otherwise nonzero with
/// `out->message` set and nothing to free. Refuses images over `max_pixels` pixels, and treats
/// libjpeg's warnings (truncated or corrupt data) as errors.
int psyx_jpeg_decode_grey(const unsigned char *data, size_t size, long max_pixels, psyx_jpeg_grey *out);

/// Encodes 8-bit grey pixels as a baseline JPEG of the given quality (1...100). Returns 0 and sets
/// `*out` (release with psyx_jpeg_free) and `*out_size`; otherwise nonzero with `message` set.
int psyx_jpeg_encode_grey(const unsigned char *pixels, int width, int height, int quality,
                          unsigned char **out, size_t *out_size, char *message, size_t message_size);

void psyx_jpeg_free(void *pointer);

#endif
