/* Where each compile went (bench/runner/compile_rounds.c): the work on the compile's
 * path against its wall time, the verdicts (worked, waited with or without preemptions),
 * and a report that lists every sample and details each slow one. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/runner/compile_rounds.h"

/* A sample as adapter_pvm.c stores it, times in microseconds; codegen_wall varies. */
static bench_timing sample(double codegen_wall_us, int preemptions)
{
    bench_timing t = {0};
    const struct {
        const char *name;
        double us;
    } stages[] = {{"parse_ns", 10},           {"decode_ns", 1000},        {"block_cost_ns", 500},
                  {"codegen_ns", codegen_wall_us}, {"compile_cpu_ns", 6000}, {"decode_cpu_t1_ns", 900},
                  {"decode_cpu_t2_ns", 800},   {"block_cost_cpu_t1_ns", 400}, {"block_cost_cpu_t2_ns", 450},
                  {"codegen_cpu_t1_ns", 1900}, {"codegen_cpu_t2_ns", 1800}};
    for (size_t k = 0; k < sizeof stages / sizeof stages[0]; k++)
        t.stages[t.stage_count++] = (bench_stage){stages[k].name, (int64_t)(stages[k].us * 1000)};
    t.stages[t.stage_count++] = (bench_stage){BENCH_PREEMPTIONS_STAGE, preemptions};
    t.stages[t.stage_count++] = (bench_stage){BENCH_INSTRUCTIONS_STAGE, 1000};
    t.wall_ns = (int64_t)((1510 + codegen_wall_us) * 1000);
    return t;
}

static void path_and_waiting(void **state)
{
    (void)state;
    bench_timing t = sample(2000, 0);
    bench_compile_round r;
    assert_true(bench_compile_round_of(&t, &r));
    assert_true(r.wall == 3510e3);
    assert_true(r.path_cpu == (10 + 900 + 450 + 1900) * 1e3); /* per stage the busier thread */
    assert_true(r.waited == 250e3);
    assert_string_equal(bench_compile_round_verdict(&r), "worked");
    t = sample(6000, 3); /* the same work, 4 ms more wall in codegen */
    assert_true(bench_compile_round_of(&t, &r));
    assert_true(r.waited == 4250e3);
    assert_string_equal(bench_compile_round_verdict(&r), "waited, preempted");
    t = sample(6000, 0);
    assert_true(bench_compile_round_of(&t, &r));
    assert_string_equal(bench_compile_round_verdict(&r), "waited, not preempted");
    bench_timing none = {.wall_ns = 5}; /* an engine that times no stages */
    assert_false(bench_compile_round_of(&none, &r));
    t.stage_count--; /* without the instruction count: still a round */
    assert_true(bench_compile_round_of(&t, &r));
    assert_true(r.instructions == 0);
}

static char *report(const bench_timing *items, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    bench_print_compile_rounds(out, items, n);
    fclose(out);
    return text;
}

static size_t count(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what)) n++;
    return n;
}

static void report_lists_every_sample_and_each_slow_one(void **state)
{
    (void)state;
    bench_timing items[5] = {sample(2000, 0), sample(1990, 0), sample(7000, 2), sample(2010, 0), sample(6500, 0)};
    char *text = report(items, 5);
    assert_non_null(strstr(text, " 3.510 3.500 8.510* 3.520 8.010* ms"));
    assert_int_equal(count(text, "slow    #"), 2);
    /* per instruction: the median and least compile, and the path CPU (the same in every sample) */
    assert_non_null(strstr(text, "per instruction (1000): wall median 3520.0 ns, least 3500.0 ns; path CPU median "
                                 "3260.0 ns, least 3260.0 ns"));
    assert_non_null(strstr(text, "slow    #3: 8.51 ms"));
    assert_non_null(strstr(text, "slow    #5: 8.01 ms"));
    assert_non_null(strstr(text, "fastest #2: 3.5 ms"));
    assert_non_null(strstr(text, "median  #4: 3.52 ms"));
    assert_int_equal(count(text, "waited, preempted"), 1);
    assert_int_equal(count(text, "waited, not preempted"), 1);
    free(text);
    bench_timing plain[2] = {{.wall_ns = 1}, {.wall_ns = 2}}; /* no compile stages: nothing */
    text = report(plain, 2);
    assert_string_equal(text, "");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(path_and_waiting),
        cmocka_unit_test(report_lists_every_sample_and_each_slow_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
