/* The interpreter's instruction records (vm/interp/interp.h, interp_code.c): for
 * random programs of the fuzzers' generator, every record holds what the loops read
 * in place of the decoder's record of the same index (immediates, registers, the
 * static target or the second immediate, the instructions left in the block, the
 * block's gas cost at its first instruction, none without gas) and its handler is set; a run that a host
 * starts inside a block pays that block's cost (the start's record has none); sync gas
 * a host sets below zero stays as it is; a loop's records keep off the register file's page
 * offset (interp_code.c: records_shift), and PVMLAB_INTERP_RECORDS_SHIFT, its A/B switch, is
 * either honoured or a compile error; a program past the records' limit is refused by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vm/state/vm_state.h"
#include "vm/interp/interp.h"
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "tests/fuzz/fuzz_case.h"

static bool has_static_target(pvm_op op)
{
    pvm_kind k = pvm_op_table[op].kind;
    return k == PVM_KIND_OFF || k == PVM_KIND_REG_IMM_OFF || k == PVM_KIND_REG_REG_OFF;
}

/* Checks m's records; adds the jumps that enter their block past an unlikely to *unlikely_entries,
 * the branches and fallthroughs whose next block is entered past one to *unlikely_nexts. */
static void check_records(const pvm_module *m, unsigned *unlikely_entries, unsigned *unlikely_nexts)
{
    const pvm_decoded *d = &m->dec;
    const pvm_interp_op *code = m->interp_code;
    assert_non_null(code);
    for (uint32_t k = 0; k < d->n_blocks; k++) {
        const pvm_block *b = &d->blocks[k];
        for (uint32_t i = b->first; i < b->first + b->count; i++) {
            const pvm_instr *in = &d->instrs[i];
            const pvm_interp_op *op = &code[i];
            assert_non_null(op->handler);
            assert_int_equal(op->imm, in->imm);
            assert_int_equal(op->a, in->a);
            assert_int_equal(op->b, in->b);
            if (pvm_op_is_branch((pvm_op)in->op) || in->op == PVM_OP_FALLTHROUGH) {
                /* (no d) the byte step to the next block's entry record: past its unlikely */
                const pvm_instr *nx = i + 1 < d->n_instrs ? &d->instrs[i + 1] : NULL;
                bool past = nx && nx->op == PVM_OP_UNLIKELY && d->blocks[nx->block].count > 1;
                assert_int_equal(op->next, (1 + past) * sizeof *code);
                *unlikely_nexts += past;
            } else {
                assert_int_equal(op->d, in->d);
            }
            /* a block that starts with an unlikely and goes on is entered past it: that
             * record pays the block and counts the unlikely as well */
            bool past_unlikely = i == b->first + 1 && d->instrs[b->first].op == PVM_OP_UNLIKELY;
            assert_int_equal(op->skip, past_unlikely);
            assert_int_equal(op->left, b->first + b->count - i + past_unlikely);
            /* without gas no record has a cost, and the loops read left and cost as one word */
            bool no_gas = m->engine->cfg.gas_mode == PVM_GAS_NONE;
            if ((i == b->first || past_unlikely) && !no_gas) assert_int_equal(op->cost, m->block_cost[k]);
            else assert_int_equal(op->cost, 0);
            assert_int_equal(PVM_INTERP_LEFT(op, m->engine->cfg.gas_mode), op->left);
            if (has_static_target((pvm_op)in->op)) {
                if (in->target == PVM_NO_INDEX) {
                    assert_int_equal(op->aux, PVM_NO_INDEX);
                } else {
                    const pvm_instr *t = &d->instrs[in->target];
                    uint32_t entry = in->target + (t->op == PVM_OP_UNLIKELY && d->blocks[t->block].count > 1);
                    assert_int_equal(op->aux, entry * sizeof *code); /* a byte offset */
                    *unlikely_entries += entry != in->target;
                }
            } else {
                assert_int_equal((uint64_t)(int64_t)(int32_t)op->aux, in->imm2); /* the loops' IMM2 */
            }
        }
    }
}

