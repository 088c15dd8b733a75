/* The stored samples of one benchmark across runs (see benchmark_samples.h). */
#include "benchmark_samples.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int keep_reading(const pvmlab_counter_reading *reading, void *context)
{
    pvmlab_stored_sample *sample = context;
    if (sample->reading_count < PVMLAB_SAMPLE_READINGS_MAX)
        sample->readings[sample->reading_count++] = *reading;
    return 0;
}

int pvmlab_db_foreach_benchmark_sample(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, const char *suite,
                                       const char *name, int64_t size,
                                       int (*visit)(const pvmlab_stored_sample *sample, void *context),
                                       void *context, char *err, size_t err_len)
{
    /* The run list is a handful of integers, bound one by one into an IN list. */
    char sql[4096];
    int used = snprintf(sql, sizeof sql,
                        "SELECT s.id, s.wall_ns, s.checksum, s.instructions, s.gas FROM samples s"
                        " JOIN benchmarks b ON b.id = s.benchmark_id"
                        " WHERE b.suite = ?1 AND b.name = ?2 AND b.size = ?3 AND s.run_id IN (");
    for (size_t r = 0; r < run_count && used > 0 && (size_t)used < sizeof sql; r++)
        used += snprintf(sql + used, sizeof sql - (size_t)used, "%s?%zu", r ? ", " : "", r + 4);
    if (used <= 0 || (size_t)used + 40 >= sizeof sql) {
        snprintf(err, err_len, "too many runs to read together");
        return -1;
    }
    snprintf(sql + used, sizeof sql - (size_t)used, ") ORDER BY s.run_id, s.repetition");
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(pvmlab_db_sqlite(db), sql, -1, &statement, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "preparing the sample query: %s", sqlite3_errmsg(pvmlab_db_sqlite(db)));
        return -1;
    }
    sqlite3_bind_text(statement, 1, suite, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, size);
    for (size_t r = 0; r < run_count; r++)
        sqlite3_bind_int64(statement, (int)r + 4, runs[r]);
    int rc = SQLITE_DONE, status = 0;
    pvmlab_stored_sample *sample = malloc(sizeof *sample); /* ~9 KiB of readings: off the stack */
    if (!sample) {
        sqlite3_finalize(statement);
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    while (status == 0 && (rc = sqlite3_step(statement)) == SQLITE_ROW) {
        memset(sample, 0, sizeof *sample);
        sample->id = sqlite3_column_int64(statement, 0);
        sample->wall_ns = sqlite3_column_int64(statement, 1);
        sample->checksum = (uint64_t)sqlite3_column_int64(statement, 2);
        sample->instructions = (uint64_t)sqlite3_column_int64(statement, 3);
        sample->gas = sqlite3_column_int64(statement, 4);
        if (pvmlab_db_foreach_reading(db, sample->id, keep_reading, sample) < 0) {
            snprintf(err, err_len, "%s: %s", name, pvmlab_db_error(db));
            status = -1;
            break;
        }
        if (visit(sample, context) != 0)
            break;
    }
    if (status == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE) {
        snprintf(err, err_len, "%s: reading samples: %s", name, sqlite3_errmsg(pvmlab_db_sqlite(db)));
        status = -1;
    }
    free(sample);
    sqlite3_finalize(statement);
    return status;
}
