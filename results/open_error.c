/* One line for each way a database file can fail to open. */
#include "db_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void db_describe_open_error(char *out, size_t len, const char *path, int rc, const char *message,
                            int timeout_ms)
{
    struct stat info;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        snprintf(out, len, "%s: locked: another connection holds the write lock (gave up after %d ms)", path,
                 timeout_ms);
        break;
    case SQLITE_READONLY:
        snprintf(out, len, "%s: read-only: cannot write the database (%s)", path, message);
        break;
    case SQLITE_NOTADB:
        snprintf(out, len, "%s: not an SQLite database (or its header is corrupt): %s", path, message);
        break;
    case SQLITE_CORRUPT:
        snprintf(out, len, "%s: corrupt database: %s", path, message);
        break;
    case SQLITE_CANTOPEN:
        if (stat(path, &info) != 0)
            snprintf(out, len, "%s: cannot open: %s", path, strerror(errno));
        else if (S_ISDIR(info.st_mode))
            snprintf(out, len, "%s: cannot open: is a directory", path);
        else
            snprintf(out, len, "%s: cannot open: %s", path, message);
        break;
    case SQLITE_PERM:
    case SQLITE_AUTH:
        snprintf(out, len, "%s: permission denied: %s", path, message);
        break;
    default:
        snprintf(out, len, "%s: %s", path, message);
        break;
    }
}
