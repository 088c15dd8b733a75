/* Storing a fidelity set: the set, its programs, and its summaries computed here by the one
 * definition (fidelity_summary.c), in one transaction. */
#include "db_internal.h"
#include "results_fidelity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void bind_real(sqlite3_stmt *statement, int index, double value)
{
    if (isnan(value))
        sqlite3_bind_null(statement, index);
    else
        sqlite3_bind_double(statement, index, value);
}

static int step_once(pvmlab_db *db, const char *sql, const db_value *values, size_t count, sqlite3_stmt **keep,
                     const char *what)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(db->sqlite, sql, -1, &statement, NULL) != SQLITE_OK)
        return db_fail(db, what);
    if (db_bind_values(db, statement, values, count) != 0) {
        sqlite3_finalize(statement);
        return -1;
    }
    if (keep) {
        *keep = statement;
        return 0;
    }
    int rc = sqlite3_step(statement) == SQLITE_DONE ? 0 : db_fail(db, what);
    sqlite3_finalize(statement);
    return rc;
}

static int insert_program(pvmlab_db *db, pvmlab_id set, const pvmlab_fidelity_program *p)
{
    if (!p->program || !*p->program)
        return db_failf(db, "a fidelity program needs a name");
    sqlite3_stmt *statement = NULL;
    const db_value key[] = {DB_INT_VALUE(set), DB_TEXT_VALUE(p->program)};
    if (step_once(db,
                  "INSERT INTO fidelity_programs (set_id, program, wall_ns, gas, lazy_gas, footprint_bytes, "
                  "memory_bound, instructions, l1_misses, l2_misses, branches, mispredicts)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                  key, 2, &statement, "preparing a fidelity program") != 0)
        return -1;
    bind_real(statement, 3, p->wall_ns);
    sqlite3_bind_int64(statement, 4, p->gas);
    db_bind_maybe(statement, 5, p->lazy_gas);
    db_bind_maybe(statement, 6, p->footprint_bytes);
    sqlite3_bind_int(statement, 7, p->memory_bound ? 1 : 0);
    db_bind_maybe(statement, 8, p->instructions);
    db_bind_maybe(statement, 9, p->l1_misses);
    db_bind_maybe(statement, 10, p->l2_misses);
    db_bind_maybe(statement, 11, p->branches);
    db_bind_maybe(statement, 12, p->mispredicts);
    int rc = sqlite3_step(statement) == SQLITE_DONE ? 0 : db_failf(db, "storing fidelity program %s: %s", p->program,
                                                                     sqlite3_errmsg(db->sqlite));
    sqlite3_finalize(statement);
    return rc;
}

static int insert_summary(pvmlab_db *db, pvmlab_id set, const char *scope, const char *charges,
                          const pvmlab_fidelity_summary *s)
{
    sqlite3_stmt *statement = NULL;
    const db_value key[] = {DB_INT_VALUE(set), DB_TEXT_VALUE(scope), DB_TEXT_VALUE(charges),
                            DB_INT_VALUE((int64_t)s->programs), DB_TEXT_VALUE(s->worst_program),
                            DB_INT_VALUE(PVMLAB_FIDELITY_RESAMPLES), DB_INT_VALUE((int64_t)PVMLAB_FIDELITY_SEED)};
    if (step_once(db,
                  "INSERT INTO fidelity_summaries (set_id, scope, charges, programs, worst_program, resamples, seed,"
                  " min_ns_per_gas, median_ns_per_gas, max_ns_per_gas, max_over_median, max_over_median_low,"
                  " max_over_median_high, p95_over_median, p95_over_median_low, p95_over_median_high)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                  key, 7, &statement, "preparing a fidelity summary") != 0)
        return -1;
    const double reals[] = {s->min_ns_per_gas,         s->median_ns_per_gas,     s->max_ns_per_gas,
                            s->max_over_median.value,  s->max_over_median.low,   s->max_over_median.high,
                            s->p95_over_median.value,  s->p95_over_median.low,   s->p95_over_median.high};
    for (int i = 0; i < 9; i++)
        bind_real(statement, 8 + i, reals[i]);
    int rc = sqlite3_step(statement) == SQLITE_DONE ? 0 : db_fail(db, "storing a fidelity summary");
    sqlite3_finalize(statement);
    return rc;
}

/* The summaries of one scope: "charged" and "uncharged" with lazy pages, else "eager". */
static int summarise_scope(pvmlab_db *db, pvmlab_id set, const char *scope, const pvmlab_fidelity_program *programs,
                           size_t count, bool lazy, pvmlab_fidelity_point *points)
{
    static const char *const CHARGES[] = {"charged", "uncharged"};
    for (int c = 0; c < (lazy ? 2 : 1); c++) {
        size_t n = 0;
        for (size_t i = 0; i < count; i++) {
            const pvmlab_fidelity_program *p = &programs[i];
            bool memory = strcmp(scope, "memory") == 0, compute = strcmp(scope, "compute") == 0;
            if ((memory && !p->memory_bound) || (compute && p->memory_bound))
                continue;
            int64_t gas = p->gas - (c == 1 && p->lazy_gas.present ? p->lazy_gas.value : 0);
            points[n++] = (pvmlab_fidelity_point){.program = p->program, .ns = p->wall_ns, .gas = (double)gas};
        }
        if (n == 0)
            return 0;
        pvmlab_fidelity_summary summary;
        if (pvmlab_fidelity_summarise(points, n, &summary) != 0)
            return db_failf(db, "summarising fidelity: out of memory");
        if (insert_summary(db, set, scope, lazy ? CHARGES[c] : "eager", &summary) != 0)
            return -1;
    }
    return 0;
}

int pvmlab_db_store_fidelity(pvmlab_db *db, const pvmlab_fidelity_set *set, const pvmlab_fidelity_program *programs,
                             size_t count, pvmlab_id *out)
{
    if (!set->cost_table_hash || !*set->cost_table_hash || !set->program_set || !*set->program_set)
        return db_failf(db, "a fidelity set needs a cost table hash and a program set");
    pvmlab_fidelity_point *points = malloc((count ? count : 1) * sizeof *points);
    if (!points)
        return db_failf(db, "storing fidelity: out of memory");
    if (db_atomic_begin(db) != 0) {
        free(points);
        return -1;
    }
    const db_value row[] = {DB_INT_VALUE(set->run),          DB_TEXT_VALUE(set->calibration_uuid),
                            DB_TEXT_VALUE(set->cost_table_hash), DB_TEXT_VALUE(set->model),
                            DB_TEXT_VALUE(set->backend),     DB_TEXT_VALUE(set->program_set),
                            DB_INT_VALUE(set->held_out ? 1 : 0), DB_TEXT_VALUE(set->memory_rule),
                            DB_REAL_VALUE(set->ps_per_gas > 0 ? set->ps_per_gas : NAN)};
    int rc = step_once(db,
                       "INSERT INTO fidelity_sets (run_id, calibration_uuid, cost_table_hash, model, backend,"
                       " program_set, held_out, memory_rule, ps_per_gas) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                       row, 9, NULL, "storing a fidelity set");
    pvmlab_id id = rc == 0 ? sqlite3_last_insert_rowid(db->sqlite) : 0;
    bool lazy = false, known = false;
    size_t memory = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        lazy = lazy || programs[i].lazy_gas.present;
        known = known || programs[i].footprint_bytes.present;
        memory += programs[i].memory_bound;
        rc = insert_program(db, id, &programs[i]);
    }
    /* the split says something only when both kinds are there; else "all" is the one kind */
    bool classified = known && memory > 0 && memory < count;
    static const char *const SCOPES[] = {"all", "compute", "memory"};
    for (int s = 0; s < (classified ? 3 : 1) && rc == 0; s++)
        rc = summarise_scope(db, id, SCOPES[s], programs, count, lazy, points);
    free(points);
    if (rc != 0)
        return db_atomic_abort(db);
    if (db_atomic_commit(db) != 0)
        return -1;
    if (out)
        *out = id;
    return db_ok(db);
}