static void test_records_of_random_programs(void **state)
{
    (void)state;
    assert_int_equal(sizeof(pvm_interp_op), 32); /* two to a cache line */
    fz_rng rng = {.state = 0x9e3779b97f4a7c15u};
    unsigned checked = 0, with_targets = 0, with_imm2 = 0, unlikely_entries = 0, unlikely_nexts = 0;
    for (int t = 0; t < 2000; t++) { /* 300 saw as few as 9 unlikely entries once the fuzzer's carry idiom grew, 600 24 with its fused-pair idiom, 1000 18 with the fourth round of pairs (interp_fused.def) */
        fz_case c;
        assert_true(fz_generate(&rng, -1, 64, 0, &c));
        uint8_t *blob;
        size_t len;
        uint32_t *pcs;
        pvm_error err;
        if (fz_assemble(&c, &blob, &len, &pcs, &err) != PVM_OK) {
            fz_case_free(&c);
            continue;
        }
        for (int mode = 0; mode < 3; mode++) {
            pvm_engine_config cfg = {PVM_BACKEND_INTERP, (pvm_gas_mode)mode, NULL};
            pvm_engine *e;
            pvm_module *m;
            assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
            bool gp = c.isa == PVM_ISA_GP07 || c.isa == PVM_ISA_JAMV1;
            pvm_module_config mc = {.format = gp ? PVM_FORMAT_GP_BLOB : PVM_FORMAT_POLKAVM, .isa = c.isa,
                                    .page_size = 4096};
            if (pvm_module_compile(e, blob, len, &mc, NULL, &m, &err) == PVM_OK) {
                assert_int_equal(m->dec.interp_threaded, 1 + mode);
                check_records(m, &unlikely_entries, &unlikely_nexts);
                checked++;
                for (uint32_t i = 0; i < m->dec.n_instrs; i++) {
                    with_targets += has_static_target((pvm_op)m->dec.instrs[i].op);
                    with_imm2 += m->dec.instrs[i].imm2 != 0;
                }
                pvm_module_release(m);
            }
            pvm_engine_free(e);
        }
        free(blob);
        free(pcs);
        fz_case_free(&c);
    }
    assert_true(checked > 600); /* most programs compile */
    assert_true(with_targets > 200);
    assert_true(with_imm2 > 200);
    assert_true(unlikely_entries > 20);
    assert_true(unlikely_nexts > 20);
}

/* The builder's program as a GP standard-program blob (to free); frees the builder. */
static void finish_blob(pvm_builder *b, uint8_t **blob, size_t *len)
{
    pvm_error err;
    if (pvm_builder_finish_gp_standard(b, blob, len, &err) != PVM_OK) fail_msg("%s", err.msg);
    pvm_builder_free(b);
}

/* A GP standard-program blob of `isa` compiled with gas `mode` on the interpreter (backend 0)
 * or the recompiler (1); *e is the engine to free after the module. */
static pvm_module *compile_as(const uint8_t *blob, size_t len, int backend, pvm_gas_mode mode, pvm_isa isa,
                              pvm_engine **e)
{
    pvm_engine_config cfg = {backend ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP, mode, NULL};
    pvm_module_config mc = {.format = PVM_FORMAT_GP_STANDARD, .isa = isa, .page_size = 4096};
    pvm_module *m;
    pvm_error err;
    assert_int_equal(pvm_engine_new(&cfg, e, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(*e, blob, len, &mc, NULL, &m, &err), PVM_OK);
    return m;
}

static pvm_module *compile_sync(const uint8_t *blob, size_t len, int backend, pvm_engine **e)
{
    return compile_as(blob, len, backend, PVM_GAS_SYNC, PVM_ISA_GP07, e);
}

/* Block 0: five add_imm_64 then a jump; a host starts the run at the third. Sync gas:
 * the run pays block 0's cost before the third runs, as the recompiler does. */
static void test_start_inside_a_block_pays_its_block(void **state)
{
    (void)state;
    pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
    assert_non_null(b);
    pvm_label end = pvm_builder_label(b);
    for (int i = 0; i < 5; i++) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, 1);
    pvm_emit_jump(b, PVM_OP_JUMP, end);
    pvm_builder_bind(b, end);
    pvm_emit_none(b, PVM_OP_TRAP);
    uint8_t *blob;
    size_t len;
    finish_blob(b, &blob, &len);
    pvm_error err;
    int64_t gas[2];
    uint64_t r2[2];
    for (int backend = 0; backend < 2; backend++) {
        pvm_engine *e;
        pvm_module *m = compile_sync(blob, len, backend, &e);
        pvm_instance *in;
        assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
        pvm_instance_set_gas(in, 1000);
        assert_int_equal(pvm_instance_set_pc(in, m->dec.instrs[2].pc, &err), PVM_OK);
        pvm_result res;
        assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK);
        assert_int_equal(res.kind, PVM_EXIT_PANIC);
        gas[backend] = pvm_instance_gas(in);
        r2[backend] = pvm_instance_reg(in, 2);
        if (!backend) assert_int_equal(gas[0], 1000 - (int64_t)m->block_cost[0] - (int64_t)m->block_cost[1]);
        pvm_instance_free(in);
        pvm_module_release(m);
        pvm_engine_free(e);
    }
    assert_int_equal(gas[0], gas[1]);
    assert_int_equal(r2[0], r2[1]);
    free(blob);
}

