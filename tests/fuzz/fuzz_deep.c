/* Deep cases: random programs shaped to live long (see fuzz_case.h). A few
 * registers are reserved (loop counters, two page bases, a return address)
 * and never written by the random part or the host, so the loops end:
 *
 *   prologue   bases, outer count, random values in the free registers
 *   outer:     inner count; [ecalli | sbrk | memset]
 *   inner:     random operations (every non-control op of the ISA, free
 *              registers only; loads and stores at a base plus an offset
 *              inside its pages, or at a masked data-dependent index),
 *              forward "if" branches over a few of them, calls to small
 *              functions that return through the jump table
 *              count-1, branch back while non-zero (inner, then outer)
 *   epilogue   jump to the halt address
 *   functions  random operations, return with jump_ind
 *
 * A few programs get one wild access (any register as base) or a guarded
 * trap, so faults deep inside loops are covered too. Gas is either plenty
 * or a fraction of the estimated need, so runs end out of gas mid-loop. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_case.h"
#include "vm/isa/isa.h"

#define MAX_FUNCS 3

typedef struct {
    fz_rng *r;
    fz_case *c;
    uint32_t cap;
    bool oom;
    uint8_t free_regs[PVM_REG_COUNT];
    unsigned n_free;
    uint8_t ra, outer, inner, base_w, base_any;
    uint32_t w_page, any_page; /* the pages the two bases point at */
    pvm_op body_ops[PVM_OP_COUNT];
    unsigned n_body_ops;
    pvm_op branch_imm[PVM_OP_COUNT], branch_reg[PVM_OP_COUNT]; /* from the ISA table */
    unsigned n_branch_imm, n_branch_reg;
    pvm_op indexed_ops[PVM_OP_COUNT]; /* loads and stores with a base register */
    unsigned n_indexed;
    uint32_t func_start[MAX_FUNCS];
    uint32_t call_at[FZ_MAX_JT], call_func[FZ_MAX_JT];
    unsigned n_calls, n_funcs;
    bool wild_left, trap_left;
} deep;

static bool has(const deep *g, pvm_op op) { return pvm_isa_encode_opcode(g->c->isa, op) >= 0; }

static fz_ins *push(deep *g, int op)
{
    fz_case *c = g->c;
    if (c->n_ins == g->cap) {
        uint32_t nc = g->cap ? 2 * g->cap : 256;
        fz_ins *n = realloc(c->ins, nc * sizeof *n);
        if (!n) {
            g->oom = true;
            static fz_ins sink;
            return &sink;
        }
        c->ins = n;
        g->cap = nc;
    }
    fz_ins *x = &c->ins[c->n_ins++];
    memset(x, 0, sizeof *x);
    x->op = (int16_t)op;
    return x;
}

static uint8_t free_reg(deep *g) { return g->free_regs[fz_below(g->r, g->n_free)]; }

static void load_imm(deep *g, uint8_t reg, int64_t v)
{
    fz_ins *x = push(g, PVM_OP_LOAD_IMM);
    x->r[0] = reg;
    x->imm[0] = v;
}

/* A value for a free register: small, a boundary, or random. */
static int64_t some_value(deep *g)
{
    switch (fz_below(g->r, 4)) {
    case 0: return (int64_t)fz_below(g->r, 64);
    case 1: return (int64_t)(int32_t)fz_next(g->r);
    case 2: return fz_below(g->r, 2) ? INT32_MIN : -1;
    default: return (int64_t)fz_below(g->r, 1u << 16);
    }
}

/* A memory operation: its base is a reserved base register (writable page
 * for stores) and its offset stays inside that base's page run. */
static void memory_op(deep *g, pvm_op op)
{
    pvm_mem_access acc = pvm_op_mem_access(op);
    pvm_kind k = pvm_op_table[op].kind;
    const fz_page *p = &g->c->pages[acc.is_store ? g->w_page : g->any_page];
    uint8_t base = acc.is_store ? g->base_w : g->base_any;
    uint32_t off = (uint32_t)fz_below(g->r, p->len - 8);
    if (fz_below(g->r, 2)) off &= ~(acc.width - 1u);
    fz_ins *x = push(g, op);
    x->r[0] = free_reg(g);
    x->r[1] = base;
    x->imm[0] = off;
    x->imm[1] = some_value(g);
    if (k == PVM_KIND_REG_IMM || k == PVM_KIND_IMM_IMM) x->imm[0] = (int64_t)(int32_t)(p->addr + off); /* direct */
    if (k == PVM_KIND_REG_IMM_IMM) x->r[0] = base; /* store_imm_ind: base, offset, value */
    if (g->wild_left && fz_below(g->r, 64) == 0) { /* any register as base, any offset: may fault */
        g->wild_left = false;
        x->r[k == PVM_KIND_REG_IMM_IMM ? 0 : 1] = free_reg(g);
        x->imm[0] = (int64_t)fz_below(g->r, 1u << 12) - 2048;
    }
}

/* t = (f & mask) + base; access [t + small]: a data-dependent address inside the pages. */
static void indexed_access(deep *g)
{
    if (!g->n_indexed) return;
    pvm_op op = g->indexed_ops[fz_below(g->r, g->n_indexed)];
    bool store = pvm_op_mem_access(op).is_store;
    pvm_op add = has(g, PVM_OP_ADD_64) ? PVM_OP_ADD_64 : PVM_OP_ADD_32;
    const fz_page *p = &g->c->pages[store ? g->w_page : g->any_page];
    uint32_t mask = 1;
    while (mask * 2 <= p->len - 16) mask *= 2;
    uint8_t t = free_reg(g);
    fz_ins *x = push(g, PVM_OP_AND_IMM);
    x->r[0] = t, x->r[1] = free_reg(g), x->imm[0] = mask - 1;
    x = push(g, add);
    x->r[0] = t, x->r[1] = t, x->r[2] = store ? g->base_w : g->base_any;
    x = push(g, op);
    x->r[0] = free_reg(g), x->r[1] = t, x->imm[0] = (int64_t)fz_below(g->r, 8);
}

/* An element of a 32-bit index as rv64 code addresses it, a[(uint32_t)i]:
 * shlo_l_imm_64 x, y, 32; shlo_r_imm_64 x, x, 32 - k; add_64 t, x, base (either
 * order); an access [t + small]; y's upper half random (the extension must drop
 * it), now and then unmasked (an access anywhere, which may fault), then now and
 * then a read of x or t (kept live). The recompiler folds a load of it into one
 * gs:[base + y << k] (emit_ops.c, emit_element_load); random free registers
 * collide now and then (x = y, t = x, the load into x, t or y), as its
 * conditions must catch. 64-bit ISAs only. */
