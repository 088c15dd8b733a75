/* Timing a microbenchmark: warm-up with a checksum check, then repetitions until the
 * median is stable; every repetition is stored as a sample with all counter readings
 * (unavailable ones as NULL with their reason). */
#include "measure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_replay.h"
#include "costmodel/fit/fit.h"
#include "vm/util/stats.h"

enum { MAX_READINGS = 32, MAX_REPETITIONS = 128 }; /* 4 x the cap: within MEASURE_REPETITIONS_MAX */

static int prepare(pvm_instance *in, const mb_spec *s, const mb_program *p, bool reset, uint64_t previous_a0,
                   bool metered, char *err, size_t err_len)
{
    pvm_error perr = {{0}};
    uint64_t args[2];
    size_t nargs = mb_call_args(s, previous_a0, args);
    if (reset && (pvm_instance_reset(in, &perr) != PVM_OK ||
                  (p->image && pvm_instance_write(in, p->image_addr, p->image, p->image_len, &perr) != PVM_OK))) {
        snprintf(err, err_len, "reset: %s", perr.msg);
        return -1;
    }
    if (pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr) != PVM_OK) {
        snprintf(err, err_len, "prepare_call: %s", perr.msg);
        return -1;
    }
    if (metered) pvm_instance_set_gas(in, MEASURE_GAS_BUDGET);
    return 0;
}

/* One call, checked: halt, and (when expect) the expected checksum if the generator knows it. */
static int checked_call(pvm_instance *in, const mb_program *p, bool expect, uint64_t *checksum, char *err,
                        size_t err_len)
{
    pvm_result res;
    if (run_to_exit(in, &res, err, err_len) != 0) return -1;
    if (res.kind != PVM_EXIT_HALT) {
        snprintf(err, err_len, "exited with %s at pc %u, not halt", pvm_exit_name(res.kind), res.pc);
        return -1;
    }
    *checksum = pvm_instance_reg(in, 7);
    if (expect && p->has_expected && *checksum != p->expected) {
        snprintf(err, err_len, "checksum %#llx, expected %#llx", (unsigned long long)*checksum,
                 (unsigned long long)p->expected);
        return -1;
    }
    return 0;
}

static bool find_reading(const pvmlab_counter_reading *r, size_t n, const char *name, int64_t *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].name, name) == 0 && r[i].available) {
            *value = r[i].value;
            return true;
        }
    return false;
}

static int store_sample(const measure_config *c, const mb_spec *s, pvmlab_id benchmark, int repetition, double ns,
                        bool counted, uint64_t instructions, int64_t gas, uint64_t checksum,
                        const pvmlab_counter_reading *r, size_t nr, char *err, size_t err_len)
{
    if (!c->db) return 0;
    pvmlab_sample sample = {.run = c->run, .engine = c->engine, .benchmark = benchmark, .mode = c->mode,
                            .repetition = repetition, .wall_ns = llround(ns),
                            .gas = {c->metered, gas},
                            .instructions = {counted, (int64_t)instructions},
                            .checksum = {true, (int64_t)checksum}};
    if (pvmlab_db_insert_sample(c->db, &sample, r, nr, NULL) != 0) {
        snprintf(err, err_len, "%s: storing sample: %s", s->name, pvmlab_db_error(c->db));
        return -1;
    }
    return 0;
}

bool measure_was_preempted(const pvmlab_counter_reading *r, size_t nr)
{
    int64_t wall, cpu;
    if (!find_reading(r, nr, "wall_ns", &wall) || !find_reading(r, nr, "thread_cpu_ns", &cpu)) return false;
    return measure_is_descheduled((double)wall, (double)cpu);
}

size_t measure_sharing_reading(double ratio, pvmlab_counter_reading *out)
{
    *out = (pvmlab_counter_reading){.source = PVMLAB_SOURCE_SOFTWARE};
    snprintf(out->name, sizeof out->name, "%s", CORE_SHARING_READING);
    if (isfinite(ratio) && ratio > 0) {
        out->available = true;
        out->value = llround(ratio * 1e6);
    } else {
        snprintf(out->unavailable_reason, sizeof out->unavailable_reason, "no core-sharing probe on this architecture");
    }
    return 1;
}

double measure_sharing_probe(const pvmlab_counter_reading *r, size_t nr)
{
    int64_t ppm;
    return find_reading(r, nr, CORE_SHARING_READING, &ppm) && ppm > 0 ? (double)ppm / 1e6 : NAN;
}