/* ecalli 7; add_imm r2 += 1; jump to the last block: [add_imm r3 += 1 if trap_block_adds;]
 * trap. */
static void host_call_program(bool trap_block_adds, uint8_t **blob, size_t *len)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
    assert_non_null(b);
    pvm_label end = pvm_builder_label(b);
    pvm_emit_imm(b, PVM_OP_ECALLI, 7);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, 1);
    pvm_emit_jump(b, PVM_OP_JUMP, end);
    pvm_builder_bind(b, end);
    if (trap_block_adds) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 3, 3, 1);
    pvm_emit_none(b, PVM_OP_TRAP);
    finish_blob(b, blob, len);
}

/* What a run of host_call_program ends with when the host sets the gas to `below` at its
 * host call. */
typedef struct after_host_call {
    pvm_result res;
    uint32_t third_pc; /* the pc of instruction 3: the trap block's start */
    int64_t gas;
    uint64_t r2, r3;
} after_host_call;

static after_host_call run_with_gas_set_at_host_call(const uint8_t *blob, size_t len, int backend,
                                                     pvm_gas_mode mode, int64_t below)
{
    after_host_call out;
    pvm_error err;
    pvm_engine *e;
    pvm_module *m = compile_as(blob, len, backend, mode, PVM_ISA_GP07, &e);
    pvm_instance *in;
    assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
    pvm_instance_set_gas(in, 1000);
    assert_int_equal(pvm_instance_run(in, &out.res, &err), PVM_OK);
    assert_int_equal(out.res.kind, PVM_EXIT_ECALLI);
    pvm_instance_set_gas(in, below);
    assert_int_equal(pvm_instance_run(in, &out.res, &err), PVM_OK);
    out.third_pc = m->dec.instrs[3].pc;
    out.gas = pvm_instance_gas(in);
    out.r2 = pvm_instance_reg(in, 2);
    out.r3 = pvm_instance_reg(in, 3);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return out;
}

/* Sync gas set below zero by the host at a host call: the rest of the block runs, the
 * next block entry is out of gas and the gas is as the host left it (the loops charge by
 * subtracting and testing the sign, which must not wrap around at INT64_MIN). */
static void test_sync_gas_below_zero_after_a_host_call(void **state)
{
    (void)state;
    uint8_t *blob;
    size_t len;
    host_call_program(false, &blob, &len);
    const int64_t below[] = {-1, -5, INT64_MIN, INT64_MIN + 3};
    for (size_t k = 0; k < sizeof below / sizeof below[0]; k++) {
        for (int backend = 0; backend < 2; backend++) {
            after_host_call a = run_with_gas_set_at_host_call(blob, len, backend, PVM_GAS_SYNC, below[k]);
            assert_int_equal(a.res.kind, PVM_EXIT_OUT_OF_GAS);
            assert_int_equal(a.res.pc, a.third_pc); /* entering the trap's block */
            assert_int_equal(a.gas, below[k]);
            assert_int_equal(a.r2, 1);
        }
    }
    free(blob);
}

/* Async gas set far below zero by the host at a host call, down to INT64_MIN: the next block
 * entry subtracts its cost in two's complement on both backends (the recompiler's `sub`, the
 * interpreter's gas_minus: no signed overflow for UBSan to find), so both end alike: exit,
 * pc, gas and registers. */
