/* Instances: registers, gas, memory; the run entry point for both backends. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vm/state/vm_state.h"
#include "vm/isa/isa.h"
#include "vm/memory/lazy.h"
#include "vm/api/snapshots.h"
#include "vm/util/error.h"

static pvm_status map_and_fill(pvm_instance *in, uint32_t addr, uint32_t len, pvm_access acc, const uint8_t *data,
                               uint32_t data_len, pvm_error *err)
{
    if (!len) return PVM_OK;
    if (in->mem.lazy) return pvm_lazy_map(&in->mem, addr, len, acc, data, data_len, err);
    pvm_status st = pvm_memory_map(&in->mem, addr, len, acc, err);
    if (st == PVM_OK && data_len) st = pvm_memory_write(&in->mem, addr, data, data_len < len ? data_len : len, err);
    return st;
}

enum { LAYOUT_REGIONS = 5 };

/* The layout's regions as an instance from the snapshot maps them: the data regions
 * (ro, rw, args, one after another in the file) from the snapshot, the stack and aux
 * anonymous. The snapshot's access table holds exactly their entries. */
static void layout_regions(const pvm_layout *L, pvm_memory_region out[LAYOUT_REGIONS])
{
    out[0] = (pvm_memory_region){L->ro_addr, L->ro_len, PVM_ACCESS_READ, true, 0};
    out[1] = (pvm_memory_region){L->rw_addr, L->rw_len, PVM_ACCESS_WRITE, true, L->ro_len};
    out[2] = (pvm_memory_region){L->stack_addr, L->stack_len, PVM_ACCESS_WRITE, false, 0};
    out[3] = (pvm_memory_region){L->args_addr, L->args_len, PVM_ACCESS_READ, true, (uint64_t)L->ro_len + L->rw_len};
    out[4] = (pvm_memory_region){L->aux_addr, L->aux_len, PVM_ACCESS_READ, false, 0};
}

/* Whether the layout is mapped from the module's copy-on-write snapshot (the engine's
 * one of the same data, or made here, at the first instance that can use one). Lazy and huge pages fill
 * anonymous memory themselves, and an engine may ask for copies. */
static bool use_image(pvm_instance *in)
{
    pvm_module *m = in->module;
    const pvm_layout *L = &m->layout;
    if (in->mem.lazy || in->mem.huge || m->engine->copy_memory_image) return false;
    if ((uint64_t)L->ro_len + L->rw_len + L->args_len == 0) return false;
    if (m->image_state == 0) {
        const pvm_image_part parts[3] = {{L->ro_len, m->prog.ro_data, m->prog.ro_data_len},
                                         {L->rw_len, m->prog.rw_data, m->prog.rw_data_len},
                                         {L->args_len, m->args, m->args_len}};
        pvm_memory_region regions[LAYOUT_REGIONS];
        pvm_image_access access[LAYOUT_REGIONS]; /* the initial access table of the layout */
        layout_regions(L, regions);
        for (int i = 0; i < LAYOUT_REGIONS; i++) access[i] = (pvm_image_access){regions[i].addr, regions[i].len, regions[i].access};
        m->snapshot = pvm_snapshot_get(m->engine, parts, 3, access, LAYOUT_REGIONS);
        m->image_state = m->snapshot ? 1 : -1;
    }
    return m->image_state == 1;
}

/* The layout in a window with nothing mapped (layout_regions), the access table from
 * the snapshot (no entry written). */
static pvm_status map_layout_from_image(pvm_instance *in, pvm_error *err)
{
    const pvm_module *m = in->module;
    pvm_memory_region regions[LAYOUT_REGIONS];
    layout_regions(&m->layout, regions);
    pvm_status st = pvm_memory_map_snapshot(&in->mem, regions, LAYOUT_REGIONS, &m->snapshot->img, err);
    if (st) return st;
    in->layout_from_image = true;
    in->layout_ranges = in->mem.n_ranges;
    return PVM_OK;
}

