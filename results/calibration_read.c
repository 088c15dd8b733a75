/* Read-only queries for one calibration and its values. */
#include "calibration_read.h"
#include "db_internal.h"
#include "vm/util/grow.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_text(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
    snprintf(dst, cap, "%s", db_column_text(st, col));
}

/* The --counters choice and VM backend recorded in the parameters JSON. */
static void read_parameters(const char *json, stored_calibration *out)
{
    snprintf(out->counters, sizeof out->counters, "unknown");
    snprintf(out->vm_backend, sizeof out->vm_backend, "interp");
    json_object *p = json_tokener_parse(json), *v;
    if (!p) return;
    if (json_object_object_get_ex(p, "counters", &v))
        snprintf(out->counters, sizeof out->counters, "%s", json_object_get_string(v));
    if (json_object_object_get_ex(p, "vm_backend", &v))
        snprintf(out->vm_backend, sizeof out->vm_backend, "%s", json_object_get_string(v));
    json_object_put(p);
}

static int read_header(sqlite3_stmt *st, void *context)
{
    stored_calibration *out = context;
    copy_text(out->uuid, sizeof out->uuid, st, 0);
    copy_text(out->backend, sizeof out->backend, st, 1);
    read_parameters(db_column_text(st, 2), out);
    copy_text(out->machine, sizeof out->machine, st, 3);
    return 1; /* found */
}

typedef struct value_reader {
    stored_value *values;
    size_t count, capacity;
} value_reader;

/* 1 (stop) when out of memory. */
static int read_value(sqlite3_stmt *st, void *context)
{
    value_reader *reader = context;
    if (UTIL_GROW(reader->values, reader->capacity, reader->count + 1, 32) != 0)
        return 1;
    stored_value *v = &reader->values[reader->count++];
    copy_text(v->key, sizeof v->key, st, 0);
    v->ps = db_column_real(st, 1);
    v->cycles = db_column_real(st, 2);
    v->mad = db_column_real(st, 3);
    v->n = sqlite3_column_int64(st, 4);
    v->se = db_column_real(st, 5);
    return 0;
}

int calibration_values_read(pvmlab_db *db, pvmlab_id id, bool by_key, stored_value **values, size_t *count)
{
    value_reader reader = {0};
    int rc = db_query(db,
                      by_key ? "SELECT key, value_ps, value_cycles, mad, n, se_ps FROM calibration_values "
                               "WHERE calibration_id = ?1 ORDER BY key"
                             : "SELECT key, value_ps, value_cycles, mad, n, se_ps FROM calibration_values "
                               "WHERE calibration_id = ?1 ORDER BY id",
                      &id, 1, read_value, &reader, "calibration values");
    if (rc != 0) {
        free(reader.values);
        reader.values = NULL, reader.count = 0;
    }
    *values = reader.values;
    *count = reader.count;
    return rc;
}

int calibration_read(pvmlab_db *db, pvmlab_id id, stored_calibration *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->id = id;
    int rc = db_query(db,
                      "SELECT c.uuid, c.backend, c.parameters, m.cpu_model FROM calibrations c "
                      "JOIN runs r ON r.id = c.run_id JOIN machines m ON m.id = r.machine_id WHERE c.id = ?1",
                      &id, 1, read_header, out, "the calibration");
    if (rc == 0) {
        snprintf(err, err_len, "no calibration with id %lld", (long long)id);
        return 1;
    }
    if (rc < 0) {
        snprintf(err, err_len, "%s", pvmlab_db_error(db));
        return -1;
    }
    rc = calibration_values_read(db, id, true, &out->values, &out->count);
    if (rc > 0)
        snprintf(err, err_len, "out of memory");
    else if (rc < 0)
        snprintf(err, err_len, "%s", pvmlab_db_error(db));
    return rc == 0 ? 0 : -1;
}

void stored_calibration_free(stored_calibration *c)
{
    free(c->values);
    memset(c, 0, sizeof *c);
}

double stored_ps(const stored_calibration *c, const char *key)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->values[i].key, key) == 0) return c->values[i].ps;
    return NAN;
}

const stored_value *stored_find(const stored_calibration *c, const char *key)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->values[i].key, key) == 0) return &c->values[i];
    return NULL;
}