static void test_async_gas_far_below_zero_backends_agree(void **state)
{
    (void)state;
    uint8_t *blob;
    size_t len;
    host_call_program(true, &blob, &len);
    const int64_t below[] = {-1, INT64_MIN, INT64_MIN + 1, INT64_MIN + 3};
    for (size_t k = 0; k < sizeof below / sizeof below[0]; k++) {
        after_host_call a[2];
        for (int backend = 0; backend < 2; backend++) {
            a[backend] = run_with_gas_set_at_host_call(blob, len, backend, PVM_GAS_ASYNC, below[k]);
            assert_int_equal(a[backend].r2, 1); /* the rest of the host call's block ran */
        }
        if (below[k] == -1) assert_int_equal(a[0].res.kind, PVM_EXIT_OUT_OF_GAS);
        assert_int_equal(a[0].res.kind, a[1].res.kind);
        assert_int_equal(a[0].res.pc, a[1].res.pc);
        assert_int_equal(a[0].gas, a[1].gas);
        assert_int_equal(a[0].r3, a[1].r3);
    }
    free(blob);
}

/* The gas sweeps below: one program run to its end on both backends at one gas limit
 * (mode PVM_GAS_NONE: no limit), host calls resumed; the interpreter's module and its end
 * go to the test's hooks first; then both ends must agree (exit, pc, gas, r2, r3). Returns
 * the exit kind. */
typedef struct sweep_counts {
    unsigned entered_past, out_of_gas, done_runs;
} sweep_counts;

static pvm_exit_kind run_both_backends(const uint8_t *blob, size_t len, pvm_gas_mode mode, int64_t limit,
                                       void (*on_module)(const pvm_module *, sweep_counts *),
                                       void (*on_end)(pvm_instance *, const pvm_result *, sweep_counts *),
                                       sweep_counts *c)
{
    pvm_result res[2];
    int64_t gas[2];
    uint64_t r2[2], r3[2];
    pvm_error err;
    for (int backend = 0; backend < 2; backend++) {
        pvm_engine *e;
        pvm_module *m = compile_as(blob, len, backend, mode, PVM_ISA_JAMV1, &e);
        if (!backend) on_module(m, c);
        pvm_instance *in;
        assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
        if (mode != PVM_GAS_NONE) pvm_instance_set_gas(in, limit);
        do assert_int_equal(pvm_instance_run(in, &res[backend], &err), PVM_OK);
        while (res[backend].kind == PVM_EXIT_ECALLI);
        gas[backend] = pvm_instance_gas(in);
        r2[backend] = pvm_instance_reg(in, 2);
        r3[backend] = pvm_instance_reg(in, 3);
        if (!backend) on_end(in, &res[0], c);
        pvm_instance_free(in);
        pvm_module_release(m);
        pvm_engine_free(e);
    }
    assert_int_equal(res[0].kind, res[1].kind);
    assert_int_equal(res[0].pc, res[1].pc);
    assert_int_equal(gas[0], gas[1]);
    assert_int_equal(r2[0], r2[1]);
    assert_int_equal(r3[0], r3[1]);
    return res[0].kind;
}

static void loop_module(const pvm_module *m, sweep_counts *c)
{
    for (uint32_t i = 0; i < m->dec.n_instrs; i++) c->entered_past += m->interp_code[i].skip;
}

static void loop_end(pvm_instance *in, const pvm_result *res, sweep_counts *c)
{
    (void)c;
    if (res->kind != PVM_EXIT_PANIC) return; /* the trap after 20 rounds */
    pvm_stats st = pvm_instance_stats(in);
    assert_int_equal(st.instructions, 2 + 20 * 4 + 1);
    assert_int_equal(st.blocks, 1 + 20 + 1);
}

enum { BRANCH_INDEX = 5 }; /* test_branch_not_taken_past_an_unlikely's branch_eq_imm */

static void branch_module(const pvm_module *m, sweep_counts *c)
{
    (void)c;
    assert_int_equal(m->dec.instrs[BRANCH_INDEX].op, PVM_OP_BRANCH_EQ_IMM);
    assert_int_equal(pvm_interp_xop_pair(m->dec.instrs[BRANCH_INDEX].xop), -1);
    assert_int_equal(m->interp_code[BRANCH_INDEX].next, 2 * sizeof(pvm_interp_op));
}

