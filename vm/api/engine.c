/* Engine and module cache: compile bytes once per cache id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>
#include "vm/state/vm_state.h"
#include "vm/api/snapshots.h"
#include "vm/util/error.h"
#include "vm/util/hash.h"
#include "vm/util/clock.h"
#include "vm/util/thread_usage.h"
#include "vm/util/grow.h"
#include "vm/util/large_alloc.h"
#include "vm/gas/block_costs_parallel.h"

bool pvm_backend_available(pvm_backend b)
{
#ifdef PVM_HAVE_JIT
    if (b == PVM_BACKEND_JIT) return true;
#endif
    return b == PVM_BACKEND_INTERP;
}

pvm_status pvm_engine_new(const pvm_engine_config *cfg, pvm_engine **out, pvm_error *err)
{
    if (!cfg || !out) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "engine: NULL config or output");
    if (cfg->backend != PVM_BACKEND_INTERP && cfg->backend != PVM_BACKEND_JIT)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "engine: unknown backend %d", (int)cfg->backend);
    if (!pvm_backend_available(cfg->backend))
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "engine: the recompiler is not built for this host");
    if (cfg->gas_mode != PVM_GAS_NONE && cfg->gas_mode != PVM_GAS_SYNC && cfg->gas_mode != PVM_GAS_ASYNC)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "engine: unknown gas mode %d", (int)cfg->gas_mode);
    pvm_engine *e = calloc(1, sizeof *e);
    if (!e) return pvm_fail(err, PVM_ERR_NO_MEMORY, "engine: out of memory");
    e->cfg = *cfg;
    *out = e;
    return PVM_OK;
}

void pvm_engine_set_copy_memory_image(pvm_engine *e, bool copy) { e->copy_memory_image = copy; }
void pvm_engine_set_interp_bounds_checks(pvm_engine *e, bool on) { e->interp_bounds_checks = on; }
void pvm_engine_set_fault_handler_once(pvm_engine *e, bool once) { e->fault_handler_once = once; }

static void module_destroy(pvm_module *m)
{
#ifdef PVM_HAVE_JIT
    if (m->jit) pvm_jit_free(m);
#endif
    pvm_snapshot_put(m->engine, m->snapshot);
    pvm_module_interp_free(m);
    pvm_decoded_free(&m->dec);
    pthread_mutex_destroy(&m->interp_lock);
    pvm_program_free(&m->prog);
    util_free_large(m->block_cost, (m->dec.n_blocks ? m->dec.n_blocks : 1) * sizeof(uint32_t));
    if (!m->bytes_borrowed) util_free_large(m->bytes, m->len);
    free(m->args);
    if (m->id != m->derived_id) free(m->id);
    free(m);
}

void pvm_engine_free(pvm_engine *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->n_modules; i++) module_destroy(e->modules[i]);
    for (unsigned i = 0; i < e->n_pool; i++) pvm_memory_destroy(&e->pool[i]);
    e->n_pool = 0;
    pvm_snapshots_free(e);
    free(e->modules);
    free(e);
}

/* 64-bit on purpose: a 32-bit size near 2^32 rounds up to 2^32, which must not wrap to 0. */
static uint64_t align_up(uint64_t x, uint32_t a) { return (x + a - 1) / a * a; }

