/* Whole-file reading (see file_read.h). Reads in growing chunks rather than
 * trusting fseek/ftell, so pipes and /proc files work too. */
#include "file_read.h"
#include "grow.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

char *util_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        if (util_grow(&buf, &cap, cap + 1, 1, 0) != 0) {
            free(buf);
            buf = NULL;
            break;
        }
    }
    int read_error = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    if (read_error) {
        free(buf);
        errno = read_error;
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}
