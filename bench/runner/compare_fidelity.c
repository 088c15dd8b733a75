/* pvmlab compare --fidelity (see compare_fidelity.h). */
#include "compare_fidelity.h"

#include <stdio.h>
#include <string.h>

#include "results/open_results.h"
#include "results/results.h"
#include "results/results_fidelity.h"

typedef struct printer {
    FILE *out;
    size_t rows;
    char last_table[128];
} printer;

static int print_row(const pvmlab_fidelity_row *row, void *context)
{
    printer *p = context;
    char table[128], line[1024];
    snprintf(table, sizeof table, "%s %s", row->cost_table_hash, row->calibration_uuid);
    if (p->rows == 0 || strcmp(table, p->last_table) != 0)
        fprintf(p->out, "cost table %s (calibration %s)\n", row->cost_table_hash,
                row->calibration_uuid[0] ? row->calibration_uuid : "none: built-in model");
    snprintf(p->last_table, sizeof p->last_table, "%s", table);
    fprintf(p->out, "  %s\n", pvmlab_fidelity_row_format(row, line, sizeof line));
    p->rows++;
    return 0;
}

int compare_print_fidelity(const char *db_path, const char *match, FILE *out)
{
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    if (pvmlab_open_results(db_path, &db, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab compare: %s\n", err);
        return -1;
    }
    printer p = {.out = out};
    pvmlab_fidelity_filter filter = {.latest_only = true, .table_match = match};
    fprintf(out, "fidelity in %s: ns/gas per program; max/median and p95/median with %d%% bootstrap intervals "
                 "(%d resamples, fixed seed)\n",
            db_path, (int)(PVMLAB_FIDELITY_CONFIDENCE * 100 + 0.5), PVMLAB_FIDELITY_RESAMPLES);
    int rc = pvmlab_db_foreach_fidelity(db, &filter, print_row, &p);
    if (rc != 0)
        fprintf(stderr, "pvmlab compare: %s\n", pvmlab_db_error(db));
    else if (p.rows == 0) {
        fprintf(stderr, "pvmlab compare: %s: no fidelity stored%s%s (pvmlab tables measures it)\n", db_path,
                match ? " for " : "", match ? match : "");
        rc = 1;
    }
    pvmlab_db_close(db);
    return rc;
}