static pvm_status apply_layout(pvm_instance *in, pvm_error *err)
{
    const pvm_module *m = in->module;
    const pvm_layout *L = &m->layout;
    pvm_status st;
    /* Fast reset: the layout is still mapped from the snapshot; drop what the
     * guest or the host changed (dirty pages, later mappings) and nothing else. */
    bool rewound = in->layout_from_image && use_image(in) && pvm_memory_rewind(&in->mem, in->layout_ranges);
    if (!rewound) {
        /* A new window has nothing to clear. */
        if (in->mem.n_ranges || in->mem.lazy) pvm_memory_clear(&in->mem);
        in->layout_from_image = false;
        if (use_image(in)) {
            if ((st = map_layout_from_image(in, err))) return st;
        } else if ((st = map_and_fill(in, L->ro_addr, L->ro_len, PVM_ACCESS_READ, m->prog.ro_data, m->prog.ro_data_len,
                                      err)) ||
                   (st = map_and_fill(in, L->rw_addr, L->rw_len, PVM_ACCESS_WRITE, m->prog.rw_data,
                                      m->prog.rw_data_len, err)) ||
                   (st = map_and_fill(in, L->stack_addr, L->stack_len, PVM_ACCESS_WRITE, NULL, 0, err)) ||
                   (st = map_and_fill(in, L->args_addr, L->args_len, PVM_ACCESS_READ, m->args, m->args_len, err)) ||
                   (st = map_and_fill(in, L->aux_addr, L->aux_len, PVM_ACCESS_READ, NULL, 0, err))) {
            return st;
        }
    }
    memcpy(in->regs, L->init_regs, sizeof in->regs);
    in->heap_top = L->heap_base;
    in->pc = 0;
    in->gas = 0;
    in->state = PVM_RUN_ENTER;
    memset(&in->stats, 0, sizeof in->stats);
    return PVM_OK;
}

/* A zeroed instance whose register file sits at PVM_INSTANCE_REGS_PAGE_OFFSET in its page
 * (the struct starts inside the first page of a page-aligned block). */
static pvm_instance *instance_alloc(void)
{
    size_t pad = (PVM_INSTANCE_REGS_PAGE_OFFSET - offsetof(pvm_instance, regs)) % 4096;
    size_t bytes = (pad + sizeof(pvm_instance) + 4095) & ~(size_t)4095;
    uint8_t *page = aligned_alloc(4096, bytes);
    if (!page) return NULL;
    pvm_instance *in = (pvm_instance *)(page + pad);
    memset(in, 0, sizeof *in);
    return in;
}

static void instance_release(pvm_instance *in) { free((void *)((uintptr_t)in & ~(uintptr_t)4095)); }

pvm_status pvm_instance_new(pvm_module *m, pvm_instance **out, pvm_error *err)
{
    if (!m || !out) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "instantiate: NULL argument");
    pvm_instance *in = instance_alloc();
    if (!in) return pvm_fail(err, PVM_ERR_NO_MEMORY, "instantiate: out of memory");
    in->module = m;
    pvm_engine *e = m->engine;
    pvm_status st = PVM_OK;
    if (e->n_pool) in->mem = e->pool[--e->n_pool]; /* a cleared window of a freed instance */
    else st = pvm_memory_init(&in->mem, err);
    in->mem.readonly_store_panics = pvm_isa_readonly_store_panics(m->prog.isa);
    if (st == PVM_OK) st = apply_layout(in, err);
    if (st) {
        pvm_memory_destroy(&in->mem);
        instance_release(in);
        return st;
    }
    m->refs++;
    *out = in;
    return PVM_OK;
}

void pvm_instance_free(pvm_instance *in)
{
    if (!in) return;
#ifdef PVM_HAVE_JIT
    pvm_jit_instance_free(in);
#endif
    pvm_engine *e = in->module->engine;
    if (!in->mem.lazy && !in->mem.huge && e->n_pool < PVM_MEMORY_POOL_MAX) {
        /* The stack stays mapped (zero) for the next layout that has it (memory.h). */
        if (!(in->layout_from_image && pvm_memory_park(&in->mem, in->layout_ranges))) pvm_memory_clear(&in->mem);
        e->pool[e->n_pool++] = in->mem;
    } else {
        pvm_memory_destroy(&in->mem);
    }
    pvm_module_release(in->module);
    free(in->profile_count);
    free(in->profile_ticks);
    instance_release(in);
}

