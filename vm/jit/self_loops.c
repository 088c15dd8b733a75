/* Self-loops unrolled under gas metering: a block whose branch jumps back to its own
 * entry keeps its out-of-gas check (it is a loop head, gas_checks.c), so each iteration
 * paid a `sub; jl`. Here such a block's code comes in N copies:
 *
 *   entry:  sub gas, charge + (N-1)*cost; jl single   (one check for N iterations)
 *   copy 0: body; j!cc exit0                          (exit0: lea gas, [gas + (N-1)*cost]; jmp next)
 *   ...
 *   copy N-2: body; j!cc exitN-2                      (refund 1*cost)
 *   copy N-1: body; jcc entry                         (the block's own code: its instr_off)
 *   next block
 *   single: add gas, (N-1)*cost; jl out_of_gas; jmp copy N-1
 *
 * Copy k runs the (k+1)th iteration with N-1-k iterations charged ahead of the
 * interpreter: every way out of it gives that back first (the loop's exit, a stub's
 * refund, an inline exit in cg_exit_now; a fault: the handler adds it to r13,
 * signals.c through jit_module.copy_map), so the runtime, helpers and handler see the
 * counter exactly as at the same instruction of the last copy. When the N-iteration
 * check fails, `single` undoes the extra charge, which leaves the counter and the flags
 * as the block's own check would have (the same compare of the same value) and
 * continues as before: out of gas at the block's entry, or one iteration in the last
 * copy. Only with the counter in r13 (the deferred charges' `lea`s); not for blocks
 * with a helper call (memset, sbrk: the helper reads the counter with its block's
 * bias), nor select-shaped loops' copies (cg_jump_to sees only conditional branches
 * back), nor a block ending its chunk, nor a strided element loop (it checks gas at its
 * branch back: cg_emit_range asks emit_ops.c's strided_loop_block before unrolling).
 * PVMLAB_JIT_NO_UNROLL=1 is the A/B switch.
 * Here: which blocks, the check, the copies' bookkeeping; emit_ops.c (emit_self_loop)
 * emits each copy's instructions as any block's. */
#include "codegen.h"
#include "vm/gas/chase_loads.h"
#include "vm/util/large_alloc.h"

/* Copies by the block's size: more copies, fewer checks, more code. */
#define UNROLL_SMALL_INSTRS 16 /* up to: 4 copies */
#define UNROLL_MAX_INSTRS 40   /* up to: 2 copies; above: none */

static uint32_t copies_of(uint32_t count) { return count <= UNROLL_SMALL_INSTRS ? 4 : count <= UNROLL_MAX_INSTRS ? 2 : 1; }

__attribute__((noinline)) uint32_t cg_self_loop_copies(const cg *g, uint32_t first, uint32_t stop)
{
    const pvm_instr *ins = &g->d->instrs[first];
    const pvm_block *blk = &g->d->blocks[ins->block];
    /* cheap tests first: this runs at every block start */
    if (blk->target_block != ins->block || !pvm_op_is_branch((pvm_op)blk->term_op) || stop != first + blk->count || stop >= g->end)
        return 1;
    uint32_t cost = g->m->block_cost[ins->block], n = copies_of(blk->count);
    int64_t charge = cg_block_charge(g, ins->block);
    if (n < 2 || !cost || cost > (1u << 20) || charge < 0 || charge > (1 << 24)) return 1;
    for (uint32_t i = first; i < stop; i++)
        if (g->d->instrs[i].op == PVM_OP_MEMSET || g->d->instrs[i].op == PVM_OP_SBRK) return 1;
    /* A loop whose load address depends on a value loaded in the iteration before (a pointer
     * chase, or a table walk whose index is the last lookup: the metering's carried load
     * chains, vm/gas/chase_loads.h) runs at the loads' latency, its check off that path;
     * such loops stay one copy: the copies' Ir gain does not show in time, and spreading
     * the chasing load over four instruction addresses cost time (task-clock, same binary,
     * PVMLAB_JIT_NO_UNROLL A/B: gas_quiz_stride2048 1.28x rv64 / 1.40x rv32, linked_list
     * 1.08x / 1.05x; presumably a prefetcher trained per load address). A speed heuristic,
     * which gas exactness does not depend on. */
    if (pvm_gas_chase_hops(g->d, ins->block)) return 1;
    /* The compile's reservation assumes one copy of each instruction at its worst case
     * (codegen.c: chunk_bound), the real code is a few percent of it: the copies of a
     * chunk stay within half its instructions, and each block's worst case must fit. */
    if (g->copied + (n - 1) * blk->count > (g->end - g->first) / 2 + 64) return 1;
    if (g->b.len + (size_t)n * blk->count * MAX_INSTR_BYTES > g->b.cap) return 1;
    return n;
}

