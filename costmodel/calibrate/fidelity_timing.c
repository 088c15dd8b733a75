/* Timing one program for fidelity (see fidelity_timing.h). */
#define _POSIX_C_SOURCE 200809L
#include "fidelity_timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/util/clock.h"

enum { REPETITIONS = 3, PAGE_SHIFT = 12 };
static const int64_t BUDGET = INT64_C(1) << 56;

/* The size of the level-2 cache of cpu0 from sysfs, 0 when hidden. */
static uint64_t l2_cache_bytes(void)
{
    for (int index = 0; index < 8; index++) {
        char path[96], text[32] = "";
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", index);
        FILE *f = fopen(path, "r");
        if (!f)
            break;
        int level = fgets(text, sizeof text, f) ? atoi(text) : 0;
        fclose(f);
        if (level != 2)
            continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
        if (!(f = fopen(path, "r")))
            return 0;
        char *end = NULL;
        unsigned long long size = fgets(text, sizeof text, f) ? strtoull(text, &end, 10) : 0;
        fclose(f);
        if (end && (*end == 'K' || *end == 'k'))
            size <<= 10;
        else if (end && *end == 'M')
            size <<= 20;
        return size;
    }
    return 0;
}

void fidelity_memory_rule(fidelity_measured *m)
{
    uint64_t l2 = l2_cache_bytes();
    m->memory_threshold_bytes = l2 ? l2 : UINT64_C(1) << 20;
    snprintf(m->memory_rule, sizeof m->memory_rule,
             "memory-bound: the data pages a run touches exceed the L2 cache, %llu KiB (%s)",
             (unsigned long long)(m->memory_threshold_bytes >> 10),
             l2 ? "sysfs, cpu0" : "assumed: this machine hides its cache sizes");
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One call to completion; *gas = gas used. */
static int run_once(pvm_instance *in, const char *export_name, const uint64_t *args, size_t nargs, double *ns,
                    int64_t *gas, pvm_error *perr)
{
    pvm_result r;
    if (pvm_instance_prepare_call(in, export_name, 0, args, nargs, perr) != PVM_OK)
        return -1;
    pvm_instance_set_gas(in, BUDGET);
    uint64_t t0 = util_now_ns();
    if (pvm_instance_run(in, &r, perr) != PVM_OK)
        return -1;
    *ns = (double)(util_now_ns() - t0);
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

int fidelity_time_program(pvm_engine *engine, const char *name, const uint8_t *bytes, size_t len,
                          const char *export_name, const uint64_t *args, size_t nargs, fidelity_measured *m,
                          char *err, size_t err_len)
{
    if (m->count == FIDELITY_PROGRAMS_MAX) {
        snprintf(err, err_len, "%s: more than %d fidelity programs", name, FIDELITY_PROGRAMS_MAX);
        return -1;
    }
    pvm_error perr = {{0}};
    pvm_module *module = NULL;
    pvm_instance *in = NULL;
    double ns[REPETITIONS], warm_ns;
    int64_t eager_gas = 0, gas = 0;
    bool lazy = false;
    int rc = -1;
    if (pvm_module_compile(engine, bytes, len, NULL, NULL, &module, &perr) != PVM_OK ||
        pvm_instance_new(module, &in, &perr) != PVM_OK || run_once(in, export_name, args, nargs, &warm_ns, &eager_gas, &perr))
        goto done;
    pvm_error lazy_err = {{0}};
    lazy = pvm_instance_set_lazy_pages(in, "mprotect", &lazy_err) == PVM_OK;
    if (!lazy)
        snprintf(m->lazy_note, sizeof m->lazy_note, "lazy pages off (%.60s): no charges, footprint unknown, every "
                 "program counted compute-bound", lazy_err.msg);
    if (!lazy && pvm_instance_reset(in, &perr) != PVM_OK)
        goto done;
    for (int r = 0; r < REPETITIONS; r++) {
        if (r > 0 && pvm_instance_reset(in, &perr) != PVM_OK)
            goto done;
        int64_t g;
        if (run_once(in, export_name, args, nargs, &ns[r], &g, &perr) != 0)
            goto done;
        if (r > 0 && g != gas) {
            snprintf(perr.msg, sizeof perr.msg, "gas differs between identical runs (%lld, %lld)", (long long)gas,
                     (long long)g);
            goto done;
        }
        gas = g;
    }
    qsort(ns, REPETITIONS, sizeof ns[0], compare_doubles);
    char *slot = m->names[m->count];
    snprintf(slot, FIDELITY_NAME_MAX, "%s", name);
    pvmlab_fidelity_program *p = &m->programs[m->count];
    *p = (pvmlab_fidelity_program){.program = slot, .wall_ns = ns[REPETITIONS / 2], .gas = gas};
    if (lazy) {
        p->lazy_gas = (pvmlab_maybe_i64){true, gas - eager_gas};
        p->footprint_bytes = (pvmlab_maybe_i64){true, accessible_bytes(in)};
        p->memory_bound = (uint64_t)p->footprint_bytes.value > m->memory_threshold_bytes;
    }
    m->count++;
    rc = 0;
done:
    if (rc != 0)
        snprintf(err, err_len, "%s: %s", name, perr.msg);
    pvm_instance_free(in);
    pvm_module_release(module);
    return rc;
}