static void branch_end(pvm_instance *in, const pvm_result *res, sweep_counts *c)
{
    if (res->kind != PVM_EXIT_PANIC) return; /* the trap after 20 rounds */
    pvm_stats st = pvm_instance_stats(in);
    assert_int_equal(st.instructions, 3 + 20 * 3 + 19 * 3 + 1);
    assert_int_equal(st.blocks, 1 + 20 + 19 + 1);
    assert_int_equal(pvm_instance_reg(in, 2), 20);
    assert_int_equal(pvm_instance_reg(in, 3), 38);
    c->done_runs++;
}

/* A loop whose block starts with an unlikely (a hint): its back edge enters past the hint,
 * which the entry record counts and pays (interp_code.c). Block 0 sets r2; the loop block
 * is unlikely, ecalli (a host call at the entry record itself), add_imm, a branch back
 * 20 times; then a trap. Every gas limit from 0 up, sync and async: the interpreter stops
 * where the recompiler does (out of gas at the loop block's start, the unlikely's pc), with
 * the same gas and r2; a run that gets through counts every instruction and block. */
static void test_loop_entered_past_an_unlikely(void **state)
{
    (void)state;
    pvm_builder *b = pvm_builder_new(PVM_ISA_JAMV1);
    assert_non_null(b);
    pvm_label loop = pvm_builder_label(b);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 2, 0);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, loop);
    pvm_emit_none(b, PVM_OP_UNLIKELY);
    pvm_emit_imm(b, PVM_OP_ECALLI, 3);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, 1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 2, 20, loop);
    pvm_emit_none(b, PVM_OP_TRAP);
    uint8_t *blob;
    size_t len;
    finish_blob(b, &blob, &len);
    sweep_counts c = {0};
    for (int mode = PVM_GAS_SYNC; mode <= PVM_GAS_ASYNC; mode++)
        for (int64_t limit = 0; limit < 400; limit += 3)
            c.out_of_gas += run_both_backends(blob, len, (pvm_gas_mode)mode, limit, loop_module, loop_end, &c) ==
                            PVM_EXIT_OUT_OF_GAS;
    assert_true(c.entered_past > 0);
    assert_true(c.out_of_gas > 10);
    free(blob);
}

/* A branch not taken into a block that starts with an unlikely enters it past the hint
 * (its record's `next`, interp.h), as a jump does. Block 0 sets r2 and r3; the loop block
 * adds 1 to r2 and leaves for the last block when r2 is 20 (a branch_eq_imm on its own:
 * no super-instruction), else falls into a block of unlikely, add_imm (r3 += 2) and a jump
 * back, then a trap. Without gas the counts are every instruction and block, each pass
 * through the hint's block counting the hint; with gas, every limit from 0 up, the
 * interpreter stops where the recompiler does, with the same gas and registers. */
static void test_branch_not_taken_past_an_unlikely(void **state)
{
    (void)state;
    pvm_builder *b = pvm_builder_new(PVM_ISA_JAMV1);
    assert_non_null(b);
    pvm_label loop = pvm_builder_label(b), done = pvm_builder_label(b);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 2, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 3, 0);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, loop);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, 1);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 4, 7);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, 2, 20, done);
    pvm_emit_none(b, PVM_OP_UNLIKELY);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 3, 3, 2);
    pvm_emit_jump(b, PVM_OP_JUMP, loop);
    pvm_builder_bind(b, done);
    pvm_emit_none(b, PVM_OP_TRAP);
    uint8_t *blob;
    size_t len;
    finish_blob(b, &blob, &len);
    sweep_counts c = {0};
    for (int mode = PVM_GAS_NONE; mode <= PVM_GAS_ASYNC; mode++)
        for (int64_t limit = 0; limit < (mode == PVM_GAS_NONE ? 1 : 300); limit += 2)
            c.out_of_gas += run_both_backends(blob, len, (pvm_gas_mode)mode, limit, branch_module, branch_end, &c) ==
                            PVM_EXIT_OUT_OF_GAS;
    assert_true(c.out_of_gas > 10);
    assert_true(c.done_runs > 2);
    free(blob);
}

