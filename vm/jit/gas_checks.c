/* Which block entries need an out-of-gas check, and the gas bias that makes
 * dropping the others exact.
 *
 * Every block entry charges its cost (`sub`); only *checked* blocks also test
 * the result (`jl`/`js` to a cold stub). Generated code keeps the counter
 * biased: it holds gas - K, where K (jit_module.gas_bias) is at least the cost
 * of every path of unchecked blocks (a chain of them, each the successor of the
 * one before). So a check that passes leaves gas >= K, and the unchecked blocks
 * that follow it up to the next check cannot take gas below zero: the unchecked
 * blocks form no cycle (every edge between two of them goes forward in program
 * order, none loops on itself), and blocks that end in a dynamic jump (it may
 * land on any jump-table entry) are always checked.
 * A check fails when gas < cost + K: its stub tells a real out-of-gas
 * (gas < cost: exit there, as before) from the last stretch (gas < cost + K),
 * which the interpreter runs from that block's entry (JIT_EXIT_GAS_CHECK):
 * it stops at exactly the interpreter's point because it is the interpreter.
 * Whatever else lowers gas inside generated code (memset, lazy-page charges)
 * hands the run to the interpreter when gas falls below K, and a run enters or
 * resumes in generated code only with gas >= K (runtime.c): the rest of any
 * unchecked chain from there costs at most K. */
#include "gas_checks.h"
#include <stdlib.h>
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
    /* Loop heads (targets of a back edge, or of a block's edge to itself) keep
     * their check, so every edge between unchecked blocks goes forward: no cycle.
     * Then one pass, greedy in program order: b goes unchecked unless it is a
     * head, ends in a dynamic jump, or the dearest chain of unchecked blocks
     * ending in it (its cost plus into[b], the dearest chain ending in an
     * unchecked predecessor) would cost more than the limit. A simple loop keeps
     * one check, at its head (not at its latch: an op block that a select
     * (emit_select) charges by `cmov` then needs no guard), instead of every
     * other block's. Last, a checked block whose cost plus into[] (back edges
     * included) is within the limit is JIT_GAS_COVERED, the bias raised to that
     * sum: whatever block of generated code enters it leaves it at least its
     * cost, so its check can fail only short of the bias. */
    enum { HEAD = 4 };
    memset(unchecked, 0, d->n_blocks);
    uint16_t *into = calloc(d->n_blocks ? d->n_blocks : 1, sizeof *into); /* <= the limit */
    uint32_t *heads = malloc((d->n_blocks ? d->n_blocks : 1) * sizeof *heads);
    if (!into || !heads) { /* every block checked: exact, only slower */
        free(into);
        free(heads);
        return 0;
    }
    uint32_t bias = 0, n_heads = 0, n_blocks = d->n_blocks;
    const pvm_block *blocks = d->blocks;
    /* Only a target can be a back edge (the fall-through b + 1 is later), and
     * PVM_NO_INDEX is above every b: one compare per block before the op's flags. */
    for (uint32_t b = 0; b < n_blocks; b++) {
        uint32_t s = blocks[b].target_block;
        if (s <= b && (t.of[blocks[b].term_op] & TERM_HAS_TARGET) && unchecked[s] != HEAD)
            unchecked[s] = HEAD, heads[n_heads++] = s;
    }
    /* A block that is no head has only earlier predecessors: into[b] is final when the
     * greedy pass reaches it, and so is whether it is covered. A head's waits for the end.
     * The chain 64 bits wide: within the limit, so is the block's cost (the two tests in one). */
    for (uint32_t b = 0; b < n_blocks; b++) {
        if (unchecked[b] == HEAD) continue;
        uint64_t chain = (uint64_t)block_cost[b] + into[b];
        const pvm_block *blk = &blocks[b];
        uint8_t f = t.of[blk->term_op];
        bool cheap = chain <= JIT_GAS_UNCHECKED_MAX_COST;
        if (!cheap || (f & TERM_DYNAMIC)) {
            unchecked[b] = cheap ? JIT_GAS_COVERED : 0;
            if (cheap && chain > bias) bias = (uint32_t)chain;
            continue;
        }
        unchecked[b] = JIT_GAS_UNCHECKED;
        if (chain > bias) bias = (uint32_t)chain;
        uint32_t s = blk->target_block;
        if ((f & TERM_HAS_TARGET) && s != PVM_NO_INDEX && into[s] < chain) into[s] = (uint16_t)chain;
        if ((f & TERM_FALLS_THROUGH) && b + 1 < n_blocks && into[b + 1] < chain) into[b + 1] = (uint16_t)chain;
    }
    for (uint32_t h = 0; h < n_heads; h++) {
        uint32_t b = heads[h], sum = block_cost[b] + into[b];
        bool cheap = block_cost[b] <= JIT_GAS_UNCHECKED_MAX_COST && sum <= JIT_GAS_UNCHECKED_MAX_COST;
        unchecked[b] = cheap ? JIT_GAS_COVERED : 0;
        if (cheap && sum > bias) bias = sum;
    }
    free(into);
    free(heads);
    return bias;
}

