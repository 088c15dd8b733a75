/* pvmlab bench: discover engines, check the machine is idle, run a suite, store every
 * sample, and end with "stored N samples from M engine configurations". */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pvm/pvm.h"

#include "bench_session.h"
#include "vm/util/cli_options.h"
#include "cmd_bench.h"
#include "bench/engines/discover.h"
#include "engine_filter.h"
#include "machine_idle.h"
#include "results/results.h"
#include "runner_paths.h"
#include "results/source_revision.h"
#include "suites.h"
#include "costmodel/counters/counters.h"
#include "vm/util/work_shard.h"
#include "vm/util/cpu_pin.h"

/* Set by SIGINT/SIGTERM; the session stops after the current measurement and the run is
 * stored as interrupted. (A signal handler can only reach a static flag.) */
static volatile sig_atomic_t stop_requested;

static void request_stop(int signal_number)
{
    (void)signal_number;
    stop_requested = 1;
}

static const char USAGE[] =
    "usage: pvmlab bench [--suite quick|full|cache|large] [--engines LIST] [--db PATH] [--runs N]\n"
    "                    [--modes execution,oneshot,compilation] [--models MODEL,...]\n"
    "                    [--build-dir DIR] [--cache-dir DIR] [--shard K/N] [--cpu N|none] [--list]\n"
    "  --engines  comma-separated configuration names or prefixes ending in '*' (default: all found)\n"
    "  --models   extra pvm cost models besides unit, e.g. pipeline-l2hit,table:FILE\n"
    "  --shard    measure only the guests of shard K of N (a stable hash of the guest's name and\n"
    "             size): N runs, on one machine or many, cover the suite once (merge them with\n"
    "             pvmlab db merge)\n"
    "  --cpu      the CPU every execution-mode sample runs on, the engines' processes too (default:\n"
    "             the highest-numbered one this process may use, as pvmlab calibrate; with --shard K/N\n"
    "             the K-th highest, so that shards side by side get a CPU each); none: wherever\n"
    "             the scheduler puts them. Oneshot and compilation are not pinned (two compile threads)\n"
    "  --list     print the engine configurations found and missing, then exit\n";

typedef struct bench_arguments {
    const char *suite, *engines, *db, *models, *modes, *build_dir, *cache_dir;
    unsigned runs;
    bool pin;   /* false: --cpu none */
    int cpu;    /* --cpu N, or -1: the default CPU (util_cpu_pin) */
    bool list_only;
    work_shard shard;
} bench_arguments;

/* Parses "execution,oneshot" into a mode bit set; false on an unknown name. */
static bool parse_modes(const char *text, unsigned *out, char *bad, size_t bad_len)
{
    *out = 0;
    while (*text) {
        size_t length = strcspn(text, ",");
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)length, text);
        bench_mode mode;
        if (!bench_mode_parse(name, &mode)) {
            snprintf(bad, bad_len, "%s", name);
            return false;
        }
        *out |= 1u << mode;
        text += length + (text[length] == ',');
    }
    return *out != 0;
}

