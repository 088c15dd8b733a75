/* Thin helpers over sqlite3 for the read-only queries of plots and reports. */
#ifndef PVMLAB_SQL_UTIL_H
#define PVMLAB_SQL_UTIL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Prepares sql; on failure writes "what: message" to err and returns NULL. */
sqlite3_stmt *pvmlab_sql_prepare(sqlite3 *sqlite, const char *sql, const char *what, char *err, size_t err_len);

/* A heap copy of a text column ("" for NULL); NULL on out of memory. */
char *pvmlab_sql_text_copy(sqlite3_stmt *statement, int column);

/* A REAL/INTEGER column as double; NAN for NULL. */
double pvmlab_sql_double(sqlite3_stmt *statement, int column);

/* Runs a query whose first row's first column is an integer; *value gets it (fallback when
 * there is no row or it is NULL). 0, or -1 with err. */
int pvmlab_sql_int(sqlite3 *sqlite, const char *sql, int64_t bind1, int64_t fallback, int64_t *value, char *err,
                   size_t err_len);

/* Writes "what: message" to err after a failed step; returns -1. */
int pvmlab_sql_fail(sqlite3 *sqlite, const char *what, char *err, size_t err_len);

#endif
