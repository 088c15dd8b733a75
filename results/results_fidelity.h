/* Fidelity of a cost model: does gas bound time? One definition for `pvmlab tables` (which
 * measures and stores it), `pvmlab compare`, `plot` and `report` (which read it back here).
 *
 * Per program: ns per gas = median wall time / gas. Over a set of programs:
 *   median      the middle ns/gas (mean of the two middle ones for an even count);
 *   max/median  1 = gas is proportional to time; 3 = some program takes 3x longer per gas;
 *   p95/median  the 95th percentile by linear interpolation between order statistics
 *               (rank 0.95 (n - 1), the usual "type 7" quantile), over the median;
 * each with a 95 % percentile-bootstrap interval: PVMLAB_FIDELITY_RESAMPLES resamples of the
 * programs with replacement, drawn by splitmix64 from PVMLAB_FIDELITY_SEED, so the interval
 * is the same on every machine. A resample never holds a program slower than the slowest
 * measured one, so the max/median interval says how much the spread depends on which
 * programs were drawn, not how bad an unseen program could be.
 *
 * Stored per program set (results/fidelity_store.c): a set is one cost table (its content
 * hash and calibration uuid, or a built-in model) timed on one backend over one program set
 * ("guests-rv64", "guests-rv32", "generated seed=N", "calibration") in one run; its
 * summaries are kept per scope (all programs, compute-bound, memory-bound: the set states
 * its rule) and per lazy-page charging ("charged": gas includes the first-touch charges,
 * "uncharged": the same runs with those charges taken out, "eager": no lazy pages). */
#ifndef PVMLAB_RESULTS_FIDELITY_H
#define PVMLAB_RESULTS_FIDELITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { PVMLAB_FIDELITY_RESAMPLES = 2000, PVMLAB_FIDELITY_NAME_MAX = 96 };
#define PVMLAB_FIDELITY_SEED UINT64_C(0x70766d6c6162) /* "pvmlab" */
#define PVMLAB_FIDELITY_CONFIDENCE 0.95

/* A statistic with its bootstrap interval (NAN when there are no programs). */
typedef struct pvmlab_interval {
    double value, low, high;
} pvmlab_interval;

/* One program's measurement as the summary sees it. */
typedef struct pvmlab_fidelity_point {
    const char *program; /* not copied: valid while summarising */
    double ns, gas;      /* points with gas <= 0 or non-finite ns are left out */
} pvmlab_fidelity_point;

typedef struct pvmlab_fidelity_summary {
    size_t programs; /* points used */
    double min_ns_per_gas, median_ns_per_gas, max_ns_per_gas;
    pvmlab_interval max_over_median, p95_over_median;
    char worst_program[PVMLAB_FIDELITY_NAME_MAX]; /* the program at max ns/gas */
} pvmlab_fidelity_summary;

/* Summarises count points (fidelity_summary.c). Deterministic: the same points in the same
 * order give the same bytes. Returns 0, or -1 when out of memory (*out then has NANs). */
int pvmlab_fidelity_summarise(const pvmlab_fidelity_point *points, size_t count, pvmlab_fidelity_summary *out);

/* "2.31 [1.80, 2.45]" (value and interval, two decimals), or "n/a": how every verb prints a
 * spread, so that compare, plot and report agree digit for digit. Returns out. */
const char *pvmlab_interval_format(const pvmlab_interval *v, char *out, size_t len);

/* --- storing and reading (fidelity_store.c, fidelity_query.c) ---------------------------- */

/* What was timed. Strings are copied. */
typedef struct pvmlab_fidelity_set {
    pvmlab_id run;                /* the run that timed the programs */
    const char *calibration_uuid; /* "" for a built-in model */
    const char *cost_table_hash;  /* "xxh3-64:..." of the table text, or "builtin:MODEL" */
    const char *model;            /* "table", "pipeline-l2hit", ... */
    const char *backend;          /* "interp" or "jit" */
    const char *program_set;      /* "guests-rv64", "guests-rv32", "generated seed=N", "calibration" */
    bool held_out;                /* the fit never saw these programs */
    const char *memory_rule;      /* how memory_bound was decided, in words, with its threshold */
    double ps_per_gas;            /* the gas unit the table was generated with; NAN: none (built-in) */
} pvmlab_fidelity_set;

typedef struct pvmlab_fidelity_program {
    const char *program;
    double wall_ns;                   /* median of the timed runs */
    int64_t gas;                      /* gas charged (with the lazy-page charges, if any) */
    pvmlab_maybe_i64 lazy_gas;        /* the lazy-page part of gas; absent: no lazy pages */
    pvmlab_maybe_i64 footprint_bytes; /* data pages touched x page size; absent: unknown */
    bool memory_bound;                /* by the set's memory_rule */
    /* Why it sits where it does: one call replayed on the interpreter (absent: not replayed).
     * Instructions executed; its memory trace's misses in an LRU model of the machine's L1d and
     * L2 (the set's memory_rule names the geometry); its conditional branches and a predictor
     * model's mispredictions (costmodel/microbench/branch_predictability.h). */
    pvmlab_maybe_i64 instructions, l1_misses, l2_misses, branches, mispredicts;
} pvmlab_fidelity_program;

/* --- why a program sits where it does (fidelity_explain.c) -------------------------------- */
/* What the replay counts must exceed, per 1000 instructions, to be named as a program's
 * likely cost. L2: the memory-bound rule's threshold (costmodel/calibrate/fidelity_timing.h).
 * L1d: 20 misses served from L2 at ~15 cycles each are about as many cycles as 1000
 * instructions take at 3 per cycle. Mispredicts: 5 at ~17 cycles each add a quarter to that. */
