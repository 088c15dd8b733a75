/* Whole-file reading (see file_read.h). Reads in growing chunks rather than
 * trusting fseek/ftell, so pipes and /proc files work too; a regular file's size
 * only sizes the first chunk (a 14 MB program read in one go, not through a dozen
 * reallocations). */
#include "file_read.h"
#include "grow.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <sys/stat.h>

char *util_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    struct stat st;
    /* +2: room for the terminator and for the read that sees the end in the same chunk. */
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size < (unsigned long long)SIZE_MAX - 2 && (size_t)st.st_size + 2 > cap)
        cap = (size_t)st.st_size + 2;
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
