/* pvmlab calibrate: generate the microbenchmarks, time them, fit, store.
 *
 *   pvmlab calibrate [--quick|--smoke] [--backend interp|jit] [--counters auto|pmu|tsc|sim]
 *                    [--model M|none] [--ps-per-gas N] [--db PATH]
 * The programs run metered (sync gas) under the model the tables are for: the block entry and
 * gas check are in every sample, and the joint fit prices them as an explicit per-block term.
 * --smoke is a tiny suite for tests (seconds; numbers are not meaningful). Ends with the
 * line "calibration ID". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "costmodel/counters/cache_geometry.h"
#include "calibration_fit.h"
#include "calibration_store.h"
#include "cmd_calibrate.h"
#include "counter_choice.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "measure.h"
#include "memory_levels.h"
#include "vm/util/progress.h"
#include "vm/util/clock.h"
#include "stored_measurements.h"
#include "vm/util/work_shard.h"
#include "vm/util/cli_options.h"

static const char USAGE[] =
    "usage: pvmlab calibrate [--quick|--smoke] [--backend interp|jit] [--counters auto|pmu|tsc|sim] [--db PATH]\n"
    "                        [--model M|none] [--ps-per-gas N] [--shard K/N | --fit-runs ID,ID,...]\n"
    "  (default)   full suite: chains of 8/16/32/64, chase 4 KiB..64 MiB, up to 31 repetitions (< 15 min)\n"
    "  --quick     every opcode, short loops, chase up to 16 MiB, few repetitions (< 1 min)\n"
    "  --smoke     tiny loops for tests (seconds; the numbers mean nothing)\n"
    "  --backend   interp (default) or jit (the recompiler, when built)\n"
    "  --counters  auto: every backend, time from the TSC (else clock_gettime); pmu: require the\n"
    "              hardware PMU; tsc: TSC + clocks only; sim: simulated counts + clock_gettime\n"
    "  --model     the metering model the programs run under (sync gas): default pipeline-l2hit on the\n"
    "              recompiler, unit on the interpreter; none = unmetered (not what the tables price)\n"
    "  --ps-per-gas  declare the gas unit (default: median ps per gas of the mixed programs)\n"
    "  --db        results database (default " PVMLAB_DB_DEFAULT_PATH ")\n"
    "  --shard     measure only shard K of N of the microbenchmarks (a stable hash of each one's name)\n"
    "              and store their samples; no fit (it needs them all)\n"
    "  --fit-runs  fit the samples of these runs together (the shards, merged with pvmlab db merge;\n"
    "              same suite flag) instead of measuring; fails when a microbenchmark has no samples\n"
    "Ends with the line 'calibration ID'; pvmlab tables --calibration ID turns it into cost tables.\n";

typedef struct calibrate_options {
    const char *suite; /* "full", "quick" or "smoke" */
    const char *backend, *counters, *db_path, *model, *ps_per_gas;
    double declared_ps;
    work_shard shard;
    pvmlab_id fit_runs[64];
    size_t fit_run_count;
} calibrate_options;

/* "ID,ID,...": the runs whose samples --fit-runs fits. */
static bool parse_runs(const char *text, calibrate_options *o)
{
    return cli_parse_id_list(text, o->fit_runs, sizeof o->fit_runs / sizeof o->fit_runs[0], &o->fit_run_count);
}

