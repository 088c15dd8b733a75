/* Suite definitions (see suites.h). */
#include <string.h>

#include "suites.h"

#define MODE_BIT(mode) (1u << (mode))

/* cache: the gas-quiz stride programs and the working-set programs. */
static const char *const CACHE_GUESTS[] = {"gas_quiz_stride1", "gas_quiz_stride2048", "gas_quiz_stride2053",
                                           "hash_table", "linked_list", NULL};

/* large: the program that grows what scales with program size (bench/guests/large_program.c). */
static const char *const LARGE_GUESTS[] = {"large_program", NULL};

static const bench_suite SUITES[] = {
    /* quick: every guest and every engine; an engine whose single run takes over 0.4 s
     * (wabt's interpreter, 20-1500x native) gets that one probe run as its only sample,
     * so the suite stays near five minutes (5m04s and 5m29s on the 2-vCPU reference VM with
     * 21 configurations, 2026-12-07). libpvm also runs each guest's rv32 build, so that 32-bit
     * code is measured against native in the same run. At least 3 samples: one in each of
     * the BENCH_ROUNDS rounds (bench_session.c). */
    {"quick", NULL, false, MODE_BIT(BENCH_MODE_EXECUTION), 1, 0.1, 3, 10,
     "every guest at quick sizes, execution mode, every engine, libpvm on the rv64 and rv32 builds (about 5 "
     "minutes)",
     0.4, true},
    {"full", NULL, true,
     MODE_BIT(BENCH_MODE_EXECUTION) | MODE_BIT(BENCH_MODE_ONESHOT) | MODE_BIT(BENCH_MODE_COMPILATION), 2, 3.0, 5,
     30, "every guest at full sizes, execution, oneshot and compilation", 0, false},
    {"cache", CACHE_GUESTS, true, MODE_BIT(BENCH_MODE_EXECUTION), 1, 1.0, 3, 20,
     "gas-quiz strides and hash-table/linked-list working sets at full sizes, execution", 0, false},
    {"large", LARGE_GUESTS, false,
     MODE_BIT(BENCH_MODE_EXECUTION) | MODE_BIT(BENCH_MODE_ONESHOT) | MODE_BIT(BENCH_MODE_COMPILATION), 1, 0.5, 3, 15,
     "the large program (over 100k instructions, 12 MiB of data) at its quick size, rv64 and rv32 builds: "
     "execution, oneshot and compilation, with compile stages, instantiation and resets",
     0, true},
};

const bench_suite *bench_suite_find(const char *name)
{
    for (size_t i = 0; i < sizeof SUITES / sizeof SUITES[0]; i++)
        if (strcmp(SUITES[i].name, name) == 0)
            return &SUITES[i];
    return NULL;
}

const bench_suite *bench_suite_all(size_t *count)
{
    *count = sizeof SUITES / sizeof SUITES[0];
    return SUITES;
}

unsigned bench_suite_runs(const bench_suite *suite, double estimate_ns)
{
    double wanted = estimate_ns > 0 ? suite->budget_seconds * 1e9 / estimate_ns : suite->max_runs;
    /* The suite's minimum would keep an interpreter on a full-size guest busy for many
     * minutes per guest; runs that long are noisy mostly in the small, and two still show
     * the spread. */
    if (estimate_ns > BENCH_LONG_RUN_NS && wanted < suite->min_runs)
        return suite->min_runs < 2 ? suite->min_runs : 2;
    if (wanted < suite->min_runs)
        return suite->min_runs;
    if (wanted > suite->max_runs)
        return suite->max_runs;
    return (unsigned)wanted;
}
