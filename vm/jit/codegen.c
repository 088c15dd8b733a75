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
#include "gas_checks.h"
#include "vm/util/env_switch.h"
#include "vm/util/error.h"
#include "vm/util/large_alloc.h"
#include <pthread.h>
#include "vm/util/thread_usage.h"

/* entry(ctx = rdi, target = rsi): save callee-saved registers, build the frame,
 * load guest state and jump to target. */
static void emit_entry(cg *g)
{
    static const int saved[] = {RBX, RBP, R12, R13, R14, R15};
    x64_buf *b = &g->b;
    for (int i = 0; i < 6; i++) x64_push(b, saved[i]);
    x64_alu_ri(b, true, ALU_SUB, RSP, JIT_FRAME_SIZE);
    x64_store(b, true, SLOT(JIT_FRAME_CTX), RDI);
    if (g->gas_reg >= 0) {
        x64_load(b, true, g->gas_reg, x64_at(RDI, offsetof(jit_ctx, gas)));
    } else {
        x64_load(b, true, RAX, x64_at(RDI, offsetof(jit_ctx, gas)));
        x64_store(b, true, SLOT(JIT_FRAME_GAS), RAX);
        x64_load(b, true, MEM_BASE, x64_at(RDI, offsetof(jit_ctx, mem_base)));
    }
    x64_mov_rr(b, true, RCX, RSI);
    cg_load_regs(g, RDI);
    x64_op_rr(b, 0, 0, 0xFF, 4, RCX); /* jmp rcx */

    /* Exit stub (ecx = exit code): save guest state to the context and return the code. */
    g->exit_off = (uint32_t)b->len;
    x64_store(b, false, SLOT(JIT_FRAME_SPILL0), RCX);
    x64_load(b, true, RCX, SLOT(JIT_FRAME_CTX));
    cg_store_regs(g, RCX);
    g->exit_keep_off = (uint32_t)b->len;
    if (g->gas_reg >= 0) {
        x64_store(b, true, x64_at(RCX, offsetof(jit_ctx, gas)), g->gas_reg);
    } else {
        x64_load(b, true, RAX, SLOT(JIT_FRAME_GAS));
        x64_store(b, true, x64_at(RCX, offsetof(jit_ctx, gas)), RAX);
    }
    x64_load(b, false, RAX, SLOT(JIT_FRAME_SPILL0));
    x64_alu_ri(b, true, ALU_ADD, RSP, JIT_FRAME_SIZE);
    for (int i = 5; i >= 0; i--) x64_pop(b, saved[i]);
    x64_u8(b, 0xC3);
}

