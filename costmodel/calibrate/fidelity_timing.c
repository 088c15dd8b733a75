/* Timing one program for fidelity (see fidelity_timing.h). */
#define _POSIX_C_SOURCE 200809L
#include "fidelity_timing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "costmodel/counters/cache_sim.h"
#include "measure.h"
#include "costmodel/microbench/branch_predictability.h"
#include "costmodel/microbench/microbench.h"
#include "vm/util/clock.h"
#include "vm/util/stats.h"

enum { REPETITIONS = 5, CODE_REPETITIONS = 15, PAGE_SHIFT = 12 };
static const int64_t BUDGET = INT64_C(1) << 56;

void fidelity_memory_rule(fidelity_measured *m)
{
    cache_geometry_detect(&m->geometry, NULL);
    const cache_geometry *g = &m->geometry;
    m->memory_threshold_bytes = g->levels >= 2 ? g->level[1].size : UINT64_C(1) << 20;
    char caches[160];
    cache_geometry_describe(g, caches, sizeof caches);
    snprintf(m->memory_rule, sizeof m->memory_rule,
             "memory-bound: more than %.0f L2 misses per 1000 instructions, the run's memory trace through an LRU "
             "model of %.100s (%.40s); data within L2 (%llu KiB): compute-bound",
             FIDELITY_L2_MISSES_PER_KILO_INSTRUCTION, caches, g->source,
             (unsigned long long)(m->memory_threshold_bytes >> 10));
}

/* The branch trace into the predictor model. */
static void observe_branch(void *ctx, uint32_t pc, bool taken)
{
    mb_predictor_observe(ctx, pc, taken);
}

/* The program's call once more on the interpreter, its memory trace through the cache
 * model and its branch trace through the predictor model: the replay counts of p. */
static int replay(const cache_geometry *g, const uint8_t *bytes, size_t len, const char *export_name,
                  const uint64_t *args, size_t nargs, pvmlab_fidelity_program *p, pvm_error *perr)
{
    pvm_engine *engine = NULL;
    pvm_module *module = NULL;
    pvm_instance *in = NULL;
    cache_sim *sim = cache_sim_new(g);
    mb_predictor *predictor = malloc(sizeof *predictor);
    int rc = -1;
    pvm_result r;
    if (!sim || !predictor) {
        snprintf(perr->msg, sizeof perr->msg, "replay: out of memory");
        goto done;
    }
    mb_predictor_init(predictor);
    if (pvm_engine_new(&(pvm_engine_config){.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_NONE}, &engine,
                       perr) != PVM_OK ||
        pvm_module_compile(engine, bytes, len, NULL, NULL, &module, perr) != PVM_OK ||
        pvm_instance_new(module, &in, perr) != PVM_OK ||
        pvm_instance_set_memory_trace(in, cache_sim_trace, sim, perr) != PVM_OK ||
        pvm_instance_set_branch_trace(in, observe_branch, predictor, perr) != PVM_OK ||
        pvm_instance_prepare_call(in, export_name, 0, args, nargs, perr) != PVM_OK ||
        pvm_instance_run(in, &r, perr) != PVM_OK)
        goto done;
    if (r.kind != PVM_EXIT_HALT) {
        snprintf(perr->msg, sizeof perr->msg, "replay ended with %s at pc %u, not a halt", pvm_exit_name(r.kind), r.pc);
        goto done;
    }
    pvm_stats st = pvm_instance_stats(in);
    cache_sim_counts counts = cache_sim_read(sim);
    p->instructions = (pvmlab_maybe_i64){true, (int64_t)st.instructions};
    p->l1_misses = (pvmlab_maybe_i64){true, (int64_t)counts.misses[0]};
    if (g->levels >= 2)
        p->l2_misses = (pvmlab_maybe_i64){true, (int64_t)counts.misses[1]};
    p->branches = (pvmlab_maybe_i64){true, (int64_t)predictor->branches};
    p->mispredicts = (pvmlab_maybe_i64){true, (int64_t)predictor->mispredicts};
    rc = 0;
done:
    pvm_instance_free(in);
    if (module)
        pvm_module_release(module);
    pvm_engine_free(engine);
    cache_sim_free(sim);
    free(predictor);
    return rc;
}

