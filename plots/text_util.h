/* String helpers shared by plots and reports. */
#ifndef PVMLAB_TEXT_UTIL_H
#define PVMLAB_TEXT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Heap copies; NULL on out of memory (or when s is NULL). Caller frees. */
char *pvmlab_strdup(const char *s);
char *pvmlab_strndup(const char *s, size_t n);

/* Creates dir and its missing parents (mode 0755). 0, or -1 with errno. */
int pvmlab_make_dirs(const char *dir);

/* Joins dir and name with one '/'; returns -1 when the result does not fit. */
int pvmlab_join_path(char *out, size_t len, const char *dir, const char *name);

/* Formats a number for a table cell: significant digits without exponent noise
 * ("12.3", "0.0412", "15300"); "" for NAN. Returns out. */
char *pvmlab_format_number(char *out, size_t len, double value);

#endif
