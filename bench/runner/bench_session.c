/* The measuring loop of `pvmlab bench` (see bench_session.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_session.h"
#include "checksum.h"
#include "duration_format.h"
#include "guest_catalog.h"
#include "vm/util/progress.h"
#include "vm/util/stats.h"
#include "timing_summary.h"
#include "compile_rounds.h"
#include "vm/util/grow.h"
#include "vm/util/cpu_pin.h"

/* Runs shorter than this are repeated inside one sample (execution mode), as benchtool
 * does for fast engines, so that one sample is well above the clock's resolution. */
static const double INNER_TARGET_NS = 2e6;
enum { INNER_MAX = 1000 };
/* A run longer than this needs no warm-up (cold caches cost far less than its noise), and
 * the probe run counts as the first sample. */
static const double NO_WARMUP_ABOVE_NS = 1e9;

typedef struct sample_set {
    bench_timing *items;
    size_t count, capacity;
} sample_set;

static int sample_set_append(sample_set *set, const bench_timing *items, size_t n)
{
    if (UTIL_GROW(set->items, set->capacity, set->count + n, 16) != 0)
        return -1;
    memcpy(set->items + set->count, items, n * sizeof *items);
    set->count += n;
    return 0;
}

/* One (engine, guest, mode) measurement in progress. */
typedef struct measurement {
    bench_engine *engine;
    const bench_guest *guest;
    bench_mode mode;
    FILE *out;
    int name_width; /* of the engine column: the longest configuration name */
    char error[512];
    bool checksum_wrong;
} measurement;

/* Takes warmups + count samples, keeps the last count in set and checks their checksums. */
static int take_samples(measurement *m, unsigned warmups, unsigned count, unsigned inner, sample_set *set)
{
    bench_timing *taken = calloc(warmups + count, sizeof *taken);
    if (!taken) {
        snprintf(m->error, sizeof m->error, "out of memory");
        return -1;
    }
    int status = m->engine->ops->measure(m->engine, m->guest, m->mode, warmups + count, inner, taken, m->error,
                                         sizeof m->error);
    for (unsigned i = 0; status == 0 && i < warmups + count; i++) {
        const bench_timing *t = &taken[i];
        if (t->checksum_present && !bench_checksum_matches(m->guest->expected_checksum, t->checksum, t->checksum_bits)) {
            snprintf(m->error, sizeof m->error,
                     "CHECKSUM MISMATCH: engine %s, guest %s (size %" PRIu32 ", %s): got %016" PRIx64
                     ", native gives %016" PRIx64 "%s",
                     m->engine->name, m->guest->name, m->guest->size, bench_mode_name(m->mode), t->checksum,
                     m->guest->expected_checksum, t->checksum_bits < 64 ? " (compared in the engine's bits)" : "");
            m->checksum_wrong = true;
            status = -1;
        }
    }
    if (status == 0 && sample_set_append(set, taken + warmups, count) != 0) {
        snprintf(m->error, sizeof m->error, "out of memory");
        status = -1;
    }
    free(taken);
    return status;
}

static int compute_stats(const sample_set *set, bench_stats *stats)
{
    double *values = malloc(set->count * sizeof *values);
    if (!values)
        return -1;
    for (size_t i = 0; i < set->count; i++)
        values[i] = (double)set->items[i].wall_ns;
    int status = bench_stats_compute(values, set->count, stats);
    free(values);
    return status;
}

/* How one (engine, guest, mode) set is taken: decided from its probe run. */
typedef struct set_plan {
    bool single;       /* the probe is the one sample (a slow engine in a short suite) */
    unsigned inner;    /* runs inside one sample (execution mode, short runs) */
    unsigned warmups;  /* before each batch of samples */
    unsigned runs;     /* samples to take in the rounds, the probe not counted */
} set_plan;

