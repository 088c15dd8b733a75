/* Rebuilding measurements from the samples of one or more runs (see stored_measurements.h). */
#include "stored_measurements.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/stats.h"

enum { MAX_SAMPLES = 512, MAX_READINGS = 32 };

typedef struct readings_buffer {
    pvmlab_counter_reading items[MAX_READINGS];
    size_t count;
} readings_buffer;

static int keep_reading(const pvmlab_counter_reading *reading, void *context)
{
    readings_buffer *buffer = context;
    if (buffer->count < MAX_READINGS)
        buffer->items[buffer->count++] = *reading;
    return 0;
}

/* The repetitions of one spec in the runs, in run and repetition order. */
static int load_one(pvmlab_db *db, sqlite3_stmt *statement, const mb_spec *spec, measurement *out, bool *ok,
                    char *err, size_t err_len)
{
    double clean[MAX_SAMPLES], all[MAX_SAMPLES];
    size_t kept = 0, attempts = 0;
    sqlite3_reset(statement);
    sqlite3_bind_text(statement, 1, spec->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 2, (int64_t)spec->units);
    int rc;
    memset(out, 0, sizeof *out);
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW && attempts < MAX_SAMPLES) {
        pvmlab_id sample = sqlite3_column_int64(statement, 0);
        double ns = (double)sqlite3_column_int64(statement, 1);
        out->checksum = (uint64_t)sqlite3_column_int64(statement, 2);
        out->instructions = (uint64_t)sqlite3_column_int64(statement, 3); /* NULL reads as 0: not counted */
        out->gas = sqlite3_column_int64(statement, 4);                     /* NULL reads as 0: not metered */
        readings_buffer readings = {.count = 0};
        if (pvmlab_db_foreach_reading(db, sample, keep_reading, &readings) < 0) {
            snprintf(err, err_len, "%s: %s", spec->name, pvmlab_db_error(db));
            return -1;
        }
        all[attempts++] = ns;
        if (!measure_was_preempted(readings.items, readings.count))
            clean[kept++] = ns;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        snprintf(err, err_len, "%s: reading samples: %s", spec->name, sqlite3_errmsg(pvmlab_db_sqlite(db)));
        return -1;
    }
    *ok = attempts > 0;
    if (!*ok)
        return 0;
    const double *used = kept ? clean : all;
    out->n = (int)(kept ? kept : attempts);
    out->preempted = (int)(attempts - kept);
    out->median_ns = util_median(used, (size_t)out->n);
    out->mad_ns = util_mad(used, (size_t)out->n);
    return 0;
}

int stored_measurements_load(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, const mb_spec *specs,
                             size_t n, measurement *out, bool *ok, char *err, size_t err_len)
{
    /* The run list is a handful of integers, bound one by one into an IN list. */
    char sql[4096];
    int used = snprintf(sql, sizeof sql,
                        "SELECT s.id, s.wall_ns, s.checksum, s.instructions, s.gas FROM samples s"
                        " JOIN benchmarks b ON b.id = s.benchmark_id"
                        " WHERE b.suite = 'calibrate' AND b.name = ?1 AND b.size = ?2 AND s.run_id IN (");
    for (size_t r = 0; r < run_count && used > 0 && (size_t)used < sizeof sql; r++)
        used += snprintf(sql + used, sizeof sql - (size_t)used, "%s?%zu", r ? ", " : "", r + 3);
    if (used <= 0 || (size_t)used + 40 >= sizeof sql) {
        snprintf(err, err_len, "too many runs to fit together");
        return -1;
    }
    snprintf(sql + used, sizeof sql - (size_t)used, ") ORDER BY s.run_id, s.repetition");
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(pvmlab_db_sqlite(db), sql, -1, &statement, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "preparing the sample query: %s", sqlite3_errmsg(pvmlab_db_sqlite(db)));
        return -1;
    }
    for (size_t r = 0; r < run_count; r++)
        sqlite3_bind_int64(statement, (int)r + 3, runs[r]);
    int status = 0;
    for (size_t i = 0; i < n && status == 0; i++)
        status = load_one(db, statement, &specs[i], &out[i], &ok[i], err, err_len);
    sqlite3_finalize(statement);
    return status;
}
