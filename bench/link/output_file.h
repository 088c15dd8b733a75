/* Atomic output: the bytes go to a temporary file next to `path`, which is renamed over
 * `path` only once everything is written, so a failed run leaves no partial file. */
#ifndef PVM_LINK_OUTPUT_FILE_H
#define PVM_LINK_OUTPUT_FILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* false with one line in msg on failure (the temporary file is removed). */
bool write_file_atomically(const char *path, const uint8_t *bytes, size_t len, char *msg, size_t msg_size);
#endif
