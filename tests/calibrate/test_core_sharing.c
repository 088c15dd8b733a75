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
    core_sharing_init(&s, 0, 20);
#if defined(__x86_64__)
    assert_true(s.available);
    assert_true(s.floor > 0 && s.floor == s.floor_at_start);
    double floor = s.floor, ratio = core_sharing_check(&s);
    assert_true(ratio > 0 && ratio < 1);
    assert_true(s.floor <= floor); /* one probe never raises the floor (nor lowers it alone) */
    assert_int_equal(s.probes, 1);
    /* A reference far below anything this core can probe: every probe reads as shared and
     * the floor stays the reference. */
    core_sharing_init(&s, 1e-6, 0);
    assert_true(s.floor == 1e-6);
    assert_true(core_sharing_is_shared(core_sharing_check(&s) / s.floor));
    assert_int_equal(s.shared, 1);
    /* A reference above the probe is replaced by the probe. */
    core_sharing_init(&s, 1e6, 20);
    assert_true(s.floor < 1.0);
#else
    assert_false(s.available);
    assert_true(isnan(core_sharing_check(&s)));
#endif
    assert_true(isnan(core_sharing_check(NULL)));
}

/* The floor is the lowest ratio enough probes agree on: five probes far low (a descheduled
 * chain kernel) do not make it, a hundred at the core's own ratio do, and ten of them are
 * not enough against a thousand probes with a busy sibling. */
static core_sharing planted;

static void test_floor_needs_support(void **state)
{
    (void)state;
    memset(&planted, 0, sizeof planted);
    planted.floor = NAN;
    for (int i = 0; i < 1000; i++) core_sharing_observe(&planted, 0.28 * (1 + 0.002 * (i % 3)));
    for (int i = 0; i < 5; i++) core_sharing_observe(&planted, 0.096);
    for (int i = 0; i < 10; i++) core_sharing_observe(&planted, 0.22);
    assert_true(fabs(planted.floor / 0.28 - 1) < 0.02);
    for (int i = 0; i < 90; i++) core_sharing_observe(&planted, 0.22 * (1 + 0.003 * (i % 2)));
    assert_true(fabs(planted.floor / 0.22 - 1) < 0.02);
    assert_true(core_sharing_is_shared(0.28 / planted.floor));
    assert_false(core_sharing_is_shared(0.222 / planted.floor));
    core_sharing_observe(&planted, NAN); /* no probe: nothing changes */
    assert_true(fabs(planted.floor / 0.22 - 1) < 0.02);
}

static void test_reading(void **state)
{
    (void)state;
    pvmlab_counter_reading r;
    assert_int_equal(measure_sharing_reading(0.2345, &r), 1);
    assert_string_equal(r.name, CORE_SHARING_READING);
    assert_true(r.available);
    assert_int_equal(r.value, 234500);
    assert_true(fabs(measure_sharing_probe(&r, 1) - 0.2345) < 1e-9);
    /* Unavailable: stored as NULL with its reason, never 0, and read back as no probe. */
    measure_sharing_reading(NAN, &r);
    assert_false(r.available);
    assert_true(strlen(r.unavailable_reason) > 0);
    assert_true(isnan(measure_sharing_probe(&r, 1)));
    assert_true(isnan(measure_sharing_probe(&r, 0)));
}

static measurement m; /* 8 KiB of repetitions: not on the stack */

/* Six repetitions: three alone (probe 0.22, 100 ns), two with a busy sibling (probe 0.29,
 * 130 ns), one descheduled. */
static void plant(void)
{
    static const measure_repetition reps[6] = {{130, 130, 0.29, false}, {100, 100, 0.22, false},
                                               {131, 131, 0.29, false}, {101, 101, 0.221, false},
                                               {500, 99, 0.22, true},   {99, 99, 0.2205, false}};
    memset(&m, 0, sizeof m);
    m.reps = 6;
    memcpy(m.rep, reps, sizeof reps);
}

/* The median is the core's alone once the shared repetitions are left out; against a floor
 * found late (a busy sibling through the opening probes) the same repetitions are judged
 * again; without a floor only the descheduled one is left out. */
static void test_judge(void **state)
{
    (void)state;
    plant();
    measure_judge(&m, 0.22);
    assert_true(m.median_ns == 100);
    assert_int_equal(m.n, 3);
    assert_int_equal(m.shared, 2);
    assert_int_equal(m.preempted, 1);
    assert_false(m.disturbed);
    plant();
    measure_judge(&m, 0.29); /* the floor the opening probes saw */
    assert_int_equal(m.shared, 0);
    assert_int_equal(m.n, 5);
    assert_true(m.median_ns == 101);
    measure_judge(&m, 0.22); /* the final floor */
    assert_true(m.median_ns == 100);
    plant();
    measure_judge(&m, NAN);
    assert_int_equal(m.n, 5);
    /* Every repetition on a shared core: all count, and the program is marked disturbed (calibrate
     * times it again at the end). */
    plant();
    for (int i = 0; i < m.reps; i++) m.rep[i].probe = 0.3;
    measure_judge(&m, 0.22);
    assert_true(m.disturbed);
    assert_int_equal(m.n, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule),    cmocka_unit_test(test_probe),
        cmocka_unit_test(test_floor),   cmocka_unit_test(test_floor_needs_support),   cmocka_unit_test(test_reading),
        cmocka_unit_test(test_judge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
