/* A minimal PNG reader for the tests: enough to tell a blank screenshot from a real one
 * (8-bit RGB or RGBA, non-interlaced, as Chromium and cairo write them). */
#ifndef PVMLAB_PNG_CHECK_H
#define PVMLAB_PNG_CHECK_H

#include <stddef.h>

typedef struct png_summary {
    unsigned width, height;
    size_t distinct_colours;    /* distinct RGB values */
    double non_white_fraction;  /* pixels that are not near white */
} png_summary;

/* Decodes the PNG at path. 0, or -1 with a reason in err. */
int png_summarize(const char *path, png_summary *out, char *err, size_t err_len);

#endif