void measure_judge(measurement *m, double floor)
{
    double clean[MEASURE_REPETITIONS_MAX], all[MEASURE_REPETITIONS_MAX], cpu[MEASURE_REPETITIONS_MAX];
    size_t kept = 0, counted_cpu = 0, shared = 0;
    for (int i = 0; i < m->reps; i++) {
        const measure_repetition *r = &m->rep[i];
        all[i] = r->ns;
        if (!isnan(r->cpu_ns)) cpu[counted_cpu++] = r->cpu_ns;
        bool on_shared = core_sharing_is_shared(r->probe / floor);
        shared += !r->preempted && on_shared;
        if (!r->preempted && !on_shared) clean[kept++] = r->ns;
    }
    measure_summarise(clean, kept, all, (size_t)m->reps, cpu, counted_cpu, m);
    m->shared = (int)shared;
    m->preempted -= (int)shared;
}

bool measure_is_descheduled(double wall_ns, double cpu_ns) { return wall_ns > 1.05 * cpu_ns + 20000.0; }

double measure_thread_cpu_ns(const pvmlab_counter_reading *r, size_t nr)
{
    int64_t cpu;
    return find_reading(r, nr, "thread_cpu_ns", &cpu) ? (double)cpu : NAN;
}

double measure_branch_misses(const pvmlab_counter_reading *r, size_t nr)
{
    int64_t misses;
    return find_reading(r, nr, "branch_misses", &misses) ? (double)misses : NAN;
}

void measure_summarise(const double *clean, size_t kept, const double *all, size_t attempts, const double *cpu,
                       size_t counted_cpu, measurement *out)
{
    out->cpu_time = !kept && attempts && counted_cpu == attempts;
    const double *used = kept ? clean : out->cpu_time ? cpu : all;
    out->n = (int)(kept ? kept : attempts);
    out->preempted = (int)(attempts - kept);
    out->disturbed = !kept && attempts;
    out->median_ns = out->n ? util_median(used, (size_t)out->n) : 0;
    out->mad_ns = out->n ? util_mad(used, (size_t)out->n) : 0;
}

/* One timed call: its time in ns (and its thread CPU time, NaN unknown) and whether it was preempted. */
static int timed_call(pvm_instance *in, const mb_spec *s, const mb_program *p, const measure_config *c,
                      pvmlab_id benchmark, int repetition, double *ns, double *cpu_ns, bool *preempted,
                      double *probe, double *branch_misses, measurement *out, char *err, size_t err_len)
{
    pvmlab_counter_reading readings[MAX_READINGS];
    uint64_t previous_a0 = out->checksum;
    /* Repeating a call is deterministic, except that a chase continues where it stopped. */
    if (prepare(in, s, p, s->cold, previous_a0, c->metered, err, err_len) != 0) return -1;
    pvm_stats before = pvm_instance_stats(in);
    uint64_t checksum;
    double shared_before = core_sharing_check(c->sharing);
    pvmlab_counters_start(c->counters);
    int rc = checked_call(in, p, s->family != MB_POINTER_CHASE, &checksum, err, err_len);
    pvmlab_counters_stop(c->counters);
    if (rc != 0) return -1;
    double shared_after = core_sharing_check(c->sharing);
    int64_t gas = c->metered ? MEASURE_GAS_BUDGET - pvm_instance_gas(in) : 0;
    pvm_stats after = pvm_instance_stats(in);
    /* The recompiler does not count: leave the simulated counters unavailable (NULL), never 0. */
    uint64_t instructions = after.instructions - before.instructions;
    if (after.counted) pvmlab_counters_report_simulated(c->counters, instructions, after.blocks - before.blocks);
    if (out->replay && cache_replay_call(out->replay, s, s->cold, previous_a0, err, err_len) != 0) return -1;
    size_t nr = pvmlab_counters_read(c->counters, readings, MAX_READINGS);
    if (nr > MAX_READINGS - 1) nr = MAX_READINGS - 1;
    *probe = fmax(shared_before, shared_after);
    if (c->sharing) nr += measure_sharing_reading(*probe, &readings[nr]);
    int64_t value;
    if (c->time.use_tsc && find_reading(readings, nr, "tsc_cycles", &value))
        *ns = (double)value * 1e9 / c->time.tsc_hz;
    else if (find_reading(readings, nr, "wall_ns", &value))
        *ns = (double)value;
    else {
        snprintf(err, err_len, "neither tsc_cycles nor wall_ns could be read");
        return -1;
    }
    *preempted = measure_was_preempted(readings, nr);
    *cpu_ns = measure_thread_cpu_ns(readings, nr);
    *branch_misses = measure_branch_misses(readings, nr);
    out->checksum = checksum;
    out->instructions = instructions;
    out->gas = gas;
    return store_sample(c, s, benchmark, repetition, *ns, after.counted, instructions, gas, checksum, readings, nr, err,
                        err_len);
}