/* ecx = the 32-bit guest address of a load or store (wraps at 2^32). */
static void emit_stubs(cg *g)
{
    x64_buf *b = &g->b;
    for (size_t i = 0; i < g->nst && x64_reserve(b, STUB_BYTES); i++) {
        stub *s = &g->st[i];
        s->off = (uint32_t)b->len;
        if (s->kind == STUB_LOOP_SINGLE) { /* undo the copies' charge: the block's own check (self_loops.c) */
            cg_gas_alu(g, ALU_ADD, s->refund);
            cg_jcc_stub(g, s->cc, s->next);
            x64_patch32(b->p, x64_jmp32(b), (uint32_t)s->to);
            continue;
        }
        if (s->kind == STUB_LOOP_EXIT) { /* a copy's exit: give back what it charged ahead, pay the fall-through */
            int64_t delta = (int64_t)s->refund - s->to;
            if (delta) x64_lea(b, true, g->gas_reg, x64_at(g->gas_reg, (int32_t)delta));
            cg_jump_to(g, -1, s->next, s->next);
            continue;
        }
        if (s->refund) cg_gas_alu(g, ALU_ADD, s->refund); /* sync out-of-gas: undo the charge */
        if (s->halt_check) { /* ecx = the address (table_abs) or ror(address - 2, 1), undone first: halt or panic */
            if (!g->table_abs) {
                x64_shift_ri(b, false, SH_ROL, RCX, 1);
                x64_alu_ri(b, false, ALU_ADD, RCX, 2);
            }
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

/* The native jump table. Without table_abs: per entry k (guest address 2k + 2) the block
 * entry's offset from the table (0 = invalid). With table_abs: indexed by the guest address
 * itself (emit_dynamic_jump), 2 jt_len + 2 absolute addresses, entry 2k + 2 the block of
 * entry k, the others (0, 1, the odd addresses, an entry that is not a block start) the
 * bad-target exit, which panics with the code the jump left in SPILL0. */
static uint32_t emit_jump_table(cg *g)
{
    x64_buf *b = &g->b;
    if (g->table_abs && x64_reserve(b, 16)) { /* the exit code was left in SPILL0 */
        g->bad_target_off = (uint32_t)b->len;
        x64_load(b, false, RCX, SLOT(JIT_FRAME_SPILL0));
        cg_jmp_exit(g);
    }
    while (b->len % 8) x64_u8(b, 0xCC);
    uint32_t table = (uint32_t)b->len;
    if (!g->table_abs) {
        if (!x64_reserve(b, (size_t)g->d->jt_len * 4 + 8)) return table;
        for (uint32_t k = 0; k < g->d->jt_len; k++) {
            uint32_t t = g->d->jump_table_index[k];
            x64_u32(b, t == PVM_NO_INDEX ? 0 : g->entry_off[t] - table);
        }
        return table;
    }
    if (!x64_reserve(b, ((size_t)g->d->jt_len * 2 + 2) * 8 + 8)) return table;
    uint64_t bad = (uint64_t)(uintptr_t)g->code + g->bad_target_off;
    for (uint64_t a = 0; a < (uint64_t)g->d->jt_len * 2 + 2; a++) {
        uint32_t t = a >= 2 && a % 2 == 0 ? g->d->jump_table_index[a / 2 - 1] : PVM_NO_INDEX;
        uint64_t at = t == PVM_NO_INDEX ? bad : (uint64_t)(uintptr_t)g->code + g->entry_off[t];
        x64_u32(b, (uint32_t)at);
        x64_u32(b, (uint32_t)(at >> 32));
    }
    return table;
}

static void cg_free(cg *g)
{
    x64_buf_free(&g->b);
    util_free_large_lane(g->fx, g->capfx * sizeof *g->fx, g->lane);
    util_free_large_lane(g->st, g->capst * sizeof *g->st, g->lane);
    util_free_large(g->entry_off, (g->d->n_instrs + 1) * sizeof *g->entry_off);
    util_free_large(g->instr_off, (g->d->n_instrs + 1) * sizeof *g->instr_off);
    util_free_large(g->inner, g->d->n_instrs);
    util_free_large(g->byte_regs, (size_t)g->d->n_instrs * sizeof *g->byte_regs);
    util_free_large_lane(g->copy_map, g->capcm * sizeof *g->copy_map, g->lane);
}

void pvm_jit_free(pvm_module *m)
{
    jit_module *jm = m->jit;
    if (!jm) return;
    jit_code_release(&jm->mem);
    util_free_large(jm->instr_off, (jm->n_instrs + 1) * sizeof *jm->instr_off);
    util_free_large(jm->inner, jm->n_instrs);
    util_free_large(jm->byte_regs, (size_t)jm->n_instrs * sizeof *jm->byte_regs);
    free(jm->gas_owed);
    free(jm->copy_map);
    free(jm);
    m->jit = NULL;
}

/* PVMLAB_JIT_DUMP=FILE: write the module's code (entry, exit stub and the
 * instruction bodies) to FILE, for `objdump -D -b binary -mi386:x86-64`, and
 * FILE.map: where the code runs, then "index offset pc op [entry]" per
 * instruction (offsets in hex; entry: the block's gas check). A debugging aid only. */
static void dump_code(const cg *g, const uint8_t *code, uint32_t body_end, size_t gap_from, size_t gap_to)
{
    const char *path = getenv("PVMLAB_JIT_DUMP");
    if (!path || !*path) return;
    FILE *f = fopen(path, "wb");
    if (f) { /* the untouched pages between two chunks' regions as a hole: offsets stay code offsets */
        fwrite(g->b.p, 1, gap_to > gap_from ? gap_from : body_end, f);
        if (gap_to > gap_from && fseek(f, (long)gap_to, SEEK_SET) == 0) fwrite(g->b.p + gap_to, 1, body_end - gap_to, f);
        fclose(f);
    }
    char map[4096];
    snprintf(map, sizeof map, "%s.map", path);
    if ((f = fopen(map, "w"))) {
        fprintf(f, "# code at %p, %u bytes of instruction bodies, gas bias %u\n", (const void *)code, body_end, g->gas_bias);
        for (uint32_t i = 0; i < g->d->n_instrs; i++) {
            fprintf(f, "%u %x pc=%u op=%s", i, g->instr_off[i], g->d->instrs[i].pc, pvm_op_table[g->d->instrs[i].op].name);
            if (g->d->instrs[i].block_start) fprintf(f, " entry=%x", g->entry_off[i]);
            if (g->d->instrs[i].block_start && g->unchecked && g->unchecked[g->d->instrs[i].block] == JIT_GAS_UNCHECKED) fputs(" unchecked", f);
            fputc('\n', f);
        }
        for (size_t w = 0; w < g->ncm; w += 5 + g->copy_map[w + 3]) /* (the first chunk's) unrolled copies: self_loops.c */
            fprintf(f, "# copy %x %x of instructions %u+%u, %u ahead\n", g->copy_map[w], g->copy_map[w + 1], g->copy_map[w + 2],
                    g->copy_map[w + 3], g->copy_map[w + 4]);
        fclose(f);
    }
}

/* Code is emitted straight into its final mapping: a reservation sized for the
 * worst case (MAP_NORESERVE, so untouched pages cost nothing), trimmed to the
 * bytes used and made executable at the end. No copy, no reallocation.
 *
 * A large program is compiled in two chunks of about half its instructions,
 * split at a block start, on two threads. Each chunk's code goes to its own
 * region of the reservation: the first from the entry trampoline on, the
 * second from a fixed offset (the first's worst case, rounded up to 2 MiB),
 * each instruction body followed by the chunk's out-of-line stubs; the jump
 * table follows the second. The regions depend on the program only, and a
 * chunk's bytes only on its instructions and its region's start, so the code
 * is the same bytes whichever thread finishes first, and the same when both
 * chunks run on one thread (PVMLAB_JIT_THREADS=1, the tests' reference). The
 * untouched pages between the regions are never mapped in, nor executed. */
#define CHUNKED_MIN_INSTRS 16384 /* below: a thread's start costs more than half the code generation */
#define HEAD_BYTES 8192          /* entry trampoline and exit stub */

static size_t chunk_bound(uint32_t instrs) { return (size_t)instrs * (MAX_INSTR_BYTES + MAX_STUBS_PER_INSTR * STUB_BYTES); }

/* Where the second chunk's code starts (chunk 1 of [0, split) and [split, n)). */
static size_t second_region(uint32_t split)
{
    const size_t huge = (size_t)2 << 20;
    return (HEAD_BYTES + chunk_bound(split) + huge - 1) & ~(huge - 1);
}

static size_t code_bound(const pvm_decoded *d, uint32_t split)
{
    size_t tail = chunk_bound(d->n_instrs - split) + ((size_t)d->jt_len * 2 + 2) * 8 + HEAD_BYTES; /* table_abs's table */
    return (split ? second_region(split) : HEAD_BYTES) + tail;
}

/* The block start nearest above the middle instruction, or 0 (one chunk). */
static uint32_t chunk_split(const pvm_decoded *d)
{
    if (d->n_instrs < CHUNKED_MIN_INSTRS || d->n_blocks < 2) return 0;
    return d->blocks[pvm_decoded_middle_block(d)].first;
}

/* One chunk's generator: its own buffer position, fixups and stubs; the
 * per-instruction tables (entry_off, instr_off, inner) are shared, each chunk
 * writing only its instructions' entries. Cache-line aligned: the two chunks of a
 * compile lie side by side (an array on the stack), and a line holding the end of
 * one and the start of the other (where the emitter's buffer position is written
 * for every instruction) bounced between the two threads: */
typedef struct {
    _Alignas(64) cg g;
    uint32_t first, end; /* instructions */
    size_t prefault;     /* bytes from the region start to fault in first (0: none) */
} chunk;

/* Patch the rel32 references a chunk can resolve alone, in its own thread: to
 * its stubs and to its own instructions' entries. The others (to the other
 * chunk, to the jump table) stay in the list, for resolve_fixups after both. */
static void resolve_own_fixups(cg *g, uint32_t first, uint32_t end)
{
    size_t kept = 0;
    for (size_t i = 0; i < g->nfx; i++) {
        const fixup *f = &g->fx[i];
        if (f->kind == FIX_STUB) x64_patch32(g->b.p, f->at, g->st[f->target].off);
        else if (f->kind == FIX_ENTRY && f->target >= first && f->target < end) x64_patch32(g->b.p, f->at, g->entry_off[f->target]);
        else g->fx[kept++] = *f;
    }
    g->nfx = kept;
}

/* Fault in the expected code size with one call instead of a page fault per 4 KiB (from the
 * page the chunk starts in: madvise takes a page-aligned start, and the first chunk's code
 * starts after the entry trampoline, mid-page). */
static void prefault_chunk(chunk *c)
{
#ifdef MADV_POPULATE_WRITE
    if (c->prefault) {
        uintptr_t at = (uintptr_t)(c->g.b.p + c->g.b.len), page = at & ~(uintptr_t)4095;
        madvise((void *)page, c->prefault + (at - page), MADV_POPULATE_WRITE);
    }
#endif
    c->prefault = 0;
}

/* The code of instructions [first, end), then the stubs they asked for. */
static void emit_chunk(chunk *c)
{
    cg *g = &c->g;
    const pvm_decoded *d = g->d;
    prefault_chunk(c);
    cg_emit_range(g, c->first, c->end);
    /* the next chunk's code lies elsewhere: what falls through goes there */
    if (c->end < d->n_instrs && !g->oom && !g->unsupported && x64_reserve(&g->b, 16)) {
        cg_gas_pay_fallthrough(g, d->instrs[c->end].block);
        cg_jump_to(g, -1, c->end, c->end);
    }
    g->body_end = (uint32_t)g->b.len;
    if (!g->oom && !g->b.oom && !g->unsupported) emit_stubs(g);
    if (!g->oom && !g->b.oom && !g->unsupported) resolve_own_fixups(g, c->first, c->end);
}

/* The second thread of a two-chunk compile: it makes the gas-check plan while the
 * first sets the compile up (the code's reservation, the tables, the entry), then,
 * once told to go, emits the second chunk. */
typedef struct {
    const pvm_decoded *d;
    const uint32_t *block_cost;
    uint8_t *unchecked; /* NULL: no plan */
    int64_t *charge;    /* NULL: no deferred charges */
    int32_t *pay;
    uint16_t *owed;
    uint32_t bias;
    chunk *c;
    bool planned, go, run; /* run: emit c (else the compile stopped) */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    util_thread_usage used;
} helper;

static void *run_helper(void *arg)
{
    helper *h = arg;
    util_thread_usage u0 = util_thread_usage_now();
    uint32_t bias = h->unchecked ? jit_gas_checks_plan(h->d, h->block_cost, h->unchecked) : 0;
    if (h->unchecked && h->charge) jit_gas_owed_plan(h->d, h->block_cost, h->unchecked, h->charge, h->pay, h->owed);
    pthread_mutex_lock(&h->lock);
    h->bias = bias;
    h->planned = true;
    pthread_cond_broadcast(&h->wake);
    while (!h->go) pthread_cond_wait(&h->wake, &h->lock);
    pthread_mutex_unlock(&h->lock);
    if (h->run) emit_chunk(h->c);
    h->used = util_thread_usage_since(&u0);
    return NULL;
}

/* Let the helper go (without a chunk if the compile stopped), join it, note what it used. */
static void helper_stop(helper *h, pthread_t thread, util_thread_usage *second)
{
    pthread_mutex_lock(&h->lock);
    h->go = true;
    pthread_cond_broadcast(&h->wake);
    pthread_mutex_unlock(&h->lock);
    pthread_join(thread, NULL);
    pthread_cond_destroy(&h->wake);
    pthread_mutex_destroy(&h->lock);
    *second = h->used;
}

/* PVMLAB_JIT_THREADS=1: both chunks of a large program on the calling thread. */
static bool one_thread_requested(void)
{
    const char *s = getenv("PVMLAB_JIT_THREADS");
    return s && strcmp(s, "1") == 0;
}

/* Fixups and stubs of a chunk, sized for its instructions (grown by realloc if ever short). */
static bool chunk_lists(cg *g, uint32_t instrs)
{
    g->capfx = instrs / 2 + 64;
    g->capst = instrs / 4 + 64;
    g->fx = util_alloc_large_lane(g->capfx * sizeof *g->fx, g->lane);
    g->st = util_alloc_large_lane(g->capst * sizeof *g->st, g->lane);
    return g->fx && g->st;
}

static void free_chunk_lists(chunk *c)
{
    util_free_large_lane(c->g.fx, c->g.capfx * sizeof *c->g.fx, c->g.lane);
    util_free_large_lane(c->g.st, c->g.capst * sizeof *c->g.st, c->g.lane);
    util_free_large_lane(c->g.copy_map, c->g.capcm * sizeof *c->g.copy_map, c->g.lane);
    c->g.fx = NULL, c->g.st = NULL, c->g.copy_map = NULL;
}

/* The chunks' unrolled copies (self_loops.c) as one map for the fault handler, in code
 * order (the second chunk's region lies above the first's): the records, then where each
 * starts. false if out of memory. */
static bool merge_copy_maps(jit_module *jm, const chunk *c, uint32_t n_chunks)
{
    size_t words = 0, n = 0;
    for (uint32_t k = 0; k < n_chunks; k++) words += c[k].g.ncm;
    if (!words) return true;
    for (uint32_t k = 0; k < n_chunks; k++)
        for (size_t w = 0; w < c[k].g.ncm; w += 5 + c[k].g.copy_map[w + 3]) n++;
    uint32_t *map = malloc((words + n) * sizeof *map);
    if (!map) return false;
    uint32_t *at = map + words;
    size_t pos = 0, i = 0;
    for (uint32_t k = 0; k < n_chunks; k++) {
        if (c[k].g.ncm) memcpy(map + pos, c[k].g.copy_map, c[k].g.ncm * sizeof *map); /* a chunk without copies has no map */
        for (size_t w = 0; w < c[k].g.ncm; w += 5 + c[k].g.copy_map[w + 3]) at[i++] = (uint32_t)(pos + w);
        pos += c[k].g.ncm;
    }
    jm->copy_map = map, jm->copy_at = at, jm->n_copies = (uint32_t)n;
    return true;
}

/* A table the two chunks share (inner, byte_regs; z0, z1: whether each chunk zeroed
 * its part, on its first mark): the part of a chunk that marked nothing zeroed now
 * if the other did, else the table freed (NULL: nothing marked). */
static void shared_table_done(uint8_t **table, size_t elem, const chunk c[2], uint32_t n, bool z0, bool z1)
{
    bool z[2] = {z0, z1};
    if (!z0 && !z1) {
        util_free_large(*table, (size_t)n * elem);
        *table = NULL;
        return;
    }
    for (int k = 0; k < 2; k++)
        if (!z[k]) memset(*table + (size_t)c[k].first * elem, 0, (size_t)(c[k].end - c[k].first) * elem);
}

/* Patch a chunk's rel32 and absolute references, once every offset is known. */
static void resolve_fixups(const cg *g, const jit_code *mem, uint32_t table)
{
    for (size_t i = 0; i < g->nfx; i++) {
        const fixup *f = &g->fx[i];
        if (f->kind == FIX_TABLE_ABS) { /* below 2 GiB: the address is its own disp32 */
            uint32_t at = (uint32_t)((uintptr_t)mem->rx + table);
            memcpy(g->b.p + f->at, &at, 4);
            continue;
        }
        size_t target = f->kind == FIX_ENTRY ? g->entry_off[f->target] : f->kind == FIX_STUB ? g->st[f->target].off : table;
        x64_patch32(g->b.p, f->at, target);
    }
}

pvm_status pvm_jit_compile(pvm_module *m, util_thread_usage *second, pvm_error *err)
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
    cg g = {.m = m, .d = d, .gas = m->engine->cfg.gas_mode, .narrow = !d->is_64bit, .copy_loop = PVM_NO_INDEX};
    uint8_t *unchecked = NULL; /* per block (gas_checks.c); read by both chunks' threads */
    /* PVMLAB_JIT_ALL_GAS_CHECKS: an A/B switch, a check at every block */
    int64_t *charge = NULL;
    int32_t *pay = NULL;
    uint16_t *owed = NULL;
    if (g.gas != PVM_GAS_NONE && d->n_blocks && !util_env_switch("PVMLAB_JIT_ALL_GAS_CHECKS")) {
        if (!(unchecked = util_alloc_large(d->n_blocks))) g.oom = true;
        g.unchecked = unchecked;
        /* PVMLAB_JIT_NO_DEFER: an A/B switch, every entry charges its own cost (gas_checks.c) */
        if (!util_env_switch("PVMLAB_JIT_NO_DEFER")) {
            charge = malloc((size_t)d->n_blocks * sizeof *charge);
            pay = malloc((size_t)d->n_blocks * sizeof *pay);
            owed = malloc((size_t)d->n_blocks * sizeof *owed);
            if (!charge || !pay || !owed) /* exact without: only slower */
                free(charge), free(pay), free(owed), charge = NULL, pay = NULL, owed = NULL;
        }
    }
    uint32_t split = chunk_split(d);
    /* Two chunks on two threads: the second makes the plan meanwhile (run_helper). */
    helper h = {.d = d, .block_cost = m->block_cost, .unchecked = unchecked, .charge = charge, .pay = pay, .owed = owed};
    pthread_t thread;
    bool threaded = split && !g.oom && !one_thread_requested() && pthread_mutex_init(&h.lock, NULL) == 0;
    if (threaded && pthread_cond_init(&h.wake, NULL) != 0) {
        pthread_mutex_destroy(&h.lock);
        threaded = false;
    }
    if (threaded && pthread_create(&thread, NULL, run_helper, &h) != 0) {
        pthread_cond_destroy(&h.wake);
        pthread_mutex_destroy(&h.lock);
        threaded = false;
    }
    for (int op = 0; op < PVM_OP_COUNT; op++) g.access[op] = pvm_op_mem_access((pvm_op)op);
    const jit_group_filter *filter = jit_group_filter_get(g.narrow);
    memcpy(g.route, filter->route, sizeof g.route);
    g.group_next = filter->next;
    bool plain = util_env_switch("PVMLAB_JIT_PLAIN");
    g.bmi1 = !plain && __builtin_cpu_supports("bmi");
    g.bmi2 = !plain && __builtin_cpu_supports("bmi2");
    /* PVMLAB_JIT_NO_GS: an A/B switch for measuring the gs:[] operands */
    g.gs_mem = !plain && !util_env_switch("PVMLAB_JIT_NO_GS") && jit_gs_usable();
    cg_mem_encodings(&g); /* after gs_mem: the encodings are of gs:[] operands */
    /* With the GS base as the guest window nothing reads r13: the gas counter lives there. */
    g.gas_reg = g.gs_mem ? R13 : -1;
    if (!threaded && unchecked) g.gas_bias = jit_gas_checks_plan(d, m->block_cost, unchecked);
    if (!threaded && unchecked && charge) jit_gas_owed_plan(d, m->block_cost, unchecked, charge, pay, owed);
    if (g.gas_reg >= 0 && charge) g.gas_charge = charge, g.gas_pay = pay; /* the frame slot's path pays with `sub`s: none */
    /* PVMLAB_JIT_NO_UNROLL: an A/B switch, self-loops checked at every iteration (self_loops.c) */
    g.unroll = g.gas != PVM_GAS_NONE && g.gas_reg >= 0 && !util_env_switch("PVMLAB_JIT_NO_UNROLL");
    g.no_select = util_env_switch("PVMLAB_JIT_NO_SELECT");
    /* PVMLAB_JIT_NO_DISPATCH_COPIES: an A/B switch, every jump a jmp (dispatch_copies.c) */
    g.dispatch_copies = !util_env_switch("PVMLAB_JIT_NO_DISPATCH_COPIES");
    /* PVMLAB_JIT_NO_STRIDED_LOOPS: an A/B switch, strided element loops as any other block (emit_strided_loop) */
    g.strided_loops = !util_env_switch("PVMLAB_JIT_NO_STRIDED_LOOPS");
    jit_code mem;
    if ((st = jit_code_reserve(code_bound(d, split), &mem, err))) {
        if (threaded) helper_stop(&h, thread, second);
        util_free_large(unchecked, d->n_blocks);
        free(charge), free(pay), free(owed);
        return st;
    }
    g.b = (x64_buf){.p = mem.rw, .cap = split ? second_region(split) : mem.size, .fixed = true};
    g.code = mem.rx;
    g.table_abs = !plain && (uintptr_t)mem.rx + mem.size <= (uintptr_t)INT32_MAX;
    g.entry_off = util_alloc_large((d->n_instrs + 1) * sizeof *g.entry_off);
    g.instr_off = util_alloc_large((d->n_instrs + 1) * sizeof *g.instr_off);
    if (split) { /* not allocated on first use by two threads; each zeroes its part on first use */
        g.inner = util_alloc_large(d->n_instrs);
        g.byte_regs = util_alloc_large((size_t)d->n_instrs * sizeof *g.byte_regs);
    }
    if (!g.entry_off || !g.instr_off || (split && (!g.inner || !g.byte_regs)) || !chunk_lists(&g, split ? split : d->n_instrs)) g.oom = true;
    if (!g.oom) emit_entry(&g);
    /* chunk 0 from here, chunk 1 (if any) from the second region, with the same settings */
    g.first = 0, g.end = split ? split : d->n_instrs;
    chunk c[2] = {{.g = g, .first = 0, .end = split ? split : d->n_instrs}};
    uint32_t n_chunks = split ? 2 : 1;
    if (split) {
        c[1] = (chunk){.g = g, .first = split, .end = d->n_instrs};
        c[1].g.first = split, c[1].g.end = d->n_instrs;
        c[1].g.b = (x64_buf){.p = mem.rw, .len = second_region(split), .cap = mem.size, .fixed = true};
        c[1].g.fx = NULL, c[1].g.st = NULL, c[1].g.nfx = c[1].g.nst = 0;
        c[1].g.lane = 1; /* its lists are the second thread's (vm/util/large_alloc.h) */
        if (!chunk_lists(&c[1].g, d->n_instrs - split)) c[1].g.oom = true;
    }
    for (uint32_t k = 0; k < n_chunks && mem.slot < 0; k++) {
        size_t expected = ((size_t)(c[k].end - c[k].first) * EXPECTED_INSTR_BYTES + 8192) & ~(size_t)4095;
        if (expected > 256 * 1024) c[k].prefault = expected < c[k].g.b.cap - c[k].g.b.len ? expected : c[k].g.b.cap - c[k].g.b.len;
    }
    if (threaded) { /* the plan first: both chunks read it; meanwhile both chunks' pages */
        prefault_chunk(&c[0]);
        prefault_chunk(&c[1]);
        pthread_mutex_lock(&h.lock);
        while (!h.planned) pthread_cond_wait(&h.wake, &h.lock);
        c[0].g.gas_bias = c[1].g.gas_bias = h.bias;
        h.c = &c[1];
        h.run = !g.oom && !c[1].g.oom;
        h.go = true;
        pthread_cond_broadcast(&h.wake);
        pthread_mutex_unlock(&h.lock);
    }
    if (!c[0].g.oom) emit_chunk(&c[0]);
    if (threaded) {
        helper_stop(&h, thread, second);
    } else if (split && !c[0].g.oom && !c[1].g.oom) {
        emit_chunk(&c[1]);
    }
    cg *last = &c[n_chunks - 1].g;
    bool oom = false, unsupported = false;
    for (uint32_t k = 0; k < n_chunks; k++) {
        oom |= c[k].g.oom || c[k].g.b.oom;
        unsupported |= c[k].g.unsupported;
    }
    uint32_t table = oom || unsupported ? 0 : emit_jump_table(last);
    oom |= last->b.oom;
    cg *head = &c[0].g; /* owns the shared tables; the second chunk only its fixups and stubs */
    if (unsupported || oom) {
        util_free_large(unchecked, d->n_blocks);
        free(charge), free(pay), free(owed);
        jit_code_release(&mem);
        free_chunk_lists(&c[1]);
        cg_free(head);
        return unsupported ? pvm_fail(err, PVM_ERR_UNSUPPORTED, "recompiler: an instruction has no x86-64 translation")
                           : pvm_fail(err, PVM_ERR_NO_MEMORY, "recompiler: out of memory");
    }
    for (uint32_t k = 0; k < n_chunks; k++) resolve_fixups(&c[k].g, &mem, table);
    if (split) { /* (one chunk: allocated on first use, in head) */
        shared_table_done(&head->inner, 1, c, d->n_instrs, c[0].g.inner_zeroed, c[1].g.inner_zeroed);
        shared_table_done((uint8_t **)&head->byte_regs, sizeof *head->byte_regs, c, d->n_instrs, c[0].g.byte_regs_zeroed,
                          c[1].g.byte_regs_zeroed);
    }
    jit_module *jm = calloc(1, sizeof *jm);
    if (jm && !merge_copy_maps(jm, c, n_chunks)) free(jm), jm = NULL;
    free_chunk_lists(&c[1]);
    uint32_t body_end = last->body_end;
    size_t used = last->b.len;
    /* what a released mapping must clear (code_memory.c) */
    mem.written[0][1] = c[0].g.b.len;
    if (split) mem.written[1][0] = second_region(split), mem.written[1][1] = used;
    if (!jm || (st = jit_code_seal(&mem, used, err))) {
        util_free_large(unchecked, d->n_blocks);
        free(charge), free(pay), free(owed);
        if (jm) free(jm->copy_map);
        free(jm);
        jit_code_release(&mem);
        cg_free(head);
        return st ? st : pvm_fail(err, PVM_ERR_NO_MEMORY, "recompiler: out of memory");
    }
    dump_code(head, mem.rx, body_end, split ? head->b.len : 0, split ? second_region(split) : 0);
    util_free_large(unchecked, d->n_blocks);
    free(charge), free(pay);
    jm->gas_owed = head->gas_charge ? owed : NULL; /* jit_gas_bias_at */
    if (!head->gas_charge) free(owed);
    jm->mem = mem;
    jm->code = mem.rx;
    jm->body_end = body_end;
    jm->exit_off = head->exit_off;
    jm->instr_off = head->instr_off;
    jm->inner = head->inner;
    head->inner = NULL;
    jm->byte_regs = head->byte_regs;
    head->byte_regs = NULL;
    jm->n_instrs = d->n_instrs;
    for (uint32_t k = 0; k < n_chunks; k++) jm->n_strided += c[k].g.n_strided;
    jm->narrow = head->narrow;
    jm->gs_mem = head->gs_mem;
    jm->gas_in_r13 = head->gas_reg == R13;
    jm->gas_bias = head->gas_bias;
    memcpy(jm->access, head->access, sizeof jm->access);
    jm->entry = (jit_entry_fn)(void *)mem.rx;
    head->instr_off = NULL;
    cg_free(head);
    m->jit = jm;
    return PVM_OK;
}
