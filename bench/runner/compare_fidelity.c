/* pvmlab compare --fidelity (see compare_fidelity.h). */
#include "compare_fidelity.h"

#include <stdio.h>
#include <string.h>

#include "results/open_results.h"
#include "results/results.h"
#include "results/results_fidelity.h"

typedef struct printer {
    pvmlab_db *db;
    FILE *out;
    bool programs;
    size_t rows;
    char last_table[128];
} printer;

/* The set's programs under its all-programs line (pvmlab report's per-program table). */
static int print_programs(printer *p, const pvmlab_fidelity_row *row)
{
    pvmlab_fidelity_program_list l;
    if (pvmlab_db_read_fidelity_programs(p->db, row->set_id, &l) != 0)
        return -1;
    fprintf(p->out, "    %-22s %9s %8s %9s %7s %7s %12s  %s\n", "program", "ns/gas", "x median", "instr M",
            "L1d/1k", "L2/1k", "mispred./1k", "replay points to");
    for (size_t i = 0; i < l.count; i++) {
        const pvmlab_fidelity_program *q = &l.items[i];
        double x = pvmlab_fidelity_ns_per_gas(q);
        pvmlab_fidelity_replay_text r;
        pvmlab_fidelity_replay_format(q, &r);
        fprintf(p->out, "    %-22s %9.4f %8.2f %9s %7s %7s %12s  %s%s\n", q->program, x,
                x / row->summary.median_ns_per_gas, r.instructions, r.l1_misses, r.l2_misses, r.mispredicts,
                r.points_to, q->memory_bound ? " (memory-bound)" : "");
    }
    pvmlab_fidelity_program_list_free(&l);
    return 0;
}

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
    if (p->programs && pvmlab_fidelity_row_lists_programs(row))
        return print_programs(p, row);
    return 0;
}

int compare_print_fidelity(const char *db_path, const char *match, bool programs, FILE *out)
{
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    if (pvmlab_open_results(db_path, &db, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab compare: %s\n", err);
        return -1;
    }
    printer p = {.db = db, .out = out, .programs = programs};
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
