/* Synthetic results databases for the plot and report tests, written through the results
 * API exactly as pvmlab bench and pvmlab calibrate would. The numbers are made up for the
 * tests and follow simple formulas, so a test can predict every ratio. */
#ifndef PVMLAB_SYNTHETIC_DB_H
#define PVMLAB_SYNTHETIC_DB_H

typedef enum synthetic_kind {
    SYNTHETIC_FULL,  /* two bench runs (with a regression), calibrations, cost tables, a
                      * fidelity run with a stored held-out fidelity set */
    SYNTHETIC_EMPTY, /* the schema and nothing else */
} synthetic_kind;

/* Creates a fresh database at path. 0, or -1 with a line on stderr. */
int synthetic_db_create(const char *path, synthetic_kind kind);

/* The regression the full database holds: this engine's name and benchmark are 25% slower
 * in the newest run than in the one before; everything else is unchanged. */
#define SYNTHETIC_REGRESSED_BENCHMARK "keccak"
/* The held-out fidelity set of the full database names this calibration. */
#define SYNTHETIC_CALIBRATION_UUID "5e5e5e5e-0000-4000-8000-000000000001"
#define SYNTHETIC_PMU_REASON "no hardware PMU: perf_event_open(PERF_TYPE_HARDWARE, cycles) -> ENOENT (synthetic)"

#endif
