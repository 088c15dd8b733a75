/* The fidelity summary on known inputs (median, max/median, p95/median, bootstrap intervals
 * worked out by hand), and its storage: scopes, lazy-page charges, the one query, merge. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "results/results_fidelity.h"
#include "results_fixture.h"

static void summarise(const double *ns, const double *gas, size_t n, pvmlab_fidelity_summary *out)
{
    static const char *const NAMES[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k",
                                        "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v"};
    pvmlab_fidelity_point points[32];
    for (size_t i = 0; i < n; i++)
        points[i] = (pvmlab_fidelity_point){.program = NAMES[i], .ns = ns[i], .gas = gas ? gas[i] : 1.0};
    assert_int_equal(pvmlab_fidelity_summarise(points, n, out), 0);
}

/* ns/gas 1, 2, 3, 4, 10 (in a shuffled order, gas not 1): median 3, max/median 10/3,
 * p95 at rank 0.95 x 4 = 3.8, 4 + 0.8 x (10 - 4) = 8.8, so p95/median 8.8/3. */
static void point_values_by_hand(void **unused)
{
    (void)unused;
    const double ns[] = {40, 10, 100, 6, 20}, gas[] = {10, 10, 10, 2, 10};
    pvmlab_fidelity_summary s;
    summarise(ns, gas, 5, &s);
    assert_int_equal(s.programs, 5);
    assert_float_equal(s.min_ns_per_gas, 1.0, 1e-12);
    assert_float_equal(s.median_ns_per_gas, 3.0, 1e-12);
    assert_float_equal(s.max_ns_per_gas, 10.0, 1e-12);
    assert_float_equal(s.max_over_median.value, 10.0 / 3.0, 1e-12);
    assert_float_equal(s.p95_over_median.value, 8.8 / 3.0, 1e-12);
    assert_string_equal(s.worst_program, "c");
    assert_true(s.p95_over_median.low <= s.p95_over_median.value && s.p95_over_median.value <= s.p95_over_median.high);
    assert_true(s.max_over_median.low >= 1.0);
    /* 1..21: median 11, p95 at rank 19 exactly: the 20th value. Even count: mean of the middle two. */
    double many[21];
    for (int i = 0; i < 21; i++)
        many[i] = 21 - i;
    summarise(many, NULL, 21, &s);
    assert_float_equal(s.p95_over_median.value, 20.0 / 11.0, 1e-12);
    summarise(many, NULL, 4, &s); /* 21, 20, 19, 18 */
    assert_float_equal(s.median_ns_per_gas, 19.5, 1e-12);
}

/* Two programs, ns/gas 1 and 3. A resample is {1,1} or {3,3} (max/median 1, p95/median 1)
 * with probability 1/2, else {1,3}: median 2, max/median 3/2, p95 = 1 + 0.95 x 2 = 2.9,
 * p95/median 1.45. So the 95 % interval is [1, 1.5] and [1, 1.45] (2000 draws: the chance
 * that fewer than 2.5 % land on either side is nil). */
static void interval_by_hand(void **unused)
{
    (void)unused;
    const double ns[] = {1, 3};
    pvmlab_fidelity_summary s;
    summarise(ns, NULL, 2, &s);
    assert_float_equal(s.max_over_median.value, 1.5, 1e-12);
    assert_float_equal(s.max_over_median.low, 1.0, 1e-12);
    assert_float_equal(s.max_over_median.high, 1.5, 1e-12);
    assert_float_equal(s.p95_over_median.value, 1.45, 1e-12);
    assert_float_equal(s.p95_over_median.low, 1.0, 1e-12);
    assert_float_equal(s.p95_over_median.high, 1.45, 1e-12);
    /* Every program alike: every resample gives 1. */
    const double same[] = {7, 7, 7, 7, 7, 7};
    summarise(same, NULL, 6, &s);
    assert_float_equal(s.max_over_median.low, 1.0, 1e-12);
    assert_float_equal(s.max_over_median.high, 1.0, 1e-12);
    assert_float_equal(s.p95_over_median.value, 1.0, 1e-12);
}

