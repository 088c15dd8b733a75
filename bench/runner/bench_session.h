/* One `pvmlab bench` session: every engine configuration × guest × mode of a suite,
 * measured with warm-ups, a run count from the suite's time budget, the rerun rule and
 * the checksum check, every sample stored in the results database as it is taken. */
#ifndef PVMLAB_BENCH_SESSION_H
#define PVMLAB_BENCH_SESSION_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "bench/engines/engine.h"
#include "results/results.h"
#include "suites.h"
#include "vm/util/work_shard.h"

/* The samples of each (guest, mode) are taken in this many rounds, each round a share of
 * every engine's samples in turn (bench_session.c: measure_guest). */
enum { BENCH_ROUNDS = 3 };

typedef struct bench_session_options {
    const bench_suite *suite;
    unsigned fixed_runs; /* > 0: exactly this many samples (before any rerun) */
    unsigned modes;      /* bit per bench_mode; 0 = the suite's */
    FILE *out;           /* result lines; NULL = stdout */
    volatile sig_atomic_t *stop; /* may be NULL; when it becomes non-zero the session ends
                                    after the current measurement (Ctrl-C) */
    work_shard shard;    /* {0, 0}: every guest; else only the shard's (bench_session_guest_key) */
    bool pin_execution;  /* execution mode's samples all on execution_cpu: the session pins itself,
                            and so the engines' processes, to it while that mode runs (the other
                            modes keep the mask it had: a compile runs on two threads) */
    int execution_cpu;
} bench_session_options;

typedef struct bench_session_result {
    size_t samples_stored;
    size_t engines_measured;  /* configurations with at least one stored sample */
    size_t checksum_failures; /* (engine, guest, mode) sets with a wrong checksum */
    size_t measure_failures;  /* sets the engine failed to measure */
    bool interrupted;         /* *options->stop was set before the end */
} bench_session_result;

/* The key that decides a guest's shard: "NAME/SIZE" (every engine and mode of a guest stay
 * in one shard, so that their ratios come from one machine). */
void bench_session_guest_key(const bench_guest *guest, char *out, size_t out_len);

/* Measures every engine of list on the suite under run. Returns 0 when everything was
 * measured with correct checksums, 1 when a checksum was wrong or a measurement failed
 * (each named on stderr; the others are still measured and stored), -1 on a database
 * error (one line on stderr). */
int bench_session_run(pvmlab_db *db, pvmlab_id run, bench_engine_list *list, const bench_session_options *options,
                      bench_session_result *result);

#endif
