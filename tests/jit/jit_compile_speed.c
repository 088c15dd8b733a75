/* jit_compile_speed [N] [MODEL]: build a program of about N random instructions
 * (all non-terminator ops of gp07 plus a branch every 8 instructions), compile
 * it with the recompiler (cost model MODEL, default unit) and print per
 * instruction the end-to-end module compile time (parse + decode + block
 * costs + codegen; wall and thread CPU time) and the codegen part alone. The
 * second compile in each gas mode uses a fresh engine, so its block costs come
 * from the block-cost cache. A measurement tool; ctest only runs it small. */
#include <stdio.h>
#include <stdlib.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "vm/util/clock.h"

static uint64_t rng_state = 0x1234567;
static uint64_t next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void emit_random(pvm_builder *b, pvm_op op)
{
    unsigned r0 = next() % 13, r1 = next() % 13, r2 = next() % 13;
    int64_t x = (int32_t)next(), y = (int32_t)next();
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_NONE: pvm_emit_none(b, op); break;
    case PVM_KIND_IMM: pvm_emit_imm(b, op, x & 0xFF); break;
    case PVM_KIND_REG_IMM64: pvm_emit_reg_imm64(b, op, r0, next()); break;
    case PVM_KIND_IMM_IMM: pvm_emit_imm_imm(b, op, x, y); break;
    case PVM_KIND_REG_IMM: pvm_emit_reg_imm(b, op, r0, x); break;
    case PVM_KIND_REG_IMM_IMM: pvm_emit_reg_imm_imm(b, op, r0, x, y); break;
    case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, r0, r1); break;
    case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, op, r0, r1, x); break;
    case PVM_KIND_REG3: pvm_emit_reg3(b, op, r0, r1, r2); break;
    default: break;
    }
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1000000;
    const char *model_name = argc > 2 ? argv[2] : "unit";
    pvm_op ops[PVM_OP_COUNT];
    unsigned n_ops = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        pvm_kind k = pvm_op_table[op].kind;
        if (pvm_isa_encode_opcode(PVM_ISA_GP07, (pvm_op)op) >= 0 && !pvm_op_is_terminator((pvm_op)op) &&
            k != PVM_KIND_OFF && k != PVM_KIND_REG_IMM_OFF && k != PVM_KIND_REG_REG_OFF)
            ops[n_ops++] = (pvm_op)op;
    }
    pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
    if (!b) return 1;
    for (uint32_t i = 0; i < n; i++) {
        if (i % 8 == 7) { /* a conditional branch to the next instruction ends the block */
            pvm_label l = pvm_builder_label(b);
            pvm_emit_reg_reg_jump(b, PVM_OP_BRANCH_LT_U, next() % 13, next() % 13, l);
            pvm_builder_bind(b, l);
        } else {
            emit_random(b, ops[next() % n_ops]);
        }
    }
    pvm_emit_none(b, PVM_OP_TRAP);
    uint8_t *blob;
    size_t len;
    pvm_error err = {{0}};
    if (pvm_builder_finish_gp(b, &blob, &len, &err)) {
        fprintf(stderr, "jit_compile_speed: %s\n", err.msg);
        return 1;
    }
    pvm_builder_free(b);
    int rc = 0;
    pvm_cost_model *model = NULL;
    if (pvm_cost_model_new(model_name, &model, &err)) {
        fprintf(stderr, "jit_compile_speed: %s\n", err.msg);
        free(blob);
        return 1;
    }
    for (int run = 0; run < 6 && !rc; run++) {
        int gas = run / 2;
        pvm_engine_config cfg = {PVM_BACKEND_JIT, (pvm_gas_mode)gas, model};
        pvm_engine *e;
        pvm_module *m;
        pvm_instance *in;
        pvm_module_config mc = {.format = PVM_FORMAT_GP_BLOB, .isa = PVM_ISA_GP07, .page_size = 4096};
        if (pvm_engine_new(&cfg, &e, &err)) {
            fprintf(stderr, "jit_compile_speed: %s\n", err.msg);
            rc = 1;
            break;
        }
        uint64_t w0 = util_now_ns(), c0 = util_thread_cpu_ns();
        pvm_status st = pvm_module_compile(e, blob, len, &mc, NULL, &m, &err);
        uint64_t wall = util_now_ns() - w0, cpu = util_thread_cpu_ns() - c0;
        if (st || pvm_instance_new(m, &in, &err)) {
            fprintf(stderr, "jit_compile_speed: %s\n", err.msg);
            pvm_engine_free(e);
            rc = 1;
            break;
        }
        uint32_t count = pvm_module_instruction_count(m);
        uint64_t ns = pvm_instance_stats(in).compile_ns;
        printf("jit compile, gas mode %d, model %s%s: %u instructions, end to end %.1f ns/instruction (cpu %.1f), "
               "codegen %.1f ns/instruction\n",
               gas, model_name, run % 2 ? " (again)" : "", count, (double)wall / count, (double)cpu / count,
               (double)ns / count);
        pvm_instance_free(in);
        pvm_engine_free(e);
    }
    pvm_cost_model_free(model);
    free(blob);
    return rc;
}