/* Memory map of instances, from the program's format. */
static pvm_status compute_layout(pvm_module *m, pvm_error *err)
{
    pvm_layout *L = &m->layout;
    const pvm_program *p = &m->prog;
    memset(L, 0, sizeof *L);
    if (p->format == PVM_FORMAT_GP_STANDARD) {
        const uint32_t Z = 0x10000, I = 1u << 24, P = 4096;
        L->ro_addr = Z;
        L->ro_len = (uint32_t)align_up(p->ro_size, P);
        L->rw_addr = (uint32_t)(2 * Z + align_up(p->ro_size, Z));
        L->rw_len = (uint32_t)(align_up(p->rw_size, P) + p->heap_pages * P);
        L->stack_len = (uint32_t)align_up(p->stack_size, P);
        L->stack_addr = (uint32_t)((1ull << 32) - 2 * Z - I - L->stack_len);
        L->args_addr = (uint32_t)((1ull << 32) - Z - I);
        L->args_len = (uint32_t)align_up(m->args_len, P);
        L->heap_base = L->rw_addr + L->rw_len;
        L->heap_limit = L->stack_addr - Z;
        L->init_regs[0] = PVM_ADDR_HALT;
        L->init_regs[1] = 0xFEFE0000u;
        L->init_regs[7] = L->args_addr;
        L->init_regs[8] = m->args_len;
    } else if (p->format == PVM_FORMAT_POLKAVM) {
        const uint32_t P = m->page_size, G = 0x10000;
        if (m->aux_size > 0xFFFF0000u - G)
            return pvm_fail(err, PVM_ERR_BAD_PROGRAM, "aux size %u does not fit in 4 GiB", m->aux_size);
        uint64_t ro = align_up(p->ro_size, P), rw = align_up(p->rw_size, P), st = align_up(p->stack_size, P);
        uint64_t rw_addr = G + (uint64_t)align_up(p->ro_size, G) + G;
        /* PolkaVM: aux at 0xFFFF0000 - A(aux), the stack top 64 KiB below it. */
        uint64_t aux_addr = 0xFFFF0000u - (uint64_t)align_up(m->aux_size, G);
        uint64_t stack_high = aux_addr - G;
        L->aux_addr = m->aux_size ? (uint32_t)aux_addr : 0;
        L->aux_len = m->aux_size ? (uint32_t)align_up(m->aux_size, P) : 0;
        if (st > stack_high || rw_addr + rw + G > stack_high - st)
            return pvm_fail(err, PVM_ERR_BAD_PROGRAM, "memory config does not fit in 4 GiB");
        L->ro_addr = G;
        L->ro_len = (uint32_t)ro;
        L->rw_addr = (uint32_t)rw_addr;
        L->rw_len = (uint32_t)rw;
        L->stack_addr = (uint32_t)(stack_high - st);
        L->stack_len = (uint32_t)st;
        L->heap_base = (uint32_t)(rw_addr + p->rw_size);
        L->heap_limit = L->stack_addr - G;
        L->init_regs[0] = PVM_ADDR_HALT;
        L->init_regs[1] = stack_high;
    }
    return PVM_OK;
}

/* The calling thread's CPU time since *since, which moves on to now (the next stage's
 * start). Only the clock: its preemptions are counted once over the whole compile
 * (pvm_module_compile), each system call costing ~1 us on the path here. */
static uint64_t stage_usage(uint64_t *since)
{
    uint64_t now = util_thread_cpu_ns(), cpu = now - *since;
    *since = now;
    return cpu;
}

