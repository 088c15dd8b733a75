/* `db merge`: copy another results file into this one, remapping ids through natural keys.
 *
 * Each table is inserted with ON CONFLICT DO NOTHING (so rows already present are skipped),
 * then temp.merge_map records old id -> new id by joining on the natural key; child tables
 * translate their foreign keys through that map. */
#include "db_internal.h"
#include "schema.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct merge_step {
    const char *label; /* non-NULL: count the rows this step inserts under this name */
    const char *sql;
} merge_step;

static const merge_step MERGE_STEPS[] = {
    {NULL, "CREATE TEMP TABLE IF NOT EXISTS merge_map (kind TEXT NOT NULL, old_id INTEGER NOT NULL,"
           " new_id INTEGER NOT NULL, PRIMARY KEY (kind, old_id)) WITHOUT ROWID"},
    {NULL, "DELETE FROM temp.merge_map"},

    {"machines", "INSERT INTO main.machines (hostname, cpu_model, cores, kernel, pmu_available, pmu_reason)"
                 " SELECT hostname, cpu_model, cores, kernel, pmu_available, pmu_reason FROM other.machines"
                 " WHERE true ON CONFLICT DO NOTHING"},
    {NULL, "INSERT INTO temp.merge_map SELECT 'machine', o.id, m.id FROM other.machines o JOIN main.machines m"
           " USING (hostname, cpu_model, cores, kernel, pmu_available, pmu_reason)"},

    {"builds", "INSERT INTO main.builds (compiler, flags, git_rev, tool_version)"
               " SELECT compiler, flags, git_rev, tool_version FROM other.builds WHERE true ON CONFLICT DO NOTHING"},
    {NULL, "INSERT INTO temp.merge_map SELECT 'build', o.id, m.id FROM other.builds o JOIN main.builds m"
           " USING (compiler, flags, git_rev, tool_version)"},

    {"engines", "INSERT INTO main.engines (name, version, config)"
                " SELECT name, version, config FROM other.engines WHERE true ON CONFLICT DO NOTHING"},
    {NULL, "INSERT INTO temp.merge_map SELECT 'engine', o.id, m.id FROM other.engines o JOIN main.engines m"
           " USING (name, version, config)"},

    {"benchmarks", "INSERT INTO main.benchmarks (suite, name, size)"
                   " SELECT suite, name, size FROM other.benchmarks WHERE true ON CONFLICT DO NOTHING"},
    {NULL, "INSERT INTO temp.merge_map SELECT 'benchmark', o.id, m.id FROM other.benchmarks o"
           " JOIN main.benchmarks m USING (suite, name, size)"},

    /* A run merged while still running is completed by a later merge of the finished file. */
    {"runs", "INSERT INTO main.runs (uuid, machine_id, build_id, started_at, ended_at, command_line, status)"
             " SELECT o.uuid, mm.new_id, mb.new_id, o.started_at, o.ended_at, o.command_line, o.status"
             " FROM other.runs o"
             " JOIN temp.merge_map mm ON mm.kind = 'machine' AND mm.old_id = o.machine_id"
             " JOIN temp.merge_map mb ON mb.kind = 'build' AND mb.old_id = o.build_id"
             " WHERE true ON CONFLICT (uuid) DO UPDATE SET ended_at = excluded.ended_at, status = excluded.status"
             " WHERE main.runs.status = 'running' AND excluded.status <> 'running'"},
    {NULL, "INSERT INTO temp.merge_map SELECT 'run', o.id, m.id FROM other.runs o JOIN main.runs m USING (uuid)"},

    {"run provenance", "INSERT INTO main.run_provenance (run_id, key, value)"
                       " SELECT r.new_id, o.key, o.value FROM other.run_provenance o"
                       " JOIN temp.merge_map r ON r.kind = 'run' AND r.old_id = o.run_id"
                       " WHERE true ON CONFLICT DO NOTHING"},

    {"samples", "INSERT INTO main.samples (run_id, engine_id, benchmark_id, mode, repetition, wall_ns, gas,"
                " instructions, checksum)"
                " SELECT r.new_id, e.new_id, b.new_id, o.mode, o.repetition, o.wall_ns, o.gas, o.instructions,"
                " o.checksum FROM other.samples o"
                " JOIN temp.merge_map r ON r.kind = 'run' AND r.old_id = o.run_id"
                " JOIN temp.merge_map e ON e.kind = 'engine' AND e.old_id = o.engine_id"
                " JOIN temp.merge_map b ON b.kind = 'benchmark' AND b.old_id = o.benchmark_id"
                " WHERE true ON CONFLICT DO NOTHING"},
    {NULL, "INSERT INTO temp.merge_map SELECT 'sample', o.id, m.id FROM other.samples o"
           " JOIN temp.merge_map r ON r.kind = 'run' AND r.old_id = o.run_id"
           " JOIN temp.merge_map e ON e.kind = 'engine' AND e.old_id = o.engine_id"
           " JOIN temp.merge_map b ON b.kind = 'benchmark' AND b.old_id = o.benchmark_id"
           " JOIN main.samples m ON m.run_id = r.new_id AND m.engine_id = e.new_id"
           " AND m.benchmark_id = b.new_id AND m.mode = o.mode AND m.repetition = o.repetition"},

    {"counter readings", "INSERT INTO main.counter_readings (sample_id, name, value, source, unavailable_reason)"
                         " SELECT s.new_id, o.name, o.value, o.source, o.unavailable_reason"
                         " FROM other.counter_readings o"
                         " JOIN temp.merge_map s ON s.kind = 'sample' AND s.old_id = o.sample_id"
                         " WHERE true ON CONFLICT DO NOTHING"},

    {"calibrations", "INSERT INTO main.calibrations (uuid, run_id, backend, model_kind, parameters, fit_results,"
                     " created_at)"
                     " SELECT o.uuid, r.new_id, o.backend, o.model_kind, o.parameters, o.fit_results, o.created_at"
                     " FROM other.calibrations o JOIN temp.merge_map r ON r.kind = 'run' AND r.old_id = o.run_id"
                     " WHERE true ON CONFLICT DO NOTHING"},
    {NULL, "INSERT INTO temp.merge_map SELECT 'calibration', o.id, m.id FROM other.calibrations o"
           " JOIN main.calibrations m USING (uuid)"},

    {"calibration values", "INSERT INTO main.calibration_values (calibration_id, key, value_ps, value_cycles, mad, n,"
                           " se_ps)"
                           " SELECT c.new_id, o.key, o.value_ps, o.value_cycles, o.mad, o.n, o.se_ps"
                           " FROM other.calibration_values o"
                           " JOIN temp.merge_map c ON c.kind = 'calibration' AND c.old_id = o.calibration_id"
                           " WHERE true ON CONFLICT DO NOTHING"},

    {"cost tables", "INSERT INTO main.cost_tables (calibration_id, model_kind, content, content_hash)"
                    " SELECT c.new_id, o.model_kind, o.content, o.content_hash FROM other.cost_tables o"
                    " JOIN temp.merge_map c ON c.kind = 'calibration' AND c.old_id = o.calibration_id"
                    " WHERE true ON CONFLICT DO NOTHING"},

    {"fidelity sets", "INSERT INTO main.fidelity_sets (run_id, calibration_uuid, cost_table_hash, model, backend,"
                      " program_set, held_out, memory_rule, ps_per_gas)"
                      " SELECT r.new_id, o.calibration_uuid, o.cost_table_hash, o.model, o.backend, o.program_set,"
                      " o.held_out, o.memory_rule, o.ps_per_gas FROM other.fidelity_sets o"
                      " JOIN temp.merge_map r ON r.kind = 'run' AND r.old_id = o.run_id"
                      " WHERE true ON CONFLICT DO NOTHING"},
    {NULL, "INSERT INTO temp.merge_map SELECT 'fidelity set', o.id, m.id FROM other.fidelity_sets o"
           " JOIN temp.merge_map r ON r.kind = 'run' AND r.old_id = o.run_id"
           " JOIN main.fidelity_sets m ON m.run_id = r.new_id AND m.cost_table_hash = o.cost_table_hash"
           " AND m.backend = o.backend AND m.program_set = o.program_set"},
    {NULL, "INSERT INTO main.fidelity_programs (set_id, program, wall_ns, gas, lazy_gas, footprint_bytes, memory_bound,"
           " instructions, l1_misses, l2_misses, branches, mispredicts)"
           " SELECT f.new_id, o.program, o.wall_ns, o.gas, o.lazy_gas, o.footprint_bytes, o.memory_bound,"
           " o.instructions, o.l1_misses, o.l2_misses, o.branches, o.mispredicts"
           " FROM other.fidelity_programs o"
           " JOIN temp.merge_map f ON f.kind = 'fidelity set' AND f.old_id = o.set_id"
           " WHERE true ON CONFLICT DO NOTHING"},
    {NULL, "INSERT INTO main.fidelity_summaries (set_id, scope, charges, programs, min_ns_per_gas, median_ns_per_gas,"
           " max_ns_per_gas, max_over_median, max_over_median_low, max_over_median_high, p95_over_median,"
           " p95_over_median_low, p95_over_median_high, worst_program, resamples, seed)"
           " SELECT f.new_id, o.scope, o.charges, o.programs, o.min_ns_per_gas, o.median_ns_per_gas,"
           " o.max_ns_per_gas, o.max_over_median, o.max_over_median_low, o.max_over_median_high,"
           " o.p95_over_median, o.p95_over_median_low, o.p95_over_median_high, o.worst_program, o.resamples, o.seed"
           " FROM other.fidelity_summaries o"
           " JOIN temp.merge_map f ON f.kind = 'fidelity set' AND f.old_id = o.set_id"
           " WHERE true ON CONFLICT DO NOTHING"},

    {NULL, "DELETE FROM temp.merge_map"},
};
enum { MERGE_STEP_COUNT = sizeof MERGE_STEPS / sizeof MERGE_STEPS[0] };