/* A loop placed where, at shift 0, its records would overlap the register file's page offset
 * (4 KiB aliasing with the handlers' stores), then straight-line code. The records are
 * shifted by a multiple of 64 so that no record of the loop overlaps it; a program with no
 * back edge keeps shift 0. */
static void test_loop_records_keep_off_the_register_file(void **state)
{
    (void)state;
    size_t file_from = PVM_INSTANCE_REGS_PAGE_OFFSET, file_to = file_from + sizeof(uint64_t[PVM_REG_COUNT]);
    for (int looped = 0; looped < 2; looped++) {
        pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
        assert_non_null(b);
        pvm_label head = pvm_builder_label(b);
        uint32_t first = (uint32_t)(file_from / sizeof(pvm_interp_op)) - 2; /* the loop: first..first+5 */
        for (uint32_t i = 0; i < first - 1; i++) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 4, 4, 1);
        pvm_emit_jump(b, PVM_OP_JUMP, head); /* the loop starts a block */
        pvm_builder_bind(b, head);
        for (int i = 0; i < 5; i++) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, 1);
        if (looped) pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_LT_U_IMM, 2, 100, head);
        for (int i = 0; i < 300; i++) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 3, 3, 1);
        pvm_emit_none(b, PVM_OP_TRAP);
        uint8_t *blob;
        size_t len;
        finish_blob(b, &blob, &len);
        pvm_engine *e;
        pvm_module *m = compile_as(blob, len, 0, PVM_GAS_NONE, PVM_ISA_GP07, &e);
        pvm_instance *in;
        pvm_error err;
        assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
        assert_int_equal((uintptr_t)in->regs % 4096, file_from);
        uintptr_t code = (uintptr_t)m->interp_code;
        assert_int_equal(code % 64, 0); /* two records to a line */
        if (!looped) {
            assert_int_equal(code % 4096, 0);
        } else {
            assert_int_equal(m->dec.instrs[first].block_start, true);
            for (uint32_t i = first; i < first + 6; i++) {
                size_t from = (code + i * sizeof(pvm_interp_op)) % 4096;
                assert_false(from < file_to && from + sizeof(pvm_interp_op) > file_from);
            }
        }
        pvm_result res;
        assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK); /* runs from the shifted records */
        assert_int_equal(res.kind, PVM_EXIT_PANIC);
        assert_int_equal(pvm_instance_reg(in, 3), 300);
        assert_int_equal(pvm_instance_reg(in, 2), looped ? 100 : 5);
        pvm_instance_free(in);
        pvm_module_release(m);
        pvm_engine_free(e);
        free(blob);
    }
}

/* PVMLAB_INTERP_RECORDS_SHIFT: a malformed value fails the interpreter's compile with one
 * line naming the variable and the value (it once fell back silently, to a shift nobody asked
 * for); N (a multiple of 64 below 4096) places the records N bytes into their page, and worst
 * and the empty value compile and run. */