pvm_status pvm_instance_profile_enable(pvm_instance *in, bool on, pvm_error *err)
{
    free(in->profile_count);
    free(in->profile_ticks);
    in->profile_count = in->profile_ticks = NULL;
    if (!on) return PVM_OK;
    if (in->module->engine->cfg.backend != PVM_BACKEND_INTERP)
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "the gas profile needs the interpreter backend");
    size_t n = in->module->dec.n_blocks ? in->module->dec.n_blocks : 1;
    in->profile_count = calloc(n, sizeof(uint64_t));
    in->profile_ticks = calloc(n, sizeof(uint64_t));
    if (!in->profile_count || !in->profile_ticks) {
        pvm_instance_profile_enable(in, false, NULL);
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for the gas profile");
    }
    return PVM_OK;
}

/* The traces run in the interpreter's traced loop: a recompiler instance refuses one
 * being set (what: which trace, for the message). */
static pvm_status trace_needs_interp(const pvm_instance *in, bool setting, const char *what, pvm_error *err)
{
    if (setting && in->module->engine->cfg.backend != PVM_BACKEND_INTERP)
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "the %s trace needs the interpreter backend", what);
    return PVM_OK;
}

pvm_status pvm_instance_set_memory_trace(pvm_instance *in, pvm_memory_trace_fn fn, void *ctx, pvm_error *err)
{
    if (trace_needs_interp(in, fn != NULL, "memory", err)) return PVM_ERR_UNSUPPORTED;
    in->trace_fn = fn;
    in->trace_ctx = fn ? ctx : NULL;
    return PVM_OK;
}

pvm_status pvm_instance_set_branch_trace(pvm_instance *in, pvm_branch_trace_fn fn, void *ctx, pvm_error *err)
{
    if (trace_needs_interp(in, fn != NULL, "branch", err)) return PVM_ERR_UNSUPPORTED;
    in->branch_trace_fn = fn;
    in->branch_trace_ctx = fn ? ctx : NULL;
    return PVM_OK;
}

pvm_status pvm_instance_set_block_trace(pvm_instance *in, pvm_block_trace_fn fn, void *ctx, pvm_error *err)
{
    if (trace_needs_interp(in, fn != NULL, "block", err)) return PVM_ERR_UNSUPPORTED;
    in->block_trace_fn = fn;
    in->block_trace_ctx = fn ? ctx : NULL;
    return PVM_OK;
}

bool pvm_instance_profile_block(const pvm_instance *in, uint32_t block, uint64_t *entries, uint64_t *ticks,
                                uint32_t *pc, uint32_t *cost)
{
    const pvm_decoded *d = &in->module->dec;
    if (!in->profile_count || block >= d->n_blocks) return false;
    *entries = in->profile_count[block];
    *ticks = in->profile_ticks[block];
    *pc = d->instrs[d->blocks[block].first].pc;
    *cost = in->module->block_cost[block];
    return true;
}

pvm_status pvm_instance_reset(pvm_instance *in, pvm_error *err) { return apply_layout(in, err); }

pvm_status pvm_instance_prepare_call(pvm_instance *in, const char *export_name, uint32_t pc, const uint64_t *args,
                                     size_t nargs, pvm_error *err)
{
    if (nargs > 6) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "prepare: %zu arguments (at most 6, a0..a5)", nargs);
    if (export_name) {
        pvm_status st = pvm_module_find_export(in->module, export_name, &pc, err);
        if (st) return st;
    }
    for (size_t i = 0; i < nargs; i++) pvm_instance_set_reg(in, 7 + (unsigned)i, args[i], NULL);
    pvm_instance_set_reg(in, 0, PVM_ADDR_HALT, NULL);
    if (in->module->layout.init_regs[1]) in->regs[1] = in->module->layout.init_regs[1];
    in->pc = pc;
    in->state = PVM_RUN_ENTER;
    return PVM_OK;
}

pvm_status pvm_instance_run(pvm_instance *in, pvm_result *res, pvm_error *err)
{
    if (!in || !res) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "run: NULL argument");
    if (in->state == PVM_RUN_DONE)
        return pvm_fail(err, PVM_ERR_STATE, "run: the instance has finished; prepare a call or set the pc first");
