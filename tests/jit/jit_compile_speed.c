/* jit_compile_speed [N] [MODEL]: build a program of about N random instructions
 * (all non-terminator ops of gp07 plus a branch every 8 instructions), compile
 * it with the recompiler (cost model MODEL, default unit) and print per
 * instruction the end-to-end module compile time (parse + decode + block
 * costs + codegen; wall and thread CPU time) and the codegen part alone. The
 * second compile in each gas mode uses a fresh engine, so its block costs come
 * from the block-cost cache.
 *
 * jit_compile_speed FILE.polkavm [MODEL] [RUNS] [borrow]: compile a real program RUNS
 * times (default 9) on each backend, gas sync, each time under a fresh cache id
 * (with "borrow": the module reads the bytes in place, pvm_module_config.borrow_bytes),
 * and print the medians of each stage and of the whole pvm_module_compile call
 * in ns per instruction (the first compile with a non-unit model computes the
 * block costs, the later ones find them in the block-cost cache: both shown),
 * with the CPU time over all threads.
 * A measurement tool; ctest only runs it small. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "vm/util/clock.h"
#include "vm/util/file_read.h"
#include "vm/util/stats.h"

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

/* Page faults of this process so far (first touches of fresh memory: a large part of a first compile). */
static long minor_faults(void)
{
    struct rusage u;
    return getrusage(RUSAGE_SELF, &u) == 0 ? u.ru_minflt : 0;
}

/* Median over runs of one stage, in ns per instruction. */
static double per_instr(double *ns, unsigned runs, uint32_t count) { return util_median_inplace(ns, runs) / count; }

static int compile_file(const char *path, const char *model_name, unsigned runs, bool borrow)
{
    size_t len;
    uint8_t *bytes = (uint8_t *)util_read_file(path, &len);
    if (!bytes) {
        fprintf(stderr, "jit_compile_speed: %s: cannot read\n", path);
        return 1;
    }
    pvm_error err = {{0}};
    pvm_cost_model *model = NULL;
    if (pvm_cost_model_new(model_name, &model, &err)) {
        fprintf(stderr, "jit_compile_speed: %s\n", err.msg);
        free(bytes);
        return 1;
    }
    double *t = calloc((size_t)runs * 8, sizeof *t);
    int rc = t ? 0 : 1;
    /* The recompiler first: its first compile computes the block costs (alongside the code,
     * for a large program under the pipeline model); the interpreter's then finds them cached. */
    for (int backend = PVM_BACKEND_JIT; backend >= PVM_BACKEND_INTERP && !rc; backend--) {
        pvm_engine_config cfg = {(pvm_backend)backend, PVM_GAS_SYNC, model};
        pvm_engine *e;
        if (pvm_engine_new(&cfg, &e, &err)) {
            fprintf(stderr, "jit_compile_speed: %s\n", err.msg);
            rc = 1;
            break;
        }
        uint32_t count = 0;
        double first_total = 0, first_gas = 0, first_cpu = 0;
        long first_faults = 0;
        for (unsigned r = 0; r < runs && !rc; r++) {
            char id[32];
            snprintf(id, sizeof id, "run-%u", r);
            pvm_module_config mc = {.format = PVM_FORMAT_AUTO, .borrow_bytes = borrow};
            pvm_module *m;
            long f0 = minor_faults();
            uint64_t w0 = util_now_ns();
            if (pvm_module_compile(e, bytes, len, &mc, id, &m, &err)) {
                fprintf(stderr, "jit_compile_speed: %s: %s\n", path, err.msg);
                rc = 1;
                break;
            }
            double total = (double)(util_now_ns() - w0);
            pvm_module_timings tm = pvm_module_compile_timings(m);
            count = pvm_module_instruction_count(m);
            double row[7] = {(double)tm.parse_ns, (double)tm.decode_ns, (double)tm.gas_ns, (double)tm.backend_ns,
                             (double)tm.total_ns, total, (double)tm.cpu_ns};
            for (int k = 0; k < 7; k++) t[(size_t)k * runs + r] = row[k];
            if (r == 0)
                first_total = total, first_gas = (double)tm.gas_ns, first_faults = minor_faults() - f0,
                first_cpu = (double)tm.cpu_ns;
            pvm_module_release(m);
        }
        pvm_engine_free(e);
        if (rc) break;
        printf("%s, model %s%s: %u instructions; first compile %.1f ns/instruction (CPU %.1f, block costs %.1f, "
               "%ld page faults); median of %u: compile call %.1f (CPU %.1f), stages "
               "%.1f (parse %.2f, decode %.1f, block costs %.1f, backend %.1f)\n",
               backend == PVM_BACKEND_JIT ? "jit" : "interp", model_name, borrow ? ", bytes borrowed" : "", count,
               first_total / count, first_cpu / count, first_gas / count, first_faults, runs,
               per_instr(t + 5 * runs, runs, count), per_instr(t + 6 * runs, runs, count),
               per_instr(t + 4 * runs, runs, count), per_instr(t, runs, count), per_instr(t + runs, runs, count),
               per_instr(t + 2 * runs, runs, count), per_instr(t + 3 * runs, runs, count));
    }
    free(t);
    pvm_cost_model_free(model);
    free(bytes);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strchr(argv[1], '.')) /* a file name, not a count */
        return compile_file(argv[1], argc > 2 ? argv[2] : "unit", argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 9,
                            argc > 4 && strcmp(argv[4], "borrow") == 0);
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
        cpu = pvm_module_compile_timings(m).cpu_ns; /* every thread of the compile (block costs may run on a second) */
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