static void element_idiom(deep *g)
{
    if (!g->n_indexed || !has(g, PVM_OP_SHLO_L_IMM_64) || !has(g, PVM_OP_LOAD_IMM_64)) return;
    pvm_op op = g->indexed_ops[fz_below(g->r, g->n_indexed)];
    bool store = pvm_op_mem_access(op).is_store;
    const fz_page *p = &g->c->pages[store ? g->w_page : g->any_page];
    unsigned k = (unsigned)fz_below(g->r, 4);
    uint32_t mask = 1;
    while (mask * 2 <= p->len - 16) mask *= 2;
    uint8_t y = free_reg(g), h = free_reg(g);
    fz_ins *z;
    if (g->wild_left && fz_below(g->r, 16) == 0) {
        g->wild_left = false;
    } else {
        z = push(g, PVM_OP_AND_IMM);
        z->r[0] = y, z->r[1] = free_reg(g), z->imm[0] = (mask - 1) >> k;
    }
    if (h != y) { /* random upper half */
        z = push(g, PVM_OP_LOAD_IMM_64);
        z->r[0] = h, z->imm[0] = (int64_t)(fz_next(g->r) << 32);
        z = push(g, PVM_OP_XOR);
        z->r[0] = y, z->r[1] = y, z->r[2] = h;
    }
    uint8_t x = fz_below(g->r, 3) == 0 ? y : free_reg(g);
    uint8_t t = fz_below(g->r, 2) ? x : free_reg(g);
    if (fz_below(g->r, 3) == 0) { /* the index plus a constant first (emit_element_load_after_add); -1 wraps it */
        z = push(g, PVM_OP_ADD_IMM_64);
        z->r[0] = x, z->r[1] = y, z->imm[0] = fz_below(g->r, 8) ? (int64_t)fz_below(g->r, 2) : -1;
        y = x;
    }
    z = push(g, PVM_OP_SHLO_L_IMM_64);
    z->r[0] = x, z->r[1] = y, z->imm[0] = 32;
    z = push(g, PVM_OP_SHLO_R_IMM_64);
    z->r[0] = x, z->r[1] = x, z->imm[0] = 32 - k;
    z = push(g, PVM_OP_ADD_64);
    bool x_first = fz_below(g->r, 2);
    uint8_t base = store ? g->base_w : g->base_any;
    z->r[0] = t, z->r[1] = x_first ? x : base, z->r[2] = x_first ? base : x;
    z = push(g, op);
    uint64_t d = fz_below(g->r, 5);
    z->r[0] = d == 0 ? x : d == 1 ? t : d == 2 ? y : free_reg(g), z->r[1] = t, z->imm[0] = (int64_t)fz_below(g->r, 8);
    if (fz_below(g->r, 2)) {
        z = push(g, PVM_OP_XOR);
        z->r[0] = free_reg(g), z->r[1] = fz_below(g->r, 2) ? x : t, z->r[2] = free_reg(g);
    }
}

/* SHA-2's sigma functions as rv64 code has them: a run of rot_r_32_imm,
 * shlo_r_imm_32 and xor of the run's results (now and then of any register),
 * then now and then a 64-bit read of one the run wrote. The recompiler emits the
 * run in 32 bits and sign-extends only what stays live, once, at its end
 * (emit_ops.c, emit_xor_of_rotations); random free registers collide now and
 * then. 64-bit ISAs only. */
static void sigma_idiom(deep *g)
{
    if (!has(g, PVM_OP_ROT_R_32_IMM) || !has(g, PVM_OP_SHLO_L_IMM_64)) return;
    uint8_t wrote[8];
    unsigned n_wrote = 0, n = 2 + (unsigned)fz_below(g->r, 6);
    for (unsigned i = 0; i < n; i++) {
        uint64_t what = i == 0 ? 0 : fz_below(g->r, 5);
        uint8_t d = free_reg(g);
        fz_ins *z;
        if (what < 2) {
            z = push(g, PVM_OP_ROT_R_32_IMM);
            z->r[0] = d, z->r[1] = free_reg(g), z->imm[0] = (int64_t)fz_below(g->r, 32);
        } else if (what < 3) {
            z = push(g, PVM_OP_SHLO_R_IMM_32);
            z->r[0] = d, z->r[1] = free_reg(g), z->imm[0] = (int64_t)fz_below(g->r, 32);
        } else {
            z = push(g, PVM_OP_XOR);
            z->r[0] = d;
            z->r[1] = fz_below(g->r, 8) ? wrote[fz_below(g->r, n_wrote)] : free_reg(g);
            z->r[2] = fz_below(g->r, 8) ? wrote[fz_below(g->r, n_wrote)] : free_reg(g);
        }
        wrote[n_wrote++] = d;
    }
    if (fz_below(g->r, 2)) {
        fz_ins *z = push(g, PVM_OP_ADD_64);
        z->r[0] = free_reg(g), z->r[1] = wrote[fz_below(g->r, n_wrote)], z->r[2] = free_reg(g);
    }
}

/* One random non-control operation on free registers. */
static void random_op(deep *g)
{
    pvm_op op = g->body_ops[fz_below(g->r, g->n_body_ops)];
    if (pvm_op_mem_access(op).width) {
        memory_op(g, op);
        return;
    }
    fz_ins *x = push(g, op);
    for (int k = 0; k < 3; k++) x->r[k] = free_reg(g);
    x->imm[0] = some_value(g);
    x->imm[1] = some_value(g);
    x->imm64 = fz_next(g->r);
}

/* One random op of the body that pvm_op_is_pure (a few tries, else any op). */
static void pure_op(deep *g)
{
    for (int tries = 0; tries < 8; tries++) {
        pvm_op op = g->body_ops[fz_below(g->r, g->n_body_ops)];
        if (!pvm_op_is_pure(op)) continue;
        fz_ins *x = push(g, op);
        for (int k = 0; k < 3; k++) x->r[k] = free_reg(g);
        x->imm[0] = some_value(g);
        x->imm64 = fz_next(g->r);
        return;
    }
    random_op(g);
}

/* A load or store of the body's indexed ops inside a carry group (the recompiler emits it
 * first, and a fault there has the interpreter redo the group), now and then the
 * program's one access anywhere, which may fault. */
static void carry_access(deep *g)
{
    if (!g->n_indexed) return;
    pvm_op op = g->indexed_ops[fz_below(g->r, g->n_indexed)];
    memory_op(g, op);
    if (!g->oom && g->wild_left && fz_below(g->r, 4) == 0) {
        fz_ins *x = &g->c->ins[g->c->n_ins - 1];
        g->wild_left = false;
        x->r[1] = free_reg(g);
        x->imm[0] = (int64_t)fz_below(g->r, 1u << 12) - 2048;
    }
}

/* A store of a carry group's sum between its add and its compare (the recompiler emits it
 * right after the add, and its fault is its own): the sum as the value, or now and then as
 * the base (the program's one access anywhere, which may fault). */
