/* Migrations, oldest first. Never edit a released step: append a new one instead. */
#include "schema.h"

#include <stdio.h>

static const char *const MIGRATIONS[] = {
    /* 1: provenance, samples and counter readings. Natural keys are UNIQUE and NOT NULL so
     * that get-or-insert and merge can find a row again. */
    "CREATE TABLE machines ("
    "  id INTEGER PRIMARY KEY,"
    "  hostname TEXT NOT NULL,"
    "  cpu_model TEXT NOT NULL,"
    "  cores INTEGER NOT NULL,"
    "  kernel TEXT NOT NULL,"
    "  pmu_available INTEGER NOT NULL CHECK (pmu_available IN (0, 1)),"
    "  pmu_reason TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (hostname, cpu_model, cores, kernel, pmu_available, pmu_reason));"
    "CREATE TABLE builds ("
    "  id INTEGER PRIMARY KEY,"
    "  compiler TEXT NOT NULL,"
    "  flags TEXT NOT NULL,"
    "  git_rev TEXT NOT NULL,"
    "  tool_version TEXT NOT NULL,"
    "  UNIQUE (compiler, flags, git_rev, tool_version));"
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  machine_id INTEGER NOT NULL REFERENCES machines (id),"
    "  build_id INTEGER NOT NULL REFERENCES builds (id),"
    "  started_at TEXT NOT NULL,"
    "  ended_at TEXT,"
    "  command_line TEXT NOT NULL DEFAULT '',"
    "  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')));"
    "CREATE TABLE engines ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  version TEXT NOT NULL DEFAULT '',"
    "  config TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (name, version, config));"
    "CREATE TABLE benchmarks ("
    "  id INTEGER PRIMARY KEY,"
    "  suite TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  size INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (suite, name, size));"
    "CREATE TABLE samples ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs (id),"
    "  engine_id INTEGER NOT NULL REFERENCES engines (id),"
    "  benchmark_id INTEGER NOT NULL REFERENCES benchmarks (id),"
    "  mode TEXT NOT NULL DEFAULT '',"
    "  repetition INTEGER NOT NULL,"
    "  wall_ns INTEGER NOT NULL,"
    "  gas INTEGER,"
    "  instructions INTEGER,"
    "  checksum INTEGER,"
    "  UNIQUE (run_id, engine_id, benchmark_id, mode, repetition));"
    "CREATE INDEX samples_by_engine ON samples (engine_id);"
    "CREATE INDEX samples_by_benchmark ON samples (benchmark_id);"
    /* value NULL means unavailable, and then a reason is required (and only then). */
    "CREATE TABLE counter_readings ("
    "  id INTEGER PRIMARY KEY,"
    "  sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  value INTEGER,"
    "  source TEXT NOT NULL CHECK (source IN ('pmu', 'tsc', 'clock', 'software', 'simulated')),"
    "  unavailable_reason TEXT,"
    "  CHECK ((value IS NULL) = (unavailable_reason IS NOT NULL)),"
    "  UNIQUE (sample_id, name));",

    /* 2: calibrations, their fitted values and the cost tables generated from them. */
    "CREATE TABLE calibrations ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  run_id INTEGER NOT NULL REFERENCES runs (id),"
    "  backend TEXT NOT NULL,"
    "  model_kind TEXT NOT NULL,"
    "  parameters TEXT NOT NULL DEFAULT '',"
    "  fit_results TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX calibrations_by_run ON calibrations (run_id);"
    "CREATE TABLE calibration_values ("
    "  id INTEGER PRIMARY KEY,"
    "  calibration_id INTEGER NOT NULL REFERENCES calibrations (id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  value_ps REAL,"
    "  value_cycles REAL,"
    "  mad REAL,"
    "  n INTEGER NOT NULL,"
    "  UNIQUE (calibration_id, key));"
    "CREATE TABLE cost_tables ("
    "  id INTEGER PRIMARY KEY,"
    "  calibration_id INTEGER NOT NULL REFERENCES calibrations (id),"
    "  model_kind TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL,"
    "  UNIQUE (calibration_id, model_kind, content_hash));",

    /* 3: what the machine and the source tree were like when a run started (the git
     * revision with -dirty, CPU frequency governor, boost, SMT, pinning): one row per
     * key; a value that could not be read says why instead of being left out. */
    "CREATE TABLE run_provenance ("
    "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, key)) WITHOUT ROWID;",

    /* 4: every fitted value carries its standard error (regression or bootstrap), in ps;
     * NULL when the fit gives none. */
    "ALTER TABLE calibration_values ADD COLUMN se_ps REAL;",

    /* 5: fidelity (results_fidelity.h): a cost table timed over a program set in a run, the
     * programs' ns and gas, and the summaries computed from them when they were stored. The
     * cost table is named by content hash and calibration uuid, never by a local row id. */
    "CREATE TABLE fidelity_sets ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs (id),"
    "  calibration_uuid TEXT NOT NULL DEFAULT '',"
    "  cost_table_hash TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  backend TEXT NOT NULL,"
    "  program_set TEXT NOT NULL,"
    "  held_out INTEGER NOT NULL CHECK (held_out IN (0, 1)),"
    "  memory_rule TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (run_id, cost_table_hash, backend, program_set));"
    "CREATE INDEX fidelity_sets_by_table ON fidelity_sets (cost_table_hash, backend, program_set);"
    "CREATE TABLE fidelity_programs ("
    "  id INTEGER PRIMARY KEY,"
    "  set_id INTEGER NOT NULL REFERENCES fidelity_sets (id) ON DELETE CASCADE,"
    "  program TEXT NOT NULL,"
    "  wall_ns REAL NOT NULL,"
    "  gas INTEGER NOT NULL,"
    "  lazy_gas INTEGER,"
    "  footprint_bytes INTEGER,"
    "  memory_bound INTEGER NOT NULL CHECK (memory_bound IN (0, 1)),"
    "  UNIQUE (set_id, program));"
    "CREATE TABLE fidelity_summaries ("
    "  id INTEGER PRIMARY KEY,"
    "  set_id INTEGER NOT NULL REFERENCES fidelity_sets (id) ON DELETE CASCADE,"
    "  scope TEXT NOT NULL CHECK (scope IN ('all', 'compute', 'memory')),"
    "  charges TEXT NOT NULL CHECK (charges IN ('charged', 'uncharged', 'eager')),"
    "  programs INTEGER NOT NULL,"
    "  min_ns_per_gas REAL, median_ns_per_gas REAL, max_ns_per_gas REAL,"
    "  max_over_median REAL, max_over_median_low REAL, max_over_median_high REAL,"
    "  p95_over_median REAL, p95_over_median_low REAL, p95_over_median_high REAL,"
    "  worst_program TEXT NOT NULL DEFAULT '',"
    "  resamples INTEGER NOT NULL,"
    "  seed INTEGER NOT NULL,"
    "  UNIQUE (set_id, scope, charges));",

    /* 6: the gas unit a fidelity set's cost table was generated with (ps per gas), so that
     * a reader compares the programs' ps/gas with it; NULL for a built-in model. */
    "ALTER TABLE fidelity_sets ADD COLUMN ps_per_gas REAL;",

    /* 7: why a program sits where it does: its call replayed on the interpreter, the
     * instructions it executed, its memory trace's simulated L1d and L2 misses and its
     * conditional branches with a predictor model's mispredictions (counts, NULL when not
     * replayed, never 0 for unknown). */
    "ALTER TABLE fidelity_programs ADD COLUMN instructions INTEGER;"
    "ALTER TABLE fidelity_programs ADD COLUMN l1_misses INTEGER;"
    "ALTER TABLE fidelity_programs ADD COLUMN l2_misses INTEGER;"
    "ALTER TABLE fidelity_programs ADD COLUMN branches INTEGER;"
    "ALTER TABLE fidelity_programs ADD COLUMN mispredicts INTEGER;",
};
enum { MIGRATION_COUNT = sizeof MIGRATIONS / sizeof MIGRATIONS[0] };