static void test_records_shift_switch(void **state)
{
    (void)state;
    static const char NAME[] = "PVMLAB_INTERP_RECORDS_SHIFT";
    uint8_t *blob;
    size_t len;
    pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
    assert_non_null(b);
    pvm_label head = pvm_builder_label(b);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 2, 0);
    pvm_emit_jump(b, PVM_OP_JUMP, head);
    pvm_builder_bind(b, head);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, 1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_LT_U_IMM, 2, 10, head);
    pvm_emit_none(b, PVM_OP_TRAP);
    finish_blob(b, &blob, &len);
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_SYNC, NULL};
    pvm_module_config mc = {.format = PVM_FORMAT_GP_STANDARD, .isa = PVM_ISA_GP07, .page_size = 4096};
    static const char *const bad[] = {"abc", "64x", "-64", "+64", " 64", "100", "4096", "0x40", "worst2", "Worst",
                                      "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(setenv(NAME, bad[i], 1), 0);
        pvm_engine *e;
        pvm_module *m = NULL;
        pvm_error err = {{0}};
        char want[128];
        snprintf(want, sizeof want, "%s=%s: neither \"worst\" nor a multiple of 64 from 0 to 4032", NAME, bad[i]);
        assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
        assert_int_equal(pvm_module_compile(e, blob, len, &mc, NULL, &m, &err), PVM_ERR_INVALID_ARGUMENT);
        assert_string_equal(err.msg, want);
        pvm_engine_free(e);
    }
    /* The recompiler builds the records when it first hands a run over (gas short of its
     * bias): that run fails the same way. */
    assert_int_equal(setenv(NAME, "abc", 1), 0);
    pvm_engine *jit_engine;
    pvm_module *jit_module = compile_as(blob, len, 1, PVM_GAS_SYNC, PVM_ISA_GP07, &jit_engine);
    unsigned handed_over = 0;
    for (int64_t gas = 0; gas < 64; gas++) {
        pvm_instance *in;
        pvm_error err = {{0}};
        pvm_result res;
        assert_int_equal(pvm_instance_new(jit_module, &in, &err), PVM_OK);
        pvm_instance_set_gas(in, gas);
        pvm_status st = pvm_instance_run(in, &res, &err);
        if (st != PVM_OK) {
            assert_int_equal(st, PVM_ERR_INVALID_ARGUMENT);
            assert_string_equal(err.msg, "PVMLAB_INTERP_RECORDS_SHIFT=abc: neither \"worst\" nor a multiple of 64 from 0 to 4032");
            handed_over++;
        }
        pvm_instance_free(in);
    }
    assert_true(handed_over > 0);
    pvm_module_release(jit_module);
    pvm_engine_free(jit_engine);
    static const struct {
        const char *value;
        long page_offset; /* of the records; -1: any */
    } good[] = {{"0", 0}, {"128", 128}, {"4032", 4032}, {"worst", -1}, {"", -1}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(setenv(NAME, good[i].value, 1), 0);
        pvm_engine *e;
        pvm_module *m = compile_as(blob, len, 0, PVM_GAS_SYNC, PVM_ISA_GP07, &e);
        if (good[i].page_offset >= 0) assert_int_equal((uintptr_t)m->interp_code % 4096, good[i].page_offset);
        pvm_instance *in;
        pvm_error err;
        pvm_result res;
        assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
        pvm_instance_set_gas(in, 1000);
        assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK);
        assert_int_equal(res.kind, PVM_EXIT_PANIC);
        assert_int_equal(pvm_instance_reg(in, 2), 10);
        pvm_instance_free(in);
        pvm_module_release(m);
        pvm_engine_free(e);
    }
    unsetenv(NAME);
    free(blob);
}

/* A program of 4000 blocks (~28,000 instructions: past the size from which the compile
 * step splits its work between two threads, interp_fuse.c) of ops that pair, branches
 * across the middle both ways, blocks that start with an unlikely. */
static void large_program(pvm_isa isa, uint8_t **blob, size_t *len)
{
    enum { BLOCKS = 4000 };
    pvm_builder *b = pvm_builder_new(isa);
    assert_non_null(b);
    pvm_label at[BLOCKS + 1];
    for (int k = 0; k <= BLOCKS; k++) at[k] = pvm_builder_label(b);
    bool w64 = isa != PVM_ISA_LATEST32;
    uint64_t x = 0x2545f4914f6cdd1du;
    for (int k = 0; k < BLOCKS; k++) {
        pvm_builder_bind(b, at[k]);
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (x % 5 == 0) pvm_emit_none(b, PVM_OP_UNLIKELY);
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 2 + x % 3, (int64_t)(x >> 40));
        pvm_emit_reg3(b, w64 ? PVM_OP_ADD_64 : PVM_OP_ADD_32, 3, 2, 4);
        pvm_emit_reg_reg_imm(b, w64 ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32, 4, 3, 7);
        pvm_emit_reg_reg_imm(b, w64 ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32, 4, 4, 1); /* a pair in both widths */
        pvm_emit_reg3(b, x % 2 ? PVM_OP_XOR : w64 ? PVM_OP_MUL_64 : PVM_OP_MUL_32, 5, 4, 3);
        unsigned t = (unsigned)(x >> 20) % BLOCKS; /* anywhere: before or past the middle */
        switch ((x >> 8) % 4) {
        case 0: pvm_emit_reg_reg_jump(b, PVM_OP_BRANCH_EQ, 5, 3, at[t]); break;
        case 1: pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 5, 9, at[t]); break;
        case 2: pvm_emit_jump(b, PVM_OP_JUMP, at[t]); break;
        default: pvm_emit_none(b, PVM_OP_FALLTHROUGH); break;
        }
    }
    pvm_builder_bind(b, at[BLOCKS]);
    pvm_emit_none(b, PVM_OP_TRAP);
    finish_blob(b, blob, len);
}

