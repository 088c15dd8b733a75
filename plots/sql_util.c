#include "sql_util.h"

#include <math.h>
#include <stdio.h>

#include "text_util.h"

sqlite3_stmt *pvmlab_sql_prepare(sqlite3 *sqlite, const char *sql, const char *what, char *err, size_t err_len)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(sqlite, sql, -1, &statement, NULL) != SQLITE_OK) {
        pvmlab_sql_fail(sqlite, what, err, err_len);
        sqlite3_finalize(statement);
        return NULL;
    }
    return statement;
}

char *pvmlab_sql_text_copy(sqlite3_stmt *statement, int column)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    return pvmlab_strdup(text ? (const char *)text : "");
}

double pvmlab_sql_double(sqlite3_stmt *statement, int column)
{
    if (sqlite3_column_type(statement, column) == SQLITE_NULL)
        return NAN;
    return sqlite3_column_double(statement, column);
}

int pvmlab_sql_int(sqlite3 *sqlite, const char *sql, int64_t bind1, int64_t fallback, int64_t *value, char *err,
                   size_t err_len)
{
    sqlite3_stmt *statement = pvmlab_sql_prepare(sqlite, sql, sql, err, err_len);
    if (!statement)
        return -1;
    if (sqlite3_bind_parameter_count(statement) >= 1)
        sqlite3_bind_int64(statement, 1, bind1);
    int rc = sqlite3_step(statement);
    *value = fallback;
    if (rc == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL)
        *value = sqlite3_column_int64(statement, 0);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        pvmlab_sql_fail(sqlite, sql, err, err_len);
        sqlite3_finalize(statement);
        return -1;
    }
    sqlite3_finalize(statement);
    return 0;
}

int pvmlab_sql_fail(sqlite3 *sqlite, const char *what, char *err, size_t err_len)
{
    snprintf(err, err_len, "%s: %s", what, sqlite3_errmsg(sqlite));
    return -1;
}
