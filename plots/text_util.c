#include "text_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *pvmlab_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

char *pvmlab_strdup(const char *s)
{
    return s ? pvmlab_strndup(s, strlen(s)) : NULL;
}


int pvmlab_make_dirs(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *at = path + 1; *at; at++) {
        if (*at != '/')
            continue;
        *at = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        *at = '/';
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int pvmlab_join_path(char *out, size_t len, const char *dir, const char *name)
{
    size_t dir_len = strlen(dir);
    const char *separator = dir_len && dir[dir_len - 1] == '/' ? "" : "/";
    int written = snprintf(out, len, "%s%s%s", dir, separator, name);
    return written >= 0 && (size_t)written < len ? 0 : -1;
}

char *pvmlab_format_number(char *out, size_t len, double value)
{
    if (isnan(value))
        snprintf(out, len, "%s", "");
    else if (fabs(value) >= 1000.0 || value == floor(value))
        snprintf(out, len, "%.0f", value);
    else
        snprintf(out, len, "%.3g", value);
    return out;
}