/* The compile step of a large program on two threads (each a half of the blocks) writes
 * the same xops and the same records, handlers included, as on one
 * (PVMLAB_SERIAL_INTERP_PREPARE), in every gas mode and both widths; the second thread
 * ran (its CPU time is the module's) only when split. */
static void test_two_threads_build_what_one_does(void **state)
{
    (void)state;
    static const char NAME[] = "PVMLAB_SERIAL_INTERP_PREPARE";
    const pvm_isa isas[2] = {PVM_ISA_LATEST64, PVM_ISA_LATEST32};
    for (int w = 0; w < 2; w++) {
        uint8_t *blob;
        size_t len;
        large_program(isas[w], &blob, &len);
        for (int mode = 0; mode < 3; mode++) {
            pvm_engine *e[2];
            pvm_module *m[2];
            for (int serial = 0; serial < 2; serial++) {
                if (serial) setenv(NAME, "1", 1);
                else unsetenv(NAME);
                m[serial] = compile_as(blob, len, 0, (pvm_gas_mode)mode, isas[w], &e[serial]);
                unsigned entries = 0, nexts = 0;
                check_records(m[serial], &entries, &nexts);
                assert_true(entries > 100 && nexts > 100);
            }
            unsetenv(NAME);
            const pvm_decoded *d = &m[0]->dec;
            assert_true(d->n_instrs > 20000);
            assert_int_equal(d->n_instrs, m[1]->dec.n_instrs);
            assert_true(m[0]->interp_second.cpu_ns > 0);
            assert_int_equal(m[1]->interp_second.cpu_ns, 0);
            unsigned pairs = 0;
            for (uint32_t i = 0; i < d->n_instrs; i++) {
                assert_int_equal(d->instrs[i].xop, m[1]->dec.instrs[i].xop);
                assert_memory_equal(&m[0]->interp_code[i], &m[1]->interp_code[i], sizeof(pvm_interp_op));
                pairs += pvm_interp_xop_pair(d->instrs[i].xop) >= 0;
            }
            assert_true(pairs >= 4000);
            for (int k = 0; k < 2; k++) {
                pvm_module_release(m[k]);
                pvm_engine_free(e[k]);
            }
        }
        free(blob);
    }
}

/* A program of more instructions than the records' 32-bit byte offsets can address is
 * refused as too large, naming the count, not reported as out of memory. */
static void test_too_many_instructions_is_refused_by_name(void **state)
{
    (void)state;
    pvm_decoded d = {0};
    d.n_instrs = (uint32_t)PVM_INTERP_MAX_INSTRS + 1;
    pvm_interp_op *code = NULL;
    pvm_error err = {{0}};
    assert_int_equal(pvm_interp_code_alloc(&d, &code, &err), PVM_ERR_UNSUPPORTED);
    assert_null(code);
    char want[128];
    snprintf(want, sizeof want, "%u instructions is more than the interpreter's %u", d.n_instrs,
             (unsigned)PVM_INTERP_MAX_INSTRS);
    assert_string_equal(err.msg, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_of_random_programs),
        cmocka_unit_test(test_loop_records_keep_off_the_register_file),
        cmocka_unit_test(test_records_shift_switch),
        cmocka_unit_test(test_too_many_instructions_is_refused_by_name),
        cmocka_unit_test(test_two_threads_build_what_one_does),
        cmocka_unit_test(test_start_inside_a_block_pays_its_block),
        cmocka_unit_test(test_sync_gas_below_zero_after_a_host_call),
        cmocka_unit_test(test_async_gas_far_below_zero_backends_agree),
        cmocka_unit_test(test_loop_entered_past_an_unlikely),
        cmocka_unit_test(test_branch_not_taken_past_an_unlikely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
