/* Single-pass x86-64 code generator: one walk over the decoded program,
 * emitting each instruction in place, a gas check at every block start and
 * out-of-line exit stubs after the body. Forward references (jumps to later
 * blocks, stubs, the jump table) are patched once everything is placed.
 *
 * Layout of a module's code: entry trampoline, exit stub, instruction bodies,
 * cold stubs, native jump table (int32 offsets from the table, 0 = invalid). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "codegen.h"
#include "vm/util/error.h"

/* PolkaVM's map: argument registers in the SysV argument registers where possible. */
const uint8_t jit_guest_reg[PVM_REG_COUNT] = {
    RBX, /* ra */ RSI, /* sp */ R15, /* t0 */ RBP, /* t1 */ R12, /* t2 */ R8, /* s0 */ R9, /* s1 */
    RDI, /* a0 */ RAX, /* a1 */ RDX, /* a2 */ R14, /* a3 */ R10, /* a4 */ R11, /* a5 */
};

/* Make room for one more element of a growable array; false (and g->oom) if out of memory. */
static bool grow(cg *g, void **arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return true;
    size_t nc = *cap ? *cap * 2 : 256;
    void *p = realloc(*arr, nc * elem);
    if (!p) {
        g->oom = true;
        return false;
    }
    *arr = p;
    *cap = nc;
    return true;
}

void cg_add_fixup(cg *g, size_t at, fix_kind kind, uint32_t target)
{
    if (grow(g, (void **)&g->fx, g->nfx, &g->capfx, sizeof *g->fx)) g->fx[g->nfx++] = (fixup){(uint32_t)at, kind, target};
}

uint32_t cg_new_stub(cg *g, uint32_t code, uint32_t refund)
{
    if (!grow(g, (void **)&g->st, g->nst, &g->capst, sizeof *g->st)) return 0;
    g->st[g->nst] = (stub){code, refund, 0, false};
    return (uint32_t)g->nst++;
}

uint32_t cg_new_jump_stub(cg *g, uint32_t index)
{
    uint32_t s = cg_new_stub(g, JIT_EXIT_CODE(PVM_EXIT_PANIC, index), 0);
    if (!g->oom) g->st[s].halt_check = true;
    return s;
}

void cg_jcc_stub(cg *g, int cc, uint32_t s) { cg_add_fixup(g, x64_jcc32(&g->b, cc), FIX_STUB, s); }

void cg_jmp_exit(cg *g) { x64_patch32(g->b.p, x64_jmp32(&g->b), g->exit_off); }

