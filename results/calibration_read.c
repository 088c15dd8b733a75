/* Read-only queries for one calibration and its values. */
#include "calibration_read.h"

#include <json-c/json.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double column_or_nan(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

static void copy_text(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", t ? (const char *)t : "");
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

static int read_header(sqlite3 *s, pvmlab_id id, stored_calibration *out, char *err, size_t err_len)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s,
                           "SELECT c.uuid, c.backend, c.parameters, m.cpu_model FROM calibrations c "
                           "JOIN runs r ON r.id = c.run_id JOIN machines m ON m.id = r.machine_id WHERE c.id = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s", sqlite3_errmsg(s));
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_text(out->uuid, sizeof out->uuid, st, 0);
        copy_text(out->backend, sizeof out->backend, st, 1);
        read_parameters((const char *)sqlite3_column_text(st, 2), out);
        copy_text(out->machine, sizeof out->machine, st, 3);
    } else if (rc == SQLITE_DONE) {
        snprintf(err, err_len, "no calibration with id %lld", (long long)id);
    } else {
        snprintf(err, err_len, "%s", sqlite3_errmsg(s));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int calibration_read(pvmlab_db *db, pvmlab_id id, stored_calibration *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->id = id;
    sqlite3 *s = pvmlab_db_sqlite(db);
    int rc = read_header(s, id, out, err, err_len);
    if (rc != 0) return rc;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s,
                           "SELECT key, value_ps, value_cycles, mad, n, se_ps FROM calibration_values "
                           "WHERE calibration_id = ? ORDER BY key",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s", sqlite3_errmsg(s));
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? 2 * cap : 256;
            stored_value *v = realloc(out->values, cap * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                snprintf(err, err_len, "out of memory");
                return -1;
            }
            out->values = v;
        }
        stored_value *v = &out->values[out->count++];
        copy_text(v->key, sizeof v->key, st, 0);
        v->ps = column_or_nan(st, 1);
        v->cycles = column_or_nan(st, 2);
        v->mad = column_or_nan(st, 3);
        v->n = sqlite3_column_int64(st, 4);
        v->se = column_or_nan(st, 5);
    }
    if (rc != SQLITE_DONE) snprintf(err, err_len, "%s", sqlite3_errmsg(s));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
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
