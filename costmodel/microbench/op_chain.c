/* Opcode chains: one opcode repeated `units` times in the loop body, either as a
 * dependent chain (each instruction reads the previous one's result: latency) or as an
 * independent block (four rotating destinations fed by constants: throughput).
 *
 * The operands come from the op's operand kind and memory access in the ISA table, so
 * every opcode is covered without listing any:
 *   reg3 / reg_reg_imm / reg_reg ALU  acc = acc OP k            | d[i%4] = k2 OP k
 *   loads                             acc = [acc + rw] (acc = 0, memory zero: same address)
 *                                     | d[i%4] = [base + 8*(i%64)]
 *   stores                            [base] = acc              | [base + 8*(i%64)] = k
 *   terminators                       each jumps/branches to the next instruction
 *   ecalli                            the host resumes at once (a round trip per unit)
 * Division uses divisor 1 on a full-width dividend (longest quotient) or divisor 0 (the
 * VM's special case); the fit takes the larger, as PolkaVM's gastool does.
 *
 * A chain must keep a live, full-width value: x86 division is faster on small operands,
 * so a chain that collapses flatters the machine. `rem` by 1 leaves 0 after one step, and
 * every remainder is smaller than its divisor, so a remainder chain cannot stay wide on
 * its own: each rem unit divides by 3 (full-width quotient) and is followed by one xor
 * with MB_REM_INFLATE, which makes the next dividend a large positive number again (in
 * both widths and signednesses). The fit subtracts the xor's own latency
 * (mb_chain_extra_op). A trailing-zero count re-widens the same way, so that it never
 * counts a zero (counts_zero_on_a_branch). tests/calibrate/test_chain_values.c checks every
 * chain's value. */
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "vm/isa/isa.h"

#define K_VALUE 0x9E3779B97F4A7C15ull  /* second operand of reg3 ops (shift amount 21) */
#define K2_VALUE 0x0123456789ABCDEFull /* first operand of throughput reg3 ops */
#define ACC_VALUE 0xF1E2D3C4B5A69788ull
#define SMALL_IMM 13
#define RING_WORDS 64

enum { R_K = R_A5, R_K2 = R_T1, R_ZERO = R_T2, R_BASE = R_S0, R_ACC = R_A1 };
static const unsigned THROUGHPUT_DEST[4] = {R_A1, R_A2, R_A3, R_A4};

/* A trailing-zero count (the ISA table's bits_2c pipeline class) fed its own result cycles
 * through 64, 6, 1, 0, and the recompiler counts a zero input on a branch (bsf leaves its
 * destination undefined), which the predictor resolves without waiting for the value: one
 * step in four would not be timed. */
static bool counts_zero_on_a_branch(int op)
{
    return pvm_op_table[op].pipeline_class == PVM_CLASS_BITS_2C;
}

int mb_chain_extra_op(const mb_spec *s)
{
    if (s->family != MB_OP_CHAIN || s->op < 0 || s->op >= PVM_OP_INVALID) return -1; /* other families carry no op */
    bool latency = s->shape == MB_LATENCY || !mb_op_has_throughput(s->op);
    bool rewiden = (pvm_op_is_remainder((pvm_op)s->op) && !s->divisor_zero) || counts_zero_on_a_branch(s->op);
    return latency && rewiden ? PVM_OP_XOR : -1;
}

bool mb_op_is_division(int op)
{
    return pvm_op_group_of((pvm_op)op) == PVM_GROUP_DIV;
}

bool mb_op_measurable(int op)
{
    if (op < 0 || op >= PVM_OP_INVALID || op == PVM_OP_TRAP) return false;
    return pvm_isa_encode_opcode(PVM_ISA_LATEST64, (pvm_op)op) >= 0;
}

static bool writes_no_register(int op)
{
    pvm_mem_access m = pvm_op_mem_access((pvm_op)op);
    return m.is_store;
}

bool mb_op_has_throughput(int op)
{
    if (!mb_op_measurable(op) || pvm_op_is_terminator((pvm_op)op)) return false;
    pvm_op_group g = pvm_op_group_of((pvm_op)op);
    return g != PVM_GROUP_HOST && g != PVM_GROUP_CONTROL; /* ecalli memset sbrk unlikely */
}