/* Repeats until the median of the undisturbed repetitions is stable (MAD/median below the
 * target), their count reaches the cap, or the time budget is spent. Preempted
 * repetitions are stored but not used, unless no undisturbed one was obtained. */
static int time_repetitions(pvm_instance *in, const mb_spec *s, const mb_program *p, const measure_config *c,
                            pvmlab_id benchmark, measurement *out, char *err, size_t err_len)
{
    enum { CAP = MAX_REPETITIONS };
    double clean[CAP], misses[CAP];
    int max = c->max_repetitions < CAP / 4 ? c->max_repetitions : CAP / 4;
    int kept = 0, counted_misses = 0, shared_only = 0;
    double total_ns = 0;
    out->reps = 0;
    while (kept < max && out->reps < 4 * max) {
        measure_repetition *r = &out->rep[out->reps];
        double branch_misses;
        if (timed_call(in, s, p, c, benchmark, c->first_repetition + out->reps, &r->ns, &r->cpu_ns, &r->preempted,
                       &r->probe, &branch_misses, out, err, err_len) != 0)
            return -1;
        if (!isnan(branch_misses)) misses[counted_misses++] = branch_misses;
        out->reps++;
        total_ns += r->ns;
        /* The stopping rule judges against the floor so far; measure_judge decides at the end. */
        bool shared = core_sharing_is_shared(r->probe / (c->sharing ? c->sharing->floor : NAN));
        shared_only += !r->preempted && shared;
        if (!r->preempted && !shared)
            clean[kept++] = r->ns;
        /* A busy sibling lasts seconds: calibrate times such a program again at the end
         * rather than spending the budget here. */
        if (kept == 0 && shared_only == out->reps && out->reps >= c->min_repetitions) break;
        if (out->reps >= c->min_repetitions && c->budget_ns > 0 && total_ns > c->budget_ns) break;
        if (kept >= c->min_repetitions &&
            util_mad(clean, (size_t)kept) <= c->target_relative_mad * util_median(clean, (size_t)kept))
            break;
    }
    measure_judge(out, c->sharing ? c->sharing->floor : NAN);
    out->branch_misses = counted_misses ? util_median(misses, (size_t)counted_misses) : NAN;
    return 0;
}

int measure_program(pvm_engine *e, const mb_spec *s, const mb_program *p, const measure_config *c,
                    measurement *out, char *err, size_t err_len)
{
    char why[256] = "";
    memset(out, 0, sizeof *out);
    pvmlab_id benchmark = 0;
    if (c->db && pvmlab_db_insert_benchmark(c->db, "calibrate", s->name, (int64_t)s->units, &benchmark) != 0) {
        snprintf(err, err_len, "%s: %s", s->name, pvmlab_db_error(c->db));
        return -1;
    }
    pvm_module *m;
    pvm_instance *in;
    if (instantiate_program(e, p, &m, &in, why, sizeof why) != 0) {
        snprintf(err, err_len, "%s: %s", s->name, why);
        return -1;
    }
    uint64_t checksum = 0;
    out->replay = cache_replay_begin(c->replay_engine, c->counters, p, why, sizeof why);
    int rc = c->replay_engine && !out->replay && why[0] ? -1 : 0;
    if (rc == 0) rc = prepare(in, s, p, false, 0, c->metered, why, sizeof why);
    if (rc == 0) rc = checked_call(in, p, true, &checksum, why, sizeof why); /* warm-up */
    if (rc == 0 && out->replay) rc = cache_replay_call(out->replay, s, false, 0, why, sizeof why);
    out->checksum = checksum;
    if (rc != 0) snprintf(err, err_len, "%s: %s", s->name, why);
    if (rc == 0) {
        bool batch = c->db && pvmlab_db_batch_begin(c->db) == 0;
        rc = time_repetitions(in, s, p, c, benchmark, out, why, sizeof why);
        if (rc != 0) snprintf(err, err_len, "%s: %s", s->name, why);
        if (batch && (rc == 0 ? pvmlab_db_batch_commit(c->db) : pvmlab_db_batch_rollback(c->db)) != 0 && rc == 0) {
            snprintf(err, err_len, "%s: %s", s->name, pvmlab_db_error(c->db));
            rc = -1;
        }
    }
    cache_replay_end(out->replay);
    out->replay = NULL;
    pvm_instance_free(in);
    pvm_module_release(m);
    return rc;
}
