#include "png_check.h"
#include "vm/util/file_read.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned char paeth(unsigned char a, unsigned char b, unsigned char c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the per-row filters in place; rows are 1 filter byte + stride bytes. */
static int unfilter(unsigned char *data, unsigned height, size_t stride, unsigned bpp)
{
    for (unsigned y = 0; y < height; y++) {
        unsigned char *row = data + y * (stride + 1), type = row[0], *pixels = row + 1;
        const unsigned char *above = y ? data + (y - 1) * (stride + 1) + 1 : NULL;
        for (size_t x = 0; x < stride; x++) {
            unsigned char left = x >= bpp ? pixels[x - bpp] : 0, up = above ? above[x] : 0;
            unsigned char corner = above && x >= bpp ? above[x - bpp] : 0;
            switch (type) {
            case 0: break;
            case 1: pixels[x] += left; break;
            case 2: pixels[x] += up; break;
            case 3: pixels[x] += (unsigned char)((left + up) / 2); break;
            case 4: pixels[x] += paeth(left, up, corner); break;
            default: return -1;
            }
        }
    }
    return 0;
}

static void count_colours(const unsigned char *data, unsigned width, unsigned height, size_t stride, unsigned bpp,
                          png_summary *out)
{
    unsigned char *seen = calloc(1u << 21, 1); /* one bit per 24-bit colour */
    size_t non_white = 0;
    for (unsigned y = 0; y < height; y++) {
        const unsigned char *pixels = data + y * (stride + 1) + 1;
        for (unsigned x = 0; x < width; x++) {
            const unsigned char *p = pixels + (size_t)x * bpp;
            uint32_t rgb = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
            if (seen && !(seen[rgb >> 3] & (1u << (rgb & 7)))) {
                seen[rgb >> 3] |= (unsigned char)(1u << (rgb & 7));
                out->distinct_colours++;
            }
            non_white += p[0] < 240 || p[1] < 240 || p[2] < 240;
        }
    }
    out->non_white_fraction = (double)non_white / ((double)width * height);
    free(seen);
}

int png_summarize(const char *path, png_summary *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    size_t size = 0, idat_size = 0;
    unsigned char *png = (unsigned char *)util_read_file(path, &size), *idat = NULL, *pixels = NULL;
    if (!png) {
        snprintf(err, err_len, "cannot open %s", path);
        return -1;
    }
    int rc = -1;
    if (size < 33 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0) {
        snprintf(err, err_len, "%s is not a PNG", path);
        goto done;
    }
    unsigned color_type = png[25], bpp = color_type == 6 ? 4 : color_type == 2 ? 3 : 0;
    out->width = be32(png + 16);
    out->height = be32(png + 20);
    if (png[24] != 8 || !bpp || png[28] != 0) {
        snprintf(err, err_len, "%s: only 8-bit RGB/RGBA non-interlaced PNGs are read here", path);
        goto done;
    }
    idat = malloc(size);
    for (size_t at = 8; idat && at + 12 <= size;) {
        uint32_t chunk = be32(png + at);
        if (at + 12 + chunk > size)
            break;
        if (memcmp(png + at + 4, "IDAT", 4) == 0) {
            memcpy(idat + idat_size, png + at + 8, chunk);
            idat_size += chunk;
        }
        at += 12 + chunk;
    }
    size_t stride = (size_t)out->width * bpp;
    uLongf raw_size = (uLongf)((stride + 1) * out->height);
    pixels = malloc(raw_size);
    if (!idat || !pixels || uncompress(pixels, &raw_size, idat, idat_size) != Z_OK ||
        raw_size != (stride + 1) * out->height || unfilter(pixels, out->height, stride, bpp) != 0) {
        snprintf(err, err_len, "%s: cannot decode the image data", path);
        goto done;
    }
    count_colours(pixels, out->width, out->height, stride, bpp, out);
    rc = 0;
done:
    free(png);
    free(idat);
    free(pixels);
    return rc;
}