/* Terminators: each unit ends a block and continues at the next instruction. */
static void emit_terminator(pvm_builder *b, int op)
{
    pvm_label next = pvm_builder_label(b);
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_NONE: /* fallthrough */
        pvm_emit_none(b, op);
        break;
    case PVM_KIND_OFF:
        pvm_emit_jump(b, op, next);
        break;
    case PVM_KIND_REG_IMM_OFF: /* load_imm_jump, branch_*_imm */
        pvm_emit_reg_imm_jump(b, op, op == PVM_OP_LOAD_IMM_JUMP ? R_ACC : R_ZERO, 0, next);
        break;
    case PVM_KIND_REG_REG_OFF:
        pvm_emit_reg_reg_jump(b, op, R_ZERO, R_K, next);
        break;
    case PVM_KIND_REG_IMM: /* jump_ind */
        pvm_emit_reg_imm(b, op, R_ZERO, pvm_builder_jump_table_add(b, next));
        break;
    case PVM_KIND_REG_REG_IMM_IMM: /* load_imm_jump_ind */
        pvm_emit_reg_reg_imm_imm(b, op, R_ACC, R_ZERO, SMALL_IMM, pvm_builder_jump_table_add(b, next));
        break;
    default:
        break;
    }
    pvm_builder_bind(b, next);
}

static void emit_memory_op(pvm_builder *b, int op, bool latency, unsigned i)
{
    pvm_mem_access m = pvm_op_mem_access((pvm_op)op);
    unsigned d = latency ? R_ACC : THROUGHPUT_DEST[i % 4];
    int64_t offset = latency ? 0 : 8 * (int64_t)(i % RING_WORDS);
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_REG_REG_IMM: /* load_ind: d = [s + imm]; store_ind: [s + imm] = a */
        if (m.is_store)
            pvm_emit_reg_reg_imm(b, op, latency ? R_ACC : R_K, R_BASE, offset);
        else if (latency)
            pvm_emit_reg_reg_imm(b, op, R_ACC, R_ACC, MB_RW_ADDR);
        else
            pvm_emit_reg_reg_imm(b, op, d, R_BASE, offset);
        break;
    case PVM_KIND_REG_IMM: /* load d = [imm]; store [imm] = a */
        pvm_emit_reg_imm(b, op, m.is_store ? (latency ? R_ACC : R_K) : d, MB_RW_ADDR + offset);
        break;
    case PVM_KIND_REG_IMM_IMM: /* store_imm_ind [a + x] = y */
        pvm_emit_reg_imm_imm(b, op, R_BASE, offset, 0x55);
        break;
    case PVM_KIND_IMM_IMM: /* store_imm [x] = y */
        pvm_emit_imm_imm(b, op, MB_RW_ADDR + offset, 0x55);
        break;
    default:
        break;
    }
}

static void emit_alu_op(pvm_builder *b, int op, bool latency, unsigned i)
{
    unsigned d = latency ? R_ACC : THROUGHPUT_DEST[i % 4];
    unsigned src = latency ? R_ACC : R_K2;
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_REG3:
        pvm_emit_reg3(b, op, d, src, R_K);
        break;
    case PVM_KIND_REG_REG_IMM:
        pvm_emit_reg_reg_imm(b, op, d, src, SMALL_IMM);
        break;
    case PVM_KIND_REG_REG:
        if (op == PVM_OP_SBRK)
            pvm_emit_reg_reg(b, op, d, R_ZERO); /* sbrk(0) reads the heap top, allocates nothing */
        else if (op == PVM_OP_MOVE_REG && latency) /* a chain through two registers */
            pvm_emit_reg_reg(b, op, (i & 1) ? R_ACC : R_A2, (i & 1) ? R_A2 : R_ACC);
        else
            pvm_emit_reg_reg(b, op, d, src);
        break;
    case PVM_KIND_REG_IMM:
        pvm_emit_reg_imm(b, op, d, SMALL_IMM + i);
        break;
    case PVM_KIND_REG_IMM64:
        pvm_emit_reg_imm64(b, op, d, K2_VALUE + i);
        break;
    case PVM_KIND_IMM: /* ecalli */
        pvm_emit_imm(b, op, 0);
        break;
    case PVM_KIND_NONE: /* unlikely, memset (a0 = base, a2 = 0 bytes) */
        pvm_emit_none(b, op);
        break;
    default:
        break;
    }
}

