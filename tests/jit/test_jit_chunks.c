/* A large program's code is generated in two chunks on two threads
 * (vm/jit/codegen.c). This program is large enough to be split, and it jumps
 * between the chunks in both directions: a loop back from the second chunk to
 * the first, conditional branches from the first into the second, and a
 * dynamic jump through the jump table from the second into the first. It must
 * give what the interpreter gives (registers, gas, memory) under the unit and
 * the pipeline models, and its code must be the same bytes whether the chunks
 * ran on two threads or one after another on one (PVMLAB_JIT_THREADS=1), with
 * the second chunk's code where the layout puts it. */
#include <string.h>
#include "tests/vm/test_util.h"
#include "vm/jit/jit.h"
#include "vm/state/vm_state.h"

enum { RA = 0, SP = 1, T0 = 2, T1 = 3, T2 = 4, S0 = 5, S1 = 6, A0 = 7, A1 = 8, A2 = 9 };
enum { BLOCKS = 3000, SKIP_FROM = BLOCKS / 10, SKIP_TO = 7 * BLOCKS / 10, BACK_FROM = 8 * BLOCKS / 10,
       BACK_TO = BLOCKS / 3, ROUNDS = 3 };

static uint8_t *program(size_t *len)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    assert_non_null(b);
    pvm_label entry = pvm_builder_label(b), top = pvm_builder_label(b), tail = pvm_builder_label(b);
    pvm_label block[BLOCKS];
    for (int k = 0; k < BLOCKS; k++) block[k] = pvm_builder_label(b);
    uint32_t back_address = pvm_builder_jump_table_add(b, block[BACK_TO]);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S0, A0); /* s0 = rounds, s1 = the sum */
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, S1, 1);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, top);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A2, 0); /* a2: the dynamic jump back was taken this round */
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    for (int k = 0; k < BLOCKS; k++) {
        pvm_builder_bind(b, block[k]);
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, S1, S1, 7 * k + 1);
        pvm_emit_reg3(b, PVM_OP_XOR, T1, S1, S0);
        pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, T1, T1, k % 13);
        pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U64, T1, SP, -8 * (k % 16 + 1));
        pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, T2, SP, -8 * ((5 * k) % 16 + 1));
        pvm_emit_reg3(b, PVM_OP_ADD_64, S1, S1, T2);
        if (k >= SKIP_FROM && k < SKIP_FROM + 64) { /* about half of these skip ahead into the second chunk */
            pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, T0, S1, 1 << (k % 8));
            pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, T0, 0, block[SKIP_TO + k % 32]);
        } else if (k == BACK_FROM) { /* once a round: through the jump table back into the first chunk */
            pvm_label on = pvm_builder_label(b);
            pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, A2, 0, on);
            pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A2, 1);
            pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T0, back_address);
            pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, T0, 0);
            pvm_builder_bind(b, on);
            pvm_emit_none(b, PVM_OP_FALLTHROUGH);
        } else {
            pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_LT_U_IMM, T2, k, k + 1 < BLOCKS ? block[k + 1] : tail);
        }
    }
    pvm_builder_bind(b, tail);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, S0, S0, -1); /* the loop back, from the second chunk */
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, S0, 0, top);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A0, S1);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    uint8_t *bytes;
    pvm_error err = {{0}};
    if (pvm_builder_finish_polkavm(b, &bytes, len, &err)) fail_msg("builder: %s", err.msg);
    pvm_builder_free(b);
    return bytes;
}

typedef struct {
    pvm_engine *engine;
    pvm_cost_model *model;
    pvm_module *module;
} compiled;

static compiled compile(pvm_backend be, const char *model, const uint8_t *bytes, size_t len)
{
    compiled c;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_model_new(model, &c.model, &err), PVM_OK);
    pvm_engine_config cfg = {be, PVM_GAS_SYNC, c.model};
    assert_int_equal(pvm_engine_new(&cfg, &c.engine, &err), PVM_OK);
    if (pvm_module_compile(c.engine, bytes, len, NULL, NULL, &c.module, &err)) fail_msg("compile: %s", err.msg);
    return c;
}

static void release(compiled *c)
{
    pvm_module_release(c->module);
    pvm_engine_free(c->engine);
    pvm_cost_model_free(c->model);
}

typedef struct {
    pvm_result r;
    uint64_t regs[PVM_REG_COUNT];
    int64_t gas;
    uint8_t stack[128];
} outcome;

static outcome run(const compiled *c)
{
    outcome o;
    memset(&o, 0, sizeof o);
    pvm_instance *in;
    pvm_error err = {{0}};
    assert_int_equal(pvm_instance_new(c->module, &in, &err), PVM_OK);
    uint64_t args[1] = {ROUNDS};
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 1, &err), PVM_OK);
    pvm_instance_set_gas(in, 100000000);
    if (pvm_instance_run(in, &o.r, &err)) fail_msg("run: %s", err.msg);
    for (int r = 0; r < PVM_REG_COUNT; r++) o.regs[r] = pvm_instance_reg(in, r);
    o.gas = pvm_instance_gas(in);
    uint32_t sp = (uint32_t)o.regs[SP];
    assert_int_equal(pvm_instance_read(in, sp - sizeof o.stack, o.stack, sizeof o.stack, &err), PVM_OK);
    pvm_instance_free(in);
    return o;
}

