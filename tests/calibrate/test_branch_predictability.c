/* The branch trace and the predictor model that measure how predictable a program's branches
 * are (costmodel/microbench/branch_predictability.h): the model on known outcome sequences,
 * and the interpreter's trace on the calibration's designed branch programs, whose branch
 * count and direction are known exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "costmodel/microbench/branch_predictability.h"
#include "costmodel/microbench/microbench.h"
#include "pvm/pvm.h"

static mb_predictor *fresh(void)
{
    mb_predictor *g = malloc(sizeof *g);
    assert_non_null(g);
    mb_predictor_init(g);
    return g;
}

/* One direction always: learnt once the history has filled (at most one miss per history
 * bit, each new history a new counter). A period-4 pattern: learnt from the
 * history after a warm-up. Random bits: about half missed. */
static void predictor_on_known_sequences(void **unused)
{
    (void)unused;
    mb_predictor *g = fresh();
    for (int i = 0; i < 10000; i++) mb_predictor_observe(g, 0x1234, 1);
    assert_int_equal(g->branches, 10000);
    assert_true(g->mispredicts <= MB_PREDICT_GLOBAL_BITS + 1);

    mb_predictor_init(g);
    for (int i = 0; i < 10000; i++) mb_predictor_observe(g, 0x40, (i & 3) == 0);
    printf("  period 4: %llu of 10000 mispredicted\n", (unsigned long long)g->mispredicts);
    assert_true(g->mispredicts <= 40);

    mb_predictor_init(g);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 100000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        mb_predictor_observe(g, 0x80, (int)(x >> 63));
    }
    printf("  random: %llu of 100000 mispredicted\n", (unsigned long long)g->mispredicts);
    assert_true(g->mispredicts > 47000 && g->mispredicts < 53000);

    /* A period-4 branch with a random one between its runs: the random outcomes make every
     * global history new, but the periodic branch's own history still predicts it. */
    mb_predictor_init(g);
    uint64_t random_misses = 0;
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t before = g->mispredicts;
        mb_predictor_observe(g, 0x100, (int)(x >> 63));
        random_misses += g->mispredicts - before;
        mb_predictor_observe(g, 0x140, (i & 3) == 1);
    }
    uint64_t periodic_misses = g->mispredicts - random_misses;
    printf("  period 4 between random ones: %llu of 20000 mispredicted (the random one %llu)\n",
           (unsigned long long)periodic_misses, (unsigned long long)random_misses);
    assert_true(periodic_misses <= 200);
    assert_true(random_misses > 9000 && random_misses < 11000);
    free(g);
}

static mb_branch_stats trace_branch_program(bool random)
{
    mb_spec s = {.family = MB_BRANCH, .op = -1, .random = random, .units = 8, .trips = 2000};
    snprintf(s.name, sizeof s.name, "branch.%s.test", random ? "random" : "fixed");
    mb_program p;
    char err[256];
    if (mb_build(&s, &p, err, sizeof err) != 0) fail_msg("%s", err);
    uint64_t args[2];
    size_t nargs = mb_call_args(&s, 0, args);
    mb_branch_stats bs;
    if (mb_branch_predictability_measure(p.blob, p.blob_len, p.image, p.image_len, p.image_addr, "main", args, nargs,
                                         &bs, err, sizeof err) != 0)
        fail_msg("%s: %s", s.name, err);
    mb_program_free(&p);
    return bs;
}

/* 2000 trips of 8 LCG branches plus the loop's own test: every one traced. The fixed
 * program's branches always go one way (the LCG bit masked to 0) and are learnt within the
 * warm-up (9 sites, at most a history's length each); the random one's follow an LCG bit
 * and about half are missed, while the loop test, always taken, is learnt from its own
 * history. */
static void trace_sees_every_branch(void **unused)
{
    (void)unused;
    mb_branch_stats fixed = trace_branch_program(false), random = trace_branch_program(true);
    printf("  fixed: %llu branches, %llu taken, %llu mispredicted; random: %llu, %llu, %llu\n",
           (unsigned long long)fixed.branches, (unsigned long long)fixed.taken, (unsigned long long)fixed.mispredicts,
           (unsigned long long)random.branches, (unsigned long long)random.taken,
           (unsigned long long)random.mispredicts);
    assert_int_equal(fixed.branches, random.branches);
    assert_true(fixed.branches >= 2000 * 8 && fixed.branches <= 2000 * 9 + 2);
    assert_true(fixed.mispredicts <= 9 * (MB_PREDICT_GLOBAL_BITS + 1));
    assert_true(random.mispredicts > 2000 * 8 * 45 / 100 && random.mispredicts < 2000 * 8 * 55 / 100 + 200);
    assert_true(random.taken > 2000 * 8 * 4 / 10 && random.taken < fixed.taken);
}

static void observe(void *ctx, uint32_t pc, bool taken)
{
    mb_predictor_observe(ctx, pc, taken);
}

/* The trace is an interpreter feature: the recompiler refuses it by name. */
static void recompiler_refuses_the_trace(void **unused)
{
    (void)unused;
    mb_spec s = {.family = MB_BRANCH, .op = -1, .random = true, .units = 1, .trips = 1};
    snprintf(s.name, sizeof s.name, "branch.refuse");
    mb_program p;
    char err[256];
    if (mb_build(&s, &p, err, sizeof err) != 0) fail_msg("%s", err);
    pvm_engine_config cfg = {.backend = PVM_BACKEND_JIT};
    pvm_engine *e = NULL;
    pvm_error perr = {{0}};
    if (pvm_engine_new(&cfg, &e, &perr) != PVM_OK) {
        printf("  skipped: no recompiler here (%s)\n", perr.msg);
        mb_program_free(&p);
        return;
    }
    pvm_module *m = NULL;
    pvm_instance *in = NULL;
    assert_int_equal(pvm_module_compile(e, p.blob, p.blob_len, NULL, NULL, &m, &perr), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &in, &perr), PVM_OK);
    mb_predictor *g = fresh();
    assert_int_equal(pvm_instance_set_branch_trace(in, observe, g, &perr), PVM_ERR_UNSUPPORTED);
    assert_non_null(strstr(perr.msg, "interpreter"));
    assert_int_equal(pvm_instance_set_branch_trace(in, NULL, NULL, &perr), PVM_OK);
    free(g);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    mb_program_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(predictor_on_known_sequences),
        cmocka_unit_test(trace_sees_every_branch),
        cmocka_unit_test(recompiler_refuses_the_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
