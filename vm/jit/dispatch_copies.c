/* Dispatch copies: a `jump` to a short chain of blocks that ends in a `jump_ind` gets a copy
 * of the chain in its place instead of a jmp to it, as LLVM's tail duplication does for
 * indirect branches. A switch-dispatched interpreter compiled to PVM ends each handler with
 * `jump` to one dispatch chain (load the opcode, bounds check, load the table entry,
 * jump_ind): every handler then has its own x86 indirect jmp, and the branch predictor
 * learns each handler's successors apart (bytecode_vm written with one dispatch per handler,
 * computed goto, ran 0.77x the time per instruction on the recompiler of its switch form).
 *
 * The copy is the chain's code as cg_emit_range emits it: each block's gas charge and check
 * at its entry (the first one entered by the jump, so without a fall-through's payment; the
 * next by the fall-through inside the copy, with it), its instructions from the same
 * emitter state, its offsets in a copy_map record that charges nothing ahead (refund 0), so
 * that the fault handler maps a fault in it to its instruction (signals.c). The chain's own
 * code stays where it is, for every other way into it. PVMLAB_JIT_NO_DISPATCH_COPIES=1 is
 * the A/B switch. Here: which jumps, and the budget; emit_ops.c (emit_dispatch_copy) emits. */
#include "codegen.h"

/* At most this many instructions in a chain (a dispatch is a few loads, a compare, a
 * shift, the jump_ind: bytecode_vm's two blocks hold 13). */
#define CHAIN_MAX_INSTRS 16
#define CHAIN_MAX_BLOCKS 2

uint32_t cg_dispatch_chain_end(const cg *g, uint32_t jump)
{
    const pvm_decoded *d = g->d;
    uint32_t first = d->instrs[jump].target, end = first;
    if (first == PVM_NO_INDEX || first < g->first || first >= g->end) return 0;
    for (unsigned blocks = 1;; blocks++) {
        const pvm_block *blk = &d->blocks[d->instrs[end].block];
        /* block starts only, no self-loop (its copies are self_loops.c's), inside this chunk */
        if (blk->first != end || blk->target_block == d->instrs[end].block) return 0;
        end += blk->count;
        if (end - first > CHAIN_MAX_INSTRS || end > g->end) return 0;
        pvm_op term = (pvm_op)blk->term_op;
        if (term == PVM_OP_JUMP_IND) break;
        /* on through a branch's or a fall-through's way into the next block */
        if (blocks == CHAIN_MAX_BLOCKS || !(pvm_op_is_branch(term) || term == PVM_OP_FALLTHROUGH)) return 0;
    }
    for (uint32_t i = first; i < end; i++) { /* helpers read the counter with their block's bias */
        pvm_op op = (pvm_op)d->instrs[i].op;
        if (op == PVM_OP_MEMSET || op == PVM_OP_SBRK || op == PVM_OP_ECALLI) return 0;
    }
    /* the budget of self_loops.c: copies of a chunk stay within half its instructions, and
     * the reservation's worst case per instruction holds for the copy too */
    if (g->copied + (end - first) > (g->end - g->first) / 2 + 64) return 0;
    if (g->b.len + (size_t)(end - first + 1) * MAX_INSTR_BYTES > g->b.cap) return 0;
    return end;
}