/* Seeded: the same points give the same bytes; no gas, or no programs, give NANs, not a number. */
static void deterministic_and_honest_about_nothing(void **unused)
{
    (void)unused;
    const double ns[] = {5, 9, 2, 8, 3, 3, 14, 6, 1, 7}, gas[] = {1, 2, 1, 1, 1, 1, 2, 1, 1, 0};
    pvmlab_fidelity_summary a, b;
    summarise(ns, gas, 10, &a);
    summarise(ns, gas, 10, &b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(a.programs, 9); /* the program without gas is left out */
    assert_true(a.max_over_median.low < a.max_over_median.high);
    summarise(ns, gas + 9, 1, &a); /* only a gas-0 program */
    assert_int_equal(a.programs, 0);
    assert_true(isnan(a.median_ns_per_gas) && isnan(a.max_over_median.value) && isnan(a.p95_over_median.low));
}

typedef struct collected {
    pvmlab_fidelity_row rows[16];
    char scope[16][16], charges[16][16], set[16][32], line[16][512];
    size_t count;
} collected;

static int collect(const pvmlab_fidelity_row *row, void *context)
{
    collected *c = context;
    if (c->count == 16)
        return 1;
    c->rows[c->count] = *row;
    snprintf(c->scope[c->count], 16, "%s", row->scope);
    snprintf(c->charges[c->count], 16, "%s", row->charges);
    snprintf(c->set[c->count], 32, "%s", row->program_set);
    pvmlab_fidelity_row_format(row, c->line[c->count], sizeof c->line[0]);
    c->count++;
    return 0;
}

static void store_lazy_set(pvmlab_db *db, pvmlab_id run)
{
    const pvmlab_fidelity_set set = {.run = run, .calibration_uuid = "11111111-2222-4333-8444-555555555555",
                                     .cost_table_hash = "xxh3-64:00000000000000aa", .model = "pipeline-l2hit",
                                     .backend = "jit", .program_set = "guests-rv64", .held_out = true,
                                     .memory_rule = "memory-bound: touches more than 512 KiB", .ps_per_gas = 1600};
    /* compute a, b: ns/gas 2 and 2 (no lazy gas); memory c: 1000 ns, 100 gas of which 50 lazy. */
    const pvmlab_fidelity_program programs[] = {
        {.program = "a", .wall_ns = 200, .gas = 100, .lazy_gas = {true, 0}},
        {.program = "b", .wall_ns = 400, .gas = 200, .lazy_gas = {true, 0}},
        {.program = "c", .wall_ns = 1000, .gas = 100, .lazy_gas = {true, 50}, .footprint_bytes = {true, 1 << 22},
         .memory_bound = true, .instructions = {true, 5000}, .l1_misses = {true, 400}, .l2_misses = {true, 0},
         .branches = {true, 700}, .mispredicts = {true, 3}},
    };
    pvmlab_id id;
    assert_int_equal(pvmlab_db_store_fidelity(db, &set, programs, 3, &id), 0);
    assert_int_equal(pvmlab_db_store_fidelity(db, &set, programs, 3, &id), -1); /* same key twice */
}

static void stored_scopes_and_charges(void **state)
{
    results_fixture *f = *state;
    store_lazy_set(f->db, f->ids.run);
    collected c = {0};
    assert_int_equal(pvmlab_db_foreach_fidelity(f->db, NULL, collect, &c), 0);
    /* all, compute, memory, each charged and uncharged, in that order */
    assert_int_equal(c.count, 6);
    const char *scopes[] = {"all", "all", "compute", "compute", "memory", "memory"};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(c.scope[i], scopes[i]);
        assert_string_equal(c.charges[i], i % 2 ? "uncharged" : "charged");
    }
    /* all, charged: 2, 2, 10 -> median 2, max/median 5; uncharged: c is 1000/50 = 20 -> 10 */
    assert_float_equal(c.rows[0].summary.max_over_median.value, 5.0, 1e-12);
    assert_float_equal(c.rows[1].summary.max_over_median.value, 10.0, 1e-12);
    assert_float_equal(c.rows[2].summary.max_over_median.value, 1.0, 1e-12);
    assert_int_equal(c.rows[4].summary.programs, 1);
    assert_string_equal(c.rows[4].summary.worst_program, "c");
    assert_true(c.rows[0].held_out);
    /* the table's gas unit comes back with every row, and the one-line format compares the median
     * with it: 2 ns/gas = 2000 ps/gas against 1600, +25 % */
    assert_float_equal(c.rows[0].ps_per_gas, 1600, 0);
    assert_non_null(strstr(c.line[0], "; median 2000.0 ps/gas against the unit's 1600.0 (+25%)"));
    /* the filter matches a hash (with or without its xxh3-64: prefix) or a calibration uuid prefix */
    pvmlab_fidelity_filter filter = {.latest_only = true, .table_match = "00000000000000aa"};
    c.count = 0;
    assert_int_equal(pvmlab_db_foreach_fidelity(f->db, &filter, collect, &c), 0);
    assert_int_equal(c.count, 6);
    filter.table_match = "11111111";
    c.count = 0;
    assert_int_equal(pvmlab_db_foreach_fidelity(f->db, &filter, collect, &c), 0);
    assert_int_equal(c.count, 6);
    /* a set whose programs are all of one kind gets no compute/memory split: "all" is that kind */
    const pvmlab_fidelity_set one_kind = {.run = f->ids.run, .cost_table_hash = "xxh3-64:00000000000000bb",
                                          .model = "table", .backend = "interp", .program_set = "generated seed=1",
                                          .held_out = true};
    const pvmlab_fidelity_program compute_only[] = {
        {.program = "m1", .wall_ns = 10, .gas = 10, .lazy_gas = {true, 0}, .footprint_bytes = {true, 4096}},
        {.program = "m2", .wall_ns = 30, .gas = 10, .lazy_gas = {true, 0}, .footprint_bytes = {true, 4096}}};
    assert_int_equal(pvmlab_db_store_fidelity(f->db, &one_kind, compute_only, 2, NULL), 0);
    filter.table_match = "00000000000000bb";
    c.count = 0;
    assert_int_equal(pvmlab_db_foreach_fidelity(f->db, &filter, collect, &c), 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.scope[0], "all");
    assert_string_equal(c.scope[1], "all");
    filter.table_match = "nothing";
    c.count = 0;
    assert_int_equal(pvmlab_db_foreach_fidelity(f->db, &filter, collect, &c), 0);
    assert_int_equal(c.count, 0);
}

