/* Reading generated report files in the tests. */
#ifndef PVMLAB_REPORT_FILES_H
#define PVMLAB_REPORT_FILES_H

#include <stddef.h>

/* The whole file as a heap string (caller frees); fails the test when it cannot be read. */
char *report_file_text(const char *path);

/* How many times needle occurs in text. */
size_t count_occurrences(const char *text, const char *needle);

#endif
