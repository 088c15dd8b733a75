/* Calibrations (fitted costs) and the cost tables generated from them. */
#include "db_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

static void bind_real_or_null(sqlite3_stmt *statement, int index, double value)
{
    if (isnan(value))
        sqlite3_bind_null(statement, index);
    else
        sqlite3_bind_double(statement, index, value);
}

static int insert_value(pvmlab_db *db, pvmlab_id calibration, const pvmlab_calibration_value *value)
{
    if (!value->key || !*value->key)
        return db_failf(db, "a calibration value needs a key");
    sqlite3_stmt *statement = db_statement(db, STMT_CALIBRATION_VALUE_INSERT);
    if (!statement)
        return -1;
    sqlite3_bind_int64(statement, 1, calibration);
    sqlite3_bind_text(statement, 2, value->key, -1, SQLITE_TRANSIENT);
    bind_real_or_null(statement, 3, value->value_ps);
    bind_real_or_null(statement, 4, value->value_cycles);
    bind_real_or_null(statement, 5, value->mad);
    sqlite3_bind_int64(statement, 6, value->n);
    bind_real_or_null(statement, 7, value->se);
    return db_step_done(db, statement, "inserting a calibration value");
}

int pvmlab_db_store_calibration(pvmlab_db *db, const pvmlab_calibration *calibration,
                                const pvmlab_calibration_value *values, size_t value_count, pvmlab_id *out)
{
    char uuid[PVMLAB_UUID_LENGTH + 1];
    if (uuid_generate(uuid) != 0)
        return db_failf(db, "cannot generate a calibration uuid: getrandom failed");
    if (db_atomic_begin(db) != 0)
        return -1;
    const db_value row[] = {
        DB_TEXT_VALUE(uuid),
        DB_INT_VALUE(calibration->run),
        DB_TEXT_VALUE(calibration->backend),
        DB_TEXT_VALUE(calibration->model_kind),
        DB_TEXT_VALUE(calibration->parameters),
        DB_TEXT_VALUE(calibration->fit_results),
    };
    sqlite3_stmt *statement = db_statement(db, STMT_CALIBRATION_INSERT);
    if (!statement || db_bind_values(db, statement, row, sizeof row / sizeof row[0]) != 0
        || db_step_done(db, statement, "inserting a calibration") != 0)
        return db_atomic_abort(db);
    pvmlab_id id = sqlite3_last_insert_rowid(db->sqlite);
    for (size_t i = 0; i < value_count; i++)
        if (insert_value(db, id, &values[i]) != 0)
            return db_atomic_abort(db);
    if (db_atomic_commit(db) != 0)
        return -1;
    *out = id;
    return db_ok(db);
}

int pvmlab_db_store_cost_table(pvmlab_db *db, pvmlab_id calibration, const char *model_kind,
                               const char *content, pvmlab_id *out, char *hash_out)
{
    if (!model_kind || !*model_kind || !content)
        return db_failf(db, "a cost table needs a model kind and content");
    char hash[32];
    snprintf(hash, sizeof hash, "xxh3-64:%016llx", (unsigned long long)XXH3_64bits(content, strlen(content)));
    const db_value key[] = {DB_INT_VALUE(calibration), DB_TEXT_VALUE(model_kind), DB_TEXT_VALUE(content),
                            DB_TEXT_VALUE(hash)};
    pvmlab_id id;
    if (db_get_or_insert(db, STMT_COST_TABLE_INSERT, STMT_COST_TABLE_SELECT, key, 4, &id) != 0)
        return -1;
    if (out)
        *out = id;
    if (hash_out)
        memcpy(hash_out, hash, strlen(hash) + 1);
    return 0;
}
