#include "run_select.h"

#include "sql_util.h"

/* The measurement modes of pvmlab bench (bench/engines: bench_mode_parse). Other samples
 * belong to calibrate (modes interp/jit) or tables (fidelity) runs. */
#define BENCH_MODES "('execution', 'oneshot', 'compilation')"

int pvmlab_latest_sample_run(pvmlab_db *db, pvmlab_id *run, char *err, size_t err_len)
{
    int64_t value;
    int rc = pvmlab_sql_int(pvmlab_db_sqlite(db), "SELECT max(run_id) FROM samples WHERE mode IN " BENCH_MODES, 0, 0,
                            &value, err, err_len);
    *run = rc == 0 ? value : 0;
    return rc;
}

int pvmlab_latest_fidelity_run(pvmlab_db *db, pvmlab_id *run, char *err, size_t err_len)
{
    int64_t value;
    int rc = pvmlab_sql_int(pvmlab_db_sqlite(db), "SELECT max(run_id) FROM samples WHERE mode = 'fidelity'", 0, 0,
                            &value, err, err_len);
    *run = rc == 0 ? value : 0;
    return rc;
}

int pvmlab_previous_sample_run(pvmlab_db *db, pvmlab_id run, pvmlab_id *previous, char *err, size_t err_len)
{
    int64_t value;
    int rc = pvmlab_sql_int(pvmlab_db_sqlite(db),
                            "SELECT max(s.run_id) FROM samples s JOIN runs r ON r.id = s.run_id"
                            " WHERE s.run_id < ?1 AND s.mode IN " BENCH_MODES
                            " AND r.machine_id = (SELECT machine_id FROM runs WHERE id = ?1)",
                            run, 0, &value, err, err_len);
    *previous = rc == 0 ? value : 0;
    return rc;
}

int pvmlab_sample_runs(pvmlab_db *db, pvmlab_id *runs, size_t capacity, size_t *count, char *err, size_t err_len)
{
    sqlite3 *sqlite = pvmlab_db_sqlite(db);
    sqlite3_stmt *statement = pvmlab_sql_prepare(
        sqlite, "SELECT run_id FROM (SELECT DISTINCT run_id FROM samples WHERE mode IN " BENCH_MODES
        " ORDER BY run_id DESC LIMIT ?1) ORDER BY run_id",
        "listing runs", err, err_len);
    *count = 0;
    if (!statement)
        return -1;
    sqlite3_bind_int64(statement, 1, (sqlite3_int64)capacity);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW && *count < capacity)
        runs[(*count)++] = sqlite3_column_int64(statement, 0);
    int result = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : pvmlab_sql_fail(sqlite, "listing runs", err, err_len);
    sqlite3_finalize(statement);
    return result;
}
