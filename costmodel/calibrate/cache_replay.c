/* The shadow instance of cache_replay.h. */
#include "cache_replay.h"

#include <stdio.h>
#include <stdlib.h>

#include "costmodel/counters/cache_sim.h"
#include "program_run.h"

struct cache_replay {
    pvmlab_counters *counters;
    cache_sim *cache;
    const mb_program *program;
    pvm_module *module;
    pvm_instance *instance;
};

cache_replay *cache_replay_begin(pvm_engine *interp, pvmlab_counters *counters, const mb_program *p, char *err,
                                 size_t err_len)
{
    cache_sim *cache = interp ? pvmlab_counters_cache_sim(counters) : NULL;
    if (!cache) return NULL;
    cache_replay *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_len, "out of memory for the cache replay");
        return NULL;
    }
    *r = (cache_replay){.counters = counters, .cache = cache, .program = p};
    cache_sim_flush(cache); /* each program starts cold, as after its build on the real machine */
    char why[256];
    pvm_error perr = {{0}};
    if (instantiate_program(interp, p, &r->module, &r->instance, why, sizeof why) != 0 ||
        pvm_instance_set_memory_trace(r->instance, cache_sim_trace, cache, &perr) != PVM_OK) {
        snprintf(err, err_len, "cache replay: %s", perr.msg[0] ? perr.msg : why);
        cache_replay_end(r);
        return NULL;
    }
    return r;
}

int cache_replay_call(cache_replay *r, const mb_spec *s, bool reset, uint64_t previous_a0, char *err,
                      size_t err_len)
{
    pvm_error perr = {{0}};
    uint64_t args[2];
    size_t nargs = mb_call_args(s, previous_a0, args);
    const mb_program *p = r->program;
    if (reset && (pvm_instance_reset(r->instance, &perr) != PVM_OK ||
                  (p->image && pvm_instance_write(r->instance, p->image_addr, p->image, p->image_len, &perr) != PVM_OK))) {
        snprintf(err, err_len, "cache replay: reset: %s", perr.msg);
        return -1;
    }
    if (pvm_instance_prepare_call(r->instance, "main", 0, args, nargs, &perr) != PVM_OK) {
        snprintf(err, err_len, "cache replay: prepare_call: %s", perr.msg);
        return -1;
    }
    cache_sim_counts before = cache_sim_read(r->cache);
    pvm_result res;
    if (run_to_exit(r->instance, &res, err, err_len) != 0) return -1;
    if (res.kind != PVM_EXIT_HALT) {
        snprintf(err, err_len, "cache replay: exited with %s, not halt", pvm_exit_name(res.kind));
        return -1;
    }
    cache_sim_counts after = cache_sim_read(r->cache), delta = {after.accesses - before.accesses, {0}};
    for (int k = 0; k < CACHE_MAX_LEVELS; k++) delta.misses[k] = after.misses[k] - before.misses[k];
    pvmlab_counters_report_cache(r->counters, &delta);
    return 0;
}

void cache_replay_end(cache_replay *r)
{
    if (!r) return;
    pvm_instance_free(r->instance);
    if (r->module) pvm_module_release(r->module);
    free(r);
}