#ifdef PVM_HAVE_JIT
    if (in->module->engine->cfg.backend == PVM_BACKEND_JIT) return pvm_jit_run(in, res, err);
#endif
    pvm_interp_run(in, res);
    return PVM_OK;
}

pvm_status pvm_instance_trap(pvm_instance *in, pvm_result *res, pvm_error *err)
{
    if (!in) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "trap: NULL instance");
    if (in->state != PVM_RUN_RESUME)
        return pvm_fail(err, PVM_ERR_STATE, "trap: the instance is not stopped at a host call or page fault");
    /* in->pc is the ecalli's (or the faulting instruction's) pc: the trap is reported there. */
    in->state = PVM_RUN_DONE;
    if (res) *res = (pvm_result){.kind = PVM_EXIT_PANIC, .pc = in->pc};
    return PVM_OK;
}

uint64_t pvm_instance_reg(const pvm_instance *in, unsigned r)
{
    if (r >= PVM_REG_COUNT) return 0;
    return in->module->dec.is_64bit ? in->regs[r] : (uint32_t)in->regs[r];
}

pvm_status pvm_instance_set_reg(pvm_instance *in, unsigned r, uint64_t v, pvm_error *err)
{
    if (r >= PVM_REG_COUNT) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "register %u (0..12)", r);
    /* 32-bit programs keep registers sign-extended from bit 31. */
    in->regs[r] = in->module->dec.is_64bit ? v : (uint64_t)(int64_t)(int32_t)(uint32_t)v;
    return PVM_OK;
}

uint32_t pvm_instance_pc(const pvm_instance *in) { return in->pc; }

pvm_status pvm_instance_set_pc(pvm_instance *in, uint32_t pc, pvm_error *err)
{
    in->pc = pc;
    in->state = PVM_RUN_ENTER;
    return PVM_OK;
}

int64_t pvm_instance_gas(const pvm_instance *in) { return in->gas; }
void pvm_instance_set_gas(pvm_instance *in, int64_t gas) { in->gas = gas; }

pvm_stats pvm_instance_stats(const pvm_instance *in)
{
    pvm_stats s = in->stats;
    s.counted = in->module->engine->cfg.backend == PVM_BACKEND_INTERP; /* the recompiler does not count */
    s.compile_ns = in->module->compile_ns;
    return s;
}

pvm_status pvm_instance_map(pvm_instance *in, uint32_t addr, uint32_t len, pvm_access access, pvm_error *err)
{
    return pvm_memory_map(&in->mem, addr, len, access, err);
}

pvm_status pvm_instance_read(const pvm_instance *in, uint32_t addr, void *dst, size_t len, pvm_error *err)
{
    return pvm_memory_read(&in->mem, addr, dst, len, err);
}

pvm_status pvm_instance_write(pvm_instance *in, uint32_t addr, const void *src, size_t len, pvm_error *err)
{
    return pvm_memory_write(&in->mem, addr, src, len, err);
}

pvm_access pvm_instance_page_access(const pvm_instance *in, uint32_t addr)
{
    return (pvm_access)in->mem.perm[addr >> PVM_PAGE_SHIFT];
}

pvm_status pvm_instance_set_lazy_pages(pvm_instance *in, const char *backend, pvm_error *err)
{
    pvm_lazy_backend b;
    if (backend && strcmp(backend, "mprotect") == 0) b = PVM_LAZY_MPROTECT;
    else if (backend && strcmp(backend, "userfaultfd") == 0) b = PVM_LAZY_USERFAULTFD;
    else return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "lazy pages: unknown backend '%s' (mprotect or userfaultfd)",
                         backend ? backend : "");
    pvm_status st = pvm_lazy_enable(&in->mem, b, err);
    if (st) return st;
    pvm_host_costs host = pvm_gas_host_costs(in->module->engine->cfg.cost_model);
    pvm_lazy_set_charges(&in->mem, pvm_host_costs_lazy_charges(&host));
    return apply_layout(in, err);
}

pvm_status pvm_instance_set_huge_pages(pvm_instance *in, bool on, pvm_error *err)
{
    pvm_status st = pvm_memory_set_huge_pages(&in->mem, on, err);
    return st ? st : apply_layout(in, err);
}
