/* Decoded program: every instruction of the code decoded once, in pc order,
 * with basic-block structure and resolved static targets. Both backends and
 * the metering pass read this; nothing re-decodes raw bytes at run time. */
#ifndef PVM_DECODE_H
#define PVM_DECODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vm/isa/isa.h"
#include "vm/util/popcount.h"
#include "vm/util/thread_usage.h"

#define PVM_NO_INDEX UINT32_MAX

/* One decoded instruction. Register roles follow the operand kind:
 *   reg_reg       : d = destination, a = source
 *   reg_reg_imm   : a = first register (dest or stored value), b = second (source or base)
 *   reg3          : d = destination, a and b = sources
 *   reg_imm*, reg_imm64, reg_reg_off, reg_reg_imm_imm : a (and b) as in the spec
 * imm / imm2 are sign-extended to 64 bits (load_imm_64: the raw 64-bit value).
 * For offsets (jump, branches, load_imm_jump) target_pc = (pc + offset) mod 2^32
 * and target = its instruction index if that is a valid block start, else PVM_NO_INDEX. */
typedef struct {
    uint8_t op;      /* pvm_op */
    uint8_t a, b, d; /* register numbers 0..12 */
    uint8_t len;     /* bytes including the opcode (1 + skip) */
    uint8_t block_start; /* 1 if this instruction starts a basic block */
    uint16_t xop;    /* the interpreter's dispatch code: op, or one of its super-instructions
                        (interp/interp_fused.def); set by pvm_interp_prepare, 0 until then */
    uint32_t pc;
    uint32_t target_pc;
    uint32_t target; /* instruction index of target_pc if a valid block start */
    uint32_t block;  /* index of the containing basic block */
    uint64_t imm;
    uint64_t imm2;
} pvm_instr;

/* The destination of a pure op (pvm_op_is_pure) or a cmov: the first register operand
 * of its kind (d of reg3 and reg_reg, a otherwise). */
static inline unsigned pvm_pure_dest(const pvm_instr *x)
{
    pvm_kind k = pvm_op_table[x->op].kind;
    return k == PVM_KIND_REG3 || k == PVM_KIND_REG_REG ? x->d : x->a;
}

/* The registers a pure op (or a cmov, besides its destination) reads, as a bit set. */
static inline uint32_t pvm_pure_read_set(const pvm_instr *x)
{
    switch (pvm_op_table[x->op].kind) {
    case PVM_KIND_REG3: return 1u << x->a | 1u << x->b;
    case PVM_KIND_REG_REG: return 1u << x->a;
    case PVM_KIND_REG_REG_IMM: return 1u << x->b;
    default: return 0; /* load_imm: no source */
    }
}

typedef struct {
    uint32_t first; /* index of the first instruction */
    uint32_t count; /* instructions in the block, terminator included */
    /* The terminator's static target as a block (PVM_NO_INDEX: none or not a
     * valid block start) and its op: a block's successors without reading its
     * instructions (the JIT's gas-check plan walks every block). Four bytes
     * for the op: no padding, every byte of a block is written. */
    uint32_t target_block;
    uint32_t term_op;
} pvm_block;

typedef struct {
    pvm_isa isa;
    bool is_64bit;
    const uint8_t *code; /* borrowed from the module */
    uint32_t code_len;
    const uint8_t *bitmask;
    pvm_instr *instrs; /* n_instrs entries; the last is always an implicit trap at or past code end */
    uint32_t n_instrs;
    uint32_t instrs_cap; /* entries allocated (util_alloc_large) */
    pvm_block *blocks;
    uint32_t n_blocks;
    /* pc -> instruction index without an array as long as the code: bit pc of
     * starts is set where an instruction starts (pcs 0..code_len), and
     * start_rank[k] counts the starts below word k. */
    uint64_t *starts;
    uint32_t *start_rank;
    uint32_t *jump_table; /* jt_len entries: code offsets */
    uint32_t jt_len;
    uint32_t *jump_table_index; /* instruction index per entry, PVM_NO_INDEX if not a valid block start */
    uint32_t split_pc; /* where a second thread started decoding (0: one thread did it all) */
    util_thread_usage second_thread; /* what that thread used (zeros: none ran) */
    uint8_t interp_threaded; /* 0, or 1 + the gas mode whose guarded interpreter loop the handlers of the
                                interpreter's records are of (vm/interp/interp.h) */
} pvm_decoded;

/* Decode code + bitmask (+ jump table, copied) into out. code and bitmask are
 * borrowed and must outlive out. Fails only on allocation failure or a jump
 * table entry that is not a valid block start (GP 0.8 / PolkaVM rule when
 * strict_jump_table is set). Free with pvm_decoded_free. */
pvm_status pvm_decode_program(pvm_isa isa, const uint8_t *code, uint32_t code_len, const uint8_t *bitmask,
                              const uint32_t *jump_table, uint32_t jt_len, pvm_decoded *out, pvm_error *err);
/* The same; threads false: on the calling thread only (a large program is
 * otherwise decoded in two chunks on two threads, with the same result). */
pvm_status pvm_decode_program_threads(pvm_isa isa, const uint8_t *code, uint32_t code_len, const uint8_t *bitmask,
                                      const uint32_t *jump_table, uint32_t jt_len, bool threads, pvm_decoded *d,
                                      pvm_error *err);
void pvm_decoded_free(pvm_decoded *d);

/* Instruction index for a pc, or PVM_NO_INDEX if no instruction starts there. */
static inline uint32_t pvm_decoded_index(const pvm_decoded *d, uint32_t pc)
{
    if (pc > d->code_len) return PVM_NO_INDEX;
    uint64_t w = d->starts[pc >> 6], below = w & ((UINT64_C(2) << (pc & 63)) - 1);
    return (w >> (pc & 63)) & 1 ? d->start_rank[pc >> 6] + (uint32_t)util_popcount64(below) - 1 : PVM_NO_INDEX;
}
/* The first block (index >= 1) starting at or after the middle instruction: where the
 * two-thread compile stages split a program with at least two blocks. */
uint32_t pvm_decoded_middle_block(const pvm_decoded *d);
/* True if pc is a valid target of a jump (a basic-block start with a real opcode). */
bool pvm_decoded_is_jump_target(const pvm_decoded *d, uint32_t pc);
/* Byte at pc of the zero-padded code. */
static inline uint8_t pvm_code_byte(const pvm_decoded *d, uint32_t pc)
{
    return pc < d->code_len ? d->code[pc] : 0;
}
/* Canonical op of the instruction starting at pc (PVM_OP_INVALID past the end or without a bitmask bit). */
pvm_op pvm_decoded_op_at(const pvm_decoded *d, uint32_t pc);
#endif