static pvm_status module_build(pvm_engine *e, pvm_module *m, const pvm_module_config *cfg, pvm_error *err)
{
    pvm_module_timings *T = &m->timings;
    uint64_t t0 = util_now_ns();
    pvm_status st = pvm_program_parse(m->bytes, m->len, cfg->format, cfg->isa, &m->prog, err);
    uint64_t t1 = util_now_ns();
    uint64_t u = util_thread_cpu_ns(); /* the calling thread's, per stage from here */
    T->parse_ns = t1 - t0;
    if (st) return st;
    st = pvm_decode_program(m->prog.isa, m->prog.code, m->prog.code_len, m->prog.bitmask, m->prog.jump_table,
                            m->prog.jt_len, &m->dec, err);
    if (st) return st;
    /* The GP 0.8 / PolkaVM formats require every jump-table entry to be a block start. */
    if (m->prog.format == PVM_FORMAT_POLKAVM || m->prog.isa == PVM_ISA_JAMV1)
        for (uint32_t i = 0; i < m->dec.jt_len; i++)
            if (m->dec.jump_table_index[i] == PVM_NO_INDEX)
                return pvm_fail(err, PVM_ERR_BAD_PROGRAM, "jump table entry %u (pc %u) is not a basic-block start", i,
                                m->dec.jump_table[i]);
    st = compute_layout(m, err);
    if (st) return st;
    if (!m->dec.is_64bit) /* 32-bit programs keep registers sign-extended from bit 31 (as pvm_instance_set_reg) */
        for (int r = 0; r < PVM_REG_COUNT; r++)
            m->layout.init_regs[r] = (uint64_t)(int64_t)(int32_t)(uint32_t)m->layout.init_regs[r];
    uint64_t t2 = util_now_ns();
    T->decode_ns = t2 - t1;
    T->decode_cpu_ns[0] = stage_usage(&u);
    T->decode_cpu_ns[1] = m->dec.second_thread.cpu_ns;
    T->preemptions += m->dec.second_thread.preempted;
    m->block_cost = util_alloc_large((m->dec.n_blocks ? m->dec.n_blocks : 1) * sizeof(uint32_t));
    if (!m->block_cost) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for block costs");
    util_thread_usage second =
        pvm_gas_compute_block_costs_parallel(e->cfg.cost_model, &m->dec, !cfg->fresh_block_costs, m->block_cost);
    uint64_t t_costs = util_now_ns();
    T->gas_ns = t_costs - t2;
    T->gas_cpu_ns[0] = stage_usage(&u);
    T->gas_cpu_ns[1] = second.cpu_ns;
    T->preemptions += second.preempted;
#ifdef PVM_HAVE_JIT
    if (e->cfg.backend == PVM_BACKEND_JIT) {
        second = (util_thread_usage){0};
        st = pvm_jit_compile(m, &second, err); /* large programs: on two threads */
        m->compile_ns = T->backend_ns = util_now_ns() - t_costs;
        T->backend_cpu_ns[0] = stage_usage(&u);
        T->backend_cpu_ns[1] = second.cpu_ns;
        T->preemptions += second.preempted;
        return st;
    }
#endif
    if (e->cfg.backend == PVM_BACKEND_INTERP) { /* the interpreter's compile step reads the block costs; */
        st = pvm_module_interp_ready(m, err);  /* it counts as decoding, as before it did */
        if (st) return st;
        T->decode_ns += util_now_ns() - t_costs;
        T->decode_cpu_ns[0] += stage_usage(&u);
        T->decode_cpu_ns[1] += m->interp_second.cpu_ns;
        T->preemptions += m->interp_second.preempted;
    }
    return PVM_OK;
}

/* Same bytes and the same config: the only case in which a cached module may be reused. */
static bool module_matches(const pvm_module *m, const uint8_t *bytes, size_t len, const pvm_module_config *cfg,
                           uint32_t page)
{
    return m->len == len && (!len || memcmp(m->bytes, bytes, len) == 0) && m->cfg_format == cfg->format &&
           m->cfg_isa == cfg->isa && m->page_size == page && m->aux_size == cfg->aux_size &&
           m->args_len == cfg->args_len && (!cfg->args_len || memcmp(m->args, cfg->args, cfg->args_len) == 0);
}

/* Derived ids are named on first use (resolve_id), under this lock. */
static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;

/* The module with this id among those already named (caller holds id_lock). */
static pvm_module *find_named(pvm_engine *e, const char *id, const pvm_module *except)
{
    for (size_t i = 0; i < e->n_modules; i++)
        if (e->modules[i] != except && e->modules[i]->id && strcmp(e->modules[i]->id, id) == 0) return e->modules[i];
    return NULL;
}

/* The id of a module compiled without one: "m-" and the hash of its bytes and
 * config (XXH3 over the blob; FNV-1a byte by byte cost more than decoding a large
 * program), with -2, -3, ... when another module already has that name (a
 * collision, or a caller's id that happens to be it). Computed when first asked
 * for, not at compile time: the blob of a large program is mostly data (13 MiB
 * of 14 in the large guest) and hashing it all cost as much as decoding it, while
 * a compile without an id needs no name (the cache compares bytes, see
 * pvm_module_compile). Caller holds id_lock. */