int schema_latest_version(void)
{
    return MIGRATION_COUNT;
}

int schema_read_version(sqlite3 *sqlite, int *version)
{
    *version = 0;
    sqlite3_stmt *statement;
    int rc = sqlite3_prepare_v2(sqlite, "PRAGMA user_version", -1, &statement, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(statement, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(statement);
    return rc;
}

void schema_describe_newer(char *out, size_t len, int version)
{
    snprintf(out, len, "schema version %d is newer than this tool knows (%d); use a newer pvmlab", version,
             MIGRATION_COUNT);
}

int schema_migrate(sqlite3 *sqlite, int target_version, char *err, size_t err_len)
{
    int version = 0;
    int rc = schema_read_version(sqlite, &version);
    if (rc != SQLITE_OK) {
        snprintf(err, err_len, "%s", sqlite3_errmsg(sqlite));
        return rc;
    }
    if (version > target_version) {
        schema_describe_newer(err, err_len, version);
        return SQLITE_MISMATCH;
    }
    for (int step = version; step < target_version && step < MIGRATION_COUNT; step++) {
        rc = sqlite3_exec(sqlite, MIGRATIONS[step], NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, err_len, "migration to schema version %d failed: %s", step + 1, sqlite3_errmsg(sqlite));
            return rc;
        }
    }
    if (version < target_version) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target_version);
        rc = sqlite3_exec(sqlite, sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, err_len, "setting the schema version failed: %s", sqlite3_errmsg(sqlite));
            return rc;
        }
    }
    return SQLITE_OK;
}
