/* Choosing runs by the modes of their samples (see run_select.h). */
#include "run_select.h"

#include <stdio.h>

#include "db_internal.h"

/* Samples of a bench run: in a measurement mode of pvmlab bench (bench/engines:
 * bench_mode_parse), of a benchmark outside the suites that pvmlab calibrate and pvmlab
 * tables store their programs under (costmodel/calibrate: "calibrate", "fidelity"); their
 * samples are in modes interp/jit and fidelity, but the suite says it as well. */
#define BENCH_SAMPLES                                                                                      \
    "SELECT s.run_id FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id"                         \
    " WHERE s.mode IN ('execution', 'oneshot', 'compilation') AND b.suite NOT IN ('calibrate', 'fidelity')"

/* The integer of the query's one row (0 for none or NULL). */
static int query_id(pvmlab_db *db, const char *sql, const pvmlab_id *bind, pvmlab_id *out, const char *what,
                    char *err, size_t err_len)
{
    *out = 0;
    if (db_query(db, sql, bind, bind ? 1 : 0, db_copy_id, out, what) == 0)
        return 0;
    *out = 0;
    snprintf(err, err_len, "%s", pvmlab_db_error(db));
    return -1;
}

int pvmlab_latest_sample_run(pvmlab_db *db, pvmlab_id *run, char *err, size_t err_len)
{
    return query_id(db, "SELECT max(run_id) FROM (" BENCH_SAMPLES ")", NULL, run, "the newest run",
                    err, err_len);
}

int pvmlab_latest_fidelity_run(pvmlab_db *db, pvmlab_id *run, char *err, size_t err_len)
{
    return query_id(db, "SELECT max(run_id) FROM samples WHERE mode = 'fidelity'", NULL, run,
                    "the newest fidelity run", err, err_len);
}

int pvmlab_previous_sample_run(pvmlab_db *db, pvmlab_id run, pvmlab_id *previous, char *err, size_t err_len)
{
    return query_id(db,
                    "SELECT max(b.run_id) FROM (" BENCH_SAMPLES ") b JOIN runs r ON r.id = b.run_id"
                    " WHERE b.run_id < ?1 AND r.machine_id = (SELECT machine_id FROM runs WHERE id = ?1)",
                    &run, previous, "the previous run", err, err_len);
}

typedef struct run_list {
    pvmlab_id *runs;
    size_t capacity, *count;
} run_list;

static int append_run(sqlite3_stmt *row, void *context)
{
    run_list *list = context;
    if (*list->count == list->capacity)
        return 1;
    list->runs[(*list->count)++] = sqlite3_column_int64(row, 0);
    return 0;
}

int pvmlab_sample_runs(pvmlab_db *db, pvmlab_id *runs, size_t capacity, size_t *count, char *err, size_t err_len)
{
    *count = 0;
    run_list list = {runs, capacity, count};
    int64_t limit = (int64_t)capacity;
    int rc = db_query(db,
                      "SELECT run_id FROM (SELECT DISTINCT run_id FROM (" BENCH_SAMPLES ")"
                      " ORDER BY run_id DESC LIMIT ?1) ORDER BY run_id",
                      &limit, 1, append_run, &list, "runs");
    if (rc < 0)
        snprintf(err, err_len, "%s", pvmlab_db_error(db));
    return rc < 0 ? -1 : 0;
}