static const char *resolve_id(pvm_module *m)
{
    if (m->id) return m->id;
    uint64_t h = XXH3_64bits_withSeed(m->bytes, m->len, 0x70766d6c6162ull);
    const uint32_t conf[6] = {(uint32_t)m->cfg_format, (uint32_t)m->cfg_isa, m->page_size,
                              (uint32_t)m->engine->cfg.gas_mode, m->args_len, m->aux_size};
    h = pvm_hash64(conf, sizeof conf, h);
    if (m->args_len) h = pvm_hash64(m->args, m->args_len, h);
    snprintf(m->derived_id, sizeof m->derived_id, "m-%016llx", (unsigned long long)h);
    for (unsigned n = 2; find_named(m->engine, m->derived_id, m); n++)
        snprintf(m->derived_id, sizeof m->derived_id, "m-%016llx-%u", (unsigned long long)h, n);
    return m->id = m->derived_id;
}

/* The module with this id (every derived id named first; caller holds id_lock). */
static pvm_module *find_module(pvm_engine *e, const char *id)
{
    for (size_t i = 0; i < e->n_modules; i++) resolve_id(e->modules[i]);
    return find_named(e, id, NULL);
}

/* What a compile without a cache id compares first: XXH3 over the blob except
 * the contents of its ro and rw data (most of a large program's bytes; their
 * sizes are in the section headers, which are hashed). Only a filter: a module
 * is reused when all its bytes and its config are equal (module_matches). A
 * blob that does not parse is hashed whole (its compile fails anyway). */
static uint64_t quick_hash(const uint8_t *bytes, size_t len, const pvm_module_config *cfg)
{
    const uint64_t seed = 0x70766d6c6162ull;
    pvm_program p;
    if (pvm_program_parse(bytes, len, cfg->format, cfg->isa, &p, NULL) != PVM_OK)
        return XXH3_64bits_withSeed(bytes, len, seed);
    /* the data ranges inside bytes, in order */
    size_t at[2][2] = {{0, 0}, {0, 0}};
    size_t n = 0;
    const uint8_t *data[2] = {p.ro_data, p.rw_data};
    uint32_t data_len[2] = {p.ro_data_len, p.rw_data_len};
    for (int k = 0; k < 2; k++) /* only data lying in bytes (as every format has it) is skipped */
        if (data_len[k] && (uintptr_t)data[k] >= (uintptr_t)bytes &&
            (uintptr_t)data[k] - (uintptr_t)bytes <= len - data_len[k] && data_len[k] <= len)
            at[n][0] = (size_t)(data[k] - bytes), at[n][1] = at[n][0] + data_len[k], n++;
    pvm_program_free(&p);
    if (n == 2 && at[1][0] < at[0][0]) {
        size_t t0 = at[0][0], t1 = at[0][1];
        at[0][0] = at[1][0], at[0][1] = at[1][1], at[1][0] = t0, at[1][1] = t1;
    }
    XXH3_state_t *st = XXH3_createState();
    if (!st || (n == 2 && at[1][0] < at[0][1])) { /* out of memory, or overlapping data (not a real layout) */
        XXH3_freeState(st);
        return XXH3_64bits_withSeed(bytes, len, seed);
    }
    XXH3_64bits_reset_withSeed(st, seed);
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        XXH3_64bits_update(st, bytes + from, at[i][0] - from);
        uint64_t skipped = at[i][1] - at[i][0];
        XXH3_64bits_update(st, &skipped, sizeof skipped);
        from = at[i][1];
    }
    XXH3_64bits_update(st, bytes + from, len - from);
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

/* A derived module's quick hash, computed when a later compile first compares
 * against it: a compile with no module to compare against hashes nothing (the
 * hash read a large program's code cold, on the compile's one-thread path). */
static uint64_t module_quick_hash(pvm_module *c)
{
    if (!c->quick_known) {
        const pvm_module_config cfg = {.format = c->cfg_format, .isa = c->cfg_isa};
        c->quick_hash = quick_hash(c->bytes, c->len, &cfg);
        c->quick_known = true;
    }
    return c->quick_hash;
}

