/* Code-generation building blocks that both the driver (codegen.c) and the
 * instruction emitters (emit_ops.c) use: the register map, fixups, out-of-line
 * stubs, exits, jumps to block entries and register transfers to the context. */
#include <stdlib.h>
#include <string.h>
#include "codegen.h"
#include "vm/util/large_alloc.h"

/* PolkaVM's map: argument registers in the SysV argument registers where possible. */
const uint8_t jit_guest_reg[PVM_REG_COUNT] = {
    RBX, /* ra */ RSI, /* sp */ R15, /* t0 */ RBP, /* t1 */ R12, /* t2 */ R8, /* s0 */ R9, /* s1 */
    RDI, /* a0 */ RAX, /* a1 */ RDX, /* a2 */ R14, /* a3 */ R10, /* a4 */ R11, /* a5 */
};

/* Make room for one more element of a full growable array (n == *cap); false
 * (and g->oom) if out of memory. Its callers test for room inline (codegen.h). */
bool cg_grow(cg *g, void **arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return true;
    size_t nc = *cap ? *cap * 2 : 256;
    void *p = util_alloc_large_lane(nc * elem, g->lane);
    if (!p) {
        g->oom = true;
        return false;
    }
    if (n) memcpy(p, *arr, n * elem);
    util_free_large_lane(*arr, *cap * elem, g->lane);
    *arr = p;
    *cap = nc;
    return true;
}

uint32_t cg_new_jump_stub(cg *g, uint32_t index)
{
    uint32_t s = cg_new_stub(g, JIT_EXIT_CODE(PVM_EXIT_PANIC, index), 0);
    if (!g->oom) g->st[s].halt_check = true;
    return s;
}


void cg_jmp_exit(cg *g) { x64_patch32(g->b.p, x64_jmp32(&g->b), g->exit_off); }

void cg_exit_now(cg *g, pvm_exit_kind kind, uint32_t index)
{
    if (g->copy_refund) x64_lea(&g->b, true, g->gas_reg, x64_at(g->gas_reg, (int32_t)g->copy_refund)); /* an unrolled copy's (self_loops.c) */
    x64_mov_ri(&g->b, RCX, JIT_EXIT_CODE(kind, index));
    cg_jmp_exit(g);
}

/* Jump (cc < 0: unconditionally) to the block entry of instruction t, or panic at index. */
void cg_jump_to(cg *g, int cc, uint32_t t, uint32_t index)
{
    if (t == PVM_NO_INDEX) {
        uint32_t s = cg_new_stub(g, JIT_EXIT_CODE(PVM_EXIT_PANIC, index), 0);
        if (cc < 0) cg_add_fixup(g, x64_jmp32(&g->b), FIX_STUB, s);
        else cg_jcc_stub(g, cc, s);
        return;
    }
    if (__builtin_expect(g->copy_refund != 0, 0) && t == g->copy_loop && cc >= 0) { /* an unrolled copy's branch back: leave when not taken */
        uint32_t s = cg_new_stub(g, 0, 0);
        if (g->oom) return;
        uint32_t next_block = g->d->instrs[g->copy_next].block;
        g->st[s].kind = STUB_LOOP_EXIT;
        g->st[s].next = g->copy_next;
        g->st[s].to = g->gas_charge ? g->gas_pay[next_block] : 0;
        cg_jcc_stub(g, cc ^ 1, s);
        return;
    }
    cg_add_fixup(g, cc < 0 ? x64_jmp32(&g->b) : x64_jcc32(&g->b, cc), FIX_ENTRY, t);
}

void cg_store_regs(cg *g, int base)
{
    for (int r = 0; r < PVM_REG_COUNT; r++) {
        if (g->narrow) x64_movsxd(&g->b, R(r), R(r));
        x64_store(&g->b, true, x64_at(base, 8 * r), R(r));
    }
}

void cg_load_regs(cg *g, int base)
{
    int self = -1;
    for (int r = 0; r < PVM_REG_COUNT; r++) {
        if (R(r) == base) self = r;
        else x64_load(&g->b, !g->narrow, R(r), x64_at(base, 8 * r));
    }
    if (self >= 0) x64_load(&g->b, !g->narrow, base, x64_at(base, 8 * self));
}

/* The table *arr (n entries of elem bytes; allocated here if NULL) with this
 * generator's part zeroed, once; false (and g->oom) if out of memory. */
static bool zeroed_part(cg *g, void **arr, size_t elem, bool *zeroed)
{
    if (*zeroed) return true;
    if (!*arr && !(*arr = util_alloc_large((size_t)g->d->n_instrs * elem))) {
        g->oom = true;
        return false;
    }
    memset((uint8_t *)*arr + (size_t)g->first * elem, 0, (size_t)(g->end - g->first) * elem);
    return *zeroed = true;
}

void cg_mark_byte_reg(cg *g, uint32_t from, uint32_t to, unsigned r)
{
    if (!zeroed_part(g, (void **)&g->byte_regs, sizeof *g->byte_regs, &g->byte_regs_zeroed)) return;
    uint16_t *br = g->byte_regs, bit = (uint16_t)(1u << r); /* in locals: the stores could (for the compiler) change g */
    uint32_t last = to < g->d->n_instrs ? to : g->d->n_instrs - 1;
    for (uint32_t i = from; i <= last; i++) br[i] |= bit;
}

void cg_mark_inner_first(cg *g, uint32_t i)
{
    if (!zeroed_part(g, (void **)&g->inner, 1, &g->inner_zeroed)) return;
    g->inner[i] = 1;
}

void cg_mark_no_entry(cg *g, uint32_t i)
{
    if (!zeroed_part(g, (void **)&g->inner, 1, &g->inner_zeroed)) return;
    if (!g->inner[i]) g->inner[i] = 2; /* a fused sequence's 1 stays: the fault handler follows those */
}