/* One call to completion; *gas = gas used. Its time is the wall time, unless the run was
 * descheduled (wall above 1.05 x thread CPU time + 20 us, calibrate's rule): then its thread
 * CPU time, which holds the run's own work and page faults but not the other processes'. */
static int run_once(pvm_instance *in, const char *export_name, const uint64_t *args, size_t nargs, double *ns,
                    int64_t *gas, pvm_error *perr)
{
    pvm_result r;
    if (pvm_instance_prepare_call(in, export_name, 0, args, nargs, perr) != PVM_OK)
        return -1;
    pvm_instance_set_gas(in, BUDGET);
    uint64_t t0 = util_now_ns(), c0 = util_thread_cpu_ns();
    if (pvm_instance_run(in, &r, perr) != PVM_OK)
        return -1;
    double wall = (double)(util_now_ns() - t0), cpu = (double)(util_thread_cpu_ns() - c0);
    *ns = c0 && measure_is_descheduled(wall, cpu) ? cpu : wall;
    if (r.kind != PVM_EXIT_HALT) {
        snprintf(perr->msg, sizeof perr->msg, "ended with %s at pc %u, not a halt", pvm_exit_name(r.kind), r.pc);
        return -1;
    }
    *gas = BUDGET - pvm_instance_gas(in);
    return 0;
}

/* Bytes of guest memory the instance may access now: with lazy pages, what the run touched. */
static int64_t accessible_bytes(const pvm_instance *in)
{
    int64_t pages = 0;
    for (uint64_t page = 0; page < (UINT64_C(1) << (32 - PAGE_SHIFT)); page++)
        pages += pvm_instance_page_access(in, (uint32_t)(page << PAGE_SHIFT)) != PVM_ACCESS_NONE;
    return pages << PAGE_SHIFT;
}

/* The timed calls of one call shape: all of them and the undisturbed ones (core_sharing.h). */
typedef struct call_times {
    double all[2 * CODE_REPETITIONS], clean[2 * CODE_REPETITIONS];
    int attempts, kept;
    int64_t gas;
} call_times;

/* One more timed call into t; identical calls must use identical gas. */
static int time_call(pvm_instance *in, const char *export_name, const uint64_t *args, size_t nargs,
                     fidelity_measured *m, call_times *t, pvm_error *perr)
{
    int64_t g;
    double before = core_sharing_check(m->sharing);
    if (run_once(in, export_name, args, nargs, &t->all[t->attempts], &g, perr) != 0)
        return -1;
    double after = core_sharing_check(m->sharing);
    if (t->attempts > 0 && g != t->gas) {
        snprintf(perr->msg, sizeof perr->msg, "gas differs between identical runs (%lld, %lld)", (long long)t->gas,
                 (long long)g);
        return -1;
    }
    t->gas = g;
    if (core_sharing_is_shared(fmax(before, after)))
        m->runs_shared++;
    else
        t->clean[t->kept++] = t->all[t->attempts];
    t->attempts++;
    return 0;
}

/* Whether t wants another call: fewer than want undisturbed ones, within twice want calls
 * (want calls in all when there is no probe). */
static bool wants_more(const fidelity_measured *m, const call_times *t, int want)
{
    return t->attempts < 2 * want && t->kept < want && (m->sharing || t->attempts < want);
}

/* The median of the undisturbed calls, of all when none was. */
static double call_median(const call_times *t)
{
    return t->kept ? util_median(t->clean, (size_t)t->kept) : util_median(t->all, (size_t)t->attempts);
}

/* The next program slot of m, named name, holding the time and gas. */
static pvmlab_fidelity_program *next_program(fidelity_measured *m, const char *name, double ns, int64_t gas)
{
    char *slot = m->names[m->count];
    snprintf(slot, FIDELITY_NAME_MAX, "%s", name);
    pvmlab_fidelity_program *p = &m->programs[m->count];
    *p = (pvmlab_fidelity_program){.program = slot, .wall_ns = ns, .gas = gas};
    return p;
}

/* The program compiled under engine and one instance of it, with one warm call of args (its
 * time and gas in *warm_ns, *warm_gas). */