static int parse_options(int argc, char **argv, calibrate_options *o)
{
    *o = (calibrate_options){.suite = "full", .backend = "interp", .counters = "auto", .db_path = PVMLAB_DB_DEFAULT_PATH};
    bool quick = false, smoke = false;
    const char *shard = NULL, *fit_runs = NULL;
    const cli_option options[] = {
        CLI_VALUE("backend", &o->backend), CLI_VALUE("counters", &o->counters), CLI_VALUE("db", &o->db_path),
        CLI_VALUE("shard", &shard),        CLI_VALUE("fit-runs", &fit_runs),    CLI_FLAG("quick", &quick),
        CLI_FLAG("smoke", &smoke),         CLI_VALUE("model", &o->model),       CLI_VALUE("ps-per-gas", &o->ps_per_gas),
    };
    int parsed = cli_parse("calibrate", argc, argv, options, sizeof options / sizeof options[0], USAGE, NULL);
    if (parsed != CLI_PARSED)
        return parsed;
    if (quick && smoke)
        return cli_usage_error("calibrate", "--quick and --smoke exclude each other");
    o->suite = quick ? "quick" : smoke ? "smoke" : "full";
    unsigned mask;
    if (strcmp(o->backend, "interp") != 0 && strcmp(o->backend, "jit") != 0)
        return cli_usage_error("calibrate", "--backend must be interp or jit, not '%s'", o->backend);
    if (!o->model) o->model = strcmp(o->backend, "jit") == 0 ? "pipeline-l2hit" : "unit";
    if (o->ps_per_gas) {
        char *end;
        o->declared_ps = strtod(o->ps_per_gas, &end);
        if (*end || !(o->declared_ps > 0) || !isfinite(o->declared_ps))
            return cli_usage_error("calibrate", "--ps-per-gas needs a positive number, not '%s'", o->ps_per_gas);
    }
    if (counter_choice_mask(o->counters, &mask) != 0)
        return cli_usage_error("calibrate", "--counters must be auto, pmu, tsc or sim, not '%s'", o->counters);
    if (shard && !work_shard_parse(shard, &o->shard))
        return cli_usage_error("calibrate", "--shard wants K/N with 1 <= K <= N, not '%s'", shard);
    if (fit_runs && !parse_runs(fit_runs, o))
        return cli_usage_error("calibrate", "--fit-runs wants run ids ID,ID,..., not '%s'", fit_runs);
    if (shard && fit_runs)
        return cli_usage_error("calibrate", "--shard measures and --fit-runs fits: give one of them");
    return 0;
}

static void suite_config(const char *suite, mb_suite_config *c, measure_config *m)
{
    if (strcmp(suite, "smoke") == 0) {
        mb_suite_config_smoke(c);
        m->min_repetitions = 2, m->max_repetitions = 3, m->budget_ns = 0.05e9;
    } else if (strcmp(suite, "quick") == 0) {
        mb_suite_config_quick(c);
        m->min_repetitions = 5, m->max_repetitions = 15, m->budget_ns = 0.5e9;
    } else {
        mb_suite_config_full(c);
        m->min_repetitions = 5, m->max_repetitions = 31, m->budget_ns = 3e9;
    }
    m->target_relative_mad = 0.02;
}

static const char *stage_of(const mb_spec *s)
{
    static const char *const names[] = {"opcodes", "chase", "stride", "branch", "indirect", "touch", "mixed"};
    return names[s->family];
}

/* Whether a program's profile is needed: the joint fit's chains and mixed programs, and the
 * pipeline fit's training families (calibration_fit_pipeline picks among them). */
static bool needs_profile(const mb_spec *s)
{
    switch (s->family) {
    case MB_OP_CHAIN: case MB_MIXED: case MB_STRIDE: case MB_BRANCH: case MB_INDIRECT: return true;
    case MB_POINTER_CHASE: return !s->huge_pages;
    default: return false;
    }
}

/* What ran in one call of every program that has a time and a profile: one profiled
 * interpreter call each (the VM is deterministic, so this holds for every backend and for
 * times loaded by --fit-runs): the block profile for the pipeline fit, and the mix of the
 * chains and mixed programs for the joint fit. A program whose profile cannot be had is left
 * out of both fits (its mix stays zero, its profile empty). */
