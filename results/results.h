/* pvmlab_results: the SQLite results store (schema, migrations, the store API).
 *
 * Conventions for every function below:
 *  - A pvmlab_db is owned by the caller from pvmlab_db_open until pvmlab_db_close.
 *  - Functions that take a pvmlab_db return 0 on success and -1 on error; the error is one
 *    line, readable with pvmlab_db_error(db) until the next call on that db.
 *  - Strings passed in are copied; nothing keeps the caller's pointers.
 *  - Outside a batch each call is its own transaction; inside pvmlab_db_batch_begin/commit
 *    all writes land together or not at all (a killed process keeps every committed batch).
 *  - "Insert" functions for machines, builds, engines and benchmarks are get-or-insert on the
 *    row's natural key, so they return the existing id when the row is already stored.
 */
#ifndef PVMLAB_RESULTS_H
#define PVMLAB_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counter_reading.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t pvmlab_id;
typedef struct pvmlab_db pvmlab_db;
typedef struct sqlite3 sqlite3;

/* The default database path, relative to the working directory. */
#define PVMLAB_DB_DEFAULT_PATH "results/pvmlab.db"

enum {
    PVMLAB_DB_ERROR_MAX = 512,
    PVMLAB_UUID_LENGTH = 36,
};

typedef struct pvmlab_db_options {
    int busy_timeout_ms; /* how long to wait for another writer; <= 0 means 5000 */
    bool create;         /* create the file if it does not exist */
    bool read_only;      /* SQLITE_OPEN_READONLY: no migration, no WAL switch, no writes; the
                            file must already be a pvmlab database of this schema version */
} pvmlab_db_options;

/* --- opening (open.c, schema.c) --------------------------------------------------------- */

/* Opens (and if options->create, creates) the database at path, in WAL mode with foreign keys
 * on, and migrates its schema to the newest version in one transaction (with
 * options->read_only: opens it read-only and changes nothing). A file that holds tables but
 * no pvmlab schema (another program's database) is refused, never added to. options may be NULL
 * (create, 5 s timeout). On failure returns -1, leaves *out NULL and writes one line naming
 * the path and the problem to err: missing, locked, read-only, not a database / corrupt, or
 * a schema version newer than this tool knows. */
int pvmlab_db_open(const char *path, const pvmlab_db_options *options, pvmlab_db **out, char *err,
                   size_t err_len);

/* Closes the database (rolling back an open batch). NULL is allowed. */
void pvmlab_db_close(pvmlab_db *db);

/* The last error on db, one line; "" when the last call succeeded. Owned by db. */
const char *pvmlab_db_error(const pvmlab_db *db);

/* The schema version this build writes (the number of migrations it knows). */
int pvmlab_db_schema_version_latest(void);

/* The underlying connection. Owned by db. Only results/ and tests that inspect the file use
 * it: every reader elsewhere goes through the typed queries (README.md, "Reading"). */
sqlite3 *pvmlab_db_sqlite(pvmlab_db *db);

/* --- batches (batch.c) ------------------------------------------------------------------ */

/* Begins a write transaction (BEGIN IMMEDIATE); -1 if one is already open or locked. */
int pvmlab_db_batch_begin(pvmlab_db *db);
/* Commits the open batch; on failure the batch is rolled back. */
int pvmlab_db_batch_commit(pvmlab_db *db);
/* Rolls back the open batch; 0 if none was open. */
int pvmlab_db_batch_rollback(pvmlab_db *db);

/* --- provenance (machine.c, build_info.c, run.c, catalog.c) ----------------------------- */

typedef struct pvmlab_machine_info {
    char hostname[256];
    char cpu_model[256];
    int cores;
    char kernel[384];  /* uname: sysname release version machine */
    bool pmu_available;
    char pmu_reason[PVMLAB_COUNTER_TEXT_MAX]; /* why not, when !pmu_available */
} pvmlab_machine_info;

/* Fills info from uname(2), /proc/cpuinfo and sysconf. Never fails: fields that cannot
 * be read become "unknown" (cores 0). The PMU fields are left unset (false, ""): the
 * counters library probes the PMU (pvmlab_machine_detect_counters in counters.h). */
void pvmlab_machine_detect(pvmlab_machine_info *info);

/* Get-or-insert the machine; *out receives its id. */
int pvmlab_db_insert_machine(pvmlab_db *db, const pvmlab_machine_info *info, pvmlab_id *out);