bool jit_gas_checks_valid(const pvm_decoded *d, const uint32_t *block_cost, const uint8_t *unchecked, uint32_t bias)
{
    term_flags t;
    term_flags_init(&t);
    bool dynamic_unchecked = false, target_unchecked = false;
    for (uint32_t k = 0; k < d->jt_len; k++)
        if (d->jump_table_index[k] != PVM_NO_INDEX && unchecked[d->instrs[d->jump_table_index[k]].block] == JIT_GAS_UNCHECKED) target_unchecked = true;
    /* The unchecked blocks' subgraph must be acyclic and its dearest path cost at
     * most the bias: Kahn's order over it, each block's dearest chain on the way. */
    uint32_t n = d->n_blocks ? d->n_blocks : 1;
    uint32_t *indeg = calloc(n, sizeof *indeg), *chain = calloc(n, sizeof *chain), *queue = calloc(n, sizeof *queue);
    bool ok = indeg && chain && queue;
    uint32_t count = 0, head = 0, tail = 0;
    for (uint32_t b = 0; ok && b < d->n_blocks; b++) {
        if (unchecked[b] == JIT_GAS_COVERED && block_cost[b] > bias) ok = false; /* entered from a checked block */
        if (unchecked[b] != JIT_GAS_UNCHECKED) continue;
        count++;
        dynamic_unchecked |= ends_in_dynamic_jump(d, &t, b);
        if (dynamic_unchecked && target_unchecked) ok = false;
        uint32_t s[2], ns = block_successors(d, &t, b, s);
        for (uint32_t k = 0; k < ns; k++)
            if (unchecked[s[k]] == JIT_GAS_UNCHECKED) indeg[s[k]]++;
    }
    for (uint32_t b = 0; ok && b < d->n_blocks; b++)
        if (unchecked[b] == JIT_GAS_UNCHECKED && !indeg[b]) queue[tail++] = b;
    while (ok && head < tail) {
        uint32_t b = queue[head++];
        uint64_t c = (uint64_t)chain[b] + block_cost[b]; /* chain[b]: the dearest chain into b */
        if (c > bias) ok = false;
        uint32_t s[2], ns = block_successors(d, &t, b, s);
        for (uint32_t k = 0; ok && k < ns; k++) {
            if (unchecked[s[k]] == JIT_GAS_COVERED && c + block_cost[s[k]] > bias) ok = false;
            if (unchecked[s[k]] != JIT_GAS_UNCHECKED) continue;
            if (chain[s[k]] < c) chain[s[k]] = (uint32_t)c;
            if (!--indeg[s[k]]) queue[tail++] = s[k];
        }
    }
    ok = ok && tail == count; /* else some unchecked blocks lie on a cycle */
    free(indeg), free(chain), free(queue);
    return ok;
}

/* Deferred charges. The counter in generated code holds gas - K + owed[b] inside block b:
 * owed[b] is gas the interpreter has charged by then that the counter has not. Entering b
 * at its entry (by a jump, a branch, or the jump table) charges charge[b] = cost + owed_in
 * - owed[b], where owed_in is what every jump into b owes (so each block that jumps to b
 * ends owing exactly that); falling through into b from b - 1 first pays owed[b - 1] -
 * owed_in (a flag-preserving `lea` before b's entry, on that edge only). A checked block
 * owes nothing after its charge (its check compares the counter as without deferral); an
 * unchecked block that owes its cost more than it was entered with charges nothing at all
 * (charge 0): a loop of unchecked blocks between two heads pays the whole iteration at the
 * head's check. Whoever reads the counter inside generated code adds K - owed[block]
 * (jit_gas_bias_at). Greedy in program order: an unchecked block defers its charge unless
 * its jump's target already has another owed_in (set by an earlier jump there; a checked
 * block that jumps there, or a jump-table entry, sets 0). An unchecked block that is no
 * loop head is jumped to only from earlier blocks, so its owed_in is known when it is
 * decided; a head (checked) takes its owed_in from its first jump, possibly a later latch. */
