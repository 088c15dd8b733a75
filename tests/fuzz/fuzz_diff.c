/* Interpreter vs recompiler on one case (see fuzz_diff.h). */
#include "fuzz_diff.h"
#include "vm/util/clock.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "vm/state/vm_state.h"
#include "vm/memory/lazy.h"

#define MAX_RUNS 64 /* exits per case: deep cases call the host and run out of gas again and again */
#define MAX_COMPARED_PAGES 512

pvm_status fz_runner_init(fz_runner *r, const pvm_cost_model *model, pvm_error *err)
{
    memset(r, 0, sizeof *r);
    r->plant_op = -1;
    for (int b = 0; b < 2; b++)
        for (int g = 0; g < 3; g++) {
            pvm_engine_config cfg = {b ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP, (pvm_gas_mode)g, model};
            pvm_status st = pvm_engine_new(&cfg, &r->engines[b][g], err);
            if (st) {
                fz_runner_free(r);
                return st;
            }
        }
    const char *why;
    r->uffd = pvm_lazy_userfaultfd_available(&why);
    return PVM_OK;
}

void fz_runner_free(fz_runner *r)
{
    for (int b = 0; b < 2; b++)
        for (int g = 0; g < 3; g++) {
            pvm_instance_free(r->instances[b][g]);
            for (int l = 0; l < 2; l++) pvm_instance_free(r->lazy_instances[b][g][l]);
            pvm_engine_free(r->engines[b][g]);
        }
    memset(r, 0, sizeof *r);
}

/* An instance of module m: the runner's instance for m's engine, moved over to m
 * and reset. Creating an instance per program (a fresh 4 GiB reservation and
 * page table) costs far more than the run; libpvm has no public call to move an
 * instance to another module of the same engine, so this reaches into it. */
static pvm_status instance_for(fz_runner *r, int backend, const fz_case *c, pvm_module *m, pvm_error *err)
{
    pvm_gas_mode g = c->gas_mode;
    pvm_instance **slot = c->lazy ? &r->lazy_instances[backend][g][c->lazy - 1] : &r->instances[backend][g];
    if (!*slot) {
        r->mapped[backend][g].valid = false;
        pvm_status st = pvm_instance_new(m, slot, err);
        if (!st && c->lazy) {
            pvm_lazy_backend be = c->lazy == 2 && r->uffd ? PVM_LAZY_USERFAULTFD : PVM_LAZY_MPROTECT;
            st = pvm_lazy_enable(&(*slot)->mem, be, err);
        }
        return st;
    }
    pvm_instance *in = *slot;
    m->refs++;
    pvm_module_release(in->module);
    in->module = m;
    return PVM_OK;
}