static void carry_sum_store(deep *g, uint8_t d)
{
    static const pvm_op stores[] = {PVM_OP_STORE_IND_U32, PVM_OP_STORE_IND_U64, PVM_OP_STORE_IND_U8, PVM_OP_STORE_IND_U16};
    pvm_op op = stores[fz_below(g->r, 4)];
    if (!has(g, op)) op = PVM_OP_STORE_IND_U32;
    memory_op(g, op);
    if (g->oom) return;
    fz_ins *x = &g->c->ins[g->c->n_ins - 1];
    x->r[0] = d;
    if (g->wild_left && fz_below(g->r, 2) == 0) {
        g->wild_left = false;
        x->r[0] = free_reg(g), x->r[1] = d;
        x->imm[0] = (int64_t)fz_below(g->r, 1u << 12) - 2048;
    }
}

/* The carry of a multi-word add as rv32 code has it: add d, a, b; set_lt_u c,
 * d, a (or b) (or add_imm + set_lt_u_imm of one immediate); up to three
 * operations, mostly pure, often a high multiply; add y, c, w (or w, c). The
 * recompiler fuses it into add + adc, hoisting what lies between above the add
 * when it can and one load or store above everything (emit_ops.c, emit_carry_group); registers picked at random
 * collide now and then, as its conditions must catch. */
static void carry_idiom(deep *g)
{
    bool w = has(g, PVM_OP_ADD_64);
    pvm_op add = w ? PVM_OP_ADD_64 : PVM_OP_ADD_32;
    uint8_t d = free_reg(g), a = free_reg(g), b = free_reg(g), c = free_reg(g);
    fz_ins *x;
    if (fz_below(g->r, 4) == 0) {
        int64_t k = some_value(g);
        x = push(g, w ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32);
        x->r[0] = d, x->r[1] = a, x->imm[0] = k;
        x = push(g, PVM_OP_SET_LT_U_IMM);
        x->r[0] = c, x->r[1] = d, x->imm[0] = k;
    } else {
        x = push(g, add);
        x->r[0] = d, x->r[1] = a, x->r[2] = b;
        if (fz_below(g->r, 4) == 0) carry_access(g); /* between the add and its compare */
        else if (fz_below(g->r, 4) == 0) carry_sum_store(g, d); /* the sum stored there (field25519) */
        x = push(g, PVM_OP_SET_LT_U);
        x->r[0] = c, x->r[1] = d, x->r[2] = fz_below(g->r, 2) ? a : b;
    }
    unsigned n = (unsigned)fz_below(g->r, 4);
    /* half the time the high half of a 64-bit add in halves: add hi, x, z among those
     * between, and the consumer add hi, hi, c (or c, hi), merged into one adc */
    bool halves = fz_below(g->r, 2), hi_added = false;
    uint8_t hi = free_reg(g);
    for (unsigned i = 0; i < n; i++) {
        uint64_t what = fz_below(g->r, 8);
        if (halves && !hi_added && (what < 4 || i == n - 1)) {
            hi_added = true;
            x = push(g, add);
            x->r[0] = hi, x->r[1] = fz_below(g->r, 2) ? hi : free_reg(g), x->r[2] = free_reg(g);
        } else if (what < 3) {
            x = push(g, PVM_OP_MUL_UPPER_U_U);
            x->r[0] = free_reg(g), x->r[1] = free_reg(g), x->r[2] = free_reg(g);
        } else if (what < 6) {
            pure_op(g);
        } else if (what < 7) {
            carry_access(g);
        } else {
            random_op(g);
        }
    }
    x = push(g, add);
    uint8_t other = halves ? hi : free_reg(g);
    x->r[0] = halves ? hi : fz_below(g->r, 2) ? c : free_reg(g);
    x->r[1] = fz_below(g->r, 2) ? c : other;
    x->r[2] = x->r[1] == c ? other : c;
    if (halves && fz_below(g->r, 2)) { /* the carry read afterwards: it stays live */
        x = push(g, PVM_OP_XOR);
        x->r[0] = free_reg(g), x->r[1] = c, x->r[2] = free_reg(g);
    }
}

/* A funnel shift of register halves: shlo_l_imm x, a, n and shlo_r_imm t, b,
 * W - n in either order, or y, x, t (either order), a few operations, then
 * now and then a read of x or t (a half kept live). The recompiler fuses it
 * into shld/shrd/rotate (emit_ops.c, emit_funnel_shift); random free
 * registers collide now and then, as its conditions must catch. */
static void funnel_idiom(deep *g)
{
    bool w = has(g, PVM_OP_SHLO_L_IMM_64);
    unsigned bits = w ? 64 : 32, n = 1 + (unsigned)fz_below(g->r, bits - 1);
    uint8_t x = free_reg(g), t = free_reg(g);
    fz_ins *l, *r;
    bool shl_first = fz_below(g->r, 2);
    l = push(g, shl_first ? (w ? PVM_OP_SHLO_L_IMM_64 : PVM_OP_SHLO_L_IMM_32) : (w ? PVM_OP_SHLO_R_IMM_64 : PVM_OP_SHLO_R_IMM_32));
    l->r[0] = shl_first ? x : t, l->r[1] = free_reg(g), l->imm[0] = shl_first ? n : bits - n;
    r = push(g, shl_first ? (w ? PVM_OP_SHLO_R_IMM_64 : PVM_OP_SHLO_R_IMM_32) : (w ? PVM_OP_SHLO_L_IMM_64 : PVM_OP_SHLO_L_IMM_32));
    r->r[0] = shl_first ? t : x, r->r[1] = free_reg(g), r->imm[0] = shl_first ? bits - n : n;
    fz_ins *o = push(g, PVM_OP_OR);
    bool x_first = fz_below(g->r, 2);
    o->r[0] = free_reg(g), o->r[1] = x_first ? x : t, o->r[2] = x_first ? t : x;
    unsigned k = (unsigned)fz_below(g->r, 3);
    for (unsigned i = 0; i < k; i++) pure_op(g);
    if (fz_below(g->r, 2)) {
        fz_ins *u = push(g, PVM_OP_XOR);
        u->r[0] = free_reg(g), u->r[1] = fz_below(g->r, 2) ? x : t, u->r[2] = free_reg(g);
    }
}

/* The mask of an unsigned compare, as branchless selects have it (rv32 and rv64):
 * set_lt_u c, a, b (or set_lt_u_imm c, a, k); neg_add_imm m, c, 0 (now and then
 * another immediate); m is c now and then; then now and then an and with the mask and
 * a read of c (kept live). The recompiler emits cmp + sbb m, m when c is m or dead
 * (emit_ops.c, emit_compare_mask); random free registers collide now and then. */
