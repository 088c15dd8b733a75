/* The interpreter's dispatch codes (xop): plain ops, operand forwarding
 * (interp_forward.c) and super-instructions (interp_fused.def, interp_fuse.c). */
#ifndef PVM_INTERP_H
#define PVM_INTERP_H
#include "vm/program/decode.h"
#include "pvm/pvm.h"
#include "vm/isa/isa.h"

/* The interpreter's instruction record, built from the decoder's (pvm_instr) by the
 * compile step: only what the loops read on their fast paths, 32 bytes, so that a
 * taken branch or a block entry finds its target's address, block length and gas
 * cost in the target's own record (no index arithmetic through the block table).
 * Everything else (pc, op, block) stays in the decoder's record of the same index,
 * which the slow paths (exits, faults, wrapped accesses) read. */
typedef struct pvm_interp_op {
    const void *handler; /* its xop's code in the guarded loop of the module's gas mode */
    uint64_t imm;        /* the decoder's imm */
    union {
        struct {
            uint32_t left; /* instructions from this one to the end of its block, itself included;
                              at an entry record past an unlikely: one more (the unlikely) */
            uint32_t cost; /* a block's entry record: the block's gas cost; 0 in the records of a
                              module without gas, whose loops read the two as one `left_cost` */
        };
        uint64_t left_cost; /* no gas (cost 0), little-endian: left as a 64-bit value, added to
                               the count at a block entry straight from memory (PVM_INTERP_LEFT) */
    };
    uint32_t aux;        /* jumps and branches: the byte offset in the records of the target's entry
                            record (pvm_interp_entry), PVM_NO_INDEX if the target is not a block start;
                            other ops: the decoder's imm2, a sign-extended 32-bit value, truncated */
    uint8_t a, b;        /* registers as in the decoder's record */
    union {
        uint8_t d;       /* a register as in the decoder's record */
        uint8_t next;    /* conditional branches and fallthrough (no d): the byte step to the next
                            block's entry record (pvm_interp_next_step), past an unlikely as a jump */
    };
    uint8_t skip;        /* 1 at an entry record past an unlikely (left counts it), else 0 */
} pvm_interp_op;
_Static_assert(sizeof(pvm_interp_op) == 32, "two records to a cache line");

/* The record's `left` as the loops add it to their count: with no gas in one 64-bit read. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PVM_INTERP_LEFT(p, gas_mode) ((gas_mode) == PVM_GAS_NONE ? (p)->left_cost : (uint64_t)(p)->left)
#else
#define PVM_INTERP_LEFT(p, gas_mode) ((uint64_t)(p)->left)
#endif

/* A jump or branch whose static target is not a block start (it panics when taken). */
static inline bool pvm_interp_bad_target(const pvm_instr *in)
{
    return pvm_kind_has_target(pvm_op_table[in->op].kind) && in->target == PVM_NO_INDEX;
}

/* The jump table entries a dynamic jump takes on its fast path (DJUMP in interp_loop.inc):
 * all of them, unless the table reaches 0x7fff7fff, the entry that the halt address rotates
 * to (then the entries from there on are taken on the slow path). */
static inline uint32_t pvm_interp_djump_limit(uint32_t jt_len)
{
    return jt_len < 0x7fff7fffu ? jt_len : 0x7fff7fffu;
}

/* Records are addressed by 32-bit byte offsets (a jump's aux): the records of a
 * module stay below 4 GiB. */
#define PVM_INTERP_MAX_INSTRS (UINT32_MAX / sizeof(pvm_interp_op))

/* The record a jump to block start `index` enters at: the block's first, or, when
 * that is an `unlikely` (a hint with nothing to do) and the block goes on, the one
 * after it, so that a taken jump does not dispatch the hint. */
static inline uint32_t pvm_interp_entry(const pvm_decoded *d, uint32_t index)
{
    const pvm_block *b = &d->blocks[d->instrs[index].block];
    return d->instrs[index].op == PVM_OP_UNLIKELY && b->count > 1 ? index + 1 : index;
}

/* A conditional branch's or fallthrough's `next`: the byte step from its record to the
 * record it enters the next block at when it does not jump (pvm_interp_entry: past the
 * unlikely that starts it, so that the not-taken way does not dispatch the hint either). */
