/* pvmlab compare: the ratio table of a run against a baseline engine, or the regression
 * check of a run against a reference run (same or another database). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "cmd_compare.h"
#include "compare_data.h"
#include "compare_fidelity.h"
#include "ratio_table.h"
#include "regression_check.h"

static const char USAGE[] =
    "usage: pvmlab compare [--db PATH] [--run ID] [--baseline ENGINE] [--mode MODE]\n"
    "                      [--against RUN] [--against-db PATH] [--threshold PCT]\n"
    "       pvmlab compare [--db PATH] --fidelity [--table HASH|UUID]\n"
    "  without --against/--against-db: ratios of every engine to the baseline (default native)\n"
    "  per guest and their geometric mean, for run ID (default: the newest run with samples)\n"
    "  with them: the regression check of run ID against the reference run (default: the newest\n"
    "  in --against-db, else in --db); exit 1 when a median got slower by more than PCT percent\n"
    "  (default 10). --mode: execution (default), oneshot, compilation, or all (check only)\n"
    "  --fidelity: the stored fidelity of each cost table (pvmlab tables), newest per program set:\n"
    "  ns/gas max/median and p95/median with bootstrap intervals, held-out and training sets, all /\n"
    "  compute-bound / memory-bound programs, with and without lazy-page charges; --table narrows it\n"
    "  to a cost table hash or calibration uuid prefix\n";

typedef struct compare_arguments {
    const char *db, *against_db, *baseline, *mode;
    const char *run, *against, *table;
    double threshold;
    bool fidelity;
} compare_arguments;

static bool parse_run_id(const char *text, pvmlab_id *out)
{
    char *end;
    long long value = strtoll(text, &end, 10);
    if (*text == '\0' || *end != '\0' || value <= 0)
        return false;
    *out = value;
    return true;
}

/* 0 parsed, 1 --help printed, 2 usage error printed. */
static int parse_arguments(int argc, char **argv, compare_arguments *args)
{
    const char *threshold = NULL;
    *args = (compare_arguments){.db = PVMLAB_DB_DEFAULT_PATH, .baseline = "native", .mode = "execution",
                                .threshold = 10.0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(USAGE, stdout);
            return 1;
        }
        if (strcmp(argv[i], "--fidelity") == 0) {
            args->fidelity = true;
            continue;
        }
        struct {
            const char *name;
            const char **value;
        } options[] = {{"--db", &args->db},          {"--against-db", &args->against_db}, {"--run", &args->run},
                       {"--against", &args->against}, {"--baseline", &args->baseline},     {"--mode", &args->mode},
                       {"--threshold", &threshold},   {"--table", &args->table}};
        int found = 0;
        for (size_t o = 0; o < sizeof options / sizeof options[0] && !found; o++) {
            found = bench_option_value(argc, argv, &i, options[o].name, options[o].value);
            if (found < 0)
                return bench_usage_error("compare", "%s needs a value", options[o].name);
        }
        if (!found)
            return bench_usage_error("compare", "unknown argument '%s'", argv[i]);
    }
    if (args->table && !args->fidelity)
        return bench_usage_error("compare", "--table goes with --fidelity");
    if (args->fidelity && (args->run || args->against || args->against_db))
        return bench_usage_error("compare", "--fidelity reads stored fidelity; --run and --against are for ratios");
    pvmlab_id ignored;
    if (args->run && !parse_run_id(args->run, &ignored))
        return bench_usage_error("compare", "--run wants a run id, not '%s'", args->run);
    if (args->against && !parse_run_id(args->against, &ignored))
        return bench_usage_error("compare", "--against wants a run id, not '%s'", args->against);
    if (threshold) {
        char *end;
        args->threshold = strtod(threshold, &end);
        if (*threshold == '\0' || *end != '\0' || !(args->threshold >= 0) || isinf(args->threshold))
            return bench_usage_error("compare", "--threshold wants a percentage, not '%s'", threshold);
    }
    static const char *const MODES[] = {"execution", "oneshot", "compilation", "all"};
    bool known = false;
    for (size_t m = 0; m < 4; m++)
        known = known || strcmp(args->mode, MODES[m]) == 0;
    if (!known)
        return bench_usage_error("compare", "unknown mode '%s' (execution, oneshot, compilation, all)", args->mode);
    return 0;
}

/* Opens path read-mostly and loads run_text's medians (the newest run when NULL). */
static int load(const char *path, const char *run_text, compare_set *set, pvmlab_id *run)
{
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db_options options = {.create = false};
    pvmlab_db *db;
    if (pvmlab_db_open(path, &options, &db, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab compare: %s\n", err);
        return -1;
    }
    int status = run_text ? (parse_run_id(run_text, run) ? 0 : -1) : compare_latest_run(db, run, err, sizeof err);
    if (status == 0)
        status = compare_load_run(db, *run, set, err, sizeof err);
    if (status != 0)
        fprintf(stderr, "pvmlab compare: %s: %s\n", path, err);
    pvmlab_db_close(db);
    return status;
}

int pvmlab_cmd_compare(int argc, char **argv)
{
    compare_arguments args;
    int parsed = parse_arguments(argc, argv, &args);
    if (parsed != 0)
        return parsed == 1 ? 0 : 2;
    if (args.fidelity) {
        int rc = compare_print_fidelity(args.db, args.table, stdout);
        return rc == 0 ? 0 : 1;
    }
    compare_set candidate = {0}, reference = {0};
    pvmlab_id candidate_run, reference_run;
    int status = 1;
    if (load(args.db, args.run, &candidate, &candidate_run) != 0)
        goto done;
    if (!args.against && !args.against_db) {
        if (strcmp(args.mode, "all") == 0) {
            status = bench_usage_error("compare", "--mode all is for the regression check; the ratio table needs one mode (%s)",
                                 "execution, oneshot or compilation");
            goto done;
        }
        ratio_table table;
        char err[256];
        if (ratio_table_build(&candidate, args.baseline, args.mode, &table, err, sizeof err) != 0) {
            fprintf(stderr, "pvmlab compare: %s: run %lld: %s\n", args.db, (long long)candidate_run, err);
            goto done;
        }
        printf("%s, run %lld, %s mode\n", args.db, (long long)candidate_run, args.mode);
        ratio_table_print(&table, args.baseline, stdout);
        ratio_table_free(&table);
        status = 0;
        goto done;
    }
    const char *reference_db = args.against_db ? args.against_db : args.db;
    if (load(reference_db, args.against, &reference, &reference_run) != 0)
        goto done;
    printf("regression check: %s run %lld (candidate) against %s run %lld (reference), threshold %.1f%%\n",
           args.db, (long long)candidate_run, reference_db, (long long)reference_run, args.threshold);
    regression_summary summary;
    regression_check(&reference, &candidate, strcmp(args.mode, "all") == 0 ? NULL : args.mode, args.threshold,
                     stdout, &summary);
    printf("%zu compared, %zu regressed, %zu improved beyond %.1f%%\n", summary.compared, summary.regressed,
           summary.improved, args.threshold);
    if (summary.compared == 0)
        fprintf(stderr, "pvmlab compare: the two runs share no (engine, guest, mode)\n");
    status = summary.regressed > 0 ? 1 : 0;
done:
    compare_set_free(&candidate);
    compare_set_free(&reference);
    return status;
}
