/* Reading fidelity back: the stored summaries with their sets (the one query that compare,
 * plot and report use), and the programs of a set. "Newest" is by the run's start time and
 * then its uuid, never by a local row id, so a merged database answers the same. */
#include "db_internal.h"
#include "results_fidelity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char SUMMARY_SQL[] =
    "SELECT s.id, r.uuid, r.started_at, s.calibration_uuid, s.cost_table_hash, s.model, s.backend, s.program_set,"
    " s.memory_rule, s.held_out, f.scope, f.charges, f.programs, f.min_ns_per_gas, f.median_ns_per_gas,"
    " f.max_ns_per_gas, f.max_over_median, f.max_over_median_low, f.max_over_median_high, f.p95_over_median,"
    " f.p95_over_median_low, f.p95_over_median_high, f.worst_program, s.ps_per_gas"
    " FROM fidelity_summaries f JOIN fidelity_sets s ON s.id = f.set_id JOIN runs r ON r.id = s.run_id"
    " WHERE (?1 = 0 OR NOT EXISTS (SELECT 1 FROM fidelity_sets s2 JOIN runs r2 ON r2.id = s2.run_id"
    "   WHERE s2.cost_table_hash = s.cost_table_hash AND s2.backend = s.backend AND s2.program_set = s.program_set"
    "   AND (r2.started_at > r.started_at OR (r2.started_at = r.started_at AND r2.uuid > r.uuid))))"
    " AND (?2 IS NULL OR substr(s.cost_table_hash, 1, length(?2)) = ?2"
    "   OR substr(s.cost_table_hash, 9, length(?2)) = ?2 OR substr(s.calibration_uuid, 1, length(?2)) = ?2)"
    " ORDER BY s.model, s.calibration_uuid, s.cost_table_hash, s.backend, s.program_set, r.started_at, r.uuid,"
    " CASE f.scope WHEN 'all' THEN 0 WHEN 'compute' THEN 1 ELSE 2 END,"
    " CASE f.charges WHEN 'charged' THEN 0 WHEN 'uncharged' THEN 1 ELSE 2 END";

static void read_row(sqlite3_stmt *st, pvmlab_fidelity_row *row)
{
    memset(row, 0, sizeof *row);
    row->set_id = sqlite3_column_int64(st, 0);
    row->run_uuid = db_column_text(st, 1);
    row->started_at = db_column_text(st, 2);
    row->calibration_uuid = db_column_text(st, 3);
    row->cost_table_hash = db_column_text(st, 4);
    row->model = db_column_text(st, 5);
    row->backend = db_column_text(st, 6);
    row->program_set = db_column_text(st, 7);
    row->memory_rule = db_column_text(st, 8);
    row->held_out = sqlite3_column_int(st, 9) != 0;
    row->scope = db_column_text(st, 10);
    row->charges = db_column_text(st, 11);
    pvmlab_fidelity_summary *s = &row->summary;
    s->programs = (size_t)sqlite3_column_int64(st, 12);
    s->min_ns_per_gas = db_column_real(st, 13);
    s->median_ns_per_gas = db_column_real(st, 14);
    s->max_ns_per_gas = db_column_real(st, 15);
    s->max_over_median = (pvmlab_interval){db_column_real(st, 16), db_column_real(st, 17), db_column_real(st, 18)};
    s->p95_over_median = (pvmlab_interval){db_column_real(st, 19), db_column_real(st, 20), db_column_real(st, 21)};
    snprintf(s->worst_program, sizeof s->worst_program, "%s", db_column_text(st, 22));
    row->ps_per_gas = db_column_real(st, 23);
}

DB_ROW_VISITOR(summary, pvmlab_fidelity_row, read_row)

int pvmlab_db_foreach_fidelity(pvmlab_db *db, const pvmlab_fidelity_filter *filter,
                               int (*visit)(const pvmlab_fidelity_row *row, void *context), void *context)
{
    pvmlab_fidelity_filter latest = {.latest_only = true};
    if (!filter)
        filter = &latest;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sqlite, SUMMARY_SQL, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "reading fidelity");
    sqlite3_bind_int(st, 1, filter->latest_only ? 1 : 0);
    if (filter->table_match)
        sqlite3_bind_text(st, 2, filter->table_match, -1, SQLITE_TRANSIENT);
    summary_visitor visitor = {visit, context};
    int result = db_read_rows(db, st, handle_summary, &visitor, "fidelity");
    sqlite3_finalize(st);
    return result;
}

static void read_program(sqlite3_stmt *st, pvmlab_fidelity_program *p)
{
    *p = (pvmlab_fidelity_program){.program = db_column_text(st, 0), .wall_ns = db_column_real(st, 1),
                                   .gas = sqlite3_column_int64(st, 2), .lazy_gas = db_column_maybe(st, 3),
                                   .footprint_bytes = db_column_maybe(st, 4),
                                   .memory_bound = sqlite3_column_int(st, 5) != 0,
                                   .instructions = db_column_maybe(st, 6),
                                   .l1_misses = db_column_maybe(st, 7),
                                   .l2_misses = db_column_maybe(st, 8),
                                   .branches = db_column_maybe(st, 9),
                                   .mispredicts = db_column_maybe(st, 10)};
}
DB_ROW_VISITOR(program, pvmlab_fidelity_program, read_program)

int pvmlab_db_foreach_fidelity_program(pvmlab_db *db, pvmlab_id set_id,
                                       int (*visit)(const pvmlab_fidelity_program *program, void *context),
                                       void *context)
{
    program_visitor visitor = {visit, context};
    return db_query(db,
                    "SELECT program, wall_ns, gas, lazy_gas, footprint_bytes, memory_bound,"
                    " instructions, l1_misses, l2_misses, branches, mispredicts FROM fidelity_programs WHERE set_id = ?1 ORDER BY program",
                    &set_id, 1, handle_program, &visitor, "fidelity programs");
}
