/* Reading a whole file: the one reader every part uses. */
#ifndef PVM_UTIL_FILE_READ_H
#define PVM_UTIL_FILE_READ_H
#include <stddef.h>

/* Reads all of path (a regular file, a pipe or a device) into a new malloc'd
 * buffer followed by one NUL byte, so text can be used as a string; *len (if
 * len is not NULL) gets the size without the NUL. Returns NULL with errno set
 * (the fopen/fread error, EISDIR for a folder, ENOMEM). The caller frees. */
char *util_read_file(const char *path, size_t *len);
#endif