static void mask_idiom(deep *g)
{
    uint8_t c = free_reg(g), m = fz_below(g->r, 3) == 0 ? c : free_reg(g);
    fz_ins *x;
    if (fz_below(g->r, 3) == 0) {
        x = push(g, PVM_OP_SET_LT_U_IMM);
        x->r[0] = c, x->r[1] = free_reg(g), x->imm[0] = some_value(g);
    } else {
        x = push(g, PVM_OP_SET_LT_U);
        x->r[0] = c, x->r[1] = free_reg(g), x->r[2] = free_reg(g);
    }
    bool w = has(g, PVM_OP_NEG_ADD_IMM_64) && fz_below(g->r, 2);
    x = push(g, w ? PVM_OP_NEG_ADD_IMM_64 : PVM_OP_NEG_ADD_IMM_32);
    x->r[0] = m, x->r[1] = c, x->imm[0] = fz_below(g->r, 8) == 0 ? some_value(g) : 0;
    if (fz_below(g->r, 2)) {
        x = push(g, PVM_OP_AND);
        x->r[0] = free_reg(g), x->r[1] = free_reg(g), x->r[2] = m;
    }
    if (fz_below(g->r, 2)) {
        x = push(g, PVM_OP_XOR);
        x->r[0] = free_reg(g), x->r[1] = c, x->r[2] = free_reg(g);
    }
}

/* The interpreter's super-instructions (vm/interp/interp_fused.def, read here as the
 * interpreter reads it): one of its pairs, adjacent, the second taking the first's result
 * as one of its sources three times in four (the pair's operand-forwarding variants);
 * memory ops on the reserved bases, a branch second skipping a few ops to a block start
 * as if_block does. Random ops rarely put a given pair side by side. */
static const pvm_op fused_pairs[][2] = {
#define FUSED(a, b) {PVM_OP_##a, PVM_OP_##b},
#include "vm/interp/interp_fused.def"
#undef FUSED
};

static void fused_pair_idiom(deep *g)
{
    const pvm_op *pair = fused_pairs[fz_below(g->r, sizeof fused_pairs / sizeof fused_pairs[0])];
    if (!has(g, pair[0]) || !has(g, pair[1])) return;
    if (pair[1] == PVM_OP_JUMP_IND) return; /* (a function's return: the generator's epilogues put it there) */
    uint8_t result = 0;
    uint32_t at = 0;
    for (int k = 0; k < 2 && !g->oom; k++) {
        pvm_op op = pair[k];
        pvm_mem_access m = pvm_op_mem_access(op);
        at = g->c->n_ins;
        if (m.width) {
            memory_op(g, op);
        } else {
            fz_ins *x = push(g, op);
            for (int j = 0; j < 3; j++) x->r[j] = free_reg(g);
            x->imm[0] = some_value(g);
            x->imm[1] = some_value(g);
            x->imm64 = fz_next(g->r);
        }
        if (g->oom) return;
        fz_ins *x = &g->c->ins[at];
        pvm_kind kind = pvm_op_table[op].kind;
        if (k == 1 && fz_below(g->r, 4)) { /* a source is the first's result (never a memory base) */
            if (m.width) {
                if (m.is_store) x->r[0] = result;
            } else if (kind == PVM_KIND_REG3 || kind == PVM_KIND_REG_REG_OFF) {
                x->r[kind == PVM_KIND_REG3 ? 1 + fz_below(g->r, 2) : fz_below(g->r, 2)] = result;
            } else if (kind == PVM_KIND_REG_REG_IMM || kind == PVM_KIND_REG_REG) {
                x->r[1] = result;
            } else if (kind == PVM_KIND_REG_IMM_OFF) {
                x->r[0] = result;
            }
        }
        result = x->r[0]; /* the register a non-store writes */
    }
    if (g->oom || !pvm_op_is_branch(pair[1])) return;
    unsigned n = 1 + (unsigned)fz_below(g->r, 3);
    for (unsigned i = 0; i < n; i++) random_op(g);
    push(g, PVM_OP_FALLTHROUGH);
    if (!g->oom) g->c->ins[at].target = (int32_t)g->c->n_ins;
}

/* if (cond) skip: a forward branch over a few operations to a block start. */
static void if_block(deep *g)
{
    bool with_imm = fz_below(g->r, 2) && g->n_branch_imm;
    if (!with_imm && !g->n_branch_reg) return;
    uint32_t at = g->c->n_ins;
    pvm_op op = with_imm ? g->branch_imm[fz_below(g->r, g->n_branch_imm)] : g->branch_reg[fz_below(g->r, g->n_branch_reg)];
    fz_ins *x = push(g, op);
    x->r[0] = free_reg(g);
    x->r[1] = free_reg(g);
    x->imm[0] = some_value(g);
    unsigned n = 1 + (unsigned)fz_below(g->r, 4);
    for (unsigned i = 0; i < n; i++) random_op(g);
    if (g->trap_left && fz_below(g->r, 8) == 0) { /* taken only on some data: a trap deep in a loop */
        g->trap_left = false;
        push(g, PVM_OP_TRAP);
    } else {
        push(g, PVM_OP_FALLTHROUGH);
    }
    if (!g->oom) g->c->ins[at].target = (int32_t)g->c->n_ins;
}

/* if ((a OP b) == 0) skip, as bit tests and 64-bit zero tests of register halves are:
 * and/or/xor (or the _imm form) d, then branch_eq_imm/branch_ne_imm d, 0 over a few
 * operations (now and then another register or immediate tested). The recompiler
 * drops the test: the ALU instruction's flags decide (emit_ops.c, emit_zero_branch). */
static void zero_branch_idiom(deep *g)
{
    static const pvm_op ops[] = {PVM_OP_AND, PVM_OP_OR, PVM_OP_XOR, PVM_OP_AND_IMM, PVM_OP_OR_IMM, PVM_OP_XOR_IMM};
    pvm_op op = ops[fz_below(g->r, 6)];
    uint8_t d = free_reg(g);
    fz_ins *x = push(g, op);
    x->r[0] = d, x->r[1] = free_reg(g), x->r[2] = free_reg(g);
    x->imm[0] = fz_below(g->r, 2) ? (int64_t)(int32_t)(1u << fz_below(g->r, 32)) : some_value(g); /* a bit test */
    uint32_t at = g->c->n_ins;
    x = push(g, fz_below(g->r, 2) ? PVM_OP_BRANCH_EQ_IMM : PVM_OP_BRANCH_NE_IMM);
    x->r[0] = fz_below(g->r, 8) ? d : free_reg(g);
    x->imm[0] = fz_below(g->r, 8) ? 0 : some_value(g);
    unsigned n = 1 + (unsigned)fz_below(g->r, 3);
    for (unsigned i = 0; i < n; i++) random_op(g);
    push(g, PVM_OP_FALLTHROUGH);
    if (!g->oom) g->c->ins[at].target = (int32_t)g->c->n_ins;
}

/* Arithmetic idioms of rv32 and rv64 code with a shorter x86 form (emit_ops.c: emit_equality,
 * emit_bit_field, emit_mul_const, emit_constant_add, emit_scaled_constant_add, emit_constant_mul): an equality
 * test (add_imm, sub, xor or xor_imm t, then set_lt_u_imm c, t, 1, now and then 2) or an
 * inequality (set_gt_u_imm c, t, 0); a bit
 * field x << a >> b; a product by 2^k -+ 1 as a shift and a sub or add of its source; an add
 * of a wide constant, now and then of a shifted register, or a product by a loaded constant
 * (emit_constant_mul); then now and then a read of the
 * first result (kept live). Random free registers collide now and then, as the rules'
 * conditions must catch. */
