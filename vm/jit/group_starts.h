/* Where a fused group may start (group_starts.c): the one list of the groups the
 * emitters know by their first two ops, and the per-op filter built from it that
 * cg_emit_instr reads for every guest instruction. */
#ifndef PVM_JIT_GROUP_STARTS_H
#define PVM_JIT_GROUP_STARTS_H
#include <stdbool.h>
#include <stdint.h>
#include "vm/program/decode.h"

/* How cg_emit_instr sends an op (jit_group_filter.route): emit_one's three ways for an
 * op that starts no group, or 1 to emit_grouped whatever follows, or, from
 * JIT_ROUTE_CLASS on, a class of first ops whose row of jit_group_filter.next says
 * what the next op of the block makes of it. */
enum { JIT_ROUTE_PLAIN, JIT_ROUTE_MEMORY, JIT_ROUTE_BRANCH, JIT_ROUTE_ALWAYS, JIT_ROUTE_CLASS };

/* A row entry (per class, per next op): bits 0-1 the group kind it decides alone (0 none,
 * 1 emit_grouped, 2 emit_more_grouped: then the flags may still make it a 1), and flags,
 * each a test that is a necessary condition of its emitter. JIT_NEXT_CARRY: 1 if the op
 * after the next, in the block, is set_lt_u or set_lt_u_imm (an add's carry past a load
 * or store);
 * JIT_NEXT_OWN_BASE: 1 if the next op (a load) has the first op's destination as both
 * its base and its destination (an indexed load); JIT_NEXT_THEN_OR: 1 if the op after
 * the next, in the block, is an or and the two shift amounts add up to a multiple of 32
 * (a funnel shift's add up to the width); JIT_NEXT_BY_32: 1 if the first op
 * shifts by 32 (an extension by two shifts, an element load); JIT_NEXT_CHAINED: 1 if
 * the next op's b is the first op's a (a narrow bit field);
 * JIT_NEXT_RETARGET: 2 if the next op writes neither of its operands (retargets_into);
 * JIT_NEXT_THIRD: 2 if the op after the next, in the block, is an add_64
 * (emit_scaled_add_past); JIT_NEXT_ZERO_BRANCH: 2 if the first op adds in place and its
 * block ends, at most five instructions on, in branch_eq_imm or branch_ne_imm
 * (emit_count_branch). Tested in this order: a 1 wins over a 2. */
enum { JIT_NEXT_RETARGET = 4, JIT_NEXT_THIRD = 8, JIT_NEXT_ZERO_BRANCH = 16, JIT_NEXT_CARRY = 32,
       JIT_NEXT_OWN_BASE = 64, JIT_NEXT_THEN_OR = 128, JIT_NEXT_BY_32 = 256, JIT_NEXT_CHAINED = 512 };
#define JIT_GROUP_CLASSES 16

typedef struct {
    uint8_t route[PVM_OP_COUNT];
    uint16_t next[JIT_GROUP_CLASSES][PVM_OP_COUNT];
} jit_group_filter;

/* The filter of 32-bit (narrow) or 64-bit programs, built once per process. */
const jit_group_filter *jit_group_filter_get(bool narrow);

/* Whether the instruction p at index, whose op's route is a class or
 * JIT_ROUTE_ALWAYS, may start a fused group of d's code, by the next instruction of its block (and
 * for one entry the one after it). A necessary condition only, and cheap: the
 * instructions that fail it go to emit_plain without emit_grouped's prologue and tests.
 * 1: a group of emit_grouped (which then also tries emit_also for
 * jit_also_after_grouped's ops), 2: only one of emit_more_grouped's, 0: none.
 * p is never d's last instruction: that is the decoder's implicit trap, whose op
 * (invalid) starts nothing (test_jit_group_starts), so p + 1 is there. */