static int open_program(pvm_engine *engine, const uint8_t *bytes, size_t len, const char *export_name,
                        const uint64_t *args, size_t nargs, pvm_module **module, pvm_instance **in, double *warm_ns,
                        int64_t *warm_gas, pvm_error *perr)
{
    if (pvm_module_compile(engine, bytes, len, NULL, NULL, module, perr) != PVM_OK ||
        pvm_instance_new(*module, in, perr) != PVM_OK)
        return -1;
    return run_once(*in, export_name, args, nargs, warm_ns, warm_gas, perr);
}

static int close_program(const char *name, pvm_module *module, pvm_instance *in, int rc, const pvm_error *perr,
                         char *err, size_t err_len)
{
    if (rc != 0)
        snprintf(err, err_len, "%s: %s", name, perr->msg);
    pvm_instance_free(in);
    pvm_module_release(module);
    return rc;
}

static bool room_for(const fidelity_measured *m, const char *name, char *err, size_t err_len)
{
    if (m->count < FIDELITY_PROGRAMS_MAX) return true;
    snprintf(err, err_len, "%s: more than %d fidelity programs", name, FIDELITY_PROGRAMS_MAX);
    return false;
}

/* One program being timed in rounds (fidelity_timing.h). */
struct fidelity_program_run {
    char name[FIDELITY_NAME_MAX];
    const uint8_t *bytes;
    size_t len;
    const char *export_name;
    uint64_t args[FIDELITY_ARGS_MAX];
    size_t nargs;
    pvm_module *module;
    pvm_instance *in;
    call_times runs;
    int64_t eager_gas;
    bool lazy;
};

void fidelity_program_close(fidelity_program_run *r)
{
    if (!r)
        return;
    pvm_instance_free(r->in);
    if (r->module)
        pvm_module_release(r->module);
    free(r);
}

int fidelity_program_open(pvm_engine *engine, const char *name, const uint8_t *bytes, size_t len,
                          const char *export_name, const uint64_t *args, size_t nargs, fidelity_measured *m,
                          fidelity_program_run **out, char *err, size_t err_len)
{
    *out = NULL;
    if (nargs > FIDELITY_ARGS_MAX) {
        snprintf(err, err_len, "%s: more than %d arguments", name, FIDELITY_ARGS_MAX);
        return -1;
    }
    fidelity_program_run *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_len, "%s: out of memory", name);
        return -1;
    }
    snprintf(r->name, sizeof r->name, "%s", name);
    r->bytes = bytes, r->len = len, r->export_name = export_name, r->nargs = nargs;
    if (nargs)
        memcpy(r->args, args, nargs * sizeof *args);
    pvm_error perr = {{0}};
    double warm_ns;
    if (open_program(engine, bytes, len, export_name, args, nargs, &r->module, &r->in, &warm_ns, &r->eager_gas,
                     &perr) != 0)
        goto fail;
    pvm_error lazy_err = {{0}};
    r->lazy = pvm_instance_set_lazy_pages(r->in, MB_TOUCH_LAZY_BACKEND, &lazy_err) == PVM_OK;
    if (!r->lazy)
        snprintf(m->lazy_note, sizeof m->lazy_note, "lazy pages off (%.60s): no charges, footprint unknown, every "
                 "program counted compute-bound", lazy_err.msg);
    if (!r->lazy && pvm_instance_reset(r->in, &perr) != PVM_OK)
        goto fail;
    *out = r;
    return 0;
fail:
    snprintf(err, err_len, "%s: %s", name, perr.msg);
    fidelity_program_close(r);
    return -1;
}

bool fidelity_program_wants_more(const fidelity_measured *m, const fidelity_program_run *r)
{
    return wants_more(m, &r->runs, REPETITIONS);
}

int fidelity_program_time_once(fidelity_program_run *r, fidelity_measured *m, char *err, size_t err_len)
{
    pvm_error perr = {{0}};
    if ((r->runs.attempts > 0 && pvm_instance_reset(r->in, &perr) != PVM_OK) ||
        time_call(r->in, r->export_name, r->args, r->nargs, m, &r->runs, &perr) != 0) {
        snprintf(err, err_len, "%s: %s", r->name, perr.msg);
        return -1;
    }
    return 0;
}