#define PVMLAB_POINTS_TO_L2_PER_KILO 5.0
#define PVMLAB_POINTS_TO_L1_PER_KILO 20.0
#define PVMLAB_POINTS_TO_MISPREDICT_PER_KILO 5.0
/* count per 1000 instructions; NAN when either is absent or there were no instructions. */
double pvmlab_fidelity_per_kilo(pvmlab_maybe_i64 count, pvmlab_maybe_i64 instructions);
/* "L2 misses + L1d misses + mispredicts" (those above their thresholds), "none of these", or
 * "not replayed". Returns out. */
const char *pvmlab_fidelity_points_to(const pvmlab_fidelity_program *p, char *out, size_t len);
/* wall_ns / gas (lazy charges in); NAN for no gas. */
double pvmlab_fidelity_ns_per_gas(const pvmlab_fidelity_program *p);
/* A program's replay as pvmlab report and compare --fidelity --programs print it: instructions
 * in millions, L1d and L2 misses and mispredictions per 1000 instructions ("n/a" when absent),
 * and what they point to. */
typedef struct pvmlab_fidelity_replay_text {
    char instructions[24], l1_misses[24], l2_misses[24], mispredicts[24], points_to[64];
} pvmlab_fidelity_replay_text;
void pvmlab_fidelity_replay_format(const pvmlab_fidelity_program *p, pvmlab_fidelity_replay_text *out);

/* A set's programs, slowest per gas (wall_ns / gas, lazy charges in) first, ties by name;
 * items[i].program points into names (in the order read). */
typedef struct pvmlab_fidelity_program_list {
    pvmlab_fidelity_program *items;
    char (*names)[PVMLAB_FIDELITY_NAME_MAX];
    size_t count, cap;
} pvmlab_fidelity_program_list;
/* Reads set_id's programs into *out (zeroed first); 0, or -1 (database error or no memory:
 * pvmlab_db_error says which). Free with pvmlab_fidelity_program_list_free. */
int pvmlab_db_read_fidelity_programs(pvmlab_db *db, pvmlab_id set_id, pvmlab_fidelity_program_list *out);
void pvmlab_fidelity_program_list_free(pvmlab_fidelity_program_list *list);

/* Stores the set, its programs and its summaries ("all", and "compute"/"memory" when footprints
 * are known and the set holds programs of both kinds; "charged" and
 * "uncharged" when any program has lazy_gas, else "eager"), in one transaction. Storing the
 * same (run, cost table, backend, program set) again is refused. *out (may be NULL) gets the
 * set's id. */
int pvmlab_db_store_fidelity(pvmlab_db *db, const pvmlab_fidelity_set *set, const pvmlab_fidelity_program *programs,
                             size_t count, pvmlab_id *out);

/* One stored summary, joined with its set. Strings are valid during the callback. */
typedef struct pvmlab_fidelity_row {
    pvmlab_id set_id;
    const char *run_uuid, *started_at;
    const char *calibration_uuid, *cost_table_hash, *model, *backend, *program_set, *memory_rule;
    bool held_out;
    double ps_per_gas;   /* the set's gas unit, ps; NAN when it has none */
    const char *scope;   /* "all", "compute", "memory" */
    const char *charges; /* "charged", "uncharged", "eager" */
    pvmlab_fidelity_summary summary;
} pvmlab_fidelity_row;

typedef struct pvmlab_fidelity_filter {
    bool latest_only;        /* per (cost table, backend, program set) only the newest run */
    const char *table_match; /* NULL, or a prefix of the cost table hash or calibration uuid */
} pvmlab_fidelity_filter;

/* Whether a summary row is the one a held-out guest set's programs are listed under: all
 * programs, lazy-page charges in (or eager, where there were none). */
bool pvmlab_fidelity_row_lists_programs(const pvmlab_fidelity_row *row);
/* One line for a row: "MODEL BACKEND SET (held out), SCOPE, CHARGES: N programs, ns/gas median
 * X, max/median I, p95/median I, worst NAME" (pvmlab tables and pvmlab compare print it). */
const char *pvmlab_fidelity_row_format(const pvmlab_fidelity_row *row, char *out, size_t len);

/* The row's median ps/gas against its table's gas unit, in percent (+10: 10 % more time per
 * gas than the unit says); NAN when the set has no unit (a built-in model). */
double pvmlab_fidelity_median_vs_unit(const pvmlab_fidelity_row *row);

/* Calls visit for every stored summary that passes filter (NULL: latest only, all tables), in a
 * fixed order: model, calibration uuid, table hash, backend, program set, scope (all, compute,
 * memory), charges (charged, uncharged, eager). Stops when visit returns non-zero and returns
 * that; 0 when all were visited; -1 on a database error. */
int pvmlab_db_foreach_fidelity(pvmlab_db *db, const pvmlab_fidelity_filter *filter,
                               int (*visit)(const pvmlab_fidelity_row *row, void *context), void *context);

/* Calls visit for every program of set_id in program order (strings valid during the call). */
int pvmlab_db_foreach_fidelity_program(pvmlab_db *db, pvmlab_id set_id,
                                       int (*visit)(const pvmlab_fidelity_program *program, void *context),
                                       void *context);

#ifdef __cplusplus
}
#endif
#endif