/* jumped[b]: JUMPED some jump leads to b; FIXED and owed_in[b] is fixed (in_jump[b]); JT a
 * jump-table entry; HOT_FALL a head fixed by the fall-through from such an entry (below);
 * HEAD a jump to b comes from b or a later block. ends[b]: FALLS b falls into b + 1, TARGET
 * b's terminator has a static target (the op's flags looked up once). */
enum { JUMPED = 1, FIXED = 2, JT = 4, HOT_FALL = 8, HEAD_BLOCK = 16 };
enum { FALLS = 1, TARGET = 2 };

static inline uint32_t owed_in_of(const uint8_t *jumped, const uint8_t *ends, const uint16_t *in_jump, const uint16_t *owed,
                                  uint32_t b)
{
    if (jumped[b] & (JUMPED | FIXED)) return in_jump[b];
    return b && (ends[b - 1] & FALLS) ? owed[b - 1] : 0;
}

/* One greedy pass in program order. On the first, a forward jump into a loop head leaves
 * the head's owed_in to the jumps back (the latches, run at every iteration; the jump in
 * runs once per entry into the loop). Returns whether it left one so. */
static bool owed_pass(const pvm_decoded *d, const uint8_t *ends, const uint32_t *block_cost, const uint8_t *unchecked,
                      uint8_t *jumped, uint16_t *in_jump, uint16_t *owed, bool first)
{
    uint32_t n = d->n_blocks;
    bool left = false;
    for (uint32_t b = 0; b < n; b++) {
        uint32_t s = d->blocks[b].target_block;
        bool jumps = (ends[b] & TARGET) && s != PVM_NO_INDEX;
        if (unchecked[b] == JIT_GAS_UNCHECKED) { /* (a checked block owes 0; its jump's target was fixed at 0) */
            uint32_t want = owed_in_of(jumped, ends, in_jump, owed, b) + block_cost[b];
            if (want > JIT_GAS_OWED_MAX) want = 0; /* a long run of deferrals: this one pays */
            if (jumps && (jumped[s] & FIXED)) want = in_jump[s]; /* an earlier jump there fixed it: charge the difference */
            owed[b] = (uint16_t)want;
            if (jumps && !(jumped[s] & FIXED)) {
                if (first && (jumped[s] & HEAD_BLOCK) && s > b) left = true;
                else jumped[s] |= FIXED, in_jump[s] = (uint16_t)want;
            }
        }
        /* A loop head (not fixed by a jump yet) that a jump-table entry falls into, or a head
         * fed so, takes what that block owes: a dispatch loop's case laid out before its head
         * runs as often as the cases that jump back (bytecode_vm: case, shared tail, dispatch),
         * and the fall-through then pays nothing. (Not any head's: an outer loop's head falling
         * into an inner one's would make the inner latch pay at each iteration.) */
        if ((jumped[b] & (JT | HOT_FALL)) && b + 1 < n && (ends[b] & FALLS) && (jumped[b + 1] & (JUMPED | FIXED)) == JUMPED)
            jumped[b + 1] |= FIXED | HOT_FALL, in_jump[b + 1] = owed[b];
    }
    return left;
}