static void arith_idiom(deep *g)
{
    bool w = has(g, PVM_OP_ADD_64);
    unsigned bits = w ? 64 : 32;
    pvm_op add = w ? PVM_OP_ADD_64 : PVM_OP_ADD_32, sub = w ? PVM_OP_SUB_64 : PVM_OP_SUB_32;
    pvm_op shl = w ? PVM_OP_SHLO_L_IMM_64 : PVM_OP_SHLO_L_IMM_32, shr = w ? PVM_OP_SHLO_R_IMM_64 : PVM_OP_SHLO_R_IMM_32;
    uint8_t t = free_reg(g), x = free_reg(g);
    fz_ins *i;
    switch (fz_below(g->r, 4)) {
    case 0: { /* equality */
        static const pvm_op firsts[] = {PVM_OP_ADD_IMM_32, PVM_OP_ADD_IMM_64, PVM_OP_SUB_32, PVM_OP_SUB_64, PVM_OP_XOR, PVM_OP_XOR_IMM};
        pvm_op op = firsts[fz_below(g->r, 6)];
        if (!has(g, op)) op = PVM_OP_XOR;
        i = push(g, op);
        i->r[0] = t, i->r[1] = x, i->r[2] = free_reg(g), i->imm[0] = some_value(g);
        if (pvm_op_table[op].kind == PVM_KIND_REG3) t = i->r[0];
        bool snez = fz_below(g->r, 2); /* set_gt_u_imm c, t, 0: an inequality */
        i = push(g, snez ? PVM_OP_SET_GT_U_IMM : PVM_OP_SET_LT_U_IMM);
        i->r[0] = fz_below(g->r, 2) ? t : free_reg(g), i->r[1] = fz_below(g->r, 8) ? t : free_reg(g);
        i->imm[0] = fz_below(g->r, 8) ? !snez : 2;
        break;
    }
    case 1: { /* a bit field, or a right shift of another register */
        unsigned a = (unsigned)fz_below(g->r, bits), b = a + (unsigned)fz_below(g->r, bits - a);
        if (fz_below(g->r, 8) == 0) b = (unsigned)fz_below(g->r, bits);
        i = push(g, shl);
        i->r[0] = t, i->r[1] = x, i->imm[0] = a;
        i = push(g, shr);
        i->r[0] = fz_below(g->r, 2) ? t : free_reg(g), i->r[1] = fz_below(g->r, 8) ? t : free_reg(g), i->imm[0] = b;
        break;
    }
    case 2: { /* x * (2^k - 1), x * (1 - 2^k), x * (2^k + 1) */
        unsigned k = 1 + (unsigned)fz_below(g->r, bits - 1);
        i = push(g, shl);
        i->r[0] = t, i->r[1] = x, i->imm[0] = k;
        bool is_sub = fz_below(g->r, 2), t_first = fz_below(g->r, 2);
        i = push(g, is_sub ? sub : add);
        i->r[0] = fz_below(g->r, 2) ? t : free_reg(g), i->r[1] = t_first ? t : x, i->r[2] = t_first ? x : t;
        if (fz_below(g->r, 8) == 0) i->r[1 + fz_below(g->r, 2)] = free_reg(g);
        break;
    }
    default: { /* a wide constant added, now and then to a shifted register */
        bool scaled = fz_below(g->r, 2);
        if (scaled) {
            i = push(g, shl);
            i->r[0] = x, i->r[1] = fz_below(g->r, 2) ? x : free_reg(g), i->imm[0] = 1 + fz_below(g->r, 3);
        }
        load_imm(g, t, fz_below(g->r, 2) ? (int64_t)(int32_t)fz_next(g->r) : INT32_MIN);
        bool t_first = fz_below(g->r, 2);
        pvm_op mul = w ? PVM_OP_MUL_64 : PVM_OP_MUL_32; /* now and then a product by it (emit_constant_mul) */
        i = push(g, !scaled && has(g, mul) && fz_below(g->r, 3) == 0 ? mul : add);
        i->r[0] = scaled ? (fz_below(g->r, 4) ? x : free_reg(g)) : fz_below(g->r, 2) ? t : free_reg(g);
        i->r[1] = t_first ? t : x, i->r[2] = t_first ? x : t;
        break;
    }
    }
    if (fz_below(g->r, 2)) { /* the first result read afterwards: it stays live */
        i = push(g, PVM_OP_XOR);
        i->r[0] = free_reg(g), i->r[1] = t, i->r[2] = free_reg(g);
    }
}

/* Latency and branch idioms of compiled code (emit_ops.c: emit_min_max_chain,
 * emit_add_into_min_max, emit_count_branch, emit_const_branch): two min/max in a row (one
 * kind, now and then two), the first now and then after sign-extending writers of the other
 * operands and an add_imm_32 into one of them; an add_imm in place, then loads, stores, movs,
 * constants and lea's, then a branch on zero over a few ops; a constant and a two-register
 * branch on it, its register overwritten on both ways or read on one. Random free registers
 * collide now and then, as the rules' conditions must catch. */
