/* pvmlab_report: the Markdown + self-contained HTML report over a results database.
 * Nothing here prints, exits or aborts; every failure is one line in err. */
#ifndef PVMLAB_REPORT_H
#define PVMLAB_REPORT_H

#include <stdbool.h>
#include <stddef.h>

enum { PVMLAB_REPORT_PATH_MAX = 4096, PVMLAB_REPORT_DEFAULT_THRESHOLD_PCT = 10 };

#define PVMLAB_REPORT_DEFAULT_OUT "reports/out"

typedef struct pvmlab_report_options {
    const char *db_path;      /* NULL: PVMLAB_DB_DEFAULT_PATH; must exist */
    const char *out_dir;      /* NULL: PVMLAB_REPORT_DEFAULT_OUT; created if missing */
    double threshold_pct;     /* regression threshold on median wall time; <= 0: the default */
    const char *gnuplot;      /* NULL: "gnuplot" on PATH */
    const char *template_dir; /* NULL: plots/templates of this source tree */
    int timeout_ms;           /* per gnuplot run; <= 0: the plots default */
} pvmlab_report_options;

typedef struct pvmlab_report_result {
    char markdown_path[PVMLAB_REPORT_PATH_MAX]; /* absolute */
    char html_path[PVMLAB_REPORT_PATH_MAX];     /* absolute */
    bool has_data;     /* the database had samples or calibrations */
    char warning[640]; /* set when the figures could not be drawn; the report says so too */
} pvmlab_report_result;

/* Writes OUT/report.md, OUT/report.html and the figures in OUT/plots. Returns 0 (also for an
 * empty database, whose report says there is no data, and when gnuplot is missing: then
 * result->warning is set); -1 with one line in err when the database is missing or
 * unreadable or a file cannot be written. */
int pvmlab_report_write(const pvmlab_report_options *options, pvmlab_report_result *result, char *err,
                        size_t err_len);

#endif
