/* Smoke test of `pvmlab counters`: exit 0, every backend listed, the PMU reason said once. */
#include "costmodel/counters/counters.h"
#include "tests/results/test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#ifndef PVMLAB_BIN
#error "PVMLAB_BIN must name the pvmlab executable"
#endif

static void test_counters_verb_lists_counters_and_reasons(void **state)
{
    (void)state;
    char output[16384];
    char *argv[] = {PVMLAB_BIN, "counters", NULL};
    assert_int_equal(test_run_command(argv, output, sizeof output), 0);

    static const char *const expected[] = {"cycles", "instructions", "l1d_misses", "task_clock_ns", "wall_ns",
                                           "tsc_cycles", "sim_instructions", "counters available"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        assert_non_null(strstr(output, expected[i]));
    char reason[PVMLAB_COUNTER_TEXT_MAX];
    if (!pvmlab_pmu_probe(reason, sizeof reason)) {
        assert_int_equal(count_occurrences(output, "no hardware PMU: perf_event_open(PERF_TYPE_HARDWARE"), 1);
        assert_non_null(strstr(output, reason));
    }
    /* Every line that says unavailable also says why. */
    for (const char *line = output; *line;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        const char *mark = strstr(line, "unavailable");
        if (mark && mark < line + length)
            assert_true(length > (size_t)(mark - line) + strlen("unavailable  ") + 3);
        line += length + (end ? 1 : 0);
    }
}

static void test_counters_verb_rejects_arguments(void **state)
{
    (void)state;
    char output[1024];
    char *argv[] = {PVMLAB_BIN, "counters", "--bogus", NULL};
    assert_int_equal(test_run_command(argv, output, sizeof output), 2);
    assert_non_null(strstr(output, "'--bogus'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counters_verb_lists_counters_and_reasons),
        cmocka_unit_test(test_counters_verb_rejects_arguments),
    };
    return cmocka_run_group_tests_name("counters_cli", tests, NULL, NULL);
}
