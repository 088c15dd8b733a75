/* Rebuilding measurements from the samples of one or more runs (see stored_measurements.h). */
#include "stored_measurements.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "results/benchmark_samples.h"
#include "vm/util/stats.h"

enum { MAX_SAMPLES = 512 };

typedef struct collected {
    double misses[MAX_SAMPLES];
    size_t counted_misses;
    core_sharing *probes; /* every sample's probe: their floor judges them all */
    measurement *out;
} collected;

static int collect(const pvmlab_stored_sample *sample, void *context)
{
    collected *c = context;
    measurement *m = c->out;
    if (m->reps >= MEASURE_REPETITIONS_MAX)
        return 1;
    m->checksum = sample->checksum;
    m->instructions = sample->instructions; /* 0: not counted */
    m->gas = sample->gas;                   /* 0: not metered */
    measure_repetition *r = &m->rep[m->reps++];
    r->ns = (double)sample->wall_ns;
    r->cpu_ns = measure_thread_cpu_ns(sample->readings, sample->reading_count);
    r->preempted = measure_was_preempted(sample->readings, sample->reading_count);
    r->probe = measure_sharing_probe(sample->readings, sample->reading_count);
    core_sharing_observe(c->probes, r->probe);
    double misses = measure_branch_misses(sample->readings, sample->reading_count);
    if (!isnan(misses) && c->counted_misses < MAX_SAMPLES)
        c->misses[c->counted_misses++] = misses;
    return 0;
}

int stored_measurements_load(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, const mb_spec *specs,
                             size_t n, measurement *out, bool *ok, double *probe_floor, char *err, size_t err_len)
{
    static core_sharing probes; /* 4 KiB of bins: not on the stack */
    memset(&probes, 0, sizeof probes);
    probes.floor = NAN;
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        collected c = {.counted_misses = 0, .probes = &probes, .out = &out[i]};
        if (pvmlab_db_foreach_benchmark_sample(db, runs, run_count, "calibrate", specs[i].name,
                                               (int64_t)specs[i].units, collect, &c, err, err_len) != 0)
            return -1;
        ok[i] = out[i].reps > 0;
        /* Unavailable (NaN, stored as NULL) when no sample read the PMU: never 0. */
        out[i].branch_misses = c.counted_misses ? util_median(c.misses, c.counted_misses) : NAN;
    }
    for (size_t i = 0; i < n; i++) /* as measure.c, against the floor of all the runs' probes */
        if (ok[i])
            measure_judge(&out[i], probes.floor);
    *probe_floor = probes.floor;
    return 0;
}

int stored_measurements_match(const mb_spec *specs, const measurement *m, const bool *ok,
                              const mb_block_profile *profiles, size_t n, char *err, size_t err_len)
{
    for (size_t i = 0; i < n; i++) {
        if (!ok[i] || !profiles[i].blob || specs[i].family == MB_POINTER_CHASE) continue;
        if (m[i].checksum != profiles[i].a0) {
            snprintf(err, err_len,
                     "%s: the stored samples ran another program of that name (checksum %#llx, this build's %#llx): "
                     "fit them with the pvmlab that measured them, or calibrate anew",
                     specs[i].name, (unsigned long long)m[i].checksum, (unsigned long long)profiles[i].a0);
            return -1;
        }
    }
    return 0;
}