static inline uint8_t pvm_interp_next_step(const pvm_decoded *d, uint32_t index)
{
    uint32_t steps = index + 1 < d->n_instrs && pvm_interp_entry(d, index + 1) == index + 2 ? 2 : 1;
    return (uint8_t)(steps * sizeof(pvm_interp_op));
}
/* Whether an op's record holds `next` instead of d. */
static inline bool pvm_interp_has_next(pvm_op op) { return pvm_op_is_branch(op) || op == PVM_OP_FALLTHROUGH; }

enum {
#define FUSED(a, b) PVM_INTERP_FUSED_##a##__##b,
#include "interp_fused.def"
#undef FUSED
    PVM_INTERP_FUSED_COUNT
};

/* Which of its registers a and b an op reads (the forwarded operand can only be one of
 * those), from its ISA table columns as a constant expression: interp_forward.c chooses
 * variants by it, and the loop leaves out the code of pair variants that never run. */
enum { PVM_INTERP_READS_A = 1, PVM_INTERP_READS_B = 2 };
#define PVM_INTERP_READS_OF(kind, group) \
    ((((kind) == PVM_KIND_REG3 || (kind) == PVM_KIND_REG_REG || (kind) == PVM_KIND_REG_REG_OFF || \
       (kind) == PVM_KIND_REG_IMM_OFF || ((group) == PVM_GROUP_STORE && (kind) != PVM_KIND_IMM_IMM)) \
          ? PVM_INTERP_READS_A : 0) | \
     (((kind) == PVM_KIND_REG3 || (kind) == PVM_KIND_REG_REG_IMM || (kind) == PVM_KIND_REG_REG_OFF) \
          ? PVM_INTERP_READS_B : 0))
enum {
#define X(id, mnemonic, kind, number, jam, flags, group, ...) \
    PVM_INTERP_READS_##id = PVM_INTERP_READS_OF(PVM_KIND_##kind, PVM_GROUP_##group),
#include "vm/isa/isa_table.def"
#undef X
};

/* Operand forwarding: the loop keeps the value the last register-writing
 * instruction of the block wrote in a local (acc) as well as in the register
 * file; an instruction whose first (a) or second (b) source register is that
 * register is dispatched as a variant that takes the operand from acc (no
 * operand decode, no load, no store-to-load forwarding delay). */
typedef enum {
    PVM_INTERP_SRC_MEMORY, /* every operand from the register file */
    PVM_INTERP_SRC_A,      /* register a from acc */
    PVM_INTERP_SRC_B,      /* register b from acc */
    PVM_INTERP_SRC_COUNT
} pvm_interp_src;

/* Ops whose meaning depends on the module's width (interp_width.def): a 64-bit module's
 * instruction runs the op's own handler, which knows nothing of 32-bit modules, and a 32-bit
 * module's runs the op's W32 handler, so that neither tests the width at run time. */
enum {
#define WIDTH_OP(op) PVM_INTERP_WIDTH_##op,
#include "interp_width.def"
#undef WIDTH_OP
    PVM_INTERP_WIDTH_COUNT
};
/* The op's index in interp_width.def, -1 if its meaning does not depend on the width. */
static inline int pvm_interp_width_index(pvm_op op)
{
    switch (op) {
#define WIDTH_OP(op) case PVM_OP_##op: return PVM_INTERP_WIDTH_##op;
#include "interp_width.def"
#undef WIDTH_OP
    default: return -1;
    }
}

/* xop = op + PVM_OP_COUNT * src for a single instruction; a 32-bit module's width op w
 * (interp_width.def) is PVM_INTERP_XOP_W32 + PVM_INTERP_SRC_COUNT * w + src; a
 * super-instruction k (interp_fused.def) whose first instruction takes its operand as src1
 * and whose second as src2 is PVM_INTERP_XOP_FUSED + PVM_INTERP_FUSED_COUNT * (3 * src1 +
 * src2) + k (never with a width op in a 32-bit module). */
#define PVM_INTERP_XOP_W32 (PVM_OP_COUNT * PVM_INTERP_SRC_COUNT)
#define PVM_INTERP_XOP_FUSED (PVM_INTERP_XOP_W32 + PVM_INTERP_WIDTH_COUNT * PVM_INTERP_SRC_COUNT)
#define PVM_INTERP_XOP_COUNT \
    (PVM_INTERP_XOP_FUSED + PVM_INTERP_FUSED_COUNT * PVM_INTERP_SRC_COUNT * PVM_INTERP_SRC_COUNT)