void cg_exit_now(cg *g, pvm_exit_kind kind, uint32_t index)
{
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

/* entry(ctx = rdi, target = rsi): save callee-saved registers, build the frame,
 * load guest state and jump to target. */
static void emit_entry(cg *g)
{
    static const int saved[] = {RBX, RBP, R12, R13, R14, R15};
    x64_buf *b = &g->b;
    for (int i = 0; i < 6; i++) x64_push(b, saved[i]);
    x64_alu_ri(b, true, ALU_SUB, RSP, JIT_FRAME_SIZE);
    x64_store(b, true, SLOT(JIT_FRAME_CTX), RDI);
    x64_load(b, true, RAX, x64_at(RDI, offsetof(jit_ctx, gas)));
    x64_store(b, true, SLOT(JIT_FRAME_GAS), RAX);
    x64_load(b, true, MEM_BASE, x64_at(RDI, offsetof(jit_ctx, mem_base)));
    x64_mov_rr(b, true, RCX, RSI);
    cg_load_regs(g, RDI);
    x64_op_rr(b, 0, 0, 0xFF, 4, RCX); /* jmp rcx */

    /* Exit stub (ecx = exit code): save guest state to the context and return the code. */
    g->exit_off = (uint32_t)b->len;
    x64_store(b, false, SLOT(JIT_FRAME_SPILL0), RCX);
    x64_load(b, true, RCX, SLOT(JIT_FRAME_CTX));
    cg_store_regs(g, RCX);
    g->exit_keep_off = (uint32_t)b->len;
    x64_load(b, true, RAX, SLOT(JIT_FRAME_GAS));
    x64_store(b, true, x64_at(RCX, offsetof(jit_ctx, gas)), RAX);
    x64_load(b, false, RAX, SLOT(JIT_FRAME_SPILL0));
    x64_alu_ri(b, true, ALU_ADD, RSP, JIT_FRAME_SIZE);
    for (int i = 5; i >= 0; i--) x64_pop(b, saved[i]);
    x64_u8(b, 0xC3);
}

static void emit_gas_check(cg *g, uint32_t index)
{
    if (g->gas == PVM_GAS_NONE) return;
    uint32_t cost = g->m->block_cost[g->d->instrs[index].block];
    if (cost <= INT32_MAX) {
        x64_alu_mi(&g->b, true, ALU_SUB, SLOT(JIT_FRAME_GAS), (int32_t)cost);
    } else {
        x64_mov_ri(&g->b, RCX, cost);
        x64_alu_mr(&g->b, true, ALU_SUB, SLOT(JIT_FRAME_GAS), RCX);
    }
    bool sync = g->gas == PVM_GAS_SYNC;
    /* sync: not entered if gas < cost (signed compare of the subtraction); async: gas went negative */
    cg_jcc_stub(g, sync ? CC_L : CC_S, cg_new_stub(g, JIT_EXIT_CODE(PVM_EXIT_OUT_OF_GAS, index), sync ? cost : 0));
}

/* ecx = the 32-bit guest address of a load or store (wraps at 2^32). */
static void emit_stubs(cg *g)
{
    x64_buf *b = &g->b;
    for (size_t i = 0; i < g->nst && x64_reserve(b, STUB_BYTES); i++) {
        stub *s = &g->st[i];
        s->off = (uint32_t)b->len;
        if (s->refund) { /* sync out-of-gas: undo the charge */
            if (s->refund <= INT32_MAX) {
                x64_alu_mi(b, true, ALU_ADD, SLOT(JIT_FRAME_GAS), (int32_t)s->refund);
            } else {
                x64_mov_ri(b, RCX, s->refund);
                x64_alu_mr(b, true, ALU_ADD, SLOT(JIT_FRAME_GAS), RCX);
            }
        }
        if (s->halt_check) { /* ecx = ror(address, 1) - 1: undo, then halt or panic */
            x64_alu_ri(b, false, ALU_ADD, RCX, 1);
            x64_shift_ri(b, false, SH_ROL, RCX, 1);
            x64_alu_ri(b, false, ALU_CMP, RCX, (int32_t)PVM_ADDR_HALT);
            size_t not_halt = x64_jcc8(b, CC_NE);
            x64_mov_ri(b, RCX, s->code - PVM_EXIT_PANIC + PVM_EXIT_HALT);
            cg_jmp_exit(g);
            x64_patch8_here(b, not_halt);
        }
        x64_mov_ri(b, RCX, s->code);
        cg_jmp_exit(g);
    }
}

/* The native jump table: per entry the block entry's offset from the table (0 = invalid). */
static uint32_t emit_jump_table(cg *g)
{
    x64_buf *b = &g->b;
    while (b->len % 8) x64_u8(b, 0xCC);
    uint32_t table = (uint32_t)b->len;
    if (!x64_reserve(b, (size_t)g->d->jt_len * 4 + 8)) return table;
    for (uint32_t k = 0; k < g->d->jt_len; k++) {
        uint32_t t = g->d->jump_table_index[k];
        x64_u32(b, t == PVM_NO_INDEX ? 0 : g->entry_off[t] - table);
    }
    return table;
}

static void cg_free(cg *g)
{
    x64_buf_free(&g->b);
    free(g->fx);
    free(g->st);
    free(g->entry_off);
    free(g->instr_off);
}

void pvm_jit_free(pvm_module *m)
{
    jit_module *jm = m->jit;
    if (!jm) return;
    jit_code_release(&jm->mem);
    free(jm->instr_off);
    free(jm);
    m->jit = NULL;
}

/* PVMLAB_JIT_DUMP=FILE: write the module's code (entry, exit stub and the
 * instruction bodies) to FILE, for `objdump -D -b binary -mi386:x86-64`, and
 * FILE.map: "index offset" per instruction. A debugging aid only. */
static void dump_code(const cg *g, uint32_t body_end)
{
    const char *path = getenv("PVMLAB_JIT_DUMP");
    if (!path || !*path) return;
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(g->b.p, 1, body_end, f);
        fclose(f);
    }
    char map[4096];
    snprintf(map, sizeof map, "%s.map", path);
    if ((f = fopen(map, "w"))) {
        for (uint32_t i = 0; i < g->d->n_instrs; i++)
            fprintf(f, "%u %x pc=%u op=%s\n", i, g->instr_off[i], g->d->instrs[i].pc, pvm_op_table[g->d->instrs[i].op].name);
        fclose(f);
    }
}

/* Code is emitted straight into its final mapping: a reservation sized for the
 * worst case (MAP_NORESERVE, so untouched pages cost nothing), trimmed to the
 * bytes used and made executable at the end. No copy, no reallocation. */