static void test_chunks_run_as_the_interpreter(void **state)
{
    (void)state;
    size_t len;
    uint8_t *bytes = program(&len);
    const char *models[] = {"unit", "pipeline-l2hit"};
    for (int k = 0; k < 2; k++) {
        compiled jit = compile(PVM_BACKEND_JIT, models[k], bytes, len);
        compiled interp = compile(PVM_BACKEND_INTERP, models[k], bytes, len);
        assert_true(pvm_module_instruction_count(jit.module) >= 16384); /* split in two chunks */
        outcome a = run(&jit), b = run(&interp);
        assert_int_equal(a.r.kind, PVM_EXIT_HALT);
        assert_int_equal(b.r.kind, PVM_EXIT_HALT);
        assert_memory_equal(a.regs, b.regs, sizeof a.regs);
        assert_int_equal(a.gas, b.gas);
        assert_memory_equal(a.stack, b.stack, sizeof a.stack);
        assert_true(a.gas < 100000000 - (int64_t)ROUNDS * BLOCKS * 4); /* most blocks ran, each round */
        release(&jit);
        release(&interp);
    }
    free(bytes);
}

/* PVMLAB_JIT_PLAIN=1: no absolute addresses in the code (they would differ between two compiles). */
static void test_chunks_same_bytes_on_one_or_two_threads(void **state)
{
    (void)state;
    size_t len;
    uint8_t *bytes = program(&len);
    setenv("PVMLAB_JIT_PLAIN", "1", 1);
    compiled c[3];
    for (int k = 0; k < 3; k++) {
        if (k == 1) setenv("PVMLAB_JIT_THREADS", "1", 1);
        else unsetenv("PVMLAB_JIT_THREADS");
        c[k] = compile(PVM_BACKEND_JIT, "unit", bytes, len);
    }
    unsetenv("PVMLAB_JIT_PLAIN");
    const jit_module *ref = c[0].module->jit;
    uint32_t n = ref->n_instrs;
    assert_true(ref->instr_off[n - 1] >= (2u << 20)); /* the second chunk lies in its own region */
    assert_true(ref->instr_off[n - 1] - ref->instr_off[3 * n / 4] < (2u << 20));
    for (int k = 1; k < 3; k++) {
        const jit_module *jm = c[k].module->jit;
        assert_int_equal(jm->mem.size, ref->mem.size);
        assert_int_equal(jm->body_end, ref->body_end);
        assert_memory_equal(jm->instr_off, ref->instr_off, n * sizeof *ref->instr_off);
        assert_memory_equal(jm->code, ref->code, ref->mem.size);
    }
    for (int k = 0; k < 3; k++) release(&c[k]);
    free(bytes);
}

/* A released large module's code mapping is kept for the next large compile (code_memory.c),
 * cleared where code was written: a compile into it gives the bytes a fresh mapping gives,
 * here after a longer program's code (gas sync: checks and stubs) was there. */
static void test_released_code_is_reused_cleared(void **state)
{
    (void)state;
    size_t len;
    uint8_t *bytes = program(&len);
    setenv("PVMLAB_JIT_PLAIN", "1", 1); /* no absolute addresses: the same bytes at any address */
    compiled c[3];
    pvm_gas_mode gas[3] = {PVM_GAS_SYNC, PVM_GAS_NONE, PVM_GAS_NONE};
    const uint8_t *first_code = NULL;
    for (int k = 0; k < 3; k++) {
        pvm_error err = {{0}};
        assert_int_equal(pvm_cost_model_new("unit", &c[k].model, &err), PVM_OK);
        pvm_engine_config cfg = {PVM_BACKEND_JIT, gas[k], c[k].model};
        assert_int_equal(pvm_engine_new(&cfg, &c[k].engine, &err), PVM_OK);
        if (pvm_module_compile(c[k].engine, bytes, len, NULL, NULL, &c[k].module, &err)) fail_msg("compile: %s", err.msg);
        if (k == 0) { /* released: its mapping parked for the next */
            const jit_module *jm = c[0].module->jit;
            first_code = jm->code;
            assert_true(jm->body_end > 0);
            release(&c[0]);
        }
    }
    unsetenv("PVMLAB_JIT_PLAIN");
    const jit_module *reused = c[1].module->jit, *fresh = c[2].module->jit;
    assert_ptr_equal(reused->code, first_code);
    assert_ptr_not_equal(fresh->code, first_code);
    assert_int_equal(reused->mem.size, fresh->mem.size);
    assert_int_equal(reused->body_end, fresh->body_end);
    assert_memory_equal(reused->code, fresh->code, fresh->mem.size);
    outcome a = run(&c[1]), b = run(&c[2]);
    assert_int_equal(a.r.kind, PVM_EXIT_HALT);
    assert_memory_equal(a.regs, b.regs, sizeof a.regs);
    for (int k = 1; k < 3; k++) release(&c[k]);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunks_run_as_the_interpreter),
        cmocka_unit_test(test_chunks_same_bytes_on_one_or_two_threads),
        cmocka_unit_test(test_released_code_is_reused_cleared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
