#include "vm/util/cli_options.h"
#include "cmd_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "results/results.h"

int pvmlab_cmd_report(int argc, char **argv)
{
    char usage[1024];
    snprintf(usage, sizeof usage,
             "usage: pvmlab report [--db PATH] [--out DIR] [--threshold PCT] [--gnuplot PROGRAM]\n"
             "Writes DIR/report.md and a self-contained DIR/report.html (figures in DIR/plots) from the\n"
             "results database, which it only reads. Defaults: --db %s, --out %s, --threshold %d (percent\n"
             "change of the median wall time that counts as a regression against the previous run).\n",
             PVMLAB_DB_DEFAULT_PATH, PVMLAB_REPORT_DEFAULT_OUT, PVMLAB_REPORT_DEFAULT_THRESHOLD_PCT);
    pvmlab_report_options options = {.db_path = NULL};
    const char *threshold = NULL;
    const cli_option table[] = {
        CLI_VALUE("db", &options.db_path), CLI_VALUE("out", &options.out_dir), CLI_VALUE("gnuplot", &options.gnuplot), CLI_VALUE("threshold", &threshold),
    };
    int parsed = cli_parse("report", argc, argv, table, sizeof table / sizeof table[0], usage, NULL);
    if (parsed != CLI_PARSED)
        return parsed == CLI_HELP ? 0 : 2;
    char *end = NULL;
    if (threshold && (!((options.threshold_pct = strtod(threshold, &end)) > 0) || *end || options.threshold_pct > 1e6))
        return cli_usage_error("report", "--threshold wants a positive percentage, not '%s'", threshold);
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