/* Returns 0, 1 for --help (already printed) or 2 after one usage line. */
static int parse_arguments(int argc, char **argv, bench_arguments *args)
{
    *args = (bench_arguments){.suite = "quick", .db = PVMLAB_DB_DEFAULT_PATH, .models = "", .pin = true, .cpu = -1};
    const char *runs = NULL, *shard = NULL, *cpu = NULL;
    const cli_option options[] = {
        CLI_VALUE("suite", &args->suite),         CLI_VALUE("engines", &args->engines),        CLI_VALUE("db", &args->db),
        CLI_VALUE("models", &args->models),       CLI_VALUE("modes", &args->modes),            CLI_VALUE("runs", &runs),
        CLI_VALUE("build-dir", &args->build_dir), CLI_VALUE("cache-dir", &args->cache_dir),    CLI_VALUE("shard", &shard),
        CLI_VALUE("cpu", &cpu),                   CLI_FLAG("list", &args->list_only),
    };
    int parsed = cli_parse("bench", argc, argv, options, sizeof options / sizeof options[0], USAGE, NULL);
    if (parsed != CLI_PARSED)
        return parsed;
    if (runs && !cli_parse_count(runs, 100000, &args->runs))
        return cli_usage_error("bench", "--runs wants a positive count, not '%s'", runs);
    if (!bench_suite_find(args->suite))
        return cli_usage_error("bench", "unknown suite '%s' (quick, full or cache)", args->suite);
    if (args->engines && !*args->engines)
        return cli_usage_error("bench", "--engines is empty (give configuration names, see pvmlab bench --list)");
    if (shard && !work_shard_parse(shard, &args->shard))
        return cli_usage_error("bench", "--shard wants K/N with 1 <= K <= N, not '%s'", shard);
    long long cpu_number;
    if (cpu && strcmp(cpu, "none") == 0)
        args->pin = false;
    else if (cpu && !cli_parse_integer(cpu, 0, 4095, &cpu_number))
        return cli_usage_error("bench", "--cpu wants a CPU number or none, not '%s'", cpu);
    else if (cpu)
        args->cpu = (int)cpu_number;
    return 0;
}

static void print_engines(const bench_engine_list *list)
{
    printf("engine configurations found: %zu\n", list->count);
    for (size_t i = 0; i < list->count; i++) {
        const bench_engine *e = &list->engines[i];
        printf("  %-24s %s [%s]\n  %-24s   %s\n", e->name, e->version, e->flags, "",
               bench_timing_method_description(e->timing));
    }
    printf("engine configurations missing: %zu\n", list->missing_count);
    for (size_t i = 0; i < list->missing_count; i++)
        printf("  %-24s %s\n", list->missing[i].name, list->missing[i].reason);
}

/* Loads every model of the comma-separated list once, so that a model that cannot load is
 * an error before anything is measured (not a configuration quietly listed as missing).
 * Returns 0, or 2 after one usage line. */
static int check_models(const char *models)
{
    while (*models) {
        size_t length = strcspn(models, ",");
        char name[BENCH_PATH_MAX];
        snprintf(name, sizeof name, "%.*s", (int)length, models);
        pvm_cost_model *model = NULL;
        pvm_error error = {{0}};
        if (length == 0)
            return cli_usage_error("bench", "--models has an empty name");
        if (pvm_cost_model_new(name, &model, &error) != PVM_OK)
            return cli_usage_error("bench", "--models: cost model '%s' cannot be loaded: %s", name, error.msg);
        pvm_cost_model_free(model);
        models += length + (models[length] == ',');
    }
    return 0;
}

/* The build tree must exist: the guests, drivers and pvm-link are found there. */
static int check_build_dir(const char *build_dir, bool given)
{
    struct stat info;
    if (stat(build_dir, &info) != 0 || !S_ISDIR(info.st_mode)) {
        if (given)
            return cli_usage_error("bench", "--build-dir %s: %s", build_dir,
                                     stat(build_dir, &info) != 0 ? "no such directory" : "not a directory");
        fprintf(stderr, "pvmlab bench: the build tree %s does not exist (pass --build-dir DIR)\n", build_dir);
        return 1;
    }
    char guests[4200];
    snprintf(guests, sizeof guests, "%s/guests", build_dir);
    if (stat(guests, &info) != 0 || !S_ISDIR(info.st_mode)) {
        fprintf(stderr, "pvmlab bench: %s is not a pvmlab build tree (it has no guests/ folder; build it first)\n",
                build_dir);
        return given ? 2 : 1;
    }
    return 0;
}

/* The command line as one string for the runs table. */
static void join_arguments(int argc, char **argv, char *out, size_t out_len)
{
    size_t used = (size_t)snprintf(out, out_len, "pvmlab");
    for (int i = 0; i < argc && used < out_len; i++)
        used += (size_t)snprintf(out + used, out_len - used, " %s", argv[i]);
}

