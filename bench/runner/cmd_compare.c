/* pvmlab compare: the ratio table of a run against a baseline engine, or the regression
 * check of a run against a reference run (same or another database). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/util/cli_options.h"
#include "cmd_compare.h"
#include "compare_data.h"
#include "compare_fidelity.h"
#include "results/open_results.h"
#include "held_out_list.h"
#include "ratio_table.h"
#include "regression_check.h"
#include "runner_paths.h"
#include "rv32_against_rv64.h"
#include "rv32_baseline.h"

static const char USAGE[] =
    "usage: pvmlab compare [--db PATH] [--run ID[,ID...]] [--baseline ENGINE] [--mode MODE]\n"
    "                      [--held-out FILE] [--against ID[,ID...]] [--against-db PATH] [--threshold PCT]\n"
    "       pvmlab compare [--db PATH] --fidelity [--table HASH|UUID] [--programs]\n"
    "  reads the database only (read-only open; it is never migrated or written)\n"
    "  --run ID,ID,...: the shards of one suite (pvmlab bench --shard, merged with pvmlab db merge)\n"
    "  taken together; when they come from several machines, each row names its machine\n"
    "  without --against/--against-db: ratios of every engine to the baseline (default native)\n"
    "  per guest and their geometric mean, for run ID (default: the newest benchmark run); when the run\n"
    "  has rv32 configurations or native-i386, a second block: native-i386/native and each rv32\n"
    "  configuration / native-i386 per guest, geomeans over the tuned and the held-out guests apart\n"
    "  (--held-out: the list, default bench/guests/held_out.txt of the sources); and a third: the rv32\n"
    "  builds against their rv64 builds, instructions (unit-model gas), time and time per instruction\n"
    "  with them: the regression check of run ID against the reference run (default: the newest\n"
    "  in --against-db, else in --db); exit 1 when a median got slower by more than PCT percent\n"
    "  (default 10); an (engine, guest, mode) of the reference missing from the candidate is a\n"
    "  regression too. --mode: execution (default), oneshot, compilation, or all (check only)\n"
    "  --fidelity: the stored fidelity of each cost table (pvmlab tables), newest per program set:\n"
    "  ns/gas max/median and p95/median with bootstrap intervals, held-out and training sets, all /\n"
    "  compute-bound / memory-bound programs, with and without lazy-page charges; --table narrows it\n"
    "  to a cost table hash or calibration uuid prefix; --programs also lists each held-out guest set's\n"
    "  programs, slowest per gas first, with what the replay of its call saw (as pvmlab report)\n";

typedef struct compare_arguments {
    const char *db, *against_db, *baseline, *mode, *held_out;
    const char *run, *against, *table;
    double threshold;
    bool fidelity, programs;
} compare_arguments;

enum { RUNS_MAX = 256 };

/* A run list: "ID" or "ID,ID,..." (the shards of one suite). */
typedef struct run_list {
    pvmlab_id ids[RUNS_MAX];
    size_t count;
} run_list;

static bool parse_run_list(const char *text, run_list *out)
{
    return cli_parse_id_list(text, out->ids, RUNS_MAX, &out->count);
}

static void print_run_list(FILE *out, const run_list *runs)
{
    fprintf(out, "run%s ", runs->count > 1 ? "s" : "");
    for (size_t i = 0; i < runs->count; i++)
        fprintf(out, "%s%lld", i ? "," : "", (long long)runs->ids[i]);
}

/* 0 parsed, 1 --help printed, 2 usage error printed. */
static int parse_arguments(int argc, char **argv, compare_arguments *args)
{
    const char *threshold = NULL;
    *args = (compare_arguments){.db = PVMLAB_DB_DEFAULT_PATH, .baseline = "native", .mode = "execution",
                                .threshold = 10.0};
    const cli_option options[] = {
        CLI_VALUE("db", &args->db),           CLI_VALUE("against-db", &args->against_db), CLI_VALUE("run", &args->run),
        CLI_VALUE("against", &args->against), CLI_VALUE("baseline", &args->baseline),     CLI_VALUE("mode", &args->mode),
        CLI_VALUE("threshold", &threshold),   CLI_VALUE("table", &args->table),           CLI_FLAG("fidelity", &args->fidelity),
        CLI_FLAG("programs", &args->programs), CLI_VALUE("held-out", &args->held_out),
    };
    int parsed = cli_parse("compare", argc, argv, options, sizeof options / sizeof options[0], USAGE, NULL);
    if (parsed != CLI_PARSED)
        return parsed;
    if (args->table && !args->fidelity)
        return cli_usage_error("compare", "--table goes with --fidelity");
    if (args->programs && !args->fidelity)
        return cli_usage_error("compare", "--programs goes with --fidelity");
    if (args->fidelity && (args->run || args->against || args->against_db))
        return cli_usage_error("compare", "--fidelity reads stored fidelity; --run and --against are for ratios");
    run_list ignored;
    if (args->run && !parse_run_list(args->run, &ignored))
        return cli_usage_error("compare", "--run wants a run id or a list ID,ID,..., not '%s'", args->run);
    if (args->against && !parse_run_list(args->against, &ignored))
        return cli_usage_error("compare", "--against wants a run id or a list ID,ID,..., not '%s'", args->against);
    if (threshold) {
        char *end;
        args->threshold = strtod(threshold, &end);
        if (*threshold == '\0' || *end != '\0' || !(args->threshold >= 0) || isinf(args->threshold))
            return cli_usage_error("compare", "--threshold wants a percentage, not '%s'", threshold);
    }
    static const char *const MODES[] = {"execution", "oneshot", "compilation", "all"};
    bool known = false;
    for (size_t m = 0; m < 4; m++)
        known = known || strcmp(args->mode, MODES[m]) == 0;
    if (!known)
        return cli_usage_error("compare", "unknown mode '%s' (execution, oneshot, compilation, all)", args->mode);
    return 0;
}

