/* The first-touch programs measure the state the lazy-page charges price: run the way
 * calibrate runs them (instantiate_program, metered), every kind's cold call is charged
 * exactly the lazy-page charges of its pages, one per fault (a first load: lazy_page_read or,
 * on a data page, lazy_page_read_image; a first store: lazy_page_write_first; a store after a
 * load: lazy_page_write) on both backends, the warm call none; data pages come from
 * the program image; and the held-out fidelity runs use the same lazy-page backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "costmodel/calibrate/fidelity_timing.h"
#include "vm/gas/cost_table.h"
#include "costmodel/microbench/microbench.h"
#include "costmodel/calibrate/program_run.h"
#include "pvm/pvm.h"

enum { PAGES = 16 };
static const int64_t BUDGET = INT64_C(1) << 40;

/* One call of the program on in (reset first when cold); its gas, and a0 in *checksum. */
static int64_t call(pvm_instance *in, const mb_spec *s, bool cold, uint64_t *checksum)
{
    pvm_error err = {{0}};
    if (cold) assert_int_equal(pvm_instance_reset(in, &err), PVM_OK);
    uint64_t args[2];
    size_t nargs = mb_call_args(s, 0, args);
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, nargs, &err), PVM_OK);
    pvm_instance_set_gas(in, BUDGET);
    pvm_result res;
    char why[256];
    if (run_to_exit(in, &res, why, sizeof why) != 0) fail_msg("%s: %s", s->name, why);
    assert_int_equal(res.kind, PVM_EXIT_HALT);
    *checksum = pvm_instance_reg(in, 7);
    return BUDGET - pvm_instance_gas(in);
}

static void cold_calls_pay_exactly_the_lazy_page_charges(void **unused)
{
    (void)unused;
    pvm_host_costs ref = pvm_host_costs_reference();
    pvm_backend backends[2] = {PVM_BACKEND_INTERP, PVM_BACKEND_JIT};
    for (int b = 0; b < 2; b++) {
        if (!pvm_backend_available(backends[b])) continue;
        pvm_engine *engine;
        pvm_error err = {{0}};
        pvm_engine_config ec = {.backend = backends[b], .gas_mode = PVM_GAS_SYNC};
        assert_int_equal(pvm_engine_new(&ec, &engine, &err), PVM_OK);
        for (int kind = 0; kind < MB_TOUCH_KINDS; kind++) {
            mb_spec s = {.family = MB_FIRST_TOUCH, .op = -1, .touch = (mb_touch_kind)kind, .cold = true, .units = 1,
                         .size = PAGES, .trips = PAGES};
            snprintf(s.name, sizeof s.name, "touch.%s", mb_touch_kind_name(s.touch));
            mb_program p;
            char why[256];
            if (mb_build(&s, &p, why, sizeof why) != 0) fail_msg("%s", why);
            assert_string_equal(p.lazy_backend, MB_TOUCH_LAZY_BACKEND);
            pvm_module *m;
            pvm_instance *in;
            if (instantiate_program(engine, &p, &m, &in, why, sizeof why) != 0) fail_msg("%s: %s", s.name, why);
            uint64_t cold_sum, warm_sum;
            int64_t cold = call(in, &s, true, &cold_sum), warm = call(in, &s, false, &warm_sum);
            uint64_t load = mb_touch_kind_data(s.touch) ? ref.lazy_page_read_image : ref.lazy_page_read;
            uint64_t per_page = !mb_touch_kind_reads(s.touch) ? ref.lazy_page_write_first
                                                               : load + (mb_touch_kind_writes(s.touch) ? ref.lazy_page_write : 0);
            if (cold - warm != (int64_t)(PAGES * per_page))
                fail_msg("%s on %s: cold - warm = %lld gas, want %d pages x %llu", s.name, b ? "jit" : "interp",
                         (long long)(cold - warm), PAGES, (unsigned long long)per_page);
            assert_true(p.has_expected);
            assert_int_equal(cold_sum, p.expected);
            /* A data page's first load sees the image, a zero page's sees 0. */
            if (mb_touch_kind_reads(s.touch)) assert_true(mb_touch_kind_data(s.touch) ? cold_sum != 0 : cold_sum == 0);
            /* A second cold call is charged the same: the reset makes every page lazy again. */
            uint64_t again_sum;
            assert_int_equal(call(in, &s, true, &again_sum), cold);
            assert_int_equal(again_sum, cold_sum);
            /* The held-out fidelity runs (fidelity_timing.c) charge the same pages the same. */
            fidelity_measured *fm = calloc(1, sizeof *fm);
            assert_non_null(fm);
            fidelity_memory_rule(fm);
            uint64_t args[2];
            size_t nargs = mb_call_args(&s, 0, args);
            if (fidelity_time_program(engine, s.name, p.blob, p.blob_len, "main", args, nargs, fm, why, sizeof why) != 0)
                fail_msg("%s", why);
            assert_int_equal(fm->count, 1);
            assert_true(fm->programs[0].lazy_gas.present);
            assert_int_equal(fm->programs[0].lazy_gas.value, (int64_t)(PAGES * per_page));
            free(fm);
            pvm_instance_free(in);
            pvm_module_release(m);
            mb_program_free(&p);
        }
        pvm_engine_free(engine);
    }
}

static void bad_page_counts_are_refused(void **unused)
{
    (void)unused;
    mb_spec s = {.family = MB_FIRST_TOUCH, .op = -1, .units = 1, .size = 12, .trips = 12};
    snprintf(s.name, sizeof s.name, "touch.bad");
    mb_program p;
    char why[256] = "";
    assert_int_equal(mb_build(&s, &p, why, sizeof why), -1); /* not a power of 2 */
    assert_non_null(strstr(why, "power of 2"));
    s.size = s.trips = 16;
    s.touch = MB_TOUCH_KINDS;
    assert_int_equal(mb_build(&s, &p, why, sizeof why), -1);
}

/* The suite has every kind cold and warm, under the series names the fit reads. */
static void suite_has_every_kind_cold_and_warm(void **unused)
{
    (void)unused;
    mb_suite_config c;
    mb_suite_config_quick(&c);
    mb_spec *specs;
    size_t n;
    assert_int_equal(mb_suite_specs(&c, &specs, &n), 0);
    int seen[MB_TOUCH_KINDS][2] = {{0}};
    for (size_t i = 0; i < n; i++) {
        if (specs[i].family != MB_FIRST_TOUCH) continue;
        char want[80];
        snprintf(want, sizeof want, "touch.%s.%s", mb_touch_kind_name(specs[i].touch), specs[i].cold ? "cold" : "warm");
        assert_string_equal(specs[i].series, want);
        assert_int_equal(specs[i].size, c.touch_pages);
        seen[specs[i].touch][specs[i].cold]++;
    }
    for (int k = 0; k < MB_TOUCH_KINDS; k++) {
        assert_int_equal(seen[k][0], 1);
        assert_int_equal(seen[k][1], 1);
    }
    free(specs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cold_calls_pay_exactly_the_lazy_page_charges),
        cmocka_unit_test(bad_page_counts_are_refused),
        cmocka_unit_test(suite_has_every_kind_cold_and_warm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
