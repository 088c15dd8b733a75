/* Rebuilding measurements from the samples of one or more runs (see stored_measurements.h). */
#include "stored_measurements.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "results/benchmark_samples.h"
#include "vm/util/stats.h"

enum { MAX_SAMPLES = 512 };

typedef struct collected {
    double clean[MAX_SAMPLES], all[MAX_SAMPLES], cpu[MAX_SAMPLES], misses[MAX_SAMPLES];
    size_t kept, attempts, counted_cpu, counted_misses, shared;
    measurement *out;
} collected;

static int collect(const pvmlab_stored_sample *sample, void *context)
{
    collected *c = context;
    if (c->attempts >= MAX_SAMPLES)
        return 1;
    c->out->checksum = sample->checksum;
    c->out->instructions = sample->instructions; /* 0: not counted */
    c->out->gas = sample->gas;                   /* 0: not metered */
    double ns = (double)sample->wall_ns;
    c->all[c->attempts++] = ns;
    double cpu = measure_thread_cpu_ns(sample->readings, sample->reading_count);
    if (!isnan(cpu))
        c->cpu[c->counted_cpu++] = cpu;
    double misses = measure_branch_misses(sample->readings, sample->reading_count);
    if (!isnan(misses))
        c->misses[c->counted_misses++] = misses;
    bool preempted = measure_was_preempted(sample->readings, sample->reading_count);
    bool shared = measure_was_shared(sample->readings, sample->reading_count);
    c->shared += !preempted && shared;
    if (!preempted && !shared)
        c->clean[c->kept++] = ns;
    return 0;
}

int stored_measurements_load(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, const mb_spec *specs,
                             size_t n, measurement *out, bool *ok, char *err, size_t err_len)
{
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        collected c = {.kept = 0, .attempts = 0, .counted_cpu = 0, .counted_misses = 0, .shared = 0, .out = &out[i]};
        if (pvmlab_db_foreach_benchmark_sample(db, runs, run_count, "calibrate", specs[i].name,
                                               (int64_t)specs[i].units, collect, &c, err, err_len) != 0)
            return -1;
        ok[i] = c.attempts > 0;
        if (!ok[i])
            continue;
        measure_summarise(c.clean, c.kept, c.all, c.attempts, c.cpu, c.counted_cpu, &out[i]); /* as measure.c */
        out[i].shared = (int)c.shared, out[i].preempted -= (int)c.shared;
        /* Unavailable (NaN, stored as NULL) when no sample read the PMU: never 0. */
        out[i].branch_misses = c.counted_misses ? util_median(c.misses, c.counted_misses) : NAN;
    }
    return 0;
}
