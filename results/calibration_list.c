/* The newest calibrations with their values (see calibration_list.h). */
#include "calibration_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

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

typedef struct record_reader {
    pvmlab_db *db;
    pvmlab_calibration_set *set;
    size_t limit;
} record_reader;

/* 1 (stop) when out of memory, -1 on a database error (recorded). */
static int read_record(sqlite3_stmt *row, void *context)
{
    record_reader *reader = context;
    if (reader->set->count == reader->limit)
        return 0;
    pvmlab_calibration_record *record = &reader->set->records[reader->set->count++];
    record->id = sqlite3_column_int64(row, 0);
    record->run = sqlite3_column_int64(row, 1);
    record->uuid = strdup(db_column_text(row, 2));
    record->backend = strdup(db_column_text(row, 3));
    record->model_kind = strdup(db_column_text(row, 4));
    record->parameters = strdup(db_column_text(row, 5));
    record->fit_results = strdup(db_column_text(row, 6));
    record->created_at = strdup(db_column_text(row, 7));
    if (!record->uuid || !record->backend || !record->model_kind || !record->parameters || !record->fit_results ||
        !record->created_at)
        return 1;
    record->side = side_of(record->parameters);
    return calibration_values_read(reader->db, record->id, false, &record->entries, &record->entry_count);
}

int pvmlab_calibration_set_load(pvmlab_db *db, size_t limit, pvmlab_calibration_set *out, char *err,
                                size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->records = calloc(limit ? limit : 1, sizeof *out->records);
    if (!out->records) {
        snprintf(err, err_len, "out of memory reading calibrations");
        return -1;
    }
    record_reader reader = {.db = db, .set = out, .limit = limit};
    int64_t bind = (int64_t)limit;
    int rc = db_query(db,
                      "SELECT id, run_id, uuid, backend, model_kind, parameters, fit_results, created_at"
                      " FROM calibrations ORDER BY id DESC LIMIT ?1",
                      &bind, 1, read_record, &reader, "calibrations");
    if (rc > 0)
        snprintf(err, err_len, "out of memory reading calibrations");
    else if (rc < 0)
        snprintf(err, err_len, "%s", pvmlab_db_error(db));
    return rc == 0 ? 0 : -1;
}

void pvmlab_calibration_set_free(pvmlab_calibration_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        pvmlab_calibration_record *record = &set->records[i];
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
