#include "calibration_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration_keys.h"
#include "sql_util.h"

static const char *side_of(const char *parameters)
{
    /* pvmlab calibrate records "vm_backend":"interp" or "jit" in its parameters JSON. */
    const char *backend = strstr(parameters, "\"vm_backend\"");
    if (backend && (backend = strchr(backend + strlen("\"vm_backend\""), '"')))
        return strncmp(backend + 1, "jit", 3) == 0 ? "recompiler" : "interpreter";
    if (strstr(parameters, "jit") || strstr(parameters, "recompiler"))
        return "recompiler";
    if (strstr(parameters, "interp"))
        return "interpreter";
    return "";
}

static int load_entries(sqlite3 *sqlite, pvmlab_calibration_record *record, char *err, size_t err_len)
{
    sqlite3_stmt *statement = pvmlab_sql_prepare(
        sqlite, "SELECT key, value_ps, value_cycles, mad, n FROM calibration_values WHERE calibration_id = ?1 ORDER BY id",
        "reading calibration values", err, err_len);
    if (!statement)
        return -1;
    sqlite3_bind_int64(statement, 1, record->id);
    int rc;
    size_t capacity = 0;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        if (record->entry_count == capacity) {
            capacity = capacity ? capacity * 2 : 32;
            pvmlab_calibration_entry *grown = realloc(record->entries, capacity * sizeof *grown);
            if (!grown)
                break;
            record->entries = grown;
        }
        pvmlab_calibration_entry *entry = &record->entries[record->entry_count++];
        entry->key = pvmlab_sql_text_copy(statement, 0);
        entry->value_ps = pvmlab_sql_double(statement, 1);
        entry->value_cycles = pvmlab_sql_double(statement, 2);
        entry->mad = pvmlab_sql_double(statement, 3);
        entry->n = sqlite3_column_int64(statement, 4);
        if (!entry->key)
            break;
    }
    int result = rc == SQLITE_DONE ? 0 : -1;
    if (rc == SQLITE_ROW)
        snprintf(err, err_len, "out of memory reading calibration %lld", (long long)record->id);
    else if (rc != SQLITE_DONE)
        pvmlab_sql_fail(sqlite, "reading calibration values", err, err_len);
    sqlite3_finalize(statement);
    return result;
}

int pvmlab_calibration_set_load(pvmlab_db *db, size_t limit, pvmlab_calibration_set *out, char *err,
                                size_t err_len)
{
    memset(out, 0, sizeof *out);
    sqlite3 *sqlite = pvmlab_db_sqlite(db);
    sqlite3_stmt *statement = pvmlab_sql_prepare(
        sqlite,
        "SELECT id, run_id, uuid, backend, model_kind, parameters, fit_results, created_at FROM calibrations"
        " ORDER BY id DESC LIMIT ?1",
        "reading calibrations", err, err_len);
    if (!statement)
        return -1;
    sqlite3_bind_int64(statement, 1, (sqlite3_int64)limit);
    out->records = calloc(limit ? limit : 1, sizeof *out->records);
    int rc = SQLITE_DONE, result = 0;
    while (out->records && (rc = sqlite3_step(statement)) == SQLITE_ROW) {
        pvmlab_calibration_record *record = &out->records[out->count++];
        record->id = sqlite3_column_int64(statement, 0);
        record->run = sqlite3_column_int64(statement, 1);
        record->uuid = pvmlab_sql_text_copy(statement, 2);
        record->backend = pvmlab_sql_text_copy(statement, 3);
        record->model_kind = pvmlab_sql_text_copy(statement, 4);
        record->parameters = pvmlab_sql_text_copy(statement, 5);
        record->fit_results = pvmlab_sql_text_copy(statement, 6);
        record->created_at = pvmlab_sql_text_copy(statement, 7);
        if (!record->uuid || !record->backend || !record->model_kind || !record->parameters ||
            !record->fit_results || !record->created_at) {
            snprintf(err, err_len, "out of memory reading calibrations");
            result = -1;
            break;
        }
        record->side = side_of(record->parameters);
        if ((result = load_entries(sqlite, record, err, err_len)) != 0)
            break;
    }
    if (!out->records) {
        snprintf(err, err_len, "out of memory reading calibrations");
        result = -1;
    } else if (result == 0 && rc != SQLITE_DONE)
        result = pvmlab_sql_fail(sqlite, "reading calibrations", err, err_len);
    sqlite3_finalize(statement);
    return result;
}

void pvmlab_calibration_set_free(pvmlab_calibration_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        pvmlab_calibration_record *record = &set->records[i];
        for (size_t j = 0; j < record->entry_count; j++)
            free(record->entries[j].key);
        free(record->entries);
        free(record->uuid);
        free(record->backend);
        free(record->model_kind);
        free(record->parameters);
        free(record->fit_results);
        free(record->created_at);
    }
    free(set->records);
    memset(set, 0, sizeof *set);
}

size_t pvmlab_calibration_count_kind(const pvmlab_calibration_record *record, int kind)
{
    size_t count = 0;
    double number;
    for (size_t i = 0; i < record->entry_count; i++)
        count += (int)pvmlab_classify_key(record->entries[i].key, &number) == kind;
    return count;
}