static void latency_idiom(deep *g)
{
    static const pvm_op kinds[] = {PVM_OP_MIN, PVM_OP_MIN_U, PVM_OP_MAX, PVM_OP_MAX_U};
    static const pvm_op branches[] = {PVM_OP_BRANCH_EQ, PVM_OP_BRANCH_NE, PVM_OP_BRANCH_LT_U,
                                      PVM_OP_BRANCH_LT_S, PVM_OP_BRANCH_GE_U, PVM_OP_BRANCH_GE_S};
    fz_ins *i;
    switch (fz_below(g->r, 3)) {
    case 0: {
        pvm_op op = kinds[fz_below(g->r, 4)];
        if (!has(g, op)) return;
        uint8_t y = free_reg(g), z = free_reg(g), t = free_reg(g);
        if (fz_below(g->r, 2)) { /* sign-extending writers of y and z */
            i = push(g, PVM_OP_ADD_32);
            i->r[0] = y, i->r[1] = free_reg(g), i->r[2] = free_reg(g);
            memory_op(g, has(g, PVM_OP_LOAD_IND_I32) && fz_below(g->r, 2) ? PVM_OP_LOAD_IND_I32 : PVM_OP_LOAD_IND_U8);
            if (!g->oom) g->c->ins[g->c->n_ins - 1].r[0] = z;
        }
        if (fz_below(g->r, 4)) {
            i = push(g, PVM_OP_ADD_IMM_32);
            i->r[0] = t, i->r[1] = fz_below(g->r, 2) ? t : free_reg(g), i->imm[0] = fz_below(g->r, 2) ? 1 : some_value(g);
        }
        bool t_first = fz_below(g->r, 2);
        uint8_t d = fz_below(g->r, 2) ? t : free_reg(g);
        i = push(g, op);
        i->r[0] = d, i->r[1] = t_first ? t : y, i->r[2] = t_first ? y : t;
        i = push(g, fz_below(g->r, 8) ? op : kinds[fz_below(g->r, 4)]);
        bool d_first = fz_below(g->r, 2);
        i->r[0] = fz_below(g->r, 8) ? d : free_reg(g), i->r[1] = d_first ? d : z, i->r[2] = d_first ? z : d;
        break;
    }
    case 1: {
        pvm_op add = has(g, PVM_OP_ADD_IMM_64) && fz_below(g->r, 2) ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32;
        uint8_t d = free_reg(g);
        i = push(g, add);
        i->r[0] = d, i->r[1] = fz_below(g->r, 8) ? d : free_reg(g), i->imm[0] = fz_below(g->r, 2) ? -1 : some_value(g);
        for (unsigned n = (unsigned)fz_below(g->r, 4); n > 0; n--) {
            switch (fz_below(g->r, 4)) {
            case 0: memory_op(g, fz_below(g->r, 2) ? PVM_OP_STORE_IND_U32 : PVM_OP_LOAD_IND_I32); break;
            case 1: load_imm(g, free_reg(g), some_value(g)); break;
            case 2:
                i = push(g, PVM_OP_MOVE_REG);
                i->r[0] = free_reg(g), i->r[1] = free_reg(g);
                break;
            default:
                i = push(g, add);
                i->r[0] = free_reg(g), i->r[1] = free_reg(g), i->imm[0] = some_value(g);
            }
        }
        uint32_t at = g->c->n_ins;
        i = push(g, fz_below(g->r, 2) ? PVM_OP_BRANCH_EQ_IMM : PVM_OP_BRANCH_NE_IMM);
        i->r[0] = fz_below(g->r, 8) ? d : free_reg(g), i->imm[0] = fz_below(g->r, 8) ? 0 : some_value(g);
        for (unsigned n = 1 + (unsigned)fz_below(g->r, 3); n > 0; n--) random_op(g);
        push(g, PVM_OP_FALLTHROUGH);
        if (!g->oom) g->c->ins[at].target = (int32_t)g->c->n_ins;
        break;
    }
    default: {
        uint8_t t = free_reg(g), x = free_reg(g);
        load_imm(g, t, some_value(g));
        uint32_t at = g->c->n_ins;
        bool k_first = fz_below(g->r, 2);
        i = push(g, branches[fz_below(g->r, 6)]);
        i->r[0] = k_first ? t : x, i->r[1] = k_first ? x : t;
        for (int way = 0; way < 2; way++) { /* the fall-through, then the target */
            if (fz_below(g->r, 4)) load_imm(g, t, some_value(g)); /* t dead */
            else {
                i = push(g, PVM_OP_XOR); /* t read */
                i->r[0] = free_reg(g), i->r[1] = t, i->r[2] = free_reg(g);
            }
            if (way) break;
            random_op(g);
            push(g, PVM_OP_FALLTHROUGH);
            if (!g->oom) g->c->ins[at].target = (int32_t)g->c->n_ins;
        }
    }
    }
}

/* A branch over one op to where the op's block goes too (emit_ops.c: emit_select, a cmov), its
 * block ended by a jump to the branch's target or a fall-through into it: the ops the rule takes
 * (mostly) or any op (random_op: also ones it leaves alone), compared with a register or an
 * immediate of every condition; and a product by a register a load_imm gave a few ops before
 * (emit_mul_by_known). Random free registers collide now and then (the op writing a compared
 * register or its own source, an op between overwriting the constant), as the rules must take. */
static void select_idiom(deep *g)
{
    static const pvm_op two[] = {PVM_OP_BRANCH_EQ, PVM_OP_BRANCH_NE, PVM_OP_BRANCH_LT_U,
                                 PVM_OP_BRANCH_LT_S, PVM_OP_BRANCH_GE_U, PVM_OP_BRANCH_GE_S};
    static const pvm_op one[] = {PVM_OP_BRANCH_EQ_IMM, PVM_OP_BRANCH_NE_IMM, PVM_OP_BRANCH_LT_U_IMM, PVM_OP_BRANCH_LE_U_IMM,
                                 PVM_OP_BRANCH_GE_U_IMM, PVM_OP_BRANCH_GT_U_IMM, PVM_OP_BRANCH_LT_S_IMM,
                                 PVM_OP_BRANCH_LE_S_IMM, PVM_OP_BRANCH_GE_S_IMM, PVM_OP_BRANCH_GT_S_IMM};
    static const pvm_op reg3[] = {PVM_OP_ADD_32, PVM_OP_SUB_32, PVM_OP_ADD_64, PVM_OP_SUB_64, PVM_OP_AND, PVM_OP_OR, PVM_OP_XOR};
    static const pvm_op reg_imm[] = {PVM_OP_ADD_IMM_32, PVM_OP_ADD_IMM_64, PVM_OP_AND_IMM, PVM_OP_OR_IMM, PVM_OP_XOR_IMM};
    fz_ins *i;
    if (fz_below(g->r, 4) == 0) { /* a product by a constant kept in a register */
        pvm_op mul = has(g, PVM_OP_MUL_64) && fz_below(g->r, 2) ? PVM_OP_MUL_64 : PVM_OP_MUL_32;
        uint8_t t = free_reg(g);
        load_imm(g, t, some_value(g));
        for (unsigned n = (unsigned)fz_below(g->r, 3); n > 0; n--)
            if (fz_below(g->r, 3)) random_op(g);
            else memory_op(g, PVM_OP_LOAD_IND_U8);
        bool t_first = fz_below(g->r, 2);
        uint8_t a = free_reg(g);
        i = push(g, mul);
        i->r[0] = free_reg(g), i->r[1] = t_first ? t : a, i->r[2] = t_first ? a : t;
        return;
    }
    uint32_t at = g->c->n_ins;
    uint8_t x = free_reg(g), y = free_reg(g);
    if (fz_below(g->r, 2)) {
        i = push(g, one[fz_below(g->r, 10)]);
        i->r[0] = x, i->imm[0] = fz_below(g->r, 3) ? some_value(g) : 0;
    } else {
        i = push(g, two[fz_below(g->r, 6)]);
        i->r[0] = x, i->r[1] = y;
    }
    uint8_t d = fz_below(g->r, 4) ? free_reg(g) : fz_below(g->r, 2) ? x : y; /* now and then a compared register */
    switch (fz_below(g->r, 5)) {
    case 0: {
        pvm_op op = reg3[fz_below(g->r, 7)];
        if (!has(g, op)) op = PVM_OP_ADD_32;
        i = push(g, op);
        i->r[0] = d, i->r[1] = fz_below(g->r, 4) ? free_reg(g) : d, i->r[2] = free_reg(g);
        break;
    }
    case 1: {
        pvm_op op = reg_imm[fz_below(g->r, 5)];
        if (!has(g, op)) op = PVM_OP_ADD_IMM_32;
        i = push(g, op);
        i->r[0] = d, i->r[1] = fz_below(g->r, 4) ? free_reg(g) : d, i->imm[0] = some_value(g);
        break;
    }
    case 2:
        i = push(g, PVM_OP_MOVE_REG);
        i->r[0] = d, i->r[1] = free_reg(g);
        break;
    case 3: load_imm(g, d, some_value(g)); break;
    default: random_op(g);
    }
    if (fz_below(g->r, 2)) {
        push(g, PVM_OP_FALLTHROUGH);
        if (!g->oom) g->c->ins[at].target = (int32_t)g->c->n_ins;
    } else {
        uint32_t j = g->c->n_ins;
        push(g, PVM_OP_JUMP);
        if (!g->oom) g->c->ins[at].target = g->c->ins[j].target = (int32_t)g->c->n_ins;
    }
}

