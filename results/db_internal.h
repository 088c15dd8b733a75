/* Internal to pvmlab_results: the connection struct and the helpers every file uses. */
#ifndef PVMLAB_DB_INTERNAL_H
#define PVMLAB_DB_INTERNAL_H

#include <sqlite3.h>

#include "results.h"
#include "statements.h"

struct pvmlab_db {
    sqlite3 *sqlite;
    char *path; /* owned copy, named in every error */
    char error[PVMLAB_DB_ERROR_MAX];
    bool in_batch;
    sqlite3_stmt *statements[STMT_COUNT]; /* prepared on first use, finalized at close */
};

/* Records "PATH: what: sqlite's message" as the error and returns -1. */
int db_fail(pvmlab_db *db, const char *what);

/* Records a printf-style error "PATH: ..." (no sqlite message) and returns -1. */
int db_failf(pvmlab_db *db, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Clears the error; returns 0. */
int db_ok(pvmlab_db *db);

/* Runs SQL without results; on failure records "PATH: what: message" and returns -1. */
int db_exec(pvmlab_db *db, const char *sql, const char *what);

/* The cached statement for id, reset and with bindings cleared; NULL on error (recorded). */
sqlite3_stmt *db_statement(pvmlab_db *db, statement_id id);

/* Steps a write statement to completion and resets it; -1 on error (recorded). */
int db_step_done(pvmlab_db *db, sqlite3_stmt *statement, const char *what);

/* Makes several statements atomic: a savepoint inside a batch, else BEGIN IMMEDIATE (so the
 * write lock is taken up front, with the busy timeout, instead of failing mid-way). */
int db_atomic_begin(pvmlab_db *db);
int db_atomic_commit(pvmlab_db *db);
/* Undoes the atomic operation; keeps the error already recorded. Returns -1. */
int db_atomic_abort(pvmlab_db *db);

/* One value to bind: text (NULL text binds ""), an integer, or a real (NaN binds NULL). */
typedef struct db_value {
    enum { DB_TEXT, DB_INT, DB_REAL } kind;
    const char *text;
    int64_t integer;
    double real;
} db_value;

#define DB_TEXT_VALUE(s) ((db_value){.kind = DB_TEXT, .text = (s)})
#define DB_INT_VALUE(i) ((db_value){.kind = DB_INT, .integer = (i)})
#define DB_REAL_VALUE(x) ((db_value){.kind = DB_REAL, .real = (x)})

/* Binds values to ?1..?n of statement. */
int db_bind_values(pvmlab_db *db, sqlite3_stmt *statement, const db_value *values, size_t count);

/* Binds a maybe-value: NULL when absent. */
int db_bind_maybe(sqlite3_stmt *statement, int index, pvmlab_maybe_i64 value);

/* Get-or-insert on a natural key: runs insert_id (INSERT ... ON CONFLICT DO NOTHING) and then
 * select_id (SELECT id ... WHERE key = ?...) with the same values; *out receives the id. */
int db_get_or_insert(pvmlab_db *db, statement_id insert_id, statement_id select_id,
                     const db_value *values, size_t count, pvmlab_id *out);

/* --- reading rows (db_rows.c): every query of the store reads its columns and steps its
 * rows through these, so NULL means the same thing everywhere. */

/* A text column; "" for NULL. Valid until the statement steps again. */
const char *db_column_text(sqlite3_stmt *statement, int column);
/* A REAL or INTEGER column as double; NAN for NULL. */
double db_column_real(sqlite3_stmt *statement, int column);
/* An INTEGER column that may be NULL. */
pvmlab_maybe_i64 db_column_maybe(sqlite3_stmt *statement, int column);

/* A row handler for one-integer queries ("SELECT max(id) ..."): *(pvmlab_id *)id receives
 * column 0, 0 for NULL. */
int db_copy_id(sqlite3_stmt *row, void *id);

/* A typed row walk: defines NAME_visitor {visit, context}, the caller's typed callback, and
 * handle_NAME, the db_read_rows handler that reads a ROW_TYPE with
 * READ(sqlite3_stmt *, ROW_TYPE *) and hands it to visit. Every foreach of the store is
 * db_query(..., handle_NAME, &(NAME_visitor){visit, context}, ...). */
#define DB_ROW_VISITOR(name, row_type, read)                                                       \
    typedef struct name##_visitor {                                                                \
        int (*visit)(const row_type *row, void *context);                                          \
        void *context;                                                                             \
    } name##_visitor;                                                                              \
    static int handle_##name(sqlite3_stmt *statement, void *opaque)                                \
    {                                                                                              \
        const name##_visitor *visitor = opaque;                                                    \
        row_type row;                                                                              \
        read(statement, &row);                                                                     \
        return visitor->visit(&row, visitor->context);                                             \
    }

/* Steps statement (already bound) and hands each row to handle; a non-zero result stops the
 * walk and is returned. A failed step records "PATH: reading WHAT: message" and returns -1.
 * The statement is reset (not finalized); the error is cleared when every row was read. */
int db_read_rows(pvmlab_db *db, sqlite3_stmt *statement, int (*handle)(sqlite3_stmt *row, void *context),
                 void *context, const char *what);

/* A one-shot read: prepares sql, binds the integers binds[0..bind_count) to ?1.., reads its
 * rows as db_read_rows does and finalizes. */
int db_query(pvmlab_db *db, const char *sql, const int64_t *binds, size_t bind_count,
             int (*handle)(sqlite3_stmt *row, void *context), void *context, const char *what);

/* Writes a fresh random (version 4) uuid: PVMLAB_UUID_LENGTH chars + NUL. -1 when the
 * kernel's random source fails. */
int uuid_generate(char out[PVMLAB_UUID_LENGTH + 1]);

/* Describes why opening or first reading the file at path failed with SQLite result rc:
 * "PATH: locked: ...", "PATH: read-only: ...", "PATH: not an SQLite database ...",
 * "PATH: corrupt: ...", "PATH: cannot open: ...". timeout_ms is named for locks. */
void db_describe_open_error(char *out, size_t len, const char *path, int rc, const char *message,
                            int timeout_ms);

#endif