pvm_status pvm_module_compile(pvm_engine *e, const uint8_t *bytes, size_t len, const pvm_module_config *cfg,
                              const char *cache_id, pvm_module **out, pvm_error *err)
{
    if (!e || !out || (!bytes && len)) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "compile: NULL argument");
    pvm_module_config defaults = {.format = PVM_FORMAT_AUTO, .isa = PVM_ISA_GP07, .page_size = 4096};
    if (!cfg) cfg = &defaults;
    uint32_t page = cfg->page_size ? cfg->page_size : 4096;
    if (page != 4096 && page != 16384)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "compile: page size %u (use 4096 or 16384)", page);
    uint64_t t_start = util_now_ns();
    util_thread_usage start = util_thread_usage_now();
    uint64_t quick = 0;
    bool quick_known = false;
    if (!cache_id) { /* the same bytes and config compiled without an id before: that module */
        for (size_t i = 0; i < e->n_modules; i++) {
            pvm_module *c = e->modules[i];
            if (!c->derived) continue;
            if (!quick_known) quick = quick_hash(bytes, len, cfg), quick_known = true;
            if (module_quick_hash(c) == quick && module_matches(c, bytes, len, cfg, page)) {
                c->refs++;
                *out = c;
                return PVM_OK;
            }
        }
    }
    pthread_mutex_lock(&id_lock);
    pvm_module *cached = cache_id ? find_module(e, cache_id) : NULL;
    pthread_mutex_unlock(&id_lock);
    if (cached) {
        if (!module_matches(cached, bytes, len, cfg, page))
            return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT,
                            "compile: cache id '%.64s' is already used by a different program or config", cache_id);
        cached->refs++;
        *out = cached;
        return PVM_OK;
    }
    if (UTIL_GROW(e->modules, e->cap_modules, e->n_modules + 1, 8) != 0)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "compile: out of memory");
    pvm_module *m = calloc(1, sizeof *m);
    if (!m) return pvm_fail(err, PVM_ERR_NO_MEMORY, "compile: out of memory");
    m->engine = e;
    m->refs = 1;
    pthread_mutex_init(&m->interp_lock, NULL);
    m->page_size = page;
    m->aux_size = cfg->aux_size;
    m->cfg_format = cfg->format;
    m->cfg_isa = cfg->isa;
    m->derived = !cache_id;
    m->quick_hash = quick;
    m->quick_known = quick_known;
    m->id = cache_id ? strdup(cache_id) : NULL; /* derived: named when first asked for (resolve_id) */
    m->bytes_borrowed = cfg->borrow_bytes;
    /* a large program with its data: a few faults, not one per page */
    m->bytes = cfg->borrow_bytes ? (uint8_t *)(uintptr_t)bytes : util_alloc_large(len);
    m->len = len;
    if (cfg->args_len) {
        m->args = malloc(cfg->args_len);
        if (m->args) memcpy(m->args, cfg->args, cfg->args_len);
        m->args_len = cfg->args_len;
    }
    if ((cache_id && !m->id) || (!m->bytes && len) || (cfg->args_len && !m->args)) {
        module_destroy(m);
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "compile: out of memory");
    }
    if (len && !m->bytes_borrowed) memcpy(m->bytes, bytes, len);
    pvm_status st = module_build(e, m, cfg, err);
    m->timings.total_ns = util_now_ns() - t_start;
    util_thread_usage own = util_thread_usage_since(&start);
    pvm_module_timings *T = &m->timings; /* the second threads' parts are in already */
    T->cpu_ns = own.cpu_ns + T->decode_cpu_ns[1] + T->gas_cpu_ns[1] + T->backend_cpu_ns[1];
    T->preemptions += own.preempted;
    if (st) {
        module_destroy(m);
        return st;
    }
    e->modules[e->n_modules++] = m;
    *out = m;
    return PVM_OK;
}