/* Opens path read-only (checked, as plot and report open it) and loads the medians of run_text's runs (the newest benchmark run
 * when NULL). */
static int load(const char *path, const char *run_text, compare_set *set, run_list *runs)
{
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    if (pvmlab_open_results(path, &db, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab compare: %s\n", err);
        return -1;
    }
    runs->count = 1;
    int status = run_text ? (parse_run_list(run_text, runs) ? 0 : -1) : compare_latest_run(db, &runs->ids[0], err, sizeof err);
    if (status == 0)
        status = compare_load_runs(db, runs->ids, runs->count, set, err, sizeof err);
    if (status != 0)
        fprintf(stderr, "pvmlab compare: %s: %s\n", path, err);
    pvmlab_db_close(db);
    return status;
}

/* The held-out list of the rv32 block (4 KiB: not on the stack). */
static bench_held_out held_list;

/* An unreadable --held-out is bad input: read before anything is printed (one line, exit 2).
 * 0, or 2. */
static int read_given_held_out(const compare_arguments *args)
{
    char err[1200];
    if (!args->held_out || bench_held_out_load(args->held_out, &held_list, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "pvmlab compare: %s\n", err);
    return 2;
}

/* The rv32 builds against native-i386 (rv32_baseline.h) and against their rv64 builds
 * (rv32_against_rv64.h), held-out guests apart: the list
 * --held-out gave (read already), else the sources' bench/guests/held_out.txt, read when the
 * run has a block to print; when that one is unreadable, stderr says so and the block takes
 * one geomean over all guests. */
static void print_rv32_block(const compare_set *set, const compare_arguments *args)
{
    if (!rv32_baseline_wanted(set, args->mode))
        return;
    bool have = args->held_out != NULL;
    if (!have) {
        char path[1024], err[1200];
        snprintf(path, sizeof path, "%s/bench/guests/held_out.txt", bench_source_dir());
        have = bench_held_out_load(path, &held_list, err, sizeof err) == 0;
        if (!have)
            fprintf(stderr, "pvmlab compare: %s; the rv32 block's geomean is over all guests\n", err);
    }
    rv32_baseline_print(set, args->mode, have ? &held_list : NULL, stdout);
    rv32_against_rv64_print(set, args->mode, have ? &held_list : NULL, stdout);
}

int pvmlab_cmd_compare(int argc, char **argv)
{
    compare_arguments args;
    int parsed = parse_arguments(argc, argv, &args);
    if (parsed != 0)
        return parsed == 1 ? 0 : 2;
    if (args.fidelity)
        return compare_print_fidelity(args.db, args.table, args.programs, stdout) == 0 ? 0 : 1;
    compare_set candidate = {0}, reference = {0};
    run_list candidate_run, reference_run;
    int status = 1;
    if (load(args.db, args.run, &candidate, &candidate_run) != 0)
        goto done;
    if (!args.against && !args.against_db) {
        if (read_given_held_out(&args) != 0) {
            status = 2;
            goto done;
        }
        if (strcmp(args.mode, "all") == 0) {
            status = cli_usage_error("compare", "--mode all is for the regression check; the ratio table needs one mode (%s)",
                                 "execution, oneshot or compilation");
            goto done;
        }
        ratio_table table;
        char err[256];
        if (ratio_table_build(&candidate, args.baseline, args.mode, &table, err, sizeof err) != 0) {
            fprintf(stderr, "pvmlab compare: %s: ", args.db);
            print_run_list(stderr, &candidate_run);
            fprintf(stderr, ": %s\n", err);
            goto done;
        }
        printf("%s, ", args.db);
        print_run_list(stdout, &candidate_run);
        printf(", %s mode\n", args.mode);
        ratio_table_print(&table, args.baseline, stdout);
        ratio_table_free(&table);
        print_rv32_block(&candidate, &args);
        status = 0;
        goto done;
    }
    const char *reference_db = args.against_db ? args.against_db : args.db;
    if (load(reference_db, args.against, &reference, &reference_run) != 0)
        goto done;
    printf("regression check: %s ", args.db);
    print_run_list(stdout, &candidate_run);
    printf(" (candidate) against %s ", reference_db);
    print_run_list(stdout, &reference_run);
    printf(" (reference), threshold %.1f%%\n", args.threshold);
    regression_summary summary;
    regression_check(&reference, &candidate, strcmp(args.mode, "all") == 0 ? NULL : args.mode, args.threshold,
                     stdout, &summary);
    printf("%zu compared, %zu regressed (%zu of them vanished from the candidate), %zu improved beyond %.1f%%\n",
           summary.compared, summary.regressed, summary.vanished, summary.improved, args.threshold);
    if (summary.compared == 0)
        fprintf(stderr, "pvmlab compare: the two runs share no (engine, guest, mode)\n");
    status = summary.regressed > 0 ? 1 : 0;
done:
    pvmlab_run_medians_free(&candidate);
    pvmlab_run_medians_free(&reference);
    return status;
}