static void compute_profiles(const mb_spec *specs, size_t n, const bool *ok, mb_block_profile *profile,
                             mb_dynamic_mix *mix)
{
    for (size_t i = 0; i < n; i++) {
        memset(&mix[i], 0, sizeof mix[i]);
        memset(&profile[i], 0, sizeof profile[i]);
        if (!ok[i] || !needs_profile(&specs[i])) continue;
        mb_program p;
        char why[256];
        uint64_t args[2];
        size_t nargs = mb_call_args(&specs[i], 0, args);
        if (mb_build(&specs[i], &p, why, sizeof why) != 0 ||
            mb_block_profile_measure(p.blob, p.blob_len, p.image, p.image_len, p.image_addr, "main", args, nargs,
                                     &profile[i], why, sizeof why) != 0) {
            fprintf(stderr, "pvmlab calibrate: %s: no block profile (%s); left out of the joint and pipeline fits\n",
                    specs[i].name, why);
        } else if (specs[i].family == MB_OP_CHAIN || specs[i].family == MB_MIXED) {
            mb_dynamic_mix_of_profile(&profile[i], &mix[i]);
        }
        mb_program_free(&p);
    }
}

/* Runs every spec; ok[i] says which succeeded. Returns the number of failures. */
static size_t run_suite(pvm_engine *e, const mb_spec *specs, size_t n, const measure_config *mc, measurement *m,
                        bool *ok, const char *backend, const work_shard *shard)
{
    util_progress bar;
    util_progress_begin(&bar, stderr, n, "calibrate");
    size_t failures = 0;
    char err[512];
    for (size_t i = 0; i < n; i++) {
        util_progress_step(&bar, stage_of(&specs[i]), specs[i].name);
        if (!work_shard_owns(shard, specs[i].name)) {
            ok[i] = false; /* another shard's */
            util_progress_done(&bar);
            continue;
        }
        mb_program p;
        ok[i] = mb_build(&specs[i], &p, err, sizeof err) == 0 &&
                measure_program(e, &specs[i], &p, mc, &m[i], err, sizeof err) == 0;
        mb_program_free(&p);
        if (!ok[i]) {
            failures++;
            util_progress_note(&bar, "pvmlab calibrate: FAILED on %s: %s", backend, err);
        }
        util_progress_done(&bar);
    }
    util_progress_end(&bar);
    /* A program none of whose repetitions ran undisturbed (the core shared, or descheduled,
     * for all of them: a neighbour's busy spell lasts seconds, and a calibration of mixed
     * programs all on a shared core declared a unit 23 % high) is timed again at the end, in
     * up to RETRY_ROUNDS rounds, each retry once the probe reads the core alone: calibrate
     * waits for that, 10 x one program's time budget in all (5 s quick, 30 s full), then
     * keeps what it has. The retry's median replaces the first one's when it has undisturbed
     * repetitions. */
    enum { RETRY_ROUNDS = 3 };
    for (size_t i = 0; i < n && mc->sharing; i++) /* against the final floor: see measure_judge */
        if (ok[i]) measure_judge(&m[i], mc->sharing->floor);
    double wait_left_ns = 10 * mc->budget_ns;
    measure_config retry = *mc;
    for (int round = 1; round <= RETRY_ROUNDS && wait_left_ns > 0; round++) {
        retry.first_repetition = mc->first_repetition + round * 4 * mc->max_repetitions;
        for (size_t i = 0; i < n && wait_left_ns > 0; i++) {
            if (!ok[i] || !m[i].disturbed || !work_shard_owns(shard, specs[i].name)) continue;
            while (mc->sharing && wait_left_ns > 0 &&
                   core_sharing_is_shared(core_sharing_check(mc->sharing) / mc->sharing->floor)) {
                nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL); /* still shared: wait 1 ms */
                wait_left_ns -= 1e6;
            }
            if (wait_left_ns <= 0) break;
            mb_program p;
            measurement again;
            if (mb_build(&specs[i], &p, err, sizeof err) == 0 &&
                measure_program(e, &specs[i], &p, &retry, &again, err, sizeof err) == 0 && !again.disturbed) {
                again.preempted += m[i].preempted, again.shared += m[i].shared; /* every left-out repetition */
                m[i] = again;
            }
            mb_program_free(&p);
        }
    }
    return failures;
}

