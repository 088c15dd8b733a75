#include "vm/util/cli_options.h"
#include "calibration_read.h"
#include "cmd_db.h"
#include "open_results.h"
#include "results.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char USAGE[] =
    "usage: pvmlab db init  [--db PATH]\n"
    "       pvmlab db check [--db PATH | PATH]\n"
    "       pvmlab db merge [--db PATH] OTHER.db   (or: pvmlab db merge PATH OTHER.db)\n"
    "       pvmlab db calibration [--db PATH] ID|UUID   (one calibration: tab-separated fields, then\n"
    "                                                    'value KEY PS SE N' lines; NULL where unknown)\n"
    "       pvmlab db prune [--db PATH | PATH]   (drop samples, readings, benchmarks, engines and fit\n"
    "                                             details; keep calibrations, tables, runs; compact)\n"
    "PATH defaults to " PVMLAB_DB_DEFAULT_PATH ".\n";

enum { MAX_POSITIONAL = 2 };

typedef struct db_arguments {
    const char *subcommand;
    const char *db_path; /* from --db, or NULL */
    const char *positional[MAX_POSITIONAL];
    int positional_count;
} db_arguments;

/* Parses argv after the verb. Returns 0, 1 for --help (printed), or 2 after one line on stderr. */
static int parse_arguments(int argc, char **argv, db_arguments *out)
{
    memset(out, 0, sizeof *out);
    const char *words[1 + MAX_POSITIONAL];
    cli_positionals positionals = {words, 1 + MAX_POSITIONAL, 0};
    const cli_option options[] = {CLI_VALUE("db", &out->db_path)};
    int parsed = cli_parse("db", argc, argv, options, 1, USAGE, &positionals);
    if (parsed != CLI_PARSED)
        return parsed;
    if (positionals.count == 0)
        return cli_usage_error("db", "missing subcommand (init, check, merge, calibration or prune)");
    out->subcommand = words[0];
    for (int i = 1; i < positionals.count; i++)
        out->positional[out->positional_count++] = words[i];
    return 0;
}

/* The target database: --db, else the first positional when extra_positional allows it. */
static const char *target_path(const db_arguments *args, int operands)
{
    if (args->positional_count > operands && !args->db_path)
        return args->positional[0];
    return args->db_path ? args->db_path : PVMLAB_DB_DEFAULT_PATH;
}

