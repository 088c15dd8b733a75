/* The core-sharing probe and the rule that leaves a repetition on a shared core out: the rule
 * on known ratios, the probe's ratio on this machine (x86-64), the floor's bookkeeping, the
 * stored reading, and a program's median with shared repetitions left out (measure_summarise
 * as calibrate and --fit-runs use it). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "costmodel/calibrate/core_sharing.h"
#include "costmodel/calibrate/measure.h"

static void test_rule(void **state)
{
    (void)state;
    assert_false(core_sharing_is_shared(1.0));
    assert_false(core_sharing_is_shared(CORE_SHARED_FACTOR)); /* at the threshold: still the core alone */
    assert_false(core_sharing_is_shared(1.09));
    assert_true(core_sharing_is_shared(1.11));
    assert_true(core_sharing_is_shared(1.33)); /* a busy sibling's 33 % on this VM */
    assert_false(core_sharing_is_shared(NAN)); /* no probe: nothing is left out */
}

static void test_probe(void **state)
{
    (void)state;
    double r = core_sharing_probe();
#if defined(__x86_64__)
    /* Independent adds are never slower per add than a dependent chain of them, even with a
     * sibling busy (0.30 at worst here, 0.22 alone). */
    assert_true(r > 0 && r < 1);
#else
    print_message("no core-sharing probe on this architecture: the probe must say NaN\n");
    assert_true(isnan(r));
#endif
}

static void test_floor(void **state)
{
    (void)state;
    core_sharing s;
    core_sharing_init(&s, 0, 1);
#if defined(__x86_64__)
    assert_true(s.available);
    assert_true(s.floor > 0 && s.floor == s.floor_at_start);
    double over = core_sharing_check(&s);
    assert_true(over >= 1.0); /* the floor is the lowest ratio seen, this probe included */
    assert_int_equal(s.probes, 1);
    /* A reference far below anything this core can probe: every probe reads as shared and
     * the floor stays the reference. */
    core_sharing_init(&s, 1e-6, 0);
    assert_true(s.floor == 1e-6);
    assert_true(core_sharing_is_shared(core_sharing_check(&s)));
    assert_int_equal(s.shared, 1);
    /* A reference above the probe is replaced by the probe. */
    core_sharing_init(&s, 1e6, 0);
    assert_true(s.floor < 1.0);
#else
    assert_false(s.available);
    assert_true(isnan(core_sharing_check(&s)));
#endif
    assert_true(isnan(core_sharing_check(NULL)));
}

static void test_reading(void **state)
{
    (void)state;
    pvmlab_counter_reading r[2];
    assert_int_equal(measure_sharing_reading(1.05, &r[0]), 1);
    assert_string_equal(r[0].name, CORE_SHARING_READING);
    assert_true(r[0].available);
    assert_int_equal(r[0].value, 1050);
    assert_false(measure_was_shared(r, 1));
    measure_sharing_reading(1.25, &r[1]);
    assert_true(measure_was_shared(&r[1], 1));
    /* Unavailable: stored as NULL with its reason, never 0, and nothing is left out. */
    measure_sharing_reading(NAN, &r[0]);
    assert_false(r[0].available);
    assert_true(strlen(r[0].unavailable_reason) > 0);
    assert_false(measure_was_shared(r, 1));
    assert_false(measure_was_shared(r, 0));
}

/* A program timed 100 ns alone and 130 ns while a sibling ran: the median is the core's alone
 * once the shared repetitions are left out, and the shared ones are all it has otherwise. */
static void test_median_leaves_shared_out(void **state)
{
    (void)state;
    double all[6] = {130, 100, 131, 101, 129, 99}, clean[3] = {100, 101, 99}, cpu[6] = {130, 100, 131, 101, 129, 99};
    measurement m = {0};
    measure_summarise(clean, 3, all, 6, cpu, 6, &m);
    assert_true(m.median_ns == 100);
    assert_false(m.disturbed);
    measure_summarise(clean, 0, all, 6, cpu, 6, &m);
    assert_true(m.disturbed);
    assert_true(m.median_ns > 100 && m.median_ns < 130);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule),    cmocka_unit_test(test_probe),
        cmocka_unit_test(test_floor),   cmocka_unit_test(test_reading),
        cmocka_unit_test(test_median_leaves_shared_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