static void print_value(const cal_result *r, const char *key, const char *label, double tsc_hz)
{
    const cal_value *v = cal_result_find(r, key);
    if (!v) {
        printf("  %-26s not measured\n", label);
        return;
    }
    if (isnan(v->ps)) {
        printf("  %-26s unknown (stored as NULL: the counter it needs is unavailable)\n", label);
        return;
    }
    if (tsc_hz > 0)
        printf("  %-26s %10.0f ps  %7.1f ref cycles\n", label, v->ps, v->ps * tsc_hz / 1e12);
    else
        printf("  %-26s %10.0f ps\n", label, v->ps);
}

/* The series whose points stray furthest from their line, relative to the point. */
static void print_worst_residual(const cal_result *r)
{
    json_object *series, *points, *v;
    double worst = 0, r2_min = 1;
    const char *where = NULL;
    size_t count = 0, outliers = 0;
    if (!json_object_object_get_ex(r->fit, "series", &series)) return;
    for (size_t i = 0; i < json_object_array_length(series); i++) {
        json_object *s = json_object_array_get_idx(series, i);
        if (!json_object_object_get_ex(s, "points", &points)) continue;
        count++;
        json_object *left_out = NULL;
        if (json_object_object_get_ex(s, "outlier_units", &left_out)) outliers++;
        if (json_object_object_get_ex(s, "r2", &v) && json_object_get_double(v) < r2_min)
            r2_min = json_object_get_double(v);
        for (size_t k = 0; k < json_object_array_length(points); k++) {
            json_object *p = json_object_array_get_idx(points, k), *res, *y;
            if (!json_object_object_get_ex(p, "residual_ns", &res) || !json_object_object_get_ex(p, "ns_per_trip", &y))
                continue;
            json_object *units;
            if (left_out && json_object_object_get_ex(p, "units", &units) &&
                json_object_get_double(units) == json_object_get_double(left_out))
                continue;
            double rel = fabs(json_object_get_double(res)) / fmax(json_object_get_double(y), 1e-9);
            if (rel > worst) {
                worst = rel;
                json_object_object_get_ex(s, "key", &v);
                where = json_object_get_string(v);
            }
        }
    }
    if (where)
        printf("  fit: %zu series (%zu with one disturbed point left out), lowest r2 %.3f, largest residual "
               "%.1f%% of a point (%s)\n", count, outliers, r2_min, 100 * worst, where);
}

/* Every fit of a calibration into result: the series, the joint fit (over the profiled
 * mixes), the memory levels and, for a recompiler calibration, the pipeline fit, whose time
 * goes into *pipeline_seconds (0 when it did not run). Returns 0, -1 out of memory (result
 * freed once the series fit made it), or -2 with err: the samples of --fit-runs were
 * measured on other programs than this build's (nothing fitted). */
static int fit_calibration(const calibrate_options *o, const mb_spec *specs, const measurement *m, const bool *ok,
                           size_t n, mb_block_profile *profiles, mb_dynamic_mix *mix, const cache_geometry *geometry,
                           cal_result *result, double *pipeline_seconds, char *err, size_t err_len)
{
    *pipeline_seconds = 0;
    compute_profiles(specs, n, ok, profiles, mix);
    if (o->fit_run_count && stored_measurements_match(specs, m, ok, profiles, n, err, err_len) != 0) return -2;
    if (calibration_fit(specs, m, ok, n, result) != 0) return -1;
    int rc = calibration_fit_joint(specs, m, ok, mix, n, o->declared_ps, result) != 0 ||
                     memory_levels_fit(result, geometry) != 0
                 ? -1
                 : 0;
    if (rc == 0 && strcmp(o->backend, "jit") == 0) {
        double started = util_now_ns() * 1e-9;
        uint64_t l2_bytes = geometry->levels >= 2 ? geometry->level[1].size : 1u << 20;
        rc = calibration_fit_pipeline(specs, m, ok, profiles, n, l2_bytes, result);
        *pipeline_seconds = util_now_ns() * 1e-9 - started;
    }
    /* The converted tables' own units: the L2-hit table's (recompiler only) and the per-op table's. */
    if (rc == 0) rc = calibration_converted_unit(specs, m, ok, profiles, n, strcmp(o->backend, "jit") == 0, result);
    if (rc != 0) cal_result_free(result);
    return rc;
}