/* Probes the set (one cold run, checksum checked) and plans its samples. */
static int plan_set(measurement *m, const bench_session_options *options, sample_set *set, set_plan *plan)
{
    sample_set probe = {0};
    memset(plan, 0, sizeof *plan);
    if (take_samples(m, 0, 1, 1, &probe) != 0) {
        free(probe.items);
        return -1;
    }
    double estimate = (double)probe.items[0].wall_ns;
    double cap = options->suite->single_sample_above_s;
    plan->inner = 1;
    if (!options->fixed_runs && cap > 0 && estimate > cap * 1e9) {
        plan->single = true;
    } else {
        if (m->mode == BENCH_MODE_EXECUTION && estimate < INNER_TARGET_NS)
            plan->inner = estimate > 0 ? (unsigned)fmin(INNER_MAX, ceil(INNER_TARGET_NS / estimate)) : INNER_MAX;
        plan->runs = options->fixed_runs ? options->fixed_runs : bench_suite_runs(options->suite, estimate);
        plan->warmups = options->suite->warmups;
    }
    /* A run longer than NO_WARMUP_ABOVE_NS counts its probe as the first sample. */
    bool keep_probe = plan->single || estimate > NO_WARMUP_ABOVE_NS;
    if (keep_probe && !plan->single) {
        plan->warmups = 0;
        plan->runs--;
    }
    int rc = 0;
    if (keep_probe && sample_set_append(set, probe.items, 1) != 0) {
        snprintf(m->error, sizeof m->error, "out of memory");
        rc = -1;
    }
    free(probe.items);
    return rc;
}

/* The samples of round `round` of BENCH_ROUNDS: the plan's runs spread evenly. */
static unsigned round_share(const set_plan *plan, unsigned round)
{
    return plan->single ? 0 : plan->runs / BENCH_ROUNDS + (round < plan->runs % BENCH_ROUNDS);
}

/* After the rounds: top up to what the budget allows at the measured median (the probe ran
 * cold, so it may have overestimated a run), then rerun once when the spread is too large. */
static int finish_set(measurement *m, const bench_session_options *options, const set_plan *plan, sample_set *set,
                      bench_stats *stats, bool *reran)
{
    *reran = false;
    if (compute_stats(set, stats) != 0) {
        snprintf(m->error, sizeof m->error, "out of memory");
        return -1;
    }
    if (plan->single)
        return 0;
    unsigned wanted = options->fixed_runs ? 0 : bench_suite_runs(options->suite, stats->median);
    if (wanted > set->count) {
        if (take_samples(m, plan->warmups, wanted - (unsigned)set->count, plan->inner, set) != 0 ||
            compute_stats(set, stats) != 0)
            return -1;
    }
    if (bench_stats_needs_rerun(stats)) {
        *reran = true;
        if (take_samples(m, plan->warmups, (unsigned)set->count, plan->inner, set) != 0 ||
            compute_stats(set, stats) != 0)
            return -1;
    }
    return 0;
}

static void print_result(FILE *out, const measurement *m, const bench_stats *stats, bool reran, bool single,
                         double cap_s)
{
    char median[32], mad[32], low[32], high[32];
    bench_format_duration(stats->median, median, sizeof median);
    bench_format_duration(stats->mad, mad, sizeof mad);
    bench_format_duration(stats->min, low, sizeof low);
    bench_format_duration(stats->max, high, sizeof high);
    fprintf(out, "  %-*s %-20s %-11s median %9s  MAD %9s  min %9s  max %9s  n=%zu\n", m->name_width,
            m->engine->name, m->guest->name, bench_mode_name(m->mode), median, mad, low, high, stats->n);
    if (single)
        fprintf(out, "    one sample only: a run takes longer than this suite's %.1f s cap (no spread measured)\n",
                cap_s);
    if (reran)
        fprintf(out, "    rerun: the first samples spread more than %.0f%%; measured as many again%s\n",
                BENCH_RERUN_SPREAD * 100,
                bench_stats_needs_rerun(stats) ? ", still spread: treat this result with care" : "");
    if (stats->outliers)
        fprintf(out, "    warning: %zu statistical outlier%s (modified Z-score > %.1f): other load interfered\n",
                stats->outliers, stats->outliers == 1 ? "" : "s", BENCH_OUTLIER_ZSCORE);
    if (stats->slow_first_run)
        fprintf(out, "    warning: the first sample was much slower than the rest (caches or tiering); "
                     "more warm-ups may help\n");
}

/* Each stage the samples carry (compile stages, instantiation, resets): its median and
 * range over the samples, then where each compile went (compile_rounds.c); nothing when
 * the engine times no stages. */
