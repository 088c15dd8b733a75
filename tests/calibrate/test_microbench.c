/* Every generated microbenchmark runs to halt on the interpreter with the expected
 * checksum (where the generator knows it), gives the same checksum twice, and, when the
 * recompiler is built, the same checksum there. Every measurable opcode is covered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm/isa/isa.h"
#include "costmodel/calibrate/measure.h"
#include "costmodel/microbench/microbench.h"

static uint64_t run_once(pvm_engine *e, const mb_spec *s, const mb_program *p)
{
    char err[256] = "";
    pvm_module *m;
    pvm_instance *in;
    if (instantiate_program(e, p, &m, &in, err, sizeof err) != 0) fail_msg("%s: %s", s->name, err);
    uint64_t args[2];
    size_t nargs = mb_call_args(s, 0, args);
    pvm_error perr = {{0}};
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr), PVM_OK);
    pvm_result res;
    if (run_to_exit(in, &res, err, sizeof err) != 0) fail_msg("%s: %s", s->name, err);
    if (res.kind != PVM_EXIT_HALT) fail_msg("%s: exit %s at pc %u", s->name, pvm_exit_name(res.kind), res.pc);
    uint64_t a0 = pvm_instance_reg(in, 7);
    pvm_instance_free(in);
    pvm_module_release(m);
    return a0;
}

static pvm_engine *engine_for(pvm_backend b)
{
    pvm_engine_config c = {.backend = b, .gas_mode = PVM_GAS_NONE};
    pvm_engine *e = NULL;
    pvm_error err = {{0}};
    assert_int_equal(pvm_engine_new(&c, &e, &err), PVM_OK);
    return e;
}

static void smoke_suite_runs_with_expected_checksums(void **unused)
{
    (void)unused;
    mb_suite_config c;
    mb_suite_config_smoke(&c);
    mb_spec *specs;
    size_t n;
    assert_int_equal(mb_suite_specs(&c, &specs, &n), 0);
    pvm_engine *interp = engine_for(PVM_BACKEND_INTERP);
    pvm_engine *jit = pvm_backend_available(PVM_BACKEND_JIT) ? engine_for(PVM_BACKEND_JIT) : NULL;
    bool covered[PVM_OP_COUNT] = {false};
    size_t checked = 0, jit_mismatches = 0;
    for (size_t i = 0; i < n; i++) {
        const mb_spec *s = &specs[i];
        mb_program p;
        char err[256];
        if (mb_build(s, &p, err, sizeof err) != 0) fail_msg("%s", err);
        uint64_t first = run_once(interp, s, &p);
        if (p.has_expected) {
            if (first != p.expected) fail_msg("%s: checksum %#llx, expected %#llx", s->name,
                                              (unsigned long long)first, (unsigned long long)p.expected);
            checked++;
        }
        if (!s->cold) assert_true(run_once(interp, s, &p) == first); /* deterministic */
        if (jit && run_once(jit, s, &p) != first) {
            print_error("%s: recompiler checksum differs from the interpreter\n", s->name);
            jit_mismatches++;
        }
        if (s->family == MB_OP_CHAIN && s->units > 0) covered[s->op] = true;
        mb_program_free(&p);
    }
    assert_true(checked > 20);
    assert_int_equal(jit_mismatches, 0);
    for (int op = 0; op < PVM_OP_INVALID; op++)
        if (mb_op_measurable(op) && !covered[op]) fail_msg("opcode %s has no chain program", pvm_op_table[op].name);
    pvm_engine_free(jit);
    pvm_engine_free(interp);
    free(specs);
}

static void check_suite(const mb_suite_config *config)
{
    mb_suite_config c = *config;
    mb_spec *specs;
    size_t n;
    assert_int_equal(mb_suite_specs(&c, &specs, &n), 0);
    uint64_t trips = specs[0].trips;
    assert_string_equal(specs[0].series, "loop.empty");
    for (size_t i = 0; i < n; i++) {
        if (specs[i].family == MB_OP_CHAIN) assert_true(specs[i].trips == trips); /* same loop, same calls */
        for (size_t j = i + 1; j < n; j++) assert_string_not_equal(specs[i].name, specs[j].name);
    }
    free(specs);
}

/* Every suite: chain programs share their trip count; names (the samples' keys) are unique. */
static void suites_share_trips_and_have_unique_names(void **unused)
{
    (void)unused;
    mb_suite_config c;
    mb_suite_config_smoke(&c);
    check_suite(&c);
    mb_suite_config_quick(&c);
    check_suite(&c);
    mb_suite_config_full(&c);
    check_suite(&c);
}

static void bad_specs_are_refused(void **unused)
{
    (void)unused;
    mb_program p;
    char err[256];
    mb_spec trap = {.name = "trap", .family = MB_OP_CHAIN, .op = PVM_OP_TRAP, .units = 4, .trips = 1};
    assert_int_equal(mb_build(&trap, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot be measured"));
    mb_spec chase = {.name = "chase", .family = MB_POINTER_CHASE, .units = 4, .size = 100, .trips = 1};
    assert_int_equal(mb_build(&chase, &p, err, sizeof err), -1);
    assert_null(p.blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(smoke_suite_runs_with_expected_checksums),
        cmocka_unit_test(suites_share_trips_and_have_unique_names),
        cmocka_unit_test(bad_specs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
