/* The mixed-program generator: the same seed gives the same bytes, another seed other
 * programs; every program halts on the interpreter and gives the same checksum on the
 * recompiler; and over a set of programs the executed mix follows the guests' own
 * distributions (guest_mix_data.h) that it draws from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "costmodel/microbench/branch_predictability.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "costmodel/microbench/guest_mix_data.h"
#include "vm/isa/isa.h"
#include "costmodel/calibrate/measure.h"
#include "costmodel/microbench/microbench.h"

static uint64_t run_once(pvm_backend backend, const mb_spec *s, const mb_program *p)
{
    pvm_engine_config c = {.backend = backend, .gas_mode = PVM_GAS_SYNC};
    pvm_engine *e = NULL;
    pvm_error perr = {{0}};
    assert_int_equal(pvm_engine_new(&c, &e, &perr), PVM_OK);
    char err[256];
    pvm_module *m;
    pvm_instance *in;
    if (instantiate_program(e, p, &m, &in, err, sizeof err) != 0) fail_msg("%s: %s", s->name, err);
    pvm_instance_set_gas(in, INT64_MAX / 2);
    uint64_t args[2];
    size_t nargs = mb_call_args(s, 0, args);
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr), PVM_OK);
    pvm_result res;
    if (run_to_exit(in, &res, err, sizeof err) != 0) fail_msg("%s: %s", s->name, err);
    if (res.kind != PVM_EXIT_HALT) fail_msg("%s: exit %s at pc %u", s->name, pvm_exit_name(res.kind), res.pc);
    uint64_t a0 = pvm_instance_reg(in, 7);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return a0;
}

static void same_seed_same_bytes_other_seed_other_programs(void **unused)
{
    (void)unused;
    mb_spec *a, *b, *c;
    assert_int_equal(mb_mixed_specs(42, 6, 5000, &a), 0);
    assert_int_equal(mb_mixed_specs(42, 6, 5000, &b), 0);
    assert_int_equal(mb_mixed_specs(43, 6, 5000, &c), 0);
    size_t differ = 0;
    for (int i = 0; i < 6; i++) {
        mb_program pa, pb, pc;
        char err[256];
        assert_int_equal(mb_build(&a[i], &pa, err, sizeof err), 0);
        assert_int_equal(mb_build(&b[i], &pb, err, sizeof err), 0);
        assert_int_equal(mb_build(&c[i], &pc, err, sizeof err), 0);
        assert_string_equal(a[i].name, b[i].name);
        assert_int_equal(pa.blob_len, pb.blob_len);
        assert_memory_equal(pa.blob, pb.blob, pa.blob_len);
        differ += pa.blob_len != pc.blob_len || memcmp(pa.blob, pc.blob, pa.blob_len) != 0;
        mb_program_free(&pa);
        mb_program_free(&pb);
        mb_program_free(&pc);
    }
    assert_int_equal(differ, 6);
    free(a);
    free(b);
    free(c);
}

static void programs_halt_and_backends_agree(void **unused)
{
    (void)unused;
    mb_spec *s;
    enum { N = 16 };
    assert_int_equal(mb_mixed_specs(MB_MIXED_TRAINING_SEED, N, 20000, &s), 0);
    for (int i = 0; i < N; i++) {
        mb_program p;
        char err[256];
        if (mb_build(&s[i], &p, err, sizeof err) != 0) fail_msg("%s", err);
        uint64_t interp = run_once(PVM_BACKEND_INTERP, &s[i], &p);
        if (pvm_backend_available(PVM_BACKEND_JIT)) assert_int_equal(run_once(PVM_BACKEND_JIT, &s[i], &p), interp);
        mb_program_free(&p);
    }
    free(s);
}

static double share(const uint64_t *count, uint64_t total, bool (*pick)(int op))
{
    uint64_t n = 0;
    for (int op = 0; op < PVM_OP_COUNT; op++)
        if (pick(op)) n += count[op];
    return (double)n / (double)total;
}

static bool is_memory(int op) { return pvm_op_mem_access((pvm_op)op).width != 0; }
static bool is_branch(int op) { return pvm_op_is_branch((pvm_op)op); }
static bool is_mul_div(int op)
{
    pvm_op_group group = pvm_op_group_of((pvm_op)op);
    return group == PVM_GROUP_MUL || group == PVM_GROUP_DIV;
}

/* Over 32 programs the executed mix is the guests' within a factor 1.5: memory ops,
 * conditional branches, multiplies and divisions, instructions per block. */