static void print_stages(FILE *out, const sample_set *set)
{
    if (!set->count || !set->items[0].stage_count)
        return;
    double *values = malloc(set->count * sizeof *values);
    if (!values)
        return;
    fprintf(out, "    stages, median [min, max] of %zu:", set->count);
    for (unsigned k = 0; k < set->items[0].stage_count; k++) {
        size_t n = 0;
        for (size_t i = 0; i < set->count; i++)
            if (k < set->items[i].stage_count)
                values[n++] = (double)set->items[i].stages[k].ns;
        bench_stats stats;
        if (bench_stats_compute(values, n, &stats) != 0)
            continue;
        const char *name = set->items[0].stages[k].name;
        size_t length = strlen(name);
        bool count = length < 3 || strcmp(name + length - 3, "_ns") != 0; /* engine.h: a count */
        char median[32], low[32], high[32];
        if (count) {
            snprintf(median, sizeof median, "%.0f", stats.median);
            snprintf(low, sizeof low, "%.0f", stats.min);
            snprintf(high, sizeof high, "%.0f", stats.max);
        } else {
            bench_format_duration(stats.median, median, sizeof median);
            bench_format_duration(stats.min, low, sizeof low);
            bench_format_duration(stats.max, high, sizeof high);
        }
        fprintf(out, "%s %s %s [%s, %s]", k % 4 ? ";" : "\n     ", set->items[0].stages[k].name, median, low, high);
    }
    fprintf(out, "\n");
    free(values);
    bench_print_compile_rounds(out, set->items, set->count);
}

/* Stores every sample of set in one batch. */
static int store_set(pvmlab_db *db, pvmlab_id run, const measurement *m, const char *suite, const sample_set *set)
{
    pvmlab_id engine_id, benchmark_id;
    if (pvmlab_db_batch_begin(db) != 0)
        return -1;
    if (pvmlab_db_insert_engine(db, m->engine->name, m->engine->version, m->engine->flags, &engine_id) != 0 ||
        pvmlab_db_insert_benchmark(db, suite, m->guest->name, m->guest->size, &benchmark_id) != 0)
        goto fail;
    for (size_t i = 0; i < set->count; i++) {
        const bench_timing *t = &set->items[i];
        pvmlab_counter_reading readings[BENCH_STAGES_MAX];
        memset(readings, 0, sizeof readings);
        for (unsigned k = 0; k < t->stage_count; k++) {
            snprintf(readings[k].name, sizeof readings[k].name, "%s", t->stages[k].name);
            readings[k].source = PVMLAB_SOURCE_CLOCK;
            readings[k].available = true;
            readings[k].value = t->stages[k].ns;
        }
        pvmlab_sample sample = {
            .run = run,
            .engine = engine_id,
            .benchmark = benchmark_id,
            .mode = bench_mode_name(m->mode),
            .repetition = (int64_t)i,
            .wall_ns = t->wall_ns,
            .gas = {t->gas_present, t->gas},
            .checksum = {t->checksum_present, (int64_t)t->checksum},
        };
        if (pvmlab_db_insert_sample(db, &sample, readings, t->stage_count, NULL) != 0)
            goto fail;
    }
    return pvmlab_db_batch_commit(db);
fail:
    pvmlab_db_batch_rollback(db);
    return -1;
}

void bench_session_guest_key(const bench_guest *guest, char *out, size_t out_len)
{
    snprintf(out, out_len, "%s/%" PRIu32, guest->name, guest->size);
}

/* The guests of the suite that are the shard's, in manifest order. *count receives how many. */
static bench_guest *suite_guests(const bench_suite *suite, const work_shard *shard, size_t *count)
{
    size_t total;
    const bench_guest_entry *catalog = bench_guest_catalog(&total);
    bench_guest *guests = calloc(total, sizeof *guests);
    *count = 0;
    for (size_t i = 0; guests && i < total; i++) {
        bool wanted = !suite->guests;
        for (const char *const *name = suite->guests; name && *name && !wanted; name++)
            wanted = strcmp(*name, catalog[i].name) == 0;
        if (!wanted)
            continue;
        bench_guest guest = {
            catalog[i].name,
            suite->full_sizes ? catalog[i].full_size : catalog[i].quick_size,
            suite->full_sizes ? catalog[i].full_checksum : catalog[i].quick_checksum,
        };
        char key[128];
        bench_session_guest_key(&guest, key, sizeof key);
        if (work_shard_owns(shard, key))
            guests[(*count)++] = guest;
    }
    return guests;
}

