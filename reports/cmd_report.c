#include "cmd_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "results.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: pvmlab report [--db PATH] [--out DIR] [--threshold PCT] [--gnuplot PROGRAM]\n"
            "Writes DIR/report.md and a self-contained DIR/report.html (figures in DIR/plots) from the\n"
            "results database. Defaults: --db %s, --out %s, --threshold %d (percent change of the\n"
            "median wall time that counts as a regression against the previous run).\n",
            PVMLAB_DB_DEFAULT_PATH, PVMLAB_REPORT_DEFAULT_OUT, PVMLAB_REPORT_DEFAULT_THRESHOLD_PCT);
}

int pvmlab_cmd_report(int argc, char **argv)
{
    pvmlab_report_options options = {.db_path = NULL};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!value) {
            fprintf(stderr, "pvmlab report: %s needs a value (try pvmlab report --help)\n", arg);
            return 2;
        }
        char *end = NULL;
        if (strcmp(arg, "--db") == 0)
            options.db_path = value;
        else if (strcmp(arg, "--out") == 0)
            options.out_dir = value;
        else if (strcmp(arg, "--gnuplot") == 0)
            options.gnuplot = value;
        else if (strcmp(arg, "--threshold") == 0 && (options.threshold_pct = strtod(value, &end)) > 0 && !*end)
            ;
        else {
            fprintf(stderr, "pvmlab report: bad option '%s %s' (try pvmlab report --help)\n", arg, value);
            return 2;
        }
        i++;
    }
    pvmlab_report_result result;
    char err[1024];
    if (pvmlab_report_write(&options, &result, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab report: %s\n", err);
        return 1;
    }
    if (*result.warning)
        fprintf(stderr, "pvmlab report: %s\n", result.warning);
    if (!result.has_data)
        printf("pvmlab report: no data in the database yet (run pvmlab bench); the report says so\n");
    printf("markdown: %s\n", result.markdown_path);
    printf("report: %s\n", result.html_path);
    return 0;
}