static size_t code_bound(const pvm_decoded *d)
{
    return 8192 + (size_t)d->n_instrs * (MAX_INSTR_BYTES + MAX_STUBS_PER_INSTR * STUB_BYTES) + (size_t)d->jt_len * 4;
}

pvm_status pvm_jit_compile(pvm_module *m, pvm_error *err)
{
    const pvm_decoded *d = &m->dec;
    if (!__builtin_cpu_supports("popcnt"))
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "recompiler: the host CPU lacks POPCNT");
    if (d->n_instrs >= JIT_MAX_INSTRS)
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "recompiler: %u instructions (limit %u)", d->n_instrs, JIT_MAX_INSTRS);
    if (d->jt_len >= (1u << 30)) /* emit_dynamic_jump's single bound check relies on it */
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "recompiler: %u jump-table entries (limit 2^30)", d->jt_len);
    pvm_status st = jit_signals_init(err);
    if (st) return st;
    cg g = {.m = m, .d = d, .gas = m->engine->cfg.gas_mode, .narrow = !d->is_64bit};
    for (int op = 0; op < PVM_OP_COUNT; op++) g.access[op] = pvm_op_mem_access((pvm_op)op);
    jit_code mem;
    if ((st = jit_code_reserve(code_bound(d), &mem, err))) return st;
    g.b = (x64_buf){.p = mem.rw, .cap = mem.size, .fixed = true};
#ifdef MADV_POPULATE_WRITE
    /* Fault in the expected code size with one call instead of a page fault per 4 KiB. */
    size_t expected = ((size_t)d->n_instrs * EXPECTED_INSTR_BYTES + 8192) & ~(size_t)4095;
    if (mem.slot < 0 && expected > 256 * 1024) madvise(mem.rw, expected < mem.size ? expected : mem.size, MADV_POPULATE_WRITE);
#endif
    g.entry_off = malloc((d->n_instrs + 1) * sizeof *g.entry_off);
    g.instr_off = malloc((d->n_instrs + 1) * sizeof *g.instr_off);
    g.capfx = d->n_instrs / 2 + 64;
    g.capst = d->n_instrs / 4 + 64;
    g.fx = malloc(g.capfx * sizeof *g.fx);
    g.st = malloc(g.capst * sizeof *g.st);
    if (!g.entry_off || !g.instr_off || !g.fx || !g.st) g.oom = true;
    if (!g.oom) emit_entry(&g);
    for (uint32_t i = 0; i < d->n_instrs && !g.oom && !g.unsupported; i++) {
        if (!x64_reserve(&g.b, MAX_INSTR_BYTES)) break;
        if (d->instrs[i].block_start) {
            g.entry_off[i] = (uint32_t)g.b.len;
            emit_gas_check(&g, i);
        }
        g.instr_off[i] = (uint32_t)g.b.len;
        cg_emit_instr(&g, i);
    }
    uint32_t body_end = (uint32_t)g.b.len;
    if (!g.oom && !g.b.oom && !g.unsupported) emit_stubs(&g);
    uint32_t table = g.b.oom || g.oom ? 0 : emit_jump_table(&g);
    if (g.unsupported || g.oom || g.b.oom) {
        bool unsupported = g.unsupported;
        jit_code_release(&mem);
        cg_free(&g);
        return unsupported ? pvm_fail(err, PVM_ERR_UNSUPPORTED, "recompiler: an instruction has no x86-64 translation")
                           : pvm_fail(err, PVM_ERR_NO_MEMORY, "recompiler: out of memory");
    }
    for (size_t i = 0; i < g.nfx; i++) {
        const fixup *f = &g.fx[i];
        size_t target = f->kind == FIX_ENTRY ? g.entry_off[f->target] : f->kind == FIX_STUB ? g.st[f->target].off : table;
        x64_patch32(g.b.p, f->at, target);
    }
    jit_module *jm = calloc(1, sizeof *jm);
    if (!jm || (st = jit_code_seal(&mem, g.b.len, err))) {
        free(jm);
        jit_code_release(&mem);
        cg_free(&g);
        return st ? st : pvm_fail(err, PVM_ERR_NO_MEMORY, "recompiler: out of memory");
    }
    dump_code(&g, body_end);
    jm->mem = mem;
    jm->code = mem.rx;
    jm->body_end = body_end;
    jm->exit_off = g.exit_off;
    jm->instr_off = g.instr_off;
    jm->n_instrs = d->n_instrs;
    jm->narrow = g.narrow;
    memcpy(jm->access, g.access, sizeof jm->access);
    jm->entry = (jit_entry_fn)(void *)mem.rx;
    g.instr_off = NULL;
    cg_free(&g);
    m->jit = jm;
    return PVM_OK;
}