static void say(char *why, size_t n, const char *fmt, ...)
{
    if (!why || !n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
}

/* Map and fill the case's pages from scratch. */
static pvm_status map_pages(pvm_instance *in, const fz_case *c, pvm_error *err)
{
    uint8_t page[FZ_MAX_PAGE_BYTES];
    for (uint32_t i = 0; i < c->n_pages; i++) {
        const fz_page *p = &c->pages[i];
        pvm_status st = pvm_instance_map(in, p->addr, p->len, p->access, err);
        if (st) return st;
        fz_page_contents(p, page);
        if ((st = pvm_instance_write(in, p->addr, page, p->len, err))) return st;
    }
    return PVM_OK;
}

/* Same pages as the previous program, and no mapping changed since: put back
 * the initial contents of the writable 4 KiB pages (read-only ones cannot have
 * changed). Each 4 KiB page holds the bytes of the last case page covering it. */
static void restore_pages(pvm_instance *in, const fz_case *c)
{
    uint8_t page[FZ_MAX_PAGE_BYTES];
    uint32_t done[FZ_MAX_PAGES * FZ_MAX_PAGE_BYTES / PVM_PAGE], n_done = 0;
    for (uint32_t i = c->n_pages; i-- > 0;) {
        const fz_page *p = &c->pages[i];
        fz_page_contents(p, page);
        for (uint32_t off = 0; off < p->len; off += PVM_PAGE) {
            uint32_t a = p->addr + off;
            bool seen = false;
            for (uint32_t k = 0; k < n_done && !seen; k++) seen = done[k] == a;
            if (seen) continue;
            done[n_done++] = a;
            if (in->mem.perm[a >> PVM_PAGE_SHIFT] == PVM_ACCESS_WRITE) memcpy(in->mem.base + a, page + off, PVM_PAGE);
        }
    }
}

static pvm_status setup(fz_runner *r, pvm_instance *in, int backend, const fz_case *c, uint32_t entry_pc,
                        pvm_error *err)
{
    fz_mapping *mp = &r->mapped[backend][c->gas_mode];
    if (c->lazy) { /* lazy pages stay zero and untouched until the guest faults them in */
        pvm_status st = pvm_instance_reset(in, err);
        for (uint32_t i = 0; i < c->n_pages && !st; i++)
            st = pvm_instance_map(in, c->pages[i].addr, c->pages[i].len, c->pages[i].access, err);
        if (st) return st;
    } else if (mp->valid && mp->n_pages == c->n_pages && memcmp(mp->pages, c->pages, c->n_pages * sizeof *c->pages) == 0 &&
        mp->n_ranges == in->mem.n_ranges) {
        restore_pages(in, c);
        in->heap_top = in->module->layout.heap_base;
    } else {
        mp->valid = false;
        pvm_status st = pvm_instance_reset(in, err);
        if (!st) st = map_pages(in, c, err);
        if (st) return st;
        mp->valid = true;
        mp->n_pages = c->n_pages;
        memcpy(mp->pages, c->pages, sizeof mp->pages);
        mp->n_ranges = in->mem.n_ranges;
    }
    for (unsigned k = 0; k < PVM_REG_COUNT; k++) pvm_instance_set_reg(in, k, c->regs[k], NULL);
    pvm_instance_set_gas(in, c->gas);
    return pvm_instance_set_pc(in, entry_pc, err);
}

/* Compare results, registers, gas, page permissions and the contents of every mapped page. */
static bool same_state(const pvm_instance *x, const pvm_instance *y, const pvm_result *rx, const pvm_result *ry,
                       char *why, size_t n)
{
    if (rx->kind != ry->kind || rx->pc != ry->pc) {
        say(why, n, "exit: interp %s at pc %u, jit %s at pc %u", pvm_exit_name(rx->kind), rx->pc, pvm_exit_name(ry->kind),
            ry->pc);
        return false;
    }
    if (rx->kind == PVM_EXIT_PAGE_FAULT && rx->fault_address != ry->fault_address) {
        say(why, n, "page fault address: interp 0x%x, jit 0x%x", rx->fault_address, ry->fault_address);
        return false;
    }
    if (rx->kind == PVM_EXIT_ECALLI && rx->ecalli != ry->ecalli) {
        say(why, n, "ecalli id: interp %u, jit %u", rx->ecalli, ry->ecalli);
        return false;
    }
    for (unsigned k = 0; k < PVM_REG_COUNT; k++) /* all 64 bits, also for 32-bit programs (kept sign-extended) */
        if (x->regs[k] != y->regs[k]) {
            say(why, n, "r%u: interp 0x%" PRIx64 ", jit 0x%" PRIx64, k, x->regs[k], y->regs[k]);
            return false;
        }
    if (pvm_instance_gas(x) != pvm_instance_gas(y)) {
        say(why, n, "gas: interp %" PRId64 ", jit %" PRId64, pvm_instance_gas(x), pvm_instance_gas(y));
        return false;
    }
    if (x->state != y->state || (x->state == PVM_RUN_RESUME && x->resume_index != y->resume_index)) {
        say(why, n, "next state: interp %d, jit %d", (int)x->state, (int)y->state);
        return false;
    }
    /* Permissions only change through mappings, which the range lists record. */
    if (x->mem.n_ranges != y->mem.n_ranges ||
        memcmp(x->mem.ranges, y->mem.ranges, x->mem.n_ranges * sizeof *x->mem.ranges) != 0) {
        say(why, n, "mapped ranges differ");
        return false;
    }
    for (size_t i = 0; i < x->mem.n_ranges; i++) {
        pvm_range rg = x->mem.ranges[i];
        for (uint32_t p = rg.start >> PVM_PAGE_SHIFT; p < (rg.start + rg.len) >> PVM_PAGE_SHIFT; p++)
            if (x->mem.perm[p] != y->mem.perm[p]) {
                say(why, n, "access of page 0x%x: interp %d, jit %d", p << PVM_PAGE_SHIFT, x->mem.perm[p], y->mem.perm[p]);
                return false;
            }
    }
    size_t compared = 0;
    for (size_t i = 0; i < x->mem.n_ranges; i++) {
        pvm_range rg = x->mem.ranges[i];
        for (uint64_t a = rg.start; a < (uint64_t)rg.start + rg.len && compared < MAX_COMPARED_PAGES; a += PVM_PAGE) {
            if (!x->mem.perm[a >> PVM_PAGE_SHIFT]) continue;
            compared++;
            if (memcmp(x->mem.base + a, y->mem.base + a, PVM_PAGE) != 0) {
                uint32_t at = (uint32_t)a;
                while (x->mem.base[at] == y->mem.base[at]) at++;
                say(why, n, "memory at 0x%x: interp %02x, jit %02x", at, x->mem.base[at], y->mem.base[at]);
                return false;
            }
        }
    }
    return true;
}

static void host_call(pvm_instance *x, pvm_instance *y, fz_rng *host, uint16_t allowed)
{
    if (fz_below(host, 2)) {
        unsigned k = (unsigned)fz_below(host, PVM_REG_COUNT);
        if (allowed && !(allowed & (1u << k))) return;
        uint64_t v = fz_below(host, 2) ? fz_below(host, 64) : fz_next(host);
        pvm_instance_set_reg(x, k, v, NULL);
        pvm_instance_set_reg(y, k, v, NULL);
    }
}

static bool holds_op(const fz_case *c, int op)
{
    for (uint32_t i = 0; i < c->n_ins; i++)
        if (c->ins[i].op == op) return true;
    return false;
}

fz_outcome fz_run(fz_runner *r, const fz_case *c, char *why, size_t why_len)
{
    uint8_t *blob = NULL;
    size_t len = 0;
    uint32_t *pcs = NULL;
    pvm_error err = {{0}};
    pvm_module *m[2] = {NULL, NULL};
    pvm_instance *in[2] = {NULL, NULL};
    pvm_status st[2];
    fz_outcome out = FZ_SAME;
    if (fz_assemble(c, &blob, &len, &pcs, &err)) {
        say(why, why_len, "assemble: %s", err.msg);
        return FZ_SKIPPED; /* e.g. an op the shrinker left without a valid jump-table entry */
    }
    bool gp = c->isa == PVM_ISA_GP07 || c->isa == PVM_ISA_JAMV1;
    pvm_module_config mc = {.format = gp ? PVM_FORMAT_GP_BLOB : PVM_FORMAT_POLKAVM, .isa = c->isa, .page_size = 4096};
    pvm_error errs[2] = {{{0}}, {{0}}};
    for (int b = 0; b < 2; b++) st[b] = pvm_module_compile(r->engines[b][c->gas_mode], blob, len, &mc, NULL, &m[b], &errs[b]);
    if (st[0] != st[1]) {
        say(why, why_len, "compile: interp %s (%s), jit %s (%s)", pvm_status_name(st[0]), errs[0].msg,
            pvm_status_name(st[1]), errs[1].msg);
        out = FZ_DIVERGED;
        goto done;
    }
    if (st[0]) {
        say(why, why_len, "rejected: %s", errs[0].msg);
        out = FZ_SKIPPED;
        goto done;
    }
    uint32_t entry_pc = c->entry == UINT32_MAX || c->entry >= c->n_ins ? pcs[c->n_ins] + 1 : pcs[c->entry];
    for (int b = 0; b < 2; b++) {
        if (instance_for(r, b, c, m[b], &err) ||
            (in[b] = c->lazy ? r->lazy_instances[b][c->gas_mode][c->lazy - 1] : r->instances[b][c->gas_mode], 0) ||
            setup(r, in[b], b, c, entry_pc, &err)) {
            say(why, why_len, "setup: %s", err.msg);
            out = FZ_ERROR;
            goto done;
        }
    }
    fz_rng host = {.state = c->host_seed};
    uint64_t executed = 0;
    for (int run = 0; run < MAX_RUNS; run++) {
        pvm_result res[2];
        uint64_t before = in[0]->stats.instructions;
        for (int b = 0; b < 2; b++)
            if (pvm_instance_run(in[b], &res[b], &err)) {
                say(why, why_len, "run: %s", err.msg);
                out = FZ_ERROR;
                goto done;
            }
        if (r->plant_op >= 0 && holds_op(c, r->plant_op))
            pvm_instance_set_reg(in[1], 7, pvm_instance_reg(in[1], 7) ^ 1, NULL);
        if (!same_state(in[0], in[1], &res[0], &res[1], why, why_len)) {
            out = FZ_DIVERGED;
            goto done;
        }
        r->exits[res[0].kind]++;
        r->last = res[0];
        r->instructions += in[0]->stats.instructions - before;
        executed += in[0]->stats.instructions - before;
        if (res[0].kind == PVM_EXIT_ECALLI) {
            host_call(in[0], in[1], &host, c->host_regs);
        } else if (res[0].kind == PVM_EXIT_OUT_OF_GAS && c->gas_mode == PVM_GAS_SYNC) {
            int64_t more = (int64_t)fz_below(&host, 200);
            pvm_instance_set_gas(in[0], pvm_instance_gas(in[0]) + more);
            pvm_instance_set_gas(in[1], pvm_instance_gas(in[1]) + more);
        } else if (res[0].kind == PVM_EXIT_PAGE_FAULT && fz_below(&host, 2)) {
            /* The host services the fault (maps the page read-write) and resumes: the faulting
             * instruction runs again and its block is not charged twice, on both backends. */
            for (int b = 0; b < 2; b++)
                if (pvm_instance_map(in[b], res[0].fault_address, 4096, PVM_ACCESS_WRITE, &err)) {
                    say(why, why_len, "map after page fault: %s", err.msg);
                    out = FZ_ERROR;
                    goto done;
                }
        } else {
            break;
        }
    }
    r->final_exits[r->last.kind]++;
    r->cases++;
    r->deep_cases += executed >= FZ_DEEP;
done:
    for (int b = 0; b < 2; b++) pvm_module_release(m[b]); /* the reused instance keeps its module alive */
    free(blob);
    free(pcs);
    return out;
}

/* Without gas metering, deleting a loop's count-down would make the case run
 * forever: such a candidate is first run with a large sync budget, and
 * dropped if it does not end within it. */
#define SHRINK_GAS (20 * 1000 * 1000)

/* t = c with sync metering and SHRINK_GAS; false when out of memory. */
static bool metered_copy(const fz_case *c, fz_case *t)
{
    if (!fz_case_copy(c, t)) return false;
    t->gas_mode = PVM_GAS_SYNC;
    t->gas = SHRINK_GAS;
    return true;
}

static bool still_ends(fz_runner *r, const fz_case *c)
{
    if (c->gas_mode != PVM_GAS_NONE) return true;
    fz_case t;
    if (!metered_copy(c, &t)) return false;
    fz_run(r, &t, NULL, 0);
    fz_case_free(&t);
    return r->last.kind != PVM_EXIT_OUT_OF_GAS;
}

/* A case without metering that also diverges with a large sync budget is shrunk as that
 * sync case: a candidate can then not run forever in a backend that loops where the other
 * ends (the broken rule that made it diverge may well do that), and the reproducer it gives
 * ends on replay. */
static void meter_if_still_diverging(fz_runner *r, fz_case *c)
{
    if (c->gas_mode != PVM_GAS_NONE) return;
    fz_case t;
    if (!metered_copy(c, &t)) return;
    if (fz_run(r, &t, NULL, 0) == FZ_DIVERGED) {
        fz_case_free(c);
        *c = t;
    } else {
        fz_case_free(&t);
    }
}

uint32_t fz_shrink(fz_runner *r, fz_case *c, uint64_t deadline_ns)
{
    meter_if_still_diverging(r, c);
    bool progress = true;
    while (progress && c->n_ins > 1) {
        progress = false;
        for (uint32_t i = c->n_ins; i-- > 0 && c->n_ins > 1;) {
            if (deadline_ns && util_now_ns() >= deadline_ns) return c->n_ins;
            fz_case t;
            if (!fz_case_copy(c, &t)) return 0;
            fz_case_remove(&t, i);
            if (!still_ends(r, &t)) {
                fz_case_free(&t);
                continue;
            }
            if (fz_run(r, &t, NULL, 0) == FZ_DIVERGED) {
                fz_case_free(c);
                *c = t;
                progress = true;
            } else {
                fz_case_free(&t);
            }
        }
    }
    return 0;
}