int fidelity_program_finish(fidelity_program_run *r, fidelity_measured *m, char *err, size_t err_len)
{
    int rc = -1;
    pvm_error perr = {{0}};
    if (!room_for(m, r->name, err, err_len)) {
        fidelity_program_close(r);
        return -1;
    }
    m->programs_shared += r->runs.kept == 0;
    pvmlab_fidelity_program *p = next_program(m, r->name, call_median(&r->runs), r->runs.gas);
    if (r->lazy) {
        p->lazy_gas = (pvmlab_maybe_i64){true, r->runs.gas - r->eager_gas};
        p->footprint_bytes = (pvmlab_maybe_i64){true, accessible_bytes(r->in)};
    }
    bool beyond_l2 = r->lazy && (uint64_t)p->footprint_bytes.value > m->memory_threshold_bytes;
    if (m->geometry.levels && (m->replay_all || beyond_l2) &&
        replay(&m->geometry, r->bytes, r->len, r->export_name, r->args, r->nargs, p, &perr) != 0) {
        snprintf(err, err_len, "%s: %s", r->name, perr.msg);
        goto done;
    }
    double l2_per_kilo = pvmlab_fidelity_per_kilo(p->l2_misses, p->instructions); /* NaN: not replayed */
    if (beyond_l2 && !isnan(l2_per_kilo))
        p->memory_bound = l2_per_kilo > FIDELITY_L2_MISSES_PER_KILO_INSTRUCTION;
    m->count++;
    rc = 0;
done:
    fidelity_program_close(r);
    return rc;
}

int fidelity_time_program(pvm_engine *engine, const char *name, const uint8_t *bytes, size_t len,
                          const char *export_name, const uint64_t *args, size_t nargs, fidelity_measured *m,
                          char *err, size_t err_len)
{
    if (!room_for(m, name, err, err_len))
        return -1;
    fidelity_program_run *r;
    if (fidelity_program_open(engine, name, bytes, len, export_name, args, nargs, m, &r, err, err_len) != 0)
        return -1;
    while (fidelity_program_wants_more(m, r))
        if (fidelity_program_time_once(r, m, err, err_len) != 0) {
            fidelity_program_close(r);
            return -1;
        }
    return fidelity_program_finish(r, m, err, err_len);
}

int fidelity_time_code(pvm_engine *engine, const char *name, const uint8_t *bytes, size_t len,
                       const char *export_name, const uint64_t *args, const uint64_t *short_args, size_t nargs,
                       fidelity_measured *m, char *err, size_t err_len)
{
    if (!room_for(m, name, err, err_len))
        return -1;
    pvm_error perr = {{0}};
    pvm_module *module = NULL;
    pvm_instance *in = NULL;
    call_times full = {0}, one = {0};
    double warm_ns;
    int64_t warm_gas;
    int rc = -1;
    if (open_program(engine, bytes, len, export_name, args, nargs, &module, &in, &warm_ns, &warm_gas, &perr) != 0)
        goto done;
    /* The calibration's protocol: the same instance called again and again, no reset; the
     * two shapes alternate so that both see the same machine. */
    while (wants_more(m, &full, CODE_REPETITIONS) || wants_more(m, &one, CODE_REPETITIONS)) {
        if (full.attempts == 2 * CODE_REPETITIONS)
            break;
        if (time_call(in, export_name, short_args, nargs, m, &one, &perr) != 0 ||
            time_call(in, export_name, args, nargs, m, &full, &perr) != 0)
            goto done;
    }
    if (full.gas <= one.gas) {
        snprintf(perr.msg, sizeof perr.msg, "the long call used no more gas (%lld) than the short one (%lld)",
                 (long long)full.gas, (long long)one.gas);
        goto done;
    }
    m->programs_shared += full.kept == 0 || one.kept == 0;
    double code_ns = call_median(&full) - call_median(&one);
    pvmlab_fidelity_program *p = next_program(m, name, code_ns > 0 ? code_ns : 0, full.gas - one.gas);
    if (m->geometry.levels && m->replay_all && replay(&m->geometry, bytes, len, export_name, args, nargs, p, &perr) != 0)
        goto done;
    m->count++;
    rc = 0;
done:
    return close_program(name, module, in, rc, &perr, err, err_len);
}