/* The pipeline fit's parameters (model cycles) and its objective. */
static void print_pipeline_fit(const cal_result *r)
{
    static const char *const keys[] = {"latency.l2", "latency.store", "branch.miss", "slack"};
    const cal_value *objective = cal_result_find(r, "pipeline.l2hit.objective");
    if (!objective) return;
    printf("  pipeline fit (L2-hit model, %lld training programs, cycles):", (long long)objective->n);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char key[64];
        snprintf(key, sizeof key, "pipeline.l2hit.%s", keys[k]);
        const cal_value *v = cal_result_find(r, key);
        if (v) printf(" %s %.0f +- %.1f%s", keys[k], v->ps, v->se_ps, k + 1 < sizeof keys / sizeof keys[0] ? "," : "");
    }
    printf("; ln(p95/p5) of ps per gas %.3f\n", objective->ps);
}

static void print_summary(const cal_result *r, double tsc_hz)
{
    static const char *const keys[][2] = {
        {"loop.overhead", "loop overhead / trip"}, {"op.add_64.lat", "add_64 (latency)"},
        {"op.add_64.tput", "add_64 (throughput)"}, {"op.mul_64.lat", "mul_64 (latency)"},
        {"op.div_u_64.lat", "div_u_64 (divisor 1)"},  {"op.div_u_64.lat.div0", "div_u_64 (divisor 0)"},
        {"op.load_ind_u64.lat", "load_ind_u64 (L1 chain)"}, {"op.store_ind_u64.lat", "store_ind_u64"},
        {"op.branch_eq.lat", "branch_eq (predicted)"}, {"branch.mispredict", "branch mispredict"},
        {"op.jump_ind.lat", "jump_ind"}, {"indirect.mispredict", "indirect mispredict"},
        {"op.ecalli.lat", "ecalli round trip"}, {"touch.zero_read", "lazy page zero load"},
        {"touch.zero_write", "lazy page zero store"}, {"touch.zero_read_write", "lazy page zero load+store"},
        {"touch.data_read", "lazy page data load"}, {"touch.data_write", "lazy page data store"},
        {"touch.data_read_write", "lazy page data load+store"}, {"touch.lazy_read", "lazy-page zero-page load charge"},
        {"touch.lazy_write", "lazy-page write-after-load charge"}, {"touch.lazy_read_image", "lazy-page image-page load charge"},
        {"touch.lazy_write_first", "lazy-page first-store charge"},
        {"mem.l1", "load latency L1"}, {"mem.l2", "load latency L2"}, {"mem.l3", "load latency L3"},
        {"mem.dram", "load latency DRAM"}, {"mem.huge.l2", "L2 on huge pages"},
        {"mem.huge.l3", "L3 on huge pages"}, {"mem.huge.dram", "DRAM on huge pages"},
        {"tlb.l3", "TLB share at L3 sizes"}, {"tlb.dram", "TLB share at DRAM sizes"},
        {"branch.pmu_miss_rate", "PMU misses / random branch"}, {"stride.1", "stride 1 / access"},
        {"stride.2048", "stride 2048 / access"}, {"stride.2053", "stride 2053 / access"},
        {"block.entry", "block entry (joint fit)"}, {"call.overhead", "call overhead (joint fit)"},
        {"unit.ps_per_gas", "declared gas unit"}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) print_value(r, keys[i][0], keys[i][1], tsc_hz);
    print_worst_residual(r);
    print_pipeline_fit(r);
    json_object *plateaus;
    for (int huge = 0; huge <= 1; huge++)
        if (json_object_object_get_ex(r->fit, huge ? "plateaus_huge" : "plateaus", &plateaus))
            for (size_t i = 0; i < json_object_array_length(plateaus); i++) {
                json_object *p = json_object_array_get_idx(plateaus, i), *v;
                double level = json_object_object_get_ex(p, "level_ps", &v) ? json_object_get_double(v) : NAN;
                int64_t first = json_object_object_get_ex(p, "first_bytes", &v) ? json_object_get_int64(v) : 0;
                int64_t last = json_object_object_get_ex(p, "last_bytes", &v) ? json_object_get_int64(v) : 0;
                const char *label = json_object_object_get_ex(p, "label", &v) ? json_object_get_string(v) : "?";
                bool used = json_object_object_get_ex(p, "used", &v) && json_object_get_boolean(v);
                printf("  plateau %zu%s: %.0f ps for working sets %lld..%lld KiB: %s%s\n", i + 1,
                       huge ? " (huge pages)" : "", level, (long long)first / 1024, (long long)last / 1024, label,
                       used ? "" : " (not used: a single point, or a second step inside the level)");
            }
}

