/* Atomic output through mkstemp + rename in the target's directory. */
#include "output_file.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool write_file_atomically(const char *path, const uint8_t *bytes, size_t len, char *msg, size_t msg_size)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp) {
        snprintf(msg, msg_size, "out of memory");
        return false;
    }
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(msg, msg_size, "%s: cannot create a temporary file: %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    const char *what = NULL;
    for (size_t off = 0; off < len && !what;) {
        ssize_t w = write(fd, bytes + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) what = "write";
        else off += (size_t)w;
    }
    if (!what && fchmod(fd, 0644)) what = "chmod";
    if (close(fd) && !what) what = "close";
    if (!what && rename(tmp, path)) what = "rename";
    if (what) {
        snprintf(msg, msg_size, "%s: %s failed: %s", path, what, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return what == NULL;
}