static int attach_other(pvmlab_db *db, const char *other_path, char *problem, size_t problem_len)
{
    /* ATTACH would create a missing file; refuse instead of leaving an empty one behind. */
    struct stat info;
    if (stat(other_path, &info) != 0) {
        snprintf(problem, problem_len, "%s: cannot open: %s", other_path, strerror(errno));
        return -1;
    }
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(db->sqlite, "ATTACH DATABASE ?1 AS other", -1, &statement, NULL) != SQLITE_OK)
        return db_fail(db, "preparing ATTACH");
    sqlite3_bind_text(statement, 1, other_path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(statement);
    sqlite3_finalize(statement);
    int version = 0;
    if (rc == SQLITE_DONE) {
        sqlite3_stmt *pragma;
        rc = sqlite3_prepare_v2(db->sqlite, "PRAGMA other.user_version", -1, &pragma, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(pragma);
            version = sqlite3_column_int(pragma, 0);
            sqlite3_finalize(pragma);
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_describe_open_error(problem, problem_len, other_path, rc, sqlite3_errmsg(db->sqlite), 0);
        return -1;
    }
    if (version != schema_latest_version()) {
        snprintf(problem, problem_len, "%s: schema version %d, but merge needs version %d%s", other_path, version,
                 schema_latest_version(),
                 version < schema_latest_version() ? " (open it once with pvmlab db init to migrate it)" : "");
        return -1;
    }
    /* A damaged page of the other file would otherwise fail mid-merge under this file's name. */
    sqlite3_stmt *check;
    if (sqlite3_prepare_v2(db->sqlite, "PRAGMA other.quick_check(1)", -1, &check, NULL) != SQLITE_OK)
        return db_fail(db, "preparing the check of the other file");
    rc = sqlite3_step(check);
    const char *verdict = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(check, 0) : NULL;
    if (!verdict || strcmp(verdict, "ok") != 0)
        snprintf(problem, problem_len, "%s: corrupt database: %s", other_path,
                 verdict ? verdict : sqlite3_errmsg(db->sqlite));
    sqlite3_finalize(check);
    return problem[0] ? -1 : 0;
}

static int run_merge_steps(pvmlab_db *db, char *summary, size_t summary_len)
{
    size_t used = 0;
    for (size_t i = 0; i < MERGE_STEP_COUNT; i++) {
        if (sqlite3_exec(db->sqlite, MERGE_STEPS[i].sql, NULL, NULL, NULL) != SQLITE_OK)
            return db_fail(db, MERGE_STEPS[i].label ? MERGE_STEPS[i].label : "mapping ids");
        if (MERGE_STEPS[i].label && summary && used < summary_len) {
            int n = snprintf(summary + used, summary_len - used, "%s+%d %s", used ? ", " : "",
                             sqlite3_changes(db->sqlite), MERGE_STEPS[i].label);
            used += n > 0 ? (size_t)n : 0;
        }
    }
    return 0;
}

int pvmlab_db_merge(pvmlab_db *db, const char *other_path, char *summary, size_t summary_len)
{
    char problem[PVMLAB_DB_ERROR_MAX] = "";
    if (db->in_batch)
        return db_failf(db, "cannot merge while a batch is open");
    if (summary && summary_len)
        summary[0] = '\0';
    struct stat mine, theirs;
    if (stat(db->path, &mine) == 0 && stat(other_path, &theirs) == 0 && mine.st_dev == theirs.st_dev
        && mine.st_ino == theirs.st_ino)
        return db_failf(db, "%s is this same file; nothing to merge", other_path);
    if (attach_other(db, other_path, problem, sizeof problem) != 0) {
        if (problem[0])
            snprintf(db->error, sizeof db->error, "%s", problem);
        sqlite3_exec(db->sqlite, "DETACH DATABASE other", NULL, NULL, NULL);
        return -1;
    }
    int status = db_exec(db, "BEGIN IMMEDIATE", "beginning the merge");
    if (status == 0) {
        status = run_merge_steps(db, summary, summary_len);
        if (status == 0)
            status = db_exec(db, "COMMIT", "committing the merge");
        if (status != 0)
            sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_exec(db->sqlite, "DETACH DATABASE other", NULL, NULL, NULL);
    return status == 0 ? db_ok(db) : -1;
}