/* The super-instruction of an xop, -1 if it is a single instruction. */
static inline int pvm_interp_xop_pair(unsigned xop)
{
    return xop >= PVM_INTERP_XOP_FUSED ? (int)((xop - PVM_INTERP_XOP_FUSED) % PVM_INTERP_FUSED_COUNT) : -1;
}
/* Whether an xop is a width op's 32-bit handler. */
static inline bool pvm_interp_xop_w32(unsigned xop)
{
    return xop >= PVM_INTERP_XOP_W32 && xop < PVM_INTERP_XOP_FUSED;
}
/* Where an xop's (first) instruction takes its operand from. */
static inline pvm_interp_src pvm_interp_xop_src(unsigned xop)
{
    return xop >= PVM_INTERP_XOP_FUSED
               ? (pvm_interp_src)((xop - PVM_INTERP_XOP_FUSED) / PVM_INTERP_FUSED_COUNT / PVM_INTERP_SRC_COUNT)
           : xop >= PVM_INTERP_XOP_W32 ? (pvm_interp_src)((xop - PVM_INTERP_XOP_W32) % PVM_INTERP_SRC_COUNT)
                                       : (pvm_interp_src)(xop / PVM_OP_COUNT);
}
/* Where a super-instruction's second instruction takes its operand from. */
static inline pvm_interp_src pvm_interp_xop_src2(unsigned xop)
{
    return (pvm_interp_src)((xop - PVM_INTERP_XOP_FUSED) / PVM_INTERP_FUSED_COUNT % PVM_INTERP_SRC_COUNT);
}

/* Operand forwarding (interp_forward.c). The register acc holds before
 * instruction `index` runs (PVM_REG_COUNT: none), for a run that starts there. */
unsigned pvm_interp_acc_before(const pvm_decoded *d, uint32_t index);
/* After instruction `in` with acc holding `acc_reg` before it: the register acc holds. */
unsigned pvm_interp_acc_after(const pvm_instr *in, unsigned acc_reg);
/* Where `in` takes its operand from when acc holds acc_reg before it. */
pvm_interp_src pvm_interp_src_for(const pvm_instr *in, unsigned acc_reg);
/* The xops of instructions [first, end) (first a block start): pair[first][second] is a
 * super-instruction's index plus one (0: none), taken for two instructions of one block;
 * each in the variant for where acc is. */
void pvm_interp_forward_xops(pvm_decoded *d, const uint8_t (*pair)[PVM_OP_COUNT], uint32_t first, uint32_t end);

/* A guarded loop's handler addresses (direct threading): by xop, and a jump's or
 * branch's whose static target is not a block start by op (pvm_interp_bad_target). */
typedef struct pvm_interp_handlers {
    const void *const *by_xop;
    const void *const *bad_target;
} pvm_interp_handlers;
/* The guarded loop of `mode`'s (interp.c). */
pvm_interp_handlers pvm_interp_handlers_of(pvm_gas_mode mode);

/* Room for the records of d's instructions (interp_code.c), placed in their page as
 * records_shift chooses, into *out. Fails, with the reason in err, when out of memory,
 * over PVM_INTERP_MAX_INSTRS or when PVMLAB_INTERP_RECORDS_SHIFT is malformed. Free with
 * pvm_interp_code_free(code, d->n_instrs). */
pvm_status pvm_interp_code_alloc(const pvm_decoded *d, pvm_interp_op **out, pvm_error *err);
/* The records of blocks [first_block, end_block), their xops already set
 * (pvm_interp_forward_xops), `cost` the module's block costs (NULL for a module without
 * gas: every record's cost is 0, see left_cost), each record's handler from h (NULL:
 * none). Writes only those blocks' records: ranges may be filled on several threads. */
void pvm_interp_code_fill(const pvm_decoded *d, const uint32_t *cost, const pvm_interp_handlers *h,
                          pvm_interp_op *code, uint32_t first_block, uint32_t end_block);
void pvm_interp_code_free(pvm_interp_op *code, uint32_t n);
/* The dynamic jump table as the records' byte offsets of its targets' entry records
 * (pvm_interp_entry), PVM_NO_INDEX for an entry that is not a block start; d->jt_len
 * entries (at least one), NULL if out of memory. Free with free(). */
uint32_t *pvm_interp_jump_table_build(const pvm_decoded *d);

#endif
