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
    " f.p95_over_median_low, f.p95_over_median_high, f.worst_program"
    " FROM fidelity_summaries f JOIN fidelity_sets s ON s.id = f.set_id JOIN runs r ON r.id = s.run_id"
    " WHERE (?1 = 0 OR NOT EXISTS (SELECT 1 FROM fidelity_sets s2 JOIN runs r2 ON r2.id = s2.run_id"
    "   WHERE s2.cost_table_hash = s.cost_table_hash AND s2.backend = s.backend AND s2.program_set = s.program_set"
    "   AND (r2.started_at > r.started_at OR (r2.started_at = r.started_at AND r2.uuid > r.uuid))))"
    " AND (?2 IS NULL OR substr(s.cost_table_hash, 1, length(?2)) = ?2"
    "   OR substr(s.cost_table_hash, 9, length(?2)) = ?2 OR substr(s.calibration_uuid, 1, length(?2)) = ?2)"
    " ORDER BY s.model, s.calibration_uuid, s.cost_table_hash, s.backend, s.program_set, r.started_at, r.uuid,"
    " CASE f.scope WHEN 'all' THEN 0 WHEN 'compute' THEN 1 ELSE 2 END,"
    " CASE f.charges WHEN 'charged' THEN 0 WHEN 'uncharged' THEN 1 ELSE 2 END";

static const char *text_at(sqlite3_stmt *statement, int column)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    return text ? (const char *)text : "";
}

static double real_at(sqlite3_stmt *statement, int column)
{
    return sqlite3_column_type(statement, column) == SQLITE_NULL ? NAN : sqlite3_column_double(statement, column);
}

static void read_row(sqlite3_stmt *st, pvmlab_fidelity_row *row)
{
    memset(row, 0, sizeof *row);
    row->set_id = sqlite3_column_int64(st, 0);
    row->run_uuid = text_at(st, 1);
    row->started_at = text_at(st, 2);
    row->calibration_uuid = text_at(st, 3);
    row->cost_table_hash = text_at(st, 4);
    row->model = text_at(st, 5);
    row->backend = text_at(st, 6);
    row->program_set = text_at(st, 7);
    row->memory_rule = text_at(st, 8);
    row->held_out = sqlite3_column_int(st, 9) != 0;
    row->scope = text_at(st, 10);
    row->charges = text_at(st, 11);
    pvmlab_fidelity_summary *s = &row->summary;
    s->programs = (size_t)sqlite3_column_int64(st, 12);
    s->min_ns_per_gas = real_at(st, 13);
    s->median_ns_per_gas = real_at(st, 14);
    s->max_ns_per_gas = real_at(st, 15);
    s->max_over_median = (pvmlab_interval){real_at(st, 16), real_at(st, 17), real_at(st, 18)};
    s->p95_over_median = (pvmlab_interval){real_at(st, 19), real_at(st, 20), real_at(st, 21)};
    snprintf(s->worst_program, sizeof s->worst_program, "%s", text_at(st, 22));
}

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
    int rc, result = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pvmlab_fidelity_row row;
        read_row(st, &row);
        if ((result = visit(&row, context)) != 0)
            break;
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = db_fail(db, "reading fidelity");
    sqlite3_finalize(st);
    if (result == 0)
        db_ok(db);
    return result;
}

static pvmlab_maybe_i64 maybe_at(sqlite3_stmt *st, int column)
{
    if (sqlite3_column_type(st, column) == SQLITE_NULL)
        return (pvmlab_maybe_i64){.present = false};
    return (pvmlab_maybe_i64){.present = true, .value = sqlite3_column_int64(st, column)};
}

int pvmlab_db_foreach_fidelity_program(pvmlab_db *db, pvmlab_id set_id,
                                       int (*visit)(const pvmlab_fidelity_program *program, void *context),
                                       void *context)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sqlite,
                           "SELECT program, wall_ns, gas, lazy_gas, footprint_bytes, memory_bound"
                           " FROM fidelity_programs WHERE set_id = ?1 ORDER BY program",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "reading fidelity programs");
    sqlite3_bind_int64(st, 1, set_id);
    int rc, result = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pvmlab_fidelity_program p = {.program = text_at(st, 0), .wall_ns = real_at(st, 1),
                                     .gas = sqlite3_column_int64(st, 2), .lazy_gas = maybe_at(st, 3),
                                     .footprint_bytes = maybe_at(st, 4), .memory_bound = sqlite3_column_int(st, 5) != 0};
        if ((result = visit(&p, context)) != 0)
            break;
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = db_fail(db, "reading fidelity programs");
    sqlite3_finalize(st);
    if (result == 0)
        db_ok(db);
    return result;
}