typedef struct pvmlab_build_info {
    const char *compiler;     /* e.g. "gcc 12.2.0" */
    const char *flags;        /* compile flags and build type */
    const char *git_rev;      /* "unknown" outside a git checkout */
    const char *tool_version; /* pvmlab version */
} pvmlab_build_info;

/* The build of this pvmlab binary (static strings fixed at configure/compile time). */
pvmlab_build_info pvmlab_build_current(void);

/* Get-or-insert the build; NULL fields are stored as "". */
int pvmlab_db_insert_build(pvmlab_db *db, const pvmlab_build_info *info, pvmlab_id *out);

/* Inserts a run with status "running", a fresh random uuid and the current UTC start time,
 * committed at once so a killed run is still visible. uuid_out (may be NULL) receives the
 * uuid, PVMLAB_UUID_LENGTH + 1 bytes. */
int pvmlab_db_run_begin(pvmlab_db *db, pvmlab_id machine, pvmlab_id build, const char *command_line,
                        pvmlab_id *out, char *uuid_out);

/* Sets the run's end time and status ("ok", "failed" or "interrupted"). */
int pvmlab_db_run_end(pvmlab_db *db, pvmlab_id run, const char *status);

/* The state of the machine and the source tree as a run starts: what decides whether two
 * runs' numbers may be compared. Every value is readable text; one that could not be read
 * says why ("unknown: ..."). */
typedef struct pvmlab_run_environment {
    char git_rev[96];      /* `git rev-parse --short=12 HEAD` of source_dir, "-dirty" when tracked files changed */
    char cpu_governor[160];/* cpufreq scaling_governor of the CPUs this process may run on */
    char cpu_boost[160];   /* turbo/boost: "on" or "off" (cpufreq/boost or intel_pstate/no_turbo) */
    char smt[160];         /* /sys/devices/system/cpu/smt/control: on, off, forceoff, notsupported... */
    char pinned[160];      /* "pinned to CPUs LIST" ("0-3,6") when the affinity mask leaves out online CPUs, else "no (...)" */
} pvmlab_run_environment;

/* Reads the CPU fields from sysfs and sched_getaffinity; git_rev is left for the caller
 * (who can run git) and set to "unknown: not looked up". Never fails. */
void pvmlab_run_environment_detect(pvmlab_run_environment *out);

/* Stores every field of env as run_provenance rows of run (one transaction). */
int pvmlab_db_store_run_environment(pvmlab_db *db, pvmlab_id run, const pvmlab_run_environment *env);

/* Calls visit(key, value) for every provenance row of run, in key order. Same return
 * convention as pvmlab_db_foreach_sample. */
int pvmlab_db_foreach_run_provenance(pvmlab_db *db, pvmlab_id run,
                                     int (*visit)(const char *key, const char *value, void *context), void *context);

/* Get-or-insert an engine (e.g. "pvm-interp", "0.1.0", "gas=sync model=table"). */
int pvmlab_db_insert_engine(pvmlab_db *db, const char *name, const char *version, const char *config,
                            pvmlab_id *out);

/* Get-or-insert a benchmark (suite, name, size parameter). */
int pvmlab_db_insert_benchmark(pvmlab_db *db, const char *suite, const char *name, int64_t size,
                               pvmlab_id *out);

/* --- samples (sample.c, query.c) -------------------------------------------------------- */

/* A 64-bit value that may be absent (stored as NULL). */
typedef struct pvmlab_maybe_i64 {
    bool present;
    int64_t value;
} pvmlab_maybe_i64;

typedef struct pvmlab_sample {
    pvmlab_id run, engine, benchmark;
    const char *mode;       /* e.g. "interp", "jit", "native"; NULL is stored as "" */
    int64_t repetition;     /* 0-based; (run, engine, benchmark, mode, repetition) is unique */
    int64_t wall_ns;
    pvmlab_maybe_i64 gas;   /* absent for engines that do not meter */
    pvmlab_maybe_i64 instructions;
    pvmlab_maybe_i64 checksum;
} pvmlab_sample;

/* Inserts one sample and its counter readings atomically (a savepoint). An unavailable
 * reading is stored with value NULL and its reason, never 0. *out may be NULL. */