int pvmlab_cmd_calibrate(int argc, char **argv)
{
    calibrate_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc != CLI_PARSED) return rc == CLI_HELP ? 0 : 2;
    pvm_backend backend = strcmp(o.backend, "jit") == 0 ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP;
    if (!pvm_backend_available(backend)) {
        fprintf(stderr, "pvmlab calibrate: the recompiler is not built in (configure with -DPVMLAB_JIT=ON)\n");
        return 1;
    }
    char err[512];
    calibration_session session;
    pvm_cost_model *gas_model = NULL;
    pvm_error merr = {{0}};
    if (strcmp(o.model, "none") != 0 && pvm_cost_model_new(o.model, &gas_model, &merr) != PVM_OK) {
        fprintf(stderr, "pvmlab calibrate: --model %s: %s\n", o.model, merr.msg);
        return 2;
    }
    if (calibration_session_open(&session, o.db_path, o.counters, o.backend, o.model, o.suite, argc, argv, err,
                                 sizeof err) != 0) {
        pvm_cost_model_free(gas_model);
        fprintf(stderr, "pvmlab calibrate: %s\n", err);
        return 1;
    }
    mb_suite_config sc;
    measure_config mc = {0};
    suite_config(o.suite, &sc, &mc);
    cache_geometry geometry;
    char geometry_text[200], thp[256];
    cache_geometry_detect(&geometry, NULL);
    cache_geometry_describe(&geometry, geometry_text, sizeof geometry_text);
    bool all_assumed = geometry.level[0].assumed && geometry.level[1].assumed && geometry.level[2].assumed;
    if (strcmp(o.suite, "smoke") != 0 && !all_assumed) /* else the fixed geometric sweep */
        for (size_t k = 0; k < geometry.levels; k++) sc.cache_bytes[k] = geometry.level[k].size;
    if (!memory_thp_available(thp, sizeof thp)) sc.chase_huge_every = 0;
    mc.counters = session.counters;
    mc.time = session.time;
    mc.db = session.db;
    mc.run = session.run;
    mc.engine = session.engine;
    mc.mode = o.backend;
    mc.metered = gas_model != NULL;
    core_sharing sharing;
    if (!o.fit_run_count) {
        core_sharing_init(&sharing, 0, 50);
        mc.sharing = &sharing;
    }

    mb_spec *specs = NULL;
    size_t n = 0;
    pvm_engine *engine = NULL;
    pvm_error perr = {{0}};
    pvm_engine_config ec = {.backend = backend, .gas_mode = gas_model ? PVM_GAS_SYNC : PVM_GAS_NONE,
                            .cost_model = gas_model};
    pvm_engine *replay = NULL; /* --counters sim: simulated cache counts from replayed calls */
    pvm_engine_config replay_config = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_NONE};
    if (strcmp(o.counters, "sim") == 0 && pvmlab_counters_cache_sim(session.counters) &&
        pvm_engine_new(&replay_config, &replay, &perr) != PVM_OK)
        replay = NULL;
    mc.replay_engine = replay;
    if (mb_suite_specs(&sc, &specs, &n) != 0 || pvm_engine_new(&ec, &engine, &perr) != PVM_OK) {
        fprintf(stderr, "pvmlab calibrate: %s\n", perr.msg[0] ? perr.msg : "out of memory");
        calibration_session_close(&session, "failed");
        pvm_engine_free(replay);
        pvm_cost_model_free(gas_model);
        free(specs);
        return 1;
    }
    printf("calibrate: %s suite, %zu programs on the %s, %s, time from %s%s\n", o.suite, n,
           backend == PVM_BACKEND_JIT ? "recompiler" : "interpreter",
           gas_model ? "metered (sync gas)" : "unmetered", session.time.description,
           session.time.use_tsc ? " (TSC cycles are reference cycles, not core cycles)" : "");
    if (gas_model) printf("calibrate: metering model %s\n", o.model);
    printf("calibrate: %s\n", session.pinning);
    printf("calibrate: caches %s, from %s%s\n", geometry_text, geometry.source,
           sc.cache_bytes[0] ? "" : "; chase sweep: fixed geometric sizes");
    if (geometry.notice[0]) printf("calibrate: cache sizes: %s\n", geometry.notice);
    printf("calibrate: %s%s\n", thp, sc.chase_huge_every ? "" : "; no huge-page sweep");
    if (session.unavailable[0]) printf("calibrate: counters unavailable (stored as NULL): %s\n", session.unavailable);
    fflush(stdout);

    measurement *m = calloc(n, sizeof *m);
    mb_dynamic_mix *mix = calloc(n, sizeof *mix);
    mb_block_profile *profiles = calloc(n, sizeof *profiles);
    bool *ok = calloc(n, sizeof *ok);
    double started = (util_now_ns() * 1e-9);
    size_t failures = n, mine = n;
    double stored_floor = NAN; /* --fit-runs: the floor of the stored samples' probes */
    if (m && ok && o.fit_run_count) {
        failures = 0;
        if (stored_measurements_load(session.db, o.fit_runs, o.fit_run_count, specs, n, m, ok, &stored_floor, err,
                                     sizeof err) != 0) {
            fprintf(stderr, "pvmlab calibrate: %s\n", err);
            failures = n;
        }
        for (size_t i = 0; i < n && failures == 0; i++)
            if (!ok[i]) {
                fprintf(stderr, "pvmlab calibrate: %s has no samples in the runs given to --fit-runs "
                                "(a shard missing from the merge, or another suite flag?)\n", specs[i].name);
                failures = n;
            }
    } else if (m && ok) {
        failures = run_suite(engine, specs, n, &mc, m, ok, o.backend, &o.shard);
        mine = 0;
        for (size_t i = 0; i < n; i++)
            mine += work_shard_owns(&o.shard, specs[i].name);
    }
    double seconds = (util_now_ns() * 1e-9) - started, pipeline_seconds = 0;
    cal_result result;
    pvmlab_id calibration = 0;
    int fit_rc = 0;
    rc = 1;
    if (o.shard.count && (failures < mine || mine == 0)) {
        printf("calibrate: shard %u/%u: %zu of %zu programs measured in %.1f s, samples stored in run %lld; no fit "
               "(it needs every shard): merge the shards' databases with pvmlab db merge, then\n"
               "  pvmlab calibrate%s%s --backend %s --fit-runs <the shards' run ids, comma separated>\n",
               o.shard.index, o.shard.count, mine - failures, n, seconds, (long long)session.run,
               strcmp(o.suite, "full") ? " --" : "", strcmp(o.suite, "full") ? o.suite : "", o.backend);
        if (failures)
            fprintf(stderr, "pvmlab calibrate: %zu of the shard's %zu microbenchmarks FAILED (see above)\n", failures,
                    mine);
        rc = failures ? 1 : 0;
    } else if (failures >= mine) {
        if (!o.fit_run_count)
            fprintf(stderr, "pvmlab calibrate: every microbenchmark failed\n");
    } else if (!mix || !profiles ||
               (fit_rc = fit_calibration(&o, specs, m, ok, n, profiles, mix, &geometry, &result, &pipeline_seconds,
                                         err, sizeof err)) != 0) {
        fprintf(stderr, "pvmlab calibrate: %s\n", fit_rc == -2 ? err : "out of memory while fitting");
    } else {
        /* The probe's floor: the held-out timing of this calibration's tables judges its own
         * probes against it (fidelity_timing.h), so both measure the core alone. */
        double floor = mc.sharing && sharing.available ? sharing.floor : stored_floor;
        if (floor > 0 && cal_result_add(&result, "core.probe_floor", floor, NAN, NAN, mc.sharing ? sharing.probes : 0) != 0)
            fprintf(stderr, "pvmlab calibrate: out of memory\n");
        if (calibration_store(&session, &result, o.suite, specs, n, &calibration, err, sizeof err) != 0) {
            fprintf(stderr, "pvmlab calibrate: %s\n", err);
        } else {
            print_summary(&result, session.time.use_tsc ? session.time.tsc_hz : 0);
            if (cal_result_find(&result, "pipeline.l2hit.objective"))
                printf("calibrate: pipeline fit in %.1f s\n", pipeline_seconds);
            if (failures)
                fprintf(stderr, "pvmlab calibrate: %zu of %zu microbenchmarks FAILED on %s (see above)\n",
                        failures, n, o.backend);
            long kept = 0, preempted = 0, cpu_medians = 0, shared = 0, disturbed = 0;
            for (size_t i = 0; i < n; i++)
                if (ok[i])
                    kept += m[i].n, preempted += m[i].preempted, cpu_medians += m[i].cpu_time,
                        shared += m[i].shared, disturbed += m[i].disturbed;
            printf("calibrate: %zu programs in %.1f s; medians over %ld repetitions, %ld more left out as "
                   "preempted (wall > 1.05 x thread CPU time), %ld as run on a shared core (probe > %.2f x its "
                   "floor)\n", n - failures, seconds, kept, preempted, shared, CORE_SHARED_FACTOR);
            if (mc.sharing && sharing.available)
                printf("calibrate: core-sharing probe: floor %.3f (%.3f after the opening probes), %ld of %ld probes "
                       "above %.2f x floor%s\n", sharing.floor, sharing.floor_at_start, sharing.shared, sharing.probes,
                       CORE_SHARED_FACTOR, disturbed ? "" : "; every program had undisturbed repetitions");
            else if (mc.sharing)
                printf("calibrate: no core-sharing probe on this architecture: repetitions on a shared core are kept\n");
            if (disturbed)
                printf("calibrate: %ld programs had no undisturbed repetition, also when timed again at the end\n",
                       disturbed);
            if (cpu_medians)
                printf("calibrate: %ld programs had no undisturbed repetition: their medians are of thread CPU "
                       "times\n", cpu_medians);
            printf("calibration %lld\n", (long long)calibration);
            rc = failures ? 1 : 0;
        }
        cal_result_free(&result);
    }
    calibration_session_close(&session, rc == 0 ? "ok" : "failed");
    pvm_engine_free(engine);
    pvm_engine_free(replay);
    pvm_cost_model_free(gas_model);
    free(specs);
    free(m);
    free(mix);
    for (size_t i = 0; profiles && i < n; i++) mb_block_profile_free(&profiles[i]);
    free(profiles);
    free(ok);
    return rc;
}