/* What measure_guest reports into. */
typedef struct session_context {
    pvmlab_db *db;
    pvmlab_id run;
    const bench_session_options *options;
    FILE *out;
    int name_width;
    util_progress *progress;
    bench_session_result *result;
    bool *stored_any; /* per engine */
} session_context;

/* One engine's set of the guest being measured. */
typedef struct engine_set {
    measurement m;
    sample_set samples;
    set_plan plan;
    enum { SET_IDLE, SET_TAKING, SET_FAILED } state;
} engine_set;

static bool stop_requested(const session_context *c)
{
    if (c->options->stop && *c->options->stop)
        c->result->interrupted = true;
    return c->result->interrupted;
}

/* Reports a set that failed; returns the session status after it. */
static int report_failure(const session_context *c, const engine_set *s, int status)
{
    if (stop_requested(c)) /* the engine's process saw the Ctrl-C too */
        return status;
    fprintf(stderr, "pvmlab bench: %s%s\n", s->m.checksum_wrong ? "" : "FAILED: ", s->m.error);
    fprintf(c->out, "  %-*s %-20s %-11s FAILED (see stderr)\n", c->name_width, s->m.engine->name, s->m.guest->name,
            bench_mode_name(s->m.mode));
    if (s->m.checksum_wrong)
        c->result->checksum_failures++;
    else
        c->result->measure_failures++;
    return status < 0 ? status : 1;
}

/* Measures every engine of list on one guest and mode, interleaved: each engine is probed,
 * then BENCH_ROUNDS rounds each take a share of every engine's samples in list order, so
 * that a stretch of load on the shared machine falls on all engines of the guest alike
 * instead of on the one being measured then (ratios are what the suite reports). Top-ups
 * and reruns follow per engine. Results are printed and stored in list order. */
static int measure_guest(const session_context *c, bench_engine_list *list, const bench_guest *guest,
                         bench_mode mode, engine_set *sets, int status)
{
    for (size_t e = 0; e < list->count; e++)
        sets[e] = (engine_set){.m = {&list->engines[e], guest, mode, c->out, c->name_width, "", false}};
    for (size_t e = 0; e < list->count && !stop_requested(c); e++) {
        engine_set *s = &sets[e];
        if (!bench_engine_supports(&list->engines[e], mode))
            continue;
        s->state = SET_TAKING;
        char label[160];
        snprintf(label, sizeof label, "%s %s %s", s->m.engine->name, guest->name, bench_mode_name(mode));
        util_progress_step(c->progress, "", label);
        if (plan_set(&s->m, c->options, &s->samples, &s->plan) != 0)
            s->state = SET_FAILED;
    }
    for (unsigned round = 0; round < BENCH_ROUNDS && !c->result->interrupted; round++)
        for (size_t e = 0; e < list->count && !stop_requested(c); e++) {
            engine_set *s = &sets[e];
            unsigned share = s->state == SET_TAKING ? round_share(&s->plan, round) : 0;
            if (!share)
                continue;
            char label[176];
            snprintf(label, sizeof label, "%s %s %s, round %u/%u", s->m.engine->name, guest->name,
                     bench_mode_name(mode), round + 1, BENCH_ROUNDS);
            util_progress_step(c->progress, "", label);
            if (take_samples(&s->m, s->plan.warmups, share, s->plan.inner, &s->samples) != 0)
                s->state = SET_FAILED;
        }
    for (size_t e = 0; e < list->count && status >= 0; e++) {
        engine_set *s = &sets[e];
        if (s->state == SET_IDLE || (c->result->interrupted && s->state == SET_TAKING))
            continue; /* freed below */
        bench_stats stats;
        bool reran = false;
        if (s->state == SET_TAKING && finish_set(&s->m, c->options, &s->plan, &s->samples, &stats, &reran) != 0)
            s->state = SET_FAILED;
        util_progress_clear(c->progress);
        if (s->state == SET_FAILED) {
            status = report_failure(c, s, status);
        } else if (store_set(c->db, c->run, &s->m, c->options->suite->name, &s->samples) != 0) {
            fprintf(stderr, "pvmlab bench: storing samples: %s\n", pvmlab_db_error(c->db));
            status = -1;
        } else {
            print_result(c->out, &s->m, &stats, reran, s->plan.single, c->options->suite->single_sample_above_s);
            print_stages(c->out, &s->samples);
            c->result->samples_stored += s->samples.count;
            c->stored_any[e] = true;
        }
        fflush(c->out);
        free(s->samples.items);
        s->samples = (sample_set){0};
        util_progress_done(c->progress);
    }
    for (size_t e = 0; e < list->count; e++) /* after a database error: the sets not reached */
        free(sets[e].samples.items), sets[e].samples = (sample_set){0};
    return status;
}

