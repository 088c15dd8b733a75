/* pvmlab bench: discover engines, check the machine is idle, run a suite, store every
 * sample, and end with "stored N samples from M engine configurations". */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_session.h"
#include "cli_options.h"
#include "cmd_bench.h"
#include "discover.h"
#include "engine_filter.h"
#include "machine_idle.h"
#include "results.h"
#include "runner_paths.h"
#include "suites.h"
#include "counters.h"

/* Set by SIGINT/SIGTERM; the session stops after the current measurement and the run is
 * stored as interrupted. (A signal handler can only reach a static flag.) */
static volatile sig_atomic_t stop_requested;

static void request_stop(int signal_number)
{
    (void)signal_number;
    stop_requested = 1;
}

static const char USAGE[] =
    "usage: pvmlab bench [--suite quick|full|cache] [--engines LIST] [--db PATH] [--runs N]\n"
    "                    [--modes execution,oneshot,compilation] [--models MODEL,...]\n"
    "                    [--build-dir DIR] [--cache-dir DIR] [--list]\n"
    "  --engines  comma-separated configuration names or prefixes ending in '*' (default: all found)\n"
    "  --models   extra pvm cost models besides unit, e.g. pipeline-l2hit,table:FILE\n"
    "  --list     print the engine configurations found and missing, then exit\n";

typedef struct bench_arguments {
    const char *suite, *engines, *db, *models, *modes, *build_dir, *cache_dir;
    unsigned runs;
    bool list_only;
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
    *args = (bench_arguments){.suite = "quick", .db = PVMLAB_DB_DEFAULT_PATH, .models = ""};
    for (int i = 1; i < argc; i++) {
        const char *runs = NULL;
        int found = 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(USAGE, stdout);
            return 1;
        }
        if (strcmp(argv[i], "--list") == 0) {
            args->list_only = true;
            continue;
        }
        struct {
            const char *name;
            const char **value;
        } options[] = {{"--suite", &args->suite},   {"--engines", &args->engines},     {"--db", &args->db},
                       {"--models", &args->models}, {"--modes", &args->modes},         {"--runs", &runs},
                       {"--build-dir", &args->build_dir}, {"--cache-dir", &args->cache_dir}};
        for (size_t o = 0; o < sizeof options / sizeof options[0] && !found; o++) {
            found = bench_option_value(argc, argv, &i, options[o].name, options[o].value);
            if (found < 0)
                return bench_usage_error("bench", "%s needs a value", options[o].name);
        }
        if (!found)
            return bench_usage_error("bench", "unknown argument '%s'", argv[i]);
        if (runs && !bench_parse_count(runs, 100000, &args->runs))
            return bench_usage_error("bench", "--runs wants a positive count, not '%s'", runs);
    }
    if (!bench_suite_find(args->suite))
        return bench_usage_error("bench", "unknown suite '%s' (quick, full or cache)", args->suite);
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

/* The command line as one string for the runs table. */
static void join_arguments(int argc, char **argv, char *out, size_t out_len)
{
    size_t used = (size_t)snprintf(out, out_len, "pvmlab");
    for (int i = 0; i < argc && used < out_len; i++)
        used += (size_t)snprintf(out + used, out_len - used, " %s", argv[i]);
}

static int open_run(const char *path, int argc, char **argv, pvmlab_db **db, pvmlab_id *run)
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
        return bench_usage_error("bench", "unknown mode '%s' (execution, oneshot, compilation)", bad);
    const bench_suite *suite = bench_suite_find(args.suite);

    char build_dir[4096], cache_dir[4200];
    if (args.build_dir)
        snprintf(build_dir, sizeof build_dir, "%s", args.build_dir);
    else
        bench_default_build_dir(build_dir, sizeof build_dir);
    snprintf(cache_dir, sizeof cache_dir, "%s/bench-cache", build_dir);
    bench_env env = {
        .build_dir = build_dir,
        .source_dir = bench_source_dir(),
        .cache_dir = args.cache_dir ? args.cache_dir : cache_dir,
        .models = args.models,
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
        return bench_usage_error("bench", "--engines: no engine configuration is called '%s' (see pvmlab bench --list)", unknown);
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
    if (open_run(args.db, argc, argv, &db, &run) != 0) {
        bench_engine_list_free(&list);
        return 1;
    }
    printf("run %lld in %s\n", (long long)run, args.db);
    fflush(stdout);
    bench_session_options options = {.suite = suite, .fixed_runs = args.runs, .modes = modes,
                                     .stop = &stop_requested};
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