pvm_status pvm_module_lookup(pvm_engine *e, const char *cache_id, pvm_module **out, pvm_error *err)
{
    if (!e || !cache_id || !out) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "lookup: NULL argument");
    pthread_mutex_lock(&id_lock);
    pvm_module *m = find_module(e, cache_id);
    pthread_mutex_unlock(&id_lock);
    if (m) {
        m->refs++;
        *out = m;
        return PVM_OK;
    }
    return pvm_fail(err, PVM_ERR_NOT_FOUND, "lookup: no module with id '%s'", cache_id);
}

void pvm_module_release(pvm_module *m)
{
    if (!m || --m->refs > 0) return;
    pvm_engine *e = m->engine;
    /* Its snapshot stays for the next module with the same data, or is evicted here
     * (pooled windows let go of it first: snapshots.h), not inside an instantiation. */
    for (size_t i = 0; i < e->n_modules; i++)
        if (e->modules[i] == m) {
            e->modules[i] = e->modules[--e->n_modules];
            break;
        }
    module_destroy(m);
}

const char *pvm_module_id(const pvm_module *m)
{
    pthread_mutex_lock(&id_lock);
    const char *id = resolve_id((pvm_module *)m); /* naming is not a change the caller can see */
    pthread_mutex_unlock(&id_lock);
    return id;
}
pvm_isa pvm_module_isa(const pvm_module *m) { return m->prog.isa; }
uint32_t pvm_module_code_size(const pvm_module *m) { return m->prog.code_len; }
uint32_t pvm_module_instruction_count(const pvm_module *m) { return m->dec.n_instrs; }
uint32_t pvm_module_block_count(const pvm_module *m) { return m->dec.n_blocks; }
size_t pvm_module_export_count(const pvm_module *m) { return m->prog.n_exports; }
pvm_module_timings pvm_module_compile_timings(const pvm_module *m) { return m->timings; }
size_t pvm_module_import_count(const pvm_module *m) { return m->prog.n_imports; }

const char *pvm_module_import_name(const pvm_module *m, size_t i)
{
    return i < m->prog.n_imports ? m->prog.imports[i] : NULL;
}

pvm_status pvm_module_find_import(const pvm_module *m, const char *name, uint32_t *index, pvm_error *err)
{
    char safe[96];
    for (uint32_t i = 0; name && i < m->prog.n_imports; i++)
        if (strcmp(m->prog.imports[i], name) == 0) {
            *index = i;
            return PVM_OK;
        }
    return pvm_fail(err, PVM_ERR_NOT_FOUND, "no import named '%s'", pvm_sanitize_name(name ? name : "", safe, sizeof safe));
}

const char *pvm_module_export_name(const pvm_module *m, size_t i, uint32_t *pc)
{
    if (i >= m->prog.n_exports) return NULL;
    if (pc) *pc = m->prog.exports[i].pc;
    return m->prog.exports[i].name;
}

pvm_status pvm_module_find_export(const pvm_module *m, const char *name, uint32_t *pc, pvm_error *err)
{
    for (uint32_t i = 0; i < m->prog.n_exports; i++)
        if (strcmp(m->prog.exports[i].name, name) == 0) {
            *pc = m->prog.exports[i].pc;
            return PVM_OK;
        }
    char safe[96];
    return pvm_fail(err, PVM_ERR_NOT_FOUND, "no export named '%s'", pvm_sanitize_name(name, safe, sizeof safe));
}

pvm_status pvm_module_block_cost(const pvm_module *m, uint32_t pc, int64_t *cost, pvm_error *err)
{
    uint32_t i = pvm_decoded_index(&m->dec, pc);
    if (i == PVM_NO_INDEX) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "no instruction at pc %u", pc);
    *cost = m->block_cost[m->dec.instrs[i].block];
    return PVM_OK;
}

const char *pvm_exit_name(pvm_exit_kind k)
{
    static const char *names[] = {"halt", "panic", "page-fault", "out-of-gas", "ecalli"};
    return (unsigned)k < 5 ? names[k] : "?";
}

const char *pvm_status_name(pvm_status s)
{
    static const char *names[] = {"ok", "invalid argument", "bad program", "out of memory", "not found",
                                  "out of bounds", "bad state", "unsupported", "i/o error"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}