static void the_mix_follows_the_guests(void **unused)
{
    (void)unused;
    enum { N = 32 };
    mb_spec *s;
    assert_int_equal(mb_mixed_specs(MB_MIXED_HELDOUT_SEED, N, 20000, &s), 0);
    static uint64_t ops[PVM_OP_COUNT];
    uint64_t instructions = 0, blocks = 0, critical = 0;
    double miss_rate = 0, miss_per_instr = 0;
    for (int i = 0; i < N; i++) {
        mb_program p;
        mb_dynamic_mix m;
        char err[256];
        if (mb_build(&s[i], &p, err, sizeof err) != 0) fail_msg("%s", err);
        uint64_t args[2];
        size_t nargs = mb_call_args(&s[i], 0, args);
        if (mb_dynamic_mix_measure(p.blob, p.blob_len, NULL, 0, 0, "main", args, nargs, &m, err, sizeof err) != 0)
            fail_msg("%s: %s", s[i].name, err);
        mb_branch_stats bs;
        if (mb_branch_predictability_measure(p.blob, p.blob_len, NULL, 0, 0, "main", args, nargs, &bs, err,
                                             sizeof err) != 0)
            fail_msg("%s: %s", s[i].name, err);
        miss_rate += bs.branches ? (double)bs.mispredicts / (double)bs.branches : 0;
        miss_per_instr += (double)bs.mispredicts / (double)m.instructions;
        for (int op = 0; op < PVM_OP_COUNT; op++) ops[op] += m.op_count[op];
        instructions += m.instructions;
        blocks += m.blocks;
        critical += m.critical_path;
        mb_program_free(&p);
    }
    free(s);
    static uint64_t guest[PVM_OP_COUNT];
    uint64_t guest_total = 0, guest_blocks = 0, guest_len = 0;
    for (int op = 0; op < PVM_OP_COUNT; op++) guest_total += guest[op] = MB_GUEST_OP_PPM[op];
    for (int k = 1; k <= MB_MIX_MAX_BLOCK_LEN; k++) {
        guest_blocks += MB_GUEST_BLOCK_LEN_PPM[k];
        guest_len += (uint64_t)k * MB_GUEST_BLOCK_LEN_PPM[k];
    }
    bool (*const picks[3])(int) = {is_memory, is_branch, is_mul_div};
    const char *names[3] = {"memory", "branch", "mul/div"};
    for (int k = 0; k < 3; k++) {
        double mine = share(ops, instructions, picks[k]), theirs = share(guest, guest_total, picks[k]);
        printf("  %-8s share: generated %.3f, guests %.3f\n", names[k], mine, theirs);
        assert_true(mine > theirs / 1.5 && mine < theirs * 1.5);
    }
    double mine_len = (double)instructions / (double)blocks, theirs_len = (double)guest_len / (double)guest_blocks;
    printf("  instructions per block: generated %.2f, guests %.2f; critical path %.2f of the instructions, guests %.2f\n",
           mine_len, theirs_len, (double)critical / (double)instructions, MB_GUEST_CRITICAL_PATH_PPM / 1e6);
    assert_true(mine_len > theirs_len / 1.5 && mine_len < theirs_len * 1.5);
    /* Dependency depth: the critical path's share of the instructions, within 10% of the
     * guests' (0.55 against 0.53: each block's first operands extend its longest chain until
     * it covers the guests' share; before that 0.42, and 0.30 before indirect accesses took
     * computed addresses). */
    double mine_cp = (double)critical / (double)instructions, theirs_cp = MB_GUEST_CRITICAL_PATH_PPM / 1e6;
    assert_true(mine_cp > theirs_cp / 1.1 && mine_cp < theirs_cp * 1.1);
    /* Branch predictability: mispredictions per instruction under the same predictor model as
     * the guests', each program weighted equally as each guest is, within 25% (0.39 per 100
     * instructions against the guests' 0.42; 0.88 when 15% of the branches were random). */
    double mine_miss = miss_per_instr / N, theirs_miss = MB_GUEST_MISPREDICT_PPM / 1e6;
    printf("  predictor: %.2f%% of conditional branches mispredicted (guests %.2f%%), %.3f per 100 instructions (guests %.3f)\n",
           100.0 * miss_rate / N, MB_GUEST_BRANCH_MISS_PPM / 1e4, 100.0 * mine_miss, 100.0 * theirs_miss);
    assert_true(mine_miss > theirs_miss / 1.25 && mine_miss < theirs_miss * 1.25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes_other_seed_other_programs),
        cmocka_unit_test(programs_halt_and_backends_agree),
        cmocka_unit_test(the_mix_follows_the_guests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