/* pinning: what --cpu chose, for the run's provenance (NULL: the process's mask as it is). */
static int open_run(const char *path, int argc, char **argv, const char *pinning, pvmlab_db **db, pvmlab_id *run)
{
    char err[PVMLAB_DB_ERROR_MAX], command[2048];
    if (pvmlab_db_open(path, NULL, db, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab bench: %s\n", err);
        return -1;
    }
    pvmlab_machine_info machine;
    pvmlab_machine_detect_counters(&machine);
    pvmlab_build_info build = pvmlab_build_current();
    pvmlab_id machine_id, build_id;
    join_arguments(argc, argv, command, sizeof command);
    if (pvmlab_db_insert_machine(*db, &machine, &machine_id) != 0 ||
        pvmlab_db_insert_build(*db, &build, &build_id) != 0 ||
        pvmlab_db_run_begin(*db, machine_id, build_id, command, run, NULL) != 0) {
        fprintf(stderr, "pvmlab bench: %s\n", pvmlab_db_error(*db));
        pvmlab_db_close(*db);
        *db = NULL;
        return -1;
    }
    pvmlab_run_environment environment;
    pvmlab_run_environment_detect(&environment);
    if (pinning)
        snprintf(environment.pinned, sizeof environment.pinned, "%s", pinning);
    pvmlab_source_revision(bench_source_dir(), environment.git_rev, sizeof environment.git_rev);
    if (pvmlab_db_store_run_environment(*db, *run, &environment) != 0) {
        fprintf(stderr, "pvmlab bench: %s\n", pvmlab_db_error(*db));
        pvmlab_db_close(*db);
        *db = NULL;
        return -1;
    }
    printf("provenance: source %s; cpu governor %s; boost %s; SMT %s; %s\n", environment.git_rev,
           environment.cpu_governor, environment.cpu_boost, environment.smt, environment.pinned);
    return 0;
}

int pvmlab_cmd_bench(int argc, char **argv)
{
    bench_arguments args;
    int parsed = parse_arguments(argc, argv, &args);
    if (parsed != 0)
        return parsed == 1 ? 0 : 2;
    unsigned modes = 0;
    char bad[64];
    if (args.modes && !parse_modes(args.modes, &modes, bad, sizeof bad))
        return cli_usage_error("bench", "unknown mode '%s' (execution, oneshot, compilation)", bad);
    const bench_suite *suite = bench_suite_find(args.suite);
    /* The execution samples' CPU, tried now: a CPU outside the mask is a usage error before
     * anything is stored. */
    char pinning[160];
    int cpu = -1;
    if (args.pin) {
        util_cpu_mask mask;
        char why[200], others[64];
        if (!util_cpu_mask_save(&mask)) {
            fprintf(stderr, "pvmlab bench: cannot read the CPU affinity mask (%s); pass --cpu none\n", strerror(errno));
            return 1;
        }
        /* shard K of N: by default the K-th highest CPU, so that shards run side by side on
         * one machine do not share one */
        int wanted = args.cpu >= 0 ? args.cpu : args.shard.count ? util_cpu_nth_highest(args.shard.index - 1) : -1;
        if ((cpu = util_cpu_pin(wanted, why, sizeof why)) < 0) {
            if (args.cpu >= 0)
                return cli_usage_error("bench", "--cpu %d: %s", args.cpu, why);
            fprintf(stderr, "pvmlab bench: cannot pin to one CPU (%s); pass --cpu none\n", why);
            return 1;
        }
        if (!util_cpu_mask_restore(&mask)) {
            fprintf(stderr, "pvmlab bench: cannot give the CPU affinity mask back (%s)\n", strerror(errno));
            return 1;
        }
        util_cpu_mask_describe(&mask, others, sizeof others);
        snprintf(pinning, sizeof pinning, "execution pinned to CPU %d (--cpu); oneshot and compilation on CPUs %s",
                 cpu, others);
    }
    int models_status = check_models(args.models);
    if (models_status != 0)
        return models_status;

    char build_dir[4096], cache_dir[4200];
    if (args.build_dir)
        snprintf(build_dir, sizeof build_dir, "%s", args.build_dir);
    else
        bench_default_build_dir(build_dir, sizeof build_dir);
    int build_status = check_build_dir(build_dir, args.build_dir != NULL);
    if (build_status != 0)
        return build_status;
    snprintf(cache_dir, sizeof cache_dir, "%s/bench-cache", build_dir);
    bench_env env = {
        .build_dir = build_dir,
        .source_dir = bench_source_dir(),
        .cache_dir = args.cache_dir ? args.cache_dir : cache_dir,
        .models = args.models,
        .pvm_rv32 = suite->rv32_builds,
    };
    bench_engine_list list = {0};
    if (bench_discover_all(&env, &list) != 0) {
        fprintf(stderr, "pvmlab bench: out of memory while discovering engines\n");
        bench_engine_list_free(&list);
        return 1;
    }
    char unknown[128];
    if (bench_filter_engines(&list, args.engines, unknown, sizeof unknown) != 0) {
        bench_engine_list_free(&list);
        return cli_usage_error("bench", "--engines: no engine configuration is called '%s' (see pvmlab bench --list)", unknown);
    }
    printf("suite %s: %s\n", suite->name, suite->description);
    print_engines(&list);
    if (args.list_only) {
        bench_engine_list_free(&list);
        return 0;
    }
    bench_idle_report idle;
    char idle_text[256];
    bench_idle_check(250, &idle);
    bench_idle_describe(&idle, idle_text, sizeof idle_text);
    printf("%s%s\n", idle.idle || !idle.known ? "" : "warning: ", idle_text);

    pvmlab_db *db = NULL;
    pvmlab_id run;
    if (open_run(args.db, argc, argv, args.pin ? pinning : NULL, &db, &run) != 0) {
        bench_engine_list_free(&list);
        return 1;
    }
    printf("run %lld in %s\n", (long long)run, args.db);
    fflush(stdout);
    bench_session_options options = {.suite = suite, .fixed_runs = args.runs, .modes = modes,
                                     .stop = &stop_requested, .shard = args.shard, .pin_execution = args.pin,
                                     .execution_cpu = cpu};
    bench_session_result result;
    stop_requested = 0;
    struct sigaction action = {.sa_handler = request_stop}, previous_int, previous_term;
    sigaction(SIGINT, &action, &previous_int);
    sigaction(SIGTERM, &action, &previous_term);
    int status = bench_session_run(db, run, &list, &options, &result);
    sigaction(SIGINT, &previous_int, NULL);
    sigaction(SIGTERM, &previous_term, NULL);
    const char *run_status = result.interrupted ? "interrupted" : status == 0 ? "ok" : "failed";
    if (pvmlab_db_run_end(db, run, run_status) != 0)
        fprintf(stderr, "pvmlab bench: %s\n", pvmlab_db_error(db));
    pvmlab_db_close(db);
    bench_engine_list_free(&list);
    if (result.checksum_failures || result.measure_failures)
        fprintf(stderr, "pvmlab bench: %zu wrong checksum%s, %zu failed measurement%s (named above)\n",
                result.checksum_failures, result.checksum_failures == 1 ? "" : "s", result.measure_failures,
                result.measure_failures == 1 ? "" : "s");
    if (result.interrupted)
        fprintf(stderr, "pvmlab bench: interrupted; run %lld is stored as interrupted\n", (long long)run);
    printf("stored %zu samples from %zu engine configurations\n", result.samples_stored, result.engines_measured);
    return result.interrupted ? 130 : status == 0 ? 0 : 1;
}