int pvmlab_db_insert_sample(pvmlab_db *db, const pvmlab_sample *sample,
                            const pvmlab_counter_reading *readings, size_t reading_count, pvmlab_id *out);

/* A stored sample as the query helpers return it; strings are valid during the callback. */
typedef struct pvmlab_sample_row {
    pvmlab_id id, run;
    const char *engine, *engine_version, *engine_config;
    const char *suite, *benchmark;
    int64_t size;
    const char *mode;
    int64_t repetition, wall_ns;
    pvmlab_maybe_i64 gas, instructions, checksum;
} pvmlab_sample_row;

/* Calls visit for every sample of run in id order; stops early when visit returns non-zero
 * and returns that value. Returns 0 when all were visited, -1 on a database error. */
int pvmlab_db_foreach_sample(pvmlab_db *db, pvmlab_id run,
                             int (*visit)(const pvmlab_sample_row *row, void *context), void *context);

/* Calls visit for every counter reading of a sample (available == false for NULL values,
 * with the stored reason). Same return convention as pvmlab_db_foreach_sample. */
int pvmlab_db_foreach_reading(pvmlab_db *db, pvmlab_id sample,
                              int (*visit)(const pvmlab_counter_reading *reading, void *context),
                              void *context);

/* --- calibrations and cost tables (calibration.c) --------------------------------------- */

typedef struct pvmlab_calibration {
    pvmlab_id run;
    const char *backend;     /* counter backend used, e.g. "tsc" or "pmu" */
    const char *model_kind;  /* "table" or "pipeline" */
    const char *parameters;  /* free text or JSON: what was fitted and how */
    const char *fit_results; /* free text or JSON: residuals, r^2 ... */
} pvmlab_calibration;

typedef struct pvmlab_calibration_value {
    const char *key;               /* opcode mnemonic, "l1_hit", ... (unique per calibration) */
    double value_ps, value_cycles; /* NaN is stored as NULL (not measured in that unit) */
    double mad;                    /* median absolute deviation; NaN stores NULL */
    double se;                     /* standard error of value_ps (ps); NaN stores NULL */
    int64_t n;                     /* number of observations */
} pvmlab_calibration_value;

/* Stores a calibration with a fresh uuid and its values in one transaction (savepoint). */
int pvmlab_db_store_calibration(pvmlab_db *db, const pvmlab_calibration *calibration,
                                const pvmlab_calibration_value *values, size_t value_count,
                                pvmlab_id *out);

/* Stores a generated cost table (text) with its content hash "xxh3-64:<16 hex>". hash_out
 * (may be NULL) receives the hash, at least 26 bytes; out (may be NULL) the row id. Storing identical content for the same
 * calibration and model kind again returns the existing id. */
int pvmlab_db_store_cost_table(pvmlab_db *db, pvmlab_id calibration, const char *model_kind,
                               const char *content, pvmlab_id *out, char *hash_out);

/* Finds a calibration by its uuid, a unique uuid prefix of 8 or more characters, or its local
 * id (a positive integer: valid in this file only); *id and uuid receive it. Returns 0; 1 when
 * none or several match (the error says which); -1 on a database error. */
int pvmlab_db_find_calibration(pvmlab_db *db, const char *name, pvmlab_id *id,
                               char uuid[PVMLAB_UUID_LENGTH + 1]);

/* --- maintenance (check.c, merge.c) ----------------------------------------------------- */

/* Checks the file at path without changing it: integrity_check, foreign_key_check and the
 * schema version. Returns 0 when healthy, 1 when not (or unreadable); writes a one-line
 * verdict naming the path to verdict either way. */
int pvmlab_db_check(const char *path, char *verdict, size_t verdict_len);

/* Copies every row of the database at other_path into db, remapping ids through natural keys
 * (run and calibration uuids, unique columns), in one transaction: merging the same file
 * twice adds nothing the second time. summary (may be NULL) receives one line with counts. */
int pvmlab_db_merge(pvmlab_db *db, const char *other_path, char *summary, size_t summary_len);

/* Drops every sample with its counter readings, the benchmarks and engines, and the
 * calibrations' fit details, keeping calibrations, their values, cost tables, runs, machines,
 * builds and fidelity; then compacts the file (prune.c). summary (may be NULL) gets one line. */
int pvmlab_db_prune(pvmlab_db *db, char *summary, size_t summary_len);

#ifdef __cplusplus
}
#endif
#endif
