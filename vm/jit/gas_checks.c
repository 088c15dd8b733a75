/* Which block entries need an out-of-gas check, and the gas bias that makes
 * dropping the others exact.
 *
 * Every block entry charges its cost (`sub`); only *checked* blocks also test
 * the result (`jl`/`js` to a cold stub). Generated code keeps the counter
 * biased: it holds gas - K, where K (jit_module.gas_bias) is at least the cost
 * of every unchecked block. So a check that passes leaves gas >= K, and the
 * block after it, if unchecked, cannot take gas below zero: no unchecked block
 * follows an unchecked one (no CFG edge joins two of them, nor one to itself),
 * and blocks that end in a dynamic jump (it may land on any jump-table entry)
 * are always checked.
 * A check fails when gas < cost + K: its stub tells a real out-of-gas
 * (gas < cost: exit there, as before) from the last stretch (gas < cost + K),
 * which the interpreter runs from that block's entry (JIT_EXIT_GAS_CHECK):
 * it stops at exactly the interpreter's point because it is the interpreter.
 * Whatever else lowers gas inside generated code (memset, lazy-page charges)
 * hands the run to the interpreter when gas falls below K, and a run enters or
 * resumes in generated code only with gas >= K (runtime.c). */
#include "gas_checks.h"
#include <string.h>

/* What the plan needs of a block's terminator op, in one byte per op: looked up once per block. */
enum { TERM_HAS_TARGET = 1, TERM_FALLS_THROUGH = 2, TERM_DYNAMIC = 4 };
typedef struct {
    uint8_t of[PVM_OP_COUNT];
} term_flags;

static void term_flags_init(term_flags *t)
{
    for (int i = 0; i < PVM_OP_COUNT; i++) {
        pvm_op op = (pvm_op)i;
        t->of[i] = (uint8_t)((pvm_kind_has_target((pvm_kind)pvm_op_table[op].kind) ? TERM_HAS_TARGET : 0) |
                             (pvm_op_can_fall_through(op) || !pvm_op_is_terminator(op) ? TERM_FALLS_THROUGH : 0) |
                             (pvm_op_group_of(op) == PVM_GROUP_JUMP_IND ? TERM_DYNAMIC : 0));
    }
}

/* The successors of block b with a static address: the target of its
 * terminator's jump or branch, and the next block if it can fall through
 * (a dynamic jump's are the jump-table entries: such blocks are always checked). */
static inline uint32_t block_successors(const pvm_decoded *d, const term_flags *t, uint32_t b, uint32_t out[2])
{
    const pvm_block *blk = &d->blocks[b];
    uint8_t f = t->of[blk->term_op];
    uint32_t n = 0;
    if ((f & TERM_HAS_TARGET) && blk->target_block != PVM_NO_INDEX) out[n++] = blk->target_block;
    if ((f & TERM_FALLS_THROUGH) && b + 1 < d->n_blocks) out[n++] = b + 1;
    return n;
}

static inline bool ends_in_dynamic_jump(const pvm_decoded *d, const term_flags *t, uint32_t b)
{
    return t->of[d->blocks[b].term_op] & TERM_DYNAMIC;
}

uint32_t jit_gas_checks_plan(const pvm_decoded *d, const uint32_t *block_cost, uint8_t *unchecked)
{
    term_flags t;
    term_flags_init(&t);
    /* One pass, greedy in program order: b goes unchecked unless a predecessor
     * already did (it marked b), or a successor did (a back edge), or it loops on
     * itself, ends in a dynamic jump or costs too much. unchecked[b] is final (0 or
     * 1) once b is decided; before, 2 marks a block that must be checked. A block
     * decided earlier is never marked: it has no unchecked successor. The
     * fall-through b + 1 is not decided yet when b is (never 1, never b): only the
     * jump or branch target is tested. */
    enum { MUST_CHECK = 2 };
    memset(unchecked, 0, d->n_blocks);
    const pvm_block *blocks = d->blocks;
    uint32_t bias = 0, n = d->n_blocks;
    for (uint32_t b = 0; b < n; b++) {
        uint8_t f = t.of[blocks[b].term_op];
        uint32_t cost = block_cost[b];
        if (unchecked[b] || (f & TERM_DYNAMIC) || cost > JIT_GAS_UNCHECKED_MAX_COST) {
            unchecked[b] = 0;
            continue;
        }
        uint32_t target = (f & TERM_HAS_TARGET) ? blocks[b].target_block : PVM_NO_INDEX;
        if (target != PVM_NO_INDEX) {
            if (target == b || unchecked[target] == 1) continue; /* (0 already) */
            if (target > b) unchecked[target] = MUST_CHECK;
        }
        unchecked[b] = 1;
        if (cost > bias) bias = cost;
        if ((f & TERM_FALLS_THROUGH) && b + 1 < n) unchecked[b + 1] = MUST_CHECK;
    }
    return bias;
}

bool jit_gas_checks_valid(const pvm_decoded *d, const uint32_t *block_cost, const uint8_t *unchecked, uint32_t bias)
{
    term_flags t;
    term_flags_init(&t);
    bool dynamic_unchecked = false, target_unchecked = false;
    for (uint32_t k = 0; k < d->jt_len; k++)
        if (d->jump_table_index[k] != PVM_NO_INDEX && unchecked[d->instrs[d->jump_table_index[k]].block]) target_unchecked = true;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        if (!unchecked[b]) continue;
        dynamic_unchecked |= ends_in_dynamic_jump(d, &t, b);
        if (dynamic_unchecked && target_unchecked) return false;
        if (block_cost[b] > bias) return false;
        uint32_t s[2], n = block_successors(d, &t, b, s);
        for (uint32_t k = 0; k < n; k++)
            if (unchecked[s[k]]) return false;
    }
    return true; /* every edge is some block's successor edge: none joins two unchecked blocks */
}