/* One product-accumulate step of 64-bit sums in halves as rv32 code has it (field25519's
 * columns; the recompiler's emit_mul_accumulate): mul_upper_u_u h, a, b; add_32 t, h, c (t
 * is h or c); add_32 u, hi, t; mul_32 l, a, b; add_32 s, l, lo; set_lt_u k, s, lo (or l);
 * the first now and then without the carry in (add_32 u, hi, h), now and then the low half
 * into h (l = h: both halves in one register). Two or three steps, each's carry mostly the next one's c (the recompiler carries it in
 * CF), now and then a load or store between them (one may write c, or fault: a wild
 * access). The roles mostly as rv32 code has them; random free registers collide now
 * and then, as the rule's conditions must catch. */
static void mul_acc_idiom(deep *g)
{
    if (!has(g, PVM_OP_MUL_UPPER_U_U) || !has(g, PVM_OP_ADD_32) || !has(g, PVM_OP_MUL_32)) return;
    uint8_t hi = free_reg(g), lo = free_reg(g), c = free_reg(g);
    unsigned steps = 2 + (unsigned)fz_below(g->r, 2);
    for (unsigned st = 0; st < steps && !g->oom; st++) {
        uint8_t h = free_reg(g), a = free_reg(g), b = fz_below(g->r, 8) ? free_reg(g) : a;
        uint8_t t = fz_below(g->r, 4) ? c : h, u = fz_below(g->r, 4) ? hi : free_reg(g);
        uint8_t l = fz_below(g->r, 6) == 0 ? h : fz_below(g->r, 4) ? c : free_reg(g); /* l = h: emit_mul_halves_in_place */
        uint8_t s = fz_below(g->r, 6) ? l : free_reg(g);
        uint8_t k = fz_below(g->r, 4) ? lo : free_reg(g), cx = fz_below(g->r, 4) ? lo : l;
        bool swap = fz_below(g->r, 2);
        fz_ins *x = push(g, PVM_OP_MUL_UPPER_U_U);
        x->r[0] = h, x->r[1] = a, x->r[2] = b;
        if (st || fz_below(g->r, 3)) { /* a carry in; else the sum's first step: u = hi + h */
            x = push(g, PVM_OP_ADD_32);
            x->r[0] = t, x->r[1] = swap ? c : h, x->r[2] = swap ? h : c;
        } else {
            t = h;
        }
        x = push(g, PVM_OP_ADD_32);
        x->r[0] = u, x->r[1] = swap ? t : hi, x->r[2] = swap ? hi : t;
        x = push(g, PVM_OP_MUL_32);
        x->r[0] = l, x->r[1] = swap ? b : a, x->r[2] = swap ? a : b;
        x = push(g, PVM_OP_ADD_32);
        x->r[0] = s, x->r[1] = swap ? lo : l, x->r[2] = swap ? l : lo;
        x = push(g, PVM_OP_SET_LT_U);
        x->r[0] = k, x->r[1] = fz_below(g->r, 8) ? s : free_reg(g), x->r[2] = cx;
        hi = u, lo = s, c = k;
        if (fz_below(g->r, 2) == 0) { /* between steps: CF kept through it */
            uint32_t at = g->c->n_ins;
            carry_access(g);
            if (!g->oom && g->c->n_ins > at && fz_below(g->r, 3) == 0) g->c->ins[at].r[0] = c; /* a load writes the next carry */
        }
    }
    if (g->oom || fz_below(g->r, 2)) return;
    /* a sum's end: the last carry into the high half, then mostly written over (the recompiler
     * keeps it a setb byte up to there: an access between may fault) */
    fz_ins *x = push(g, PVM_OP_ADD_32);
    bool swap = fz_below(g->r, 2);
    x->r[0] = hi, x->r[1] = swap ? c : hi, x->r[2] = swap ? hi : c;
    if (fz_below(g->r, 2)) carry_access(g);
    if (fz_below(g->r, 2)) random_op(g);
    uint32_t at = g->c->n_ins;
    if (fz_below(g->r, 2)) carry_access(g);
    else load_imm(g, c, some_value(g));
    if (!g->oom && g->c->n_ins > at && fz_below(g->r, 4)) g->c->ins[at].r[0] = c; /* a load into c (or a store of it) */
}

/* load_imm_jump ra, <return address>, func; the next instruction is the return point. */
static void call(deep *g)
{
    if (!g->n_funcs || g->n_calls >= FZ_MAX_JT) return;
    unsigned k = g->n_calls++;
    g->call_func[k] = (uint32_t)fz_below(g->r, g->n_funcs);
    g->call_at[k] = g->c->n_ins;
    fz_ins *x = push(g, PVM_OP_LOAD_IMM_JUMP);
    x->r[0] = g->ra;
    x->imm[0] = 2 * (int64_t)(k + 1);
}

static void body(deep *g, unsigned n)
{
    for (unsigned i = 0; i < n && !g->oom; i++) {
        uint64_t what = fz_below(g->r, 100);
        if (what < 8) if_block(g);
        else if (what < 12) indexed_access(g);
        else if (what < 14) call(g);
        else if (what < 18) carry_idiom(g);
        else if (what < 21) funnel_idiom(g);
        else if (what < 24) element_idiom(g);
        else if (what < 27) sigma_idiom(g);
        else if (what < 29) mask_idiom(g);
        else if (what < 31) zero_branch_idiom(g);
        else if (what < 34) fused_pair_idiom(g);
        else if (what < 38) arith_idiom(g);
        else if (what < 41) mul_acc_idiom(g);
        else if (what < 45) latency_idiom(g);
        else if (what < 48) select_idiom(g);
        else random_op(g);
    }
}