static int count_program(const pvmlab_fidelity_program *p, void *context)
{
    int *n = context;
    if (strcmp(p->program, "c") == 0) {
        assert_true(p->memory_bound);
        assert_true(p->lazy_gas.present);
        assert_int_equal(p->lazy_gas.value, 50);
        assert_int_equal(p->footprint_bytes.value, 1 << 22);
        /* the replay's counts come back as stored, a count of 0 included */
        assert_int_equal(p->instructions.value, 5000);
        assert_int_equal(p->l1_misses.value, 400);
        assert_true(p->l2_misses.present);
        assert_int_equal(p->l2_misses.value, 0);
        assert_int_equal(p->branches.value, 700);
        assert_int_equal(p->mispredicts.value, 3);
    } else { /* not replayed: absent, never 0 */
        assert_false(p->instructions.present);
        assert_false(p->l1_misses.present);
        assert_false(p->mispredicts.present);
    }
    (*n)++;
    return 0;
}

/* Newest run wins; a merged copy answers the same query with the same numbers. */
static void newest_run_and_merge(void **state)
{
    results_fixture *f = *state;
    store_lazy_set(f->db, f->ids.run);
    pvmlab_id later;
    assert_int_equal(pvmlab_db_run_begin(f->db, f->ids.machine, f->ids.build, "later", &later, NULL), 0);
    assert_int_equal(results_query_int(f->db, "SELECT count(*) FROM runs"), 2);
    /* make the order of start times certain */
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE runs SET started_at = '2999-01-01T00:00:00.000Z' WHERE id = %lld",
             (long long)later);
    assert_int_equal(sqlite3_exec(pvmlab_db_sqlite(f->db), sql, NULL, NULL, NULL), 0);
    const pvmlab_fidelity_set set = {.run = later, .cost_table_hash = "xxh3-64:00000000000000aa",
                                     .model = "pipeline-l2hit", .backend = "jit", .program_set = "guests-rv64",
                                     .held_out = true};
    const pvmlab_fidelity_program programs[] = {{.program = "a", .wall_ns = 100, .gas = 100},
                                                {.program = "b", .wall_ns = 300, .gas = 100}};
    assert_int_equal(pvmlab_db_store_fidelity(f->db, &set, programs, 2, NULL), 0);
    collected c = {0};
    assert_int_equal(pvmlab_db_foreach_fidelity(f->db, NULL, collect, &c), 0);
    assert_int_equal(c.count, 1); /* the newer set only: eager, no footprint so no scopes but all */
    assert_string_equal(c.charges[0], "eager");
    assert_float_equal(c.rows[0].summary.max_over_median.value, 1.5, 1e-12);
    collected every = {0};
    pvmlab_fidelity_filter all = {.latest_only = false};
    assert_int_equal(pvmlab_db_foreach_fidelity(f->db, &all, collect, &every), 0);
    assert_int_equal(every.count, 7);
    int n = 0;
    /* rows: the newer set sorts first (no calibration uuid), then the older one with 3 programs */
    assert_int_equal(pvmlab_db_foreach_fidelity_program(f->db, every.rows[1].set_id, count_program, &n), 0);
    assert_int_equal(n, 3);

    /* merge into a database that already holds other rows, so every local id differs */
    char other[200];
    snprintf(other, sizeof other, "%s/merged.db", f->dir);
    pvmlab_db *merged;
    char err[PVMLAB_DB_ERROR_MAX];
    assert_int_equal(pvmlab_db_open(other, NULL, &merged, err, sizeof err), 0);
    results_ids ids;
    results_populate(merged, "someone-else", &ids);
    results_populate(merged, "someone-else-2", &ids);
    assert_int_equal(pvmlab_db_merge(merged, f->path, err, sizeof err), 0);
    assert_non_null(strstr(err, "+2 fidelity sets"));
    collected after = {0};
    assert_int_equal(pvmlab_db_foreach_fidelity(merged, &all, collect, &after), 0);
    assert_int_equal(after.count, every.count);
    for (size_t i = 0; i < after.count; i++) {
        assert_string_equal(after.scope[i], every.scope[i]);
        assert_memory_equal(&after.rows[i].summary, &every.rows[i].summary, sizeof after.rows[i].summary);
    }
    assert_int_equal(pvmlab_db_merge(merged, f->path, err, sizeof err), 0);
    assert_non_null(strstr(err, "+0 fidelity sets"));
    assert_int_equal(results_query_int(merged, "SELECT count(*) FROM fidelity_programs"), 5);
    pvmlab_db_close(merged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(point_values_by_hand),
        cmocka_unit_test(interval_by_hand),
        cmocka_unit_test(deterministic_and_honest_about_nothing),
        cmocka_unit_test_setup_teardown(stored_scopes_and_charges, results_fixture_setup, results_fixture_teardown),
        cmocka_unit_test_setup_teardown(newest_run_and_merge, results_fixture_setup, results_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