static void emit_unit(pvm_builder *b, int op, bool latency, unsigned i, bool inflate, uint64_t memset_bytes)
{
    if (op == PVM_OP_MEMSET && memset_bytes) { /* memset(rw, 0, bytes): a0 and a2 are used up */
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_A0, MB_RW_ADDR);
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_A2, (int64_t)memset_bytes);
        pvm_emit_none(b, op);
    } else if (inflate) { /* a remainder by R_K, or a count of R_ACC, then the xor */
        if (pvm_op_table[op].kind == PVM_KIND_REG_REG) pvm_emit_reg_reg(b, op, R_ACC, R_ACC);
        else pvm_emit_reg3(b, op, R_ACC, R_ACC, R_K);
        pvm_emit_reg3(b, PVM_OP_XOR, R_ACC, R_ACC, R_K2);
    } else if (pvm_op_is_terminator((pvm_op)op))
        emit_terminator(b, op);
    else if (pvm_op_mem_access((pvm_op)op).width)
        emit_memory_op(b, op, latency, i);
    else
        emit_alu_op(b, op, latency, i);
}

bool mb_op_timed_narrow(int op)
{
    return pvm_op_is_32bit((pvm_op)op) && pvm_isa_encode_opcode(PVM_ISA_LATEST32, (pvm_op)op) >= 0;
}

/* reg = v in a 64-bit program; its low 32 bits in a 32-bit one (no load_imm_64 there). */
static void load_constant(mb_frame *f, unsigned reg, uint64_t v)
{
    if (f->narrow) pvm_emit_reg_imm(f->b, PVM_OP_LOAD_IMM, reg, (int32_t)(uint32_t)v);
    else pvm_emit_reg_imm64(f->b, PVM_OP_LOAD_IMM_64, reg, v);
}

int mb_build_op_chain(const mb_spec *s, mb_program *out, char *err, size_t err_len)
{
    if (!mb_op_measurable(s->op)) {
        snprintf(err, err_len, "%s: opcode %d cannot be measured in a loop", s->name, s->op);
        return -1;
    }
    bool latency = s->shape == MB_LATENCY || !mb_op_has_throughput(s->op);
    bool loads = pvm_op_mem_access((pvm_op)s->op).width && !writes_no_register(s->op);
    mb_frame f;
    bool narrow = mb_op_timed_narrow(s->op);
    if (mb_frame_begin_width(&f, 4096, narrow) != 0) {
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    pvm_builder *b = f.b;
    bool inflate = mb_chain_extra_op(s) >= 0;
    uint64_t divisor = s->divisor_zero ? 0 : inflate ? 3 : 1;
    load_constant(&f, R_K, mb_op_is_division(s->op) ? divisor : K_VALUE);
    load_constant(&f, R_K2, inflate ? MB_REM_INFLATE : K2_VALUE);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_ZERO, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_BASE, MB_RW_ADDR);
    for (unsigned j = 0; j < 4; j++) /* loads chase address 0 + rw: start from 0 */
        load_constant(&f, THROUGHPUT_DEST[j], loads ? 0 : ACC_VALUE + j);
    if (s->op == PVM_OP_MEMSET) { /* memset(a0 = base, a1 = byte, a2 = 0 bytes) */
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_A0, MB_RW_ADDR);
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_A2, 0);
    }
    mb_frame_loop_top(&f);
    for (unsigned i = 0; i < s->units; i++) emit_unit(b, s->op, latency, i, inflate, s->op == PVM_OP_MEMSET ? s->size : 0);
    mb_frame_loop_end(&f);
    pvm_emit_reg3(b, PVM_OP_XOR, R_A0, R_A1, R_A2);
    pvm_emit_reg3(b, PVM_OP_XOR, R_A0, R_A0, R_A3);
    pvm_emit_reg3(b, PVM_OP_XOR, R_A0, R_A0, R_A4);
    return mb_frame_finish(&f, R_A0, out, err, err_len);
}
