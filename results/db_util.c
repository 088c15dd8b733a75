/* Error recording, statement cache, binding and atomic-operation helpers. */
#include "db_internal.h"

#include <stdarg.h>
#include <math.h>
#include <stdio.h>

int db_fail(pvmlab_db *db, const char *what)
{
    snprintf(db->error, sizeof db->error, "%s: %s: %s", db->path, what, sqlite3_errmsg(db->sqlite));
    return -1;
}

int db_failf(pvmlab_db *db, const char *format, ...)
{
    int prefix = snprintf(db->error, sizeof db->error, "%s: ", db->path);
    if (prefix < 0 || (size_t)prefix >= sizeof db->error)
        return -1;
    va_list args;
    va_start(args, format);
    vsnprintf(db->error + prefix, sizeof db->error - (size_t)prefix, format, args);
    va_end(args);
    return -1;
}

int db_ok(pvmlab_db *db)
{
    db->error[0] = '\0';
    return 0;
}

int db_exec(pvmlab_db *db, const char *sql, const char *what)
{
    return sqlite3_exec(db->sqlite, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(db, what);
}

sqlite3_stmt *db_statement(pvmlab_db *db, statement_id id)
{
    sqlite3_stmt *statement = db->statements[id];
    if (!statement) {
        if (sqlite3_prepare_v3(db->sqlite, statement_sql(id), -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL)
            != SQLITE_OK) {
            db_fail(db, "preparing a statement");
            return NULL;
        }
        db->statements[id] = statement;
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return statement;
}

int db_step_done(pvmlab_db *db, sqlite3_stmt *statement, const char *what)
{
    int rc = sqlite3_step(statement);
    int status = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : db_fail(db, what);
    sqlite3_reset(statement);
    return status;
}

int db_atomic_begin(pvmlab_db *db)
{
    return db_exec(db, db->in_batch ? "SAVEPOINT pvmlab_atomic" : "BEGIN IMMEDIATE", "starting a write");
}

int db_atomic_commit(pvmlab_db *db)
{
    if (db_exec(db, db->in_batch ? "RELEASE pvmlab_atomic" : "COMMIT", "committing a write") != 0)
        return db_atomic_abort(db);
    return 0;
}

int db_atomic_abort(pvmlab_db *db)
{
    const char *undo = db->in_batch ? "ROLLBACK TO pvmlab_atomic; RELEASE pvmlab_atomic" : "ROLLBACK";
    sqlite3_exec(db->sqlite, undo, NULL, NULL, NULL); /* keep the first error, not this one */
    return -1;
}

int db_bind_values(pvmlab_db *db, sqlite3_stmt *statement, const db_value *values, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        int index = (int)i + 1, rc;
        if (values[i].kind == DB_TEXT)
            rc = sqlite3_bind_text(statement, index, values[i].text ? values[i].text : "", -1, SQLITE_TRANSIENT);
        else if (values[i].kind == DB_REAL)
            rc = isnan(values[i].real) ? sqlite3_bind_null(statement, index)
                                       : sqlite3_bind_double(statement, index, values[i].real);
        else
            rc = sqlite3_bind_int64(statement, index, values[i].integer);
        if (rc != SQLITE_OK)
            return db_fail(db, "binding a value");
    }
    return 0;
}

int db_bind_maybe(sqlite3_stmt *statement, int index, pvmlab_maybe_i64 value)
{
    return value.present ? sqlite3_bind_int64(statement, index, value.value) : sqlite3_bind_null(statement, index);
}

int db_get_or_insert(pvmlab_db *db, statement_id insert_id, statement_id select_id,
                     const db_value *values, size_t count, pvmlab_id *out)
{
    sqlite3_stmt *insert = db_statement(db, insert_id);
    if (!insert || db_bind_values(db, insert, values, count) != 0 || db_step_done(db, insert, "inserting") != 0)
        return -1;
    sqlite3_stmt *select = db_statement(db, select_id);
    if (!select || db_bind_values(db, select, values, count) != 0)
        return -1;
    int rc = sqlite3_step(select);
    if (rc != SQLITE_ROW) {
        int status = rc == SQLITE_DONE ? db_failf(db, "inserted row not found by its key") : db_fail(db, "selecting");
        sqlite3_reset(select);
        return status;
    }
    *out = sqlite3_column_int64(select, 0);
    sqlite3_reset(select);
    return db_ok(db);
}