/* Append to g->copy_map: {start, end, first, count, refund, offsets...}; NULL if out of memory. */
uint32_t *cg_copy_record(cg *g, uint32_t count)
{
    size_t need = 5 + (size_t)count;
    while (g->ncm + need > g->capcm) {
        size_t nc = g->capcm ? g->capcm * 2 : 256;
        uint32_t *p = util_alloc_large_lane(nc * sizeof *p, g->lane);
        if (!p) {
            g->oom = true;
            return NULL;
        }
        if (g->ncm) memcpy(p, g->copy_map, g->ncm * sizeof *p);
        util_free_large_lane(g->copy_map, g->capcm * sizeof *p, g->lane);
        g->copy_map = p, g->capcm = nc;
    }
    uint32_t *r = g->copy_map + g->ncm;
    g->ncm += need;
    return r;
}

uint32_t cg_self_loop_check(cg *g, uint32_t first, uint32_t copies)
{
    uint32_t block = g->d->instrs[first].block, cost = g->m->block_cost[block];
    int64_t charge = cg_block_charge(g, block);
    cg_gas_pay_fallthrough(g, block); /* as cg_gas_check */
    g->entry_off[first] = (uint32_t)g->b.len;
    bool sync = g->gas == PVM_GAS_SYNC;
    int cc = sync ? CC_L : CC_S;
    uint32_t ahead = (copies - 1) * cost;
    g->copied += (copies - 1) * g->d->blocks[block].count;
    cg_gas_alu(g, ALU_SUB, (uint32_t)charge + ahead);
    /* the block's own out-of-gas stub, reached from `single` as from cg_gas_check's check */
    uint32_t kind = g->gas_bias ? JIT_EXIT_GAS_CHECK : PVM_EXIT_OUT_OF_GAS;
    uint32_t oog = cg_new_stub(g, JIT_EXIT_CODE(kind, first), sync ? cost : 0);
    uint32_t single = cg_new_stub(g, 0, ahead);
    if (g->oom) return 0;
    g->st[single].kind = STUB_LOOP_SINGLE, g->st[single].cc = (uint8_t)cc, g->st[single].next = oog;
    cg_jcc_stub(g, cc, single);
    return single;
}

uint32_t *cg_self_loop_copy(cg *g, uint32_t first, uint32_t stop, uint32_t copies, uint32_t k)
{
    uint32_t count = stop - first, *r = cg_copy_record(g, count);
    if (!r) return NULL;
    g->copy_loop = first, g->copy_refund = (copies - 1 - k) * g->m->block_cost[g->d->instrs[first].block], g->copy_next = stop;
    r[0] = (uint32_t)g->b.len, r[1] = r[0], r[2] = first, r[3] = count, r[4] = g->copy_refund;
    return r;
}

void cg_self_loop_done(cg *g, uint32_t single)
{
    g->copy_loop = PVM_NO_INDEX, g->copy_refund = 0;
    if (!g->oom) g->st[single].to = (int32_t)g->b.len; /* the last copy: the block's own code follows */
}