static int command_init(const db_arguments *args)
{
    if (args->positional_count > 1 || (args->positional_count == 1 && args->db_path)) {
        fprintf(stderr, "pvmlab db init: takes one database path at most\n");
        return 2;
    }
    const char *path = target_path(args, 0);
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    if (pvmlab_db_open(path, NULL, &db, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("%s: ready (schema version %d)\n", path, pvmlab_db_schema_version_latest());
    pvmlab_db_close(db);
    return 0;
}

static int command_check(const db_arguments *args)
{
    if (args->positional_count > 1 || (args->positional_count == 1 && args->db_path)) {
        fprintf(stderr, "pvmlab db check: takes one database path at most\n");
        return 2;
    }
    char verdict[PVMLAB_DB_ERROR_MAX];
    int status = pvmlab_db_check(target_path(args, 0), verdict, sizeof verdict);
    fprintf(status == 0 ? stdout : stderr, "%s\n", verdict);
    return status;
}

static int command_merge(const db_arguments *args)
{
    int wanted = args->db_path ? 1 : args->positional_count;
    if (args->positional_count != wanted || wanted < 1) {
        fprintf(stderr, "pvmlab db merge: needs the file to merge from (pvmlab db merge [--db PATH] OTHER.db)\n");
        return 2;
    }
    const char *path = target_path(args, 1);
    const char *other = args->positional[args->positional_count - 1];
    char err[PVMLAB_DB_ERROR_MAX], summary[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    if (pvmlab_db_open(path, NULL, &db, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int status = pvmlab_db_merge(db, other, summary, sizeof summary);
    if (status == 0)
        printf("%s: merged %s: %s\n", path, other, summary);
    else
        fprintf(stderr, "%s\n", pvmlab_db_error(db));
    pvmlab_db_close(db);
    return status == 0 ? 0 : 1;
}

static void print_number(double value, const char *end)
{
    if (isnan(value))
        printf("NULL%s", end);
    else
        printf("%.17g%s", value, end);
}

/* One stored calibration as lines a script reads (read-only: scripts keep no SQL of their own). */
static int command_calibration(const db_arguments *args)
{
    int wanted = args->db_path ? 1 : args->positional_count;
    if (args->positional_count != wanted || wanted < 1 || wanted > 2) {
        fprintf(stderr, "pvmlab db calibration: needs one calibration id or uuid (pvmlab db calibration [--db PATH] ID)\n");
        return 2;
    }
    const char *path = target_path(args, 1);
    const char *name = args->positional[args->positional_count - 1];
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    if (pvmlab_open_results(path, &db, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab db calibration: %s\n", err);
        return 1;
    }
    pvmlab_id id = 0;
    char uuid[PVMLAB_UUID_LENGTH + 1];
    stored_calibration calibration;
    memset(&calibration, 0, sizeof calibration);
    int found = pvmlab_db_find_calibration(db, name, &id, uuid);
    if (found != 0) {
        snprintf(err, sizeof err, "%s", pvmlab_db_error(db)); /* names the file */
    } else {
        char why[PVMLAB_DB_ERROR_MAX - 64];
        found = calibration_read(db, id, &calibration, why, sizeof why);
        if (found != 0)
            snprintf(err, sizeof err, "%s: %s", path, why);
    }
    pvmlab_db_close(db);
    if (found != 0) {
        fprintf(stderr, "pvmlab db calibration: %s\n", err);
        stored_calibration_free(&calibration);
        return 1;
    }
    printf("id\t%lld\nuuid\t%s\nvm_backend\t%s\ntime_source\t%s\ncounters\t%s\nmachine\t%s\n", (long long)id,
           calibration.uuid, calibration.vm_backend, calibration.backend, calibration.counters, calibration.machine);
    for (size_t i = 0; i < calibration.count; i++) {
        const stored_value *value = &calibration.values[i];
        printf("value\t%s\t", value->key);
        print_number(value->ps, "\t");
        print_number(value->se, "\t");
        printf("%lld\n", (long long)value->n);
    }
    stored_calibration_free(&calibration);
    return 0;
}

static int command_prune(const db_arguments *args)
{
    if (args->positional_count > 1 || (args->positional_count == 1 && args->db_path)) {
        fprintf(stderr, "pvmlab db prune: takes one database path at most\n");
        return 2;
    }
    const char *path = target_path(args, 0);
    char err[PVMLAB_DB_ERROR_MAX], summary[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    if (pvmlab_db_open(path, NULL, &db, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int status = pvmlab_db_prune(db, summary, sizeof summary);
    if (status == 0)
        printf("%s: pruned: %s\n", path, summary);
    else
        fprintf(stderr, "%s\n", pvmlab_db_error(db));
    pvmlab_db_close(db);
    return status == 0 ? 0 : 1;
}

int pvmlab_cmd_db(int argc, char **argv)
{
    db_arguments args;
    int parsed = parse_arguments(argc, argv, &args);
    if (parsed != CLI_PARSED)
        return parsed == CLI_HELP ? 0 : 2;
    if (strcmp(args.subcommand, "init") == 0)
        return command_init(&args);
    if (strcmp(args.subcommand, "check") == 0)
        return command_check(&args);
    if (strcmp(args.subcommand, "merge") == 0)
        return command_merge(&args);
    if (strcmp(args.subcommand, "calibration") == 0)
        return command_calibration(&args);
    if (strcmp(args.subcommand, "prune") == 0)
        return command_prune(&args);
    fprintf(stderr, "pvmlab db: unknown subcommand '%s' (init, check, merge, calibration or prune)\n", args.subcommand);
    return 2;
}
