#include "psyx_jpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

// An error manager whose error_exit jumps back into the wrapper instead of exiting,
// and whose output_message keeps the first message instead of printing it.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    char message[PSYX_JPEG_MESSAGE_SIZE];
    /// The encoder's output buffer, kept where the error path can free it.
    unsigned char *destination;
} guarded_errors;

static void keep_message(j_common_ptr cinfo) {
    guarded_errors *errors = (guarded_errors *)cinfo->err;
    if (errors->message[0] != '\0') return;
    char text[JMSG_LENGTH_MAX];
    errors->base.format_message(cinfo, text);
    snprintf(errors->message, sizeof errors->message, "%s", text);
}

static void escape_on_error(j_common_ptr cinfo) {
    guarded_errors *errors = (guarded_errors *)cinfo->err;
    errors->message[0] = '\0';
    keep_message(cinfo);
    longjmp(errors->escape, 1);
}

static void install(guarded_errors *errors) {
    jpeg_std_error(&errors->base);
    errors->base.error_exit = escape_on_error;
    errors->base.output_message = keep_message;
    errors->message[0] = '\0';
    errors->destination = NULL;
}

int psyx_jpeg_decode_grey(const unsigned char *data, size_t size, long max_pixels, psyx_jpeg_grey *out) {
    struct jpeg_decompress_struct cinfo;
    guarded_errors errors;
    unsigned char *volatile pixels = NULL;

    memset(out, 0, sizeof *out);
    if (data == NULL || size == 0) {
        snprintf(out->message, sizeof out->message, "empty file");
        return 1;
    }
    if (size > (size_t)0xFFFFFFFFu) {
        snprintf(out->message, sizeof out->message, "file too large");
        return 1;
    }
    cinfo.err = NULL;
    install(&errors);
    cinfo.err = &errors.base;
    if (setjmp(errors.escape)) {
        snprintf(out->message, sizeof out->message, "%s", errors.message[0] ? errors.message : "corrupt JPEG");
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.image_width == 0 || cinfo.image_height == 0
        || (long)cinfo.image_width * (long)cinfo.image_height > max_pixels) {
        snprintf(out->message, sizeof out->message, "image of %ux%u pixels is outside the accepted size",
                 cinfo.image_width, cinfo.image_height);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    if (cinfo.output_components != 1) {
        snprintf(out->message, sizeof out->message, "unexpected output components %d", cinfo.output_components);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    size_t width = cinfo.output_width, height = cinfo.output_height;
    pixels = malloc(width * height);
    if (pixels == NULL) {
        snprintf(out->message, sizeof out->message, "out of memory");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * width;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    long warnings = errors.base.num_warnings;
    jpeg_destroy_decompress(&cinfo);
    if (warnings > 0) {
        snprintf(out->message, sizeof out->message, "%s", errors.message[0] ? errors.message : "corrupt JPEG data");
        free(pixels);
        return 1;
    }
    out->width = (int)width;
    out->height = (int)height;
    out->pixels = pixels;
    return 0;
}

int psyx_jpeg_encode_grey(const unsigned char *pixels, int width, int height, int quality,
                          unsigned char **out, size_t *out_size, char *message, size_t message_size) {
    struct jpeg_compress_struct cinfo;
    guarded_errors errors;
    unsigned long length = 0;

    *out = NULL;
    *out_size = 0;
    if (pixels == NULL || width <= 0 || height <= 0 || width > 65500 || height > 65500) {
        snprintf(message, message_size, "invalid image size");
        return 1;
    }
    install(&errors);
    cinfo.err = &errors.base;
    if (setjmp(errors.escape)) {
        snprintf(message, message_size, "%s", errors.message[0] ? errors.message : "JPEG encoding failed");
        jpeg_destroy_compress(&cinfo);
        free(errors.destination);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &errors.destination, &length);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 1;
    cinfo.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * (size_t)width);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = errors.destination;
    *out_size = length;
    return 0;
}

void psyx_jpeg_free(void *pointer) {
    free(pointer);
}
