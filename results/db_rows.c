/* Column readers and row walkers shared by every read query of the store. */
#include "db_internal.h"

#include <math.h>
#include <stdio.h>

const char *db_column_text(sqlite3_stmt *statement, int column)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    return text ? (const char *)text : "";
}

double db_column_real(sqlite3_stmt *statement, int column)
{
    return sqlite3_column_type(statement, column) == SQLITE_NULL ? NAN : sqlite3_column_double(statement, column);
}

pvmlab_maybe_i64 db_column_maybe(sqlite3_stmt *statement, int column)
{
    if (sqlite3_column_type(statement, column) == SQLITE_NULL)
        return (pvmlab_maybe_i64){.present = false};
    return (pvmlab_maybe_i64){.present = true, .value = sqlite3_column_int64(statement, column)};
}

int db_copy_id(sqlite3_stmt *row, void *id)
{
    *(pvmlab_id *)id = sqlite3_column_type(row, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(row, 0);
    return 0;
}

int db_read_rows(pvmlab_db *db, sqlite3_stmt *statement, int (*handle)(sqlite3_stmt *row, void *context),
                 void *context, const char *what)
{
    int rc, result = 0;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
        if ((result = handle(statement, context)) != 0)
            break;
    if (result == 0 && rc != SQLITE_DONE) {
        char reading[160];
        snprintf(reading, sizeof reading, "reading %s", what);
        result = db_fail(db, reading);
    }
    sqlite3_reset(statement);
    if (result == 0)
        db_ok(db);
    return result;
}

int db_query(pvmlab_db *db, const char *sql, const int64_t *binds, size_t bind_count,
             int (*handle)(sqlite3_stmt *row, void *context), void *context, const char *what)
{
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(db->sqlite, sql, -1, &statement, NULL) != SQLITE_OK) {
        char reading[160];
        snprintf(reading, sizeof reading, "reading %s", what);
        sqlite3_finalize(statement);
        return db_fail(db, reading);
    }
    for (size_t i = 0; i < bind_count; i++)
        sqlite3_bind_int64(statement, (int)i + 1, binds[i]);
    int result = db_read_rows(db, statement, handle, context, what);
    sqlite3_finalize(statement);
    return result;
}