static inline int jit_may_start_group(const uint16_t (*next)[PVM_OP_COUNT], unsigned route, const pvm_instr *p,
                                      uint32_t index, const pvm_decoded *d)
{
    if (route == JIT_ROUTE_ALWAYS) return 1;
    const pvm_instr *q = p + 1;
    if (q->block_start) return 0;
    unsigned v = next[(size_t)route - JIT_ROUTE_CLASS][q->op]; /* size_t: the offset folds into the address */
    if (v < JIT_NEXT_RETARGET) return (int)v;
    /* the op after the next in the block, else the trap (no group has it third) */
    unsigned third = index + 2 < d->n_instrs && !q[1].block_start ? q[1].op : PVM_OP_TRAP;
    if (v & (JIT_NEXT_CARRY | JIT_NEXT_OWN_BASE | JIT_NEXT_THEN_OR | JIT_NEXT_BY_32 | JIT_NEXT_CHAINED)) { /* the 1s */
        if ((v & JIT_NEXT_CARRY) && (third == PVM_OP_SET_LT_U || third == PVM_OP_SET_LT_U_IMM)) return 1;
        if ((v & JIT_NEXT_OWN_BASE) && q->a == p->d && q->b == p->d) return 1;
        if ((v & JIT_NEXT_THEN_OR) && third == PVM_OP_OR && !((p->imm + q->imm) & 31)) return 1;
        if ((v & JIT_NEXT_BY_32) && p->imm == 32) return 1;
        if ((v & JIT_NEXT_CHAINED) && q->b == p->a) return 1;
    }
    if ((v & JIT_NEXT_RETARGET) && q->d != q->a && q->d != q->b) return 2; /* retargets_into */
    if ((v & JIT_NEXT_THIRD) && third == PVM_OP_ADD_64) return 2;
    if ((v & JIT_NEXT_ZERO_BRANCH) && p->a == p->b) {
        const pvm_block *b = &d->blocks[p->block];
        if ((b->term_op == PVM_OP_BRANCH_EQ_IMM || b->term_op == PVM_OP_BRANCH_NE_IMM) && b->first + b->count <= index + 6)
            return 2;
    }
    return (int)(v & 3); /* the kind the flags came with */
}

/* The first ops after whose group of emit_grouped fails emit_grouped still tries
 * emit_more_grouped's (emit_also). */
static inline bool jit_also_after_grouped(pvm_op op)
{
    return op == PVM_OP_ROT_R_32_IMM || op == PVM_OP_MUL_UPPER_U_U || op == PVM_OP_ADD_IMM_64 || op == PVM_OP_ADD_IMM_32 ||
           op == PVM_OP_SHLO_L_IMM_64 || op == PVM_OP_SHLO_L_IMM_32;
}

/* A load from a base register plus an immediate (loads_from_base). */
static inline bool jit_base_load(pvm_op op)
{
    pvm_mem_access m = pvm_op_mem_access(op);
    return m.width && !m.is_store && pvm_op_table[op].kind == PVM_KIND_REG_REG_IMM;
}

/* The list itself, for the test that every listed group reaches its emitter. */
enum { JIT_WIDE = 1, JIT_NARROW = 2 };
enum { JIT_SECOND_ANY, JIT_SECOND_LISTED, JIT_SECOND_MEMORY, JIT_SECOND_RETARGET, JIT_SECOND_THEN_ADD64,
       JIT_SECOND_ZERO_BRANCH, JIT_SECOND_MEMORY_THEN_CARRY, JIT_SECOND_OWN_BASE_LOAD, JIT_SECOND_THEN_OR,
       JIT_SECOND_BY_32, JIT_SECOND_MEMORY_ZERO_BRANCH, JIT_SECOND_CHAINED };
typedef struct {
    const char *emitter;
    uint8_t widths;  /* JIT_WIDE | JIT_NARROW */
    uint8_t kind;    /* 1: emit_grouped's, 2: emit_more_grouped's */
    uint8_t second;  /* JIT_SECOND_*: which next ops (ANY: decided without the next; LISTED: those in
                        `seconds`; MEMORY: any load or store; RETARGET: and, or, xor, mul, sub writing
                        neither operand; THEN_ADD64: any, then an add_64; ZERO_BRANCH: those in
                        `seconds` where the first op adds in place and its block ends soon in
                        branch_eq_imm/ne_imm; MEMORY_ZERO_BRANCH: any load or store, so;
                        BY_32: those in `seconds` after a shift by 32; CHAINED: those in `seconds`
                        reading the first op's a as their b; MEMORY_THEN_CARRY:
                        any load or store, then set_lt_u or set_lt_u_imm; OWN_BASE_LOAD: a load
                        (base register and immediate) whose base and destination are the first
                        op's destination; THEN_OR: those in `seconds`, then an or) */
    uint8_t firsts[24], seconds[8]; /* ops, each list ended by PVM_OP_COUNT */
} jit_group_start;
extern const jit_group_start jit_group_starts[];
extern const unsigned jit_group_starts_count;
#endif