void jit_gas_owed_plan(const pvm_decoded *d, const uint32_t *block_cost, const uint8_t *unchecked, int64_t *charge,
                       int32_t *pay, uint16_t *owed)
{
    term_flags t;
    term_flags_init(&t);
    uint32_t n = d->n_blocks;
    uint8_t *jumped = calloc(n ? 3 * n : 1, 1), *initial = jumped + n, *ends = jumped + 2 * n;
    uint16_t *in_jump = calloc(n ? n : 1, sizeof *in_jump);
    memset(owed, 0, (size_t)n * sizeof *owed);
    memset(pay, 0, (size_t)n * sizeof *pay);
    if (!jumped || !in_jump) { /* nothing deferred: every block charges its cost */
        for (uint32_t b = 0; b < n; b++) charge[b] = block_cost[b];
        free(jumped), free(in_jump);
        return;
    }
    for (uint32_t k = 0; k < d->jt_len; k++)
        if (d->jump_table_index[k] != PVM_NO_INDEX) jumped[d->instrs[d->jump_table_index[k]].block] |= JUMPED | FIXED | JT;
    for (uint32_t b = 0; b < n; b++) {
        uint8_t f = t.of[d->blocks[b].term_op];
        ends[b] = (uint8_t)((f & TERM_FALLS_THROUGH ? FALLS : 0) | (f & TERM_HAS_TARGET ? TARGET : 0));
        if (block_cost[b] > INT32_MAX) jumped[b] |= FIXED; /* its charge stays its cost (in_jump 0) */
        uint32_t s = d->blocks[b].target_block;
        if (!(f & TERM_HAS_TARGET) || s == PVM_NO_INDEX) continue;
        jumped[s] |= JUMPED | (s <= b ? HEAD_BLOCK : 0);
        if (unchecked[b] != JIT_GAS_UNCHECKED) jumped[s] |= FIXED; /* a checked block owes nothing */
    }
    /* Two passes where the first left a head to its latches: the second keeps what they owe
     * for the heads (the jumps into a head from before it then charge what differs) and
     * decides the rest again. */
    memcpy(initial, jumped, n);
    if (owed_pass(d, ends, block_cost, unchecked, jumped, in_jump, owed, true)) {
        for (uint32_t b = 0; b < n; b++) {
            if ((initial[b] & HEAD_BLOCK) && !(initial[b] & FIXED) && (jumped[b] & FIXED))
                initial[b] |= FIXED | (jumped[b] & HOT_FALL);
            else in_jump[b] = 0;
        }
        memcpy(jumped, initial, n);
        owed_pass(d, ends, block_cost, unchecked, jumped, in_jump, owed, false);
    }
    for (uint32_t b = 0; b < n; b++) {
        uint32_t in = owed_in_of(jumped, ends, in_jump, owed, b);
        charge[b] = (int64_t)block_cost[b] + in - owed[b];
        if (b && (ends[b - 1] & FALLS)) pay[b] = (int32_t)owed[b - 1] - (int32_t)in;
    }
    free(jumped), free(in_jump);
}

bool jit_gas_owed_valid(const pvm_decoded *d, const uint32_t *block_cost, const uint8_t *unchecked, const int64_t *charge,
                        const uint16_t *owed)
{
    term_flags t;
    term_flags_init(&t);
    uint32_t n = d->n_blocks;
    /* owed_in[b] from b's charge; every jump into b must owe exactly that */
    for (uint32_t b = 0; b < n; b++) {
        if (unchecked[b] != JIT_GAS_UNCHECKED && owed[b]) return false;
        int64_t in = jit_gas_owed_in(block_cost[b], charge[b], owed[b]);
        if (owed[b] > JIT_GAS_OWED_MAX || in < 0 || in > JIT_GAS_OWED_MAX) return false;
        uint32_t s = d->blocks[b].target_block;
        if ((t.of[d->blocks[b].term_op] & TERM_HAS_TARGET) && s != PVM_NO_INDEX &&
            jit_gas_owed_in(block_cost[s], charge[s], owed[s]) != owed[b])
            return false;
    }
    for (uint32_t k = 0; k < d->jt_len; k++) {
        if (d->jump_table_index[k] == PVM_NO_INDEX) continue;
        uint32_t b = d->instrs[d->jump_table_index[k]].block;
        if (jit_gas_owed_in(block_cost[b], charge[b], owed[b]) != 0) return false;
    }
    return true;
}

int64_t jit_gas_pay_into(const pvm_decoded *d, const uint32_t *block_cost, const int64_t *charge, const uint16_t *owed, uint32_t b)
{
    if (!b || !(pvm_op_can_fall_through((pvm_op)d->blocks[b - 1].term_op) || !pvm_op_is_terminator((pvm_op)d->blocks[b - 1].term_op)))
        return 0;
    return owed[b - 1] - jit_gas_owed_in(block_cost[b], charge[b], owed[b]);
}