int bench_session_run(pvmlab_db *db, pvmlab_id run, bench_engine_list *list, const bench_session_options *options,
                      bench_session_result *result)
{
    memset(result, 0, sizeof *result);
    FILE *out = options->out ? options->out : stdout;
    util_cpu_mask mask; /* what the modes other than execution run with */
    if (options->pin_execution && !util_cpu_mask_save(&mask)) {
        fprintf(stderr, "pvmlab bench: cannot read the CPU affinity mask: %s\n", strerror(errno));
        return -1;
    }
    unsigned modes = options->modes ? options->modes : options->suite->modes;
    size_t guest_count;
    bench_guest *guests = suite_guests(options->suite, &options->shard, &guest_count);
    if (!guests) {
        fprintf(stderr, "pvmlab bench: out of memory\n");
        return -1;
    }
    if (options->shard.count) {
        fprintf(out, "shard %u/%u: %zu guest%s of this suite:", options->shard.index, options->shard.count,
                guest_count, guest_count == 1 ? "" : "s");
        for (size_t g = 0; g < guest_count; g++)
            fprintf(out, " %s", guests[g].name);
        fputc('\n', out);
    }
    size_t steps = 0;
    for (size_t e = 0; e < list->count; e++)
        for (int mode = 0; mode < BENCH_MODE_COUNT; mode++)
            if ((modes & (1u << mode)) && bench_engine_supports(&list->engines[e], (bench_mode)mode))
                steps += guest_count;
    int name_width = 24;
    for (size_t e = 0; e < list->count; e++)
        if ((int)strlen(list->engines[e].name) > name_width)
            name_width = (int)strlen(list->engines[e].name);
    util_progress progress;
    util_progress_begin(&progress, stderr, steps, NULL);
    int status = 0;
    /* Guests outer, engines inner: a drift in the machine's load then shifts the engines of
     * one guest together instead of skewing whole engines against each other. */
    bool *stored_any = calloc(list->count ? list->count : 1, sizeof *stored_any);
    if (!stored_any) {
        free(guests);
        fprintf(stderr, "pvmlab bench: out of memory\n");
        return -1;
    }
    engine_set *sets = calloc(list->count ? list->count : 1, sizeof *sets); /* one per engine, reused per guest */
    if (!sets) {
        free(stored_any);
        free(guests);
        fprintf(stderr, "pvmlab bench: out of memory\n");
        return -1;
    }
    const session_context context = {db, run, options, out, name_width, &progress, result, stored_any};
    for (int mode = 0; mode < BENCH_MODE_COUNT && status >= 0 && !result->interrupted; mode++) {
        if (!(modes & (1u << mode)))
            continue;
        if (options->pin_execution) {
            char why[200];
            bool pinned = mode == BENCH_MODE_EXECUTION ? util_cpu_pin(options->execution_cpu, why, sizeof why) >= 0
                                                       : util_cpu_mask_restore(&mask);
            if (!pinned) {
                fprintf(stderr, "pvmlab bench: cannot %s: %s\n",
                        mode == BENCH_MODE_EXECUTION ? "pin the execution samples" : "unpin after execution",
                        mode == BENCH_MODE_EXECUTION ? why : strerror(errno));
                status = -1;
                break;
            }
        }
        for (size_t g = 0; g < guest_count && status >= 0 && !result->interrupted; g++) {
            status = measure_guest(&context, list, &guests[g], (bench_mode)mode, sets, status);
        }
    }
    if (options->pin_execution)
        util_cpu_mask_restore(&mask);
    free(sets);
    for (size_t e = 0; e < list->count; e++)
        result->engines_measured += stored_any[e];
    free(stored_any);
    util_progress_clear(&progress);
    free(guests);
    return status;
}
