/* ISA: canonical opcode ids, operand kinds and per-variant numbering, all
 * generated from isa_table.def. */
#ifndef PVM_ISA_H
#define PVM_ISA_H
#include <stdbool.h>
#include <stdint.h>
#include "pvm/pvm.h"
#include "op_classes.h"

typedef enum {
    PVM_KIND_NONE,
    PVM_KIND_IMM,
    PVM_KIND_REG_IMM64,
    PVM_KIND_IMM_IMM,
    PVM_KIND_OFF,
    PVM_KIND_REG_IMM,
    PVM_KIND_REG_IMM_IMM,
    PVM_KIND_REG_IMM_OFF,
    PVM_KIND_REG_REG,
    PVM_KIND_REG_REG_IMM,
    PVM_KIND_REG_REG_OFF,
    PVM_KIND_REG_REG_IMM_IMM,
    PVM_KIND_REG3,
    PVM_KIND_COUNT
} pvm_kind;

/* Canonical opcode ids (independent of any variant's numbering). */
typedef enum {
#define X(id, ...) PVM_OP_##id,
#include "isa_table.def"
#undef X
    PVM_OP_INVALID, /* undefined opcode byte, missing bitmask bit or end of code: traps */
    PVM_OP_COUNT
} pvm_op;

enum {
    PVM_ISA_T = 1,   /* terminator */
    PVM_ISA_B64 = 2, /* 64-bit variants only */
    PVM_ISA_NGP = 4, /* absent in GP 0.7.x */
    PVM_ISA_NRV = 8, /* absent in ReviveV1 */
    PVM_ISA_REM = 16, /* a remainder: the result is smaller than the divisor */
    PVM_ISA_W32 = 32, /* a 32-bit operation: 64-bit variants sign-extend its result */
    PVM_ISA_LOG = 64, /* bitwise logic: each result bit depends only on the same operand bits */
    PVM_ISA_SGN = 128 /* reads an operand as a signed number */
};

/* Memory access of an instruction: width in bytes (0 if none), whether it is
 * a store, and whether a load sign-extends. */
typedef struct {
    uint8_t width;
    bool is_store;
    bool is_signed;
} pvm_mem_access;

typedef struct {
    const char *name;
    pvm_kind kind;
    int16_t number; /* GP 0.7.x / Latest numbering */
    int16_t jam;    /* JamV1 numbering, -1 if absent */
    uint8_t flags;
    uint8_t group;          /* pvm_op_group */
    uint8_t pipeline_class; /* pvm_op_class */
    pvm_mem_access mem;
} pvm_op_info;

extern const pvm_op_info pvm_op_table[PVM_OP_COUNT];

/* Opcode byte -> canonical op for a variant; PVM_OP_INVALID if undefined. */
pvm_op pvm_isa_decode_opcode(pvm_isa isa, uint8_t byte);
/* The same as a 256-entry table (byte -> pvm_op), for decoding loops. */
const uint8_t *pvm_isa_decode_table(pvm_isa isa);
/* Canonical op -> opcode byte in a variant; -1 if the variant lacks it. */
int pvm_isa_encode_opcode(pvm_isa isa, pvm_op op);
bool pvm_isa_is_64bit(pvm_isa isa);
/* A guest store to a read-only page: true = panic (PolkaVM's Latest32/Latest64/
 * ReviveV1 programs), false = page fault (GP 0.7 / JamV1). See isa.c for the sources. */
bool pvm_isa_readonly_store_panics(pvm_isa isa);
/* Parse a variant name as pvm_isa_name prints it; false if unknown. */
bool pvm_isa_from_name(const char *name, pvm_isa *out);
const char *pvm_isa_name(pvm_isa isa);
/* The op whose mnemonic is name (as pvm_op_table prints it, "invalid" included); false if none. */
bool pvm_op_from_name(const char *name, pvm_op *out);
const char *pvm_kind_name(pvm_kind kind);
/* Whether operands of this kind end in an offset: the instruction names a static jump target. */
static inline bool pvm_kind_has_target(pvm_kind k)
{
    return k == PVM_KIND_OFF || k == PVM_KIND_REG_IMM_OFF || k == PVM_KIND_REG_REG_OFF;
}

static inline bool pvm_op_is_terminator(pvm_op op)
{
    return op == PVM_OP_INVALID || (pvm_op_table[op].flags & PVM_ISA_T);
}
/* The group of a canonical op; PVM_OP_INVALID is control. */
static inline pvm_op_group pvm_op_group_of(pvm_op op)
{
    return (unsigned)op < PVM_OP_COUNT ? (pvm_op_group)pvm_op_table[op].group : PVM_GROUP_COUNT;
}
/* Conditional branches (both successors live). */
static inline bool pvm_op_is_branch(pvm_op op) { return pvm_op_group_of(op) == PVM_GROUP_BRANCH; }
/* Terminators after which execution may continue at the next instruction. */
static inline bool pvm_op_can_fall_through(pvm_op op)
{
    return op == PVM_OP_FALLTHROUGH || pvm_op_is_branch(op);
}

/* Remainders (rem_*): a chain of them collapses unless something feeds it a new dividend. */
static inline bool pvm_op_is_remainder(pvm_op op)
{
    return (unsigned)op < PVM_OP_COUNT && (pvm_op_table[op].flags & PVM_ISA_REM);
}

/* Bitwise logic (and, or, xor, their _imm and _inv forms, xnor). */
static inline bool pvm_op_is_bitwise_logic(pvm_op op)
{
    return (unsigned)op < PVM_OP_COUNT && (pvm_op_table[op].flags & PVM_ISA_LOG);
}

/* Ops that read an operand as a signed number (the _s forms, arithmetic shifts, max, min). */
static inline bool pvm_op_is_signed(pvm_op op)
{
    return (unsigned)op < PVM_OP_COUNT && (pvm_op_table[op].flags & PVM_ISA_SGN);
}

/* Ops that only compute their destination register from their source registers:
 * no memory access, no exit, the old destination value not read (alu, bits,
 * shift, compare, mul, div, move, load_imm; not cmov, which keeps the
 * destination when its condition fails). The destination is the first register
 * operand of the kind (d of REG3 and REG_REG, a otherwise), the sources the others. */
static inline bool pvm_op_is_pure(pvm_op op)
{
    switch (pvm_op_group_of(op)) {
    case PVM_GROUP_ALU: case PVM_GROUP_BITS: case PVM_GROUP_SHIFT: case PVM_GROUP_COMPARE:
    case PVM_GROUP_MUL: case PVM_GROUP_DIV: case PVM_GROUP_MOVE: case PVM_GROUP_LOAD_IMM: return true;
    default: return false;
    }
}

/* A 32-bit operation (add_32, shlo_l_imm_32, div_u_32, ...): in a 64-bit program its
 * result is sign-extended to 64 bits, in a 32-bit program it is the register's width. */
static inline bool pvm_op_is_32bit(pvm_op op)
{
    return (unsigned)op < PVM_OP_COUNT && (pvm_op_table[op].flags & PVM_ISA_W32);
}

/* The memory column of an op (all zero for none and out-of-range ops). */
static inline pvm_mem_access pvm_op_mem_access(pvm_op op)
{
    pvm_mem_access none = {0, false, false};
    return (unsigned)op < PVM_OP_COUNT ? pvm_op_table[op].mem : none;
}
#endif