/* Pick the reserved registers (never a0..a2, which memset uses) and the free ones. */
static void pick_registers(deep *g)
{
    uint8_t pool[PVM_REG_COUNT];
    unsigned n = 0;
    for (uint8_t r = 0; r < PVM_REG_COUNT; r++)
        if (r < 7 || r > 9) pool[n++] = r;
    for (unsigned i = n; i > 1; i--) { /* shuffle */
        unsigned j = (unsigned)fz_below(g->r, i);
        uint8_t t = pool[i - 1];
        pool[i - 1] = pool[j];
        pool[j] = t;
    }
    g->ra = pool[0], g->outer = pool[1], g->inner = pool[2], g->base_w = pool[3], g->base_any = pool[4];
    uint16_t reserved = (uint16_t)(1u << pool[0] | 1u << pool[1] | 1u << pool[2] | 1u << pool[3] | 1u << pool[4]);
    g->n_free = 0;
    for (uint8_t r = 0; r < PVM_REG_COUNT; r++)
        if (!(reserved & (1u << r))) g->free_regs[g->n_free++] = r;
    g->c->host_regs = (uint16_t)(~reserved & ((1u << PVM_REG_COUNT) - 1));
}

static void pick_ops(deep *g)
{
    g->n_body_ops = g->n_branch_imm = g->n_branch_reg = g->n_indexed = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        pvm_op o = (pvm_op)op;
        pvm_kind k = pvm_op_table[op].kind;
        if (has(g, o) && pvm_op_is_branch(o)) {
            if (k == PVM_KIND_REG_IMM_OFF) g->branch_imm[g->n_branch_imm++] = o;
            if (k == PVM_KIND_REG_REG_OFF) g->branch_reg[g->n_branch_reg++] = o;
        }
        if (has(g, o) && pvm_op_mem_access(o).width && k == PVM_KIND_REG_REG_IMM) g->indexed_ops[g->n_indexed++] = o;
        if (!has(g, o) || pvm_op_is_terminator(o) || pvm_op_group_of(o) == PVM_GROUP_HOST)
            continue;
        g->body_ops[g->n_body_ops++] = o;
    }
}

/* Per outer iteration: one host call, heap growth or a memset, now and then. */
static void outer_extra(deep *g)
{
    switch (fz_below(g->r, 6)) {
    case 0: {
        fz_ins *x = push(g, PVM_OP_ECALLI);
        x->imm[0] = (int64_t)fz_below(g->r, 32);
        break;
    }
    case 1:
        if (has(g, PVM_OP_SBRK)) {
            uint8_t d = free_reg(g), s = free_reg(g);
            load_imm(g, s, fz_below(g->r, 2) ? 0 : (int64_t)fz_below(g->r, 3 * 4096));
            fz_ins *x = push(g, PVM_OP_SBRK);
            x->r[0] = d, x->r[1] = s;
        }
        break;
    case 2:
        if (has(g, PVM_OP_MEMSET)) {
            const fz_page *p = &g->c->pages[g->w_page];
            uint32_t n = (uint32_t)fz_below(g->r, 96);
            load_imm(g, 7, (int64_t)(int32_t)(p->addr + (uint32_t)fz_below(g->r, p->len - n)));
            load_imm(g, 8, some_value(g));
            load_imm(g, 9, n);
            push(g, PVM_OP_MEMSET);
        }
        break;
    default: break;
    }
}

static void count_down(deep *g, uint8_t reg, uint32_t head)
{
    fz_ins *x = push(g, PVM_OP_ADD_IMM_32);
    x->r[0] = reg, x->r[1] = reg, x->imm[0] = -1;
    x = push(g, PVM_OP_BRANCH_NE_IMM);
    x->r[0] = reg, x->imm[0] = 0, x->target = (int32_t)head;
}

bool fz_generate_deep(fz_rng *r, fz_case *c)
{
    deep g = {.r = r, .c = c, .wild_left = fz_below(r, 8) == 0, .trap_left = fz_below(r, 8) == 0};
    pick_registers(&g);
    pick_ops(&g);
    g.w_page = UINT32_MAX;
    for (uint32_t i = 0; i < c->n_pages; i++)
        if (c->pages[i].access == PVM_ACCESS_WRITE && (g.w_page == UINT32_MAX || fz_below(r, 2))) g.w_page = i;
    if (g.w_page == UINT32_MAX) { /* no writable page: make one */
        c->pages[0].access = PVM_ACCESS_WRITE;
        g.w_page = 0;
    }
    g.any_page = (uint32_t)fz_below(r, c->n_pages);
    uint32_t outer_n = 1 + (uint32_t)fz_below(r, 6), inner_n = 2 + (uint32_t)fz_below(r, 150);
    unsigned body_n = 3 + (unsigned)fz_below(r, 20);
    g.n_funcs = (unsigned)fz_below(r, MAX_FUNCS + 1);

    load_imm(&g, g.base_w, (int64_t)(int32_t)c->pages[g.w_page].addr);
    load_imm(&g, g.base_any, (int64_t)(int32_t)c->pages[g.any_page].addr);
    load_imm(&g, g.outer, outer_n);
    for (unsigned i = 0; i < 3; i++) load_imm(&g, free_reg(&g), some_value(&g));
    push(&g, PVM_OP_FALLTHROUGH);
    uint32_t outer_head = c->n_ins;
    load_imm(&g, g.inner, inner_n);
    outer_extra(&g);
    push(&g, PVM_OP_FALLTHROUGH);
    uint32_t inner_head = c->n_ins;
    body(&g, body_n);
    count_down(&g, g.inner, inner_head);
    outer_extra(&g);
    count_down(&g, g.outer, outer_head);
    uint8_t h = free_reg(&g);
    load_imm(&g, h, (int64_t)(int32_t)PVM_ADDR_HALT);
    fz_ins *x = push(&g, PVM_OP_JUMP_IND);
    x->r[0] = h;
    for (unsigned f = 0; f < g.n_funcs; f++) {
        g.func_start[f] = c->n_ins;
        unsigned saved_calls = g.n_funcs;
        g.n_funcs = 0; /* no calls from functions: ra is not saved */
        body(&g, 2 + (unsigned)fz_below(r, 8));
        g.n_funcs = saved_calls;
        if (fz_below(r, 2)) { /* a return after a stack pointer's restore (an interpreter pair) */
            pvm_op add = has(&g, PVM_OP_ADD_IMM_64) ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32;
            x = push(&g, add);
            x->r[0] = free_reg(&g), x->r[1] = free_reg(&g), x->imm[0] = some_value(&g);
        }
        x = push(&g, PVM_OP_JUMP_IND);
        x->r[0] = g.ra;
    }
    if (g.oom) return false;
    c->n_jt = g.n_calls;
    for (unsigned k = 0; k < g.n_calls; k++) {
        c->ins[g.call_at[k]].target = (int32_t)g.func_start[g.call_func[k]];
        c->jt[k] = g.call_at[k] + 1;
    }
    for (int k = 0; k < PVM_REG_COUNT; k++) c->regs[k] = fz_below(r, 2) ? (uint64_t)some_value(&g) : fz_next(r);
    c->entry = 0;
    /* Instructions the program runs if nothing stops it: the inner body runs inner_n x outer_n times. */
    uint64_t need = (uint64_t)outer_n * ((uint64_t)inner_n * (body_n * 3 + 2) + 8) + 16;
    c->gas = fz_below(r, 2) ? (int64_t)(need * 64) : (int64_t)(need / 8 + fz_below(r, need));
    return true;
}
