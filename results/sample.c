/* Samples and their counter readings. An unavailable counter is stored as NULL with its
 * reason, never as 0. */
#include "db_internal.h"

static int insert_reading(pvmlab_db *db, pvmlab_id sample, const pvmlab_counter_reading *reading)
{
    sqlite3_stmt *statement = db_statement(db, STMT_READING_INSERT);
    if (!statement)
        return -1;
    sqlite3_bind_int64(statement, 1, sample);
    sqlite3_bind_text(statement, 2, reading->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(statement, 4, pvmlab_counter_source_name(reading->source), -1, SQLITE_STATIC);
    if (reading->available) {
        sqlite3_bind_int64(statement, 3, reading->value);
        sqlite3_bind_null(statement, 5);
    } else {
        /* The schema requires a reason with every NULL value. */
        const char *reason = reading->unavailable_reason[0] ? reading->unavailable_reason : "unavailable (no reason given)";
        sqlite3_bind_null(statement, 3);
        sqlite3_bind_text(statement, 5, reason, -1, SQLITE_TRANSIENT);
    }
    return db_step_done(db, statement, "inserting a counter reading");
}

int pvmlab_db_insert_sample(pvmlab_db *db, const pvmlab_sample *sample,
                            const pvmlab_counter_reading *readings, size_t reading_count, pvmlab_id *out)
{
    if (db_atomic_begin(db) != 0)
        return -1;
    const db_value ids[] = {DB_INT_VALUE(sample->run),  DB_INT_VALUE(sample->engine),
                            DB_INT_VALUE(sample->benchmark), DB_TEXT_VALUE(sample->mode),
                            DB_INT_VALUE(sample->repetition), DB_INT_VALUE(sample->wall_ns)};
    sqlite3_stmt *statement = db_statement(db, STMT_SAMPLE_INSERT);
    if (!statement || db_bind_values(db, statement, ids, sizeof ids / sizeof ids[0]) != 0)
        return db_atomic_abort(db);
    db_bind_maybe(statement, 7, sample->gas);
    db_bind_maybe(statement, 8, sample->instructions);
    db_bind_maybe(statement, 9, sample->checksum);
    if (db_step_done(db, statement, "inserting a sample") != 0)
        return db_atomic_abort(db);
    pvmlab_id sample_id = sqlite3_last_insert_rowid(db->sqlite);
    for (size_t i = 0; i < reading_count; i++)
        if (insert_reading(db, sample_id, &readings[i]) != 0)
            return db_atomic_abort(db);
    if (db_atomic_commit(db) != 0)
        return -1;
    if (out)
        *out = sample_id;
    return db_ok(db);
}
