/* The suites: which specs, how many trips, in which order. Opcodes come from the ISA
 * table (every measurable op), never from a list here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/isa/isa.h"
#include "microbench.h"
#include "vm/util/grow.h"

void mb_suite_config_quick(mb_suite_config *c)
{
    *c = (mb_suite_config){.chain_units = {8, 16, 32}, .chain_instructions = 200000,
                           .chase_min_bytes = 4096, .chase_max_bytes = 128u << 20, .chase_steps_per_octave = 2,
                           .chase_points_per_level = 6, .chase_dram_points = 3, .chase_huge_every = 2,
                           .chase_loads_per_call = 65536, .stride_trips = 2000, .branch_trips = 8000,
                           .touch_pages = 1024, .mixed_programs = 64, .mixed_instructions = 200000};
}

void mb_suite_config_full(mb_suite_config *c)
{
    *c = (mb_suite_config){.chain_units = {8, 16, 32, 64}, .chain_instructions = 1000000,
                           .chase_min_bytes = 4096, .chase_max_bytes = 128u << 20, .chase_steps_per_octave = 2,
                           .chase_points_per_level = 8, .chase_dram_points = 6, .chase_huge_every = 2,
                           .chase_loads_per_call = 131072, .stride_trips = 4000, .branch_trips = 16000,
                           .touch_pages = 2048, .mixed_programs = 64, .mixed_instructions = 1000000};
}

void mb_suite_config_smoke(mb_suite_config *c)
{
    *c = (mb_suite_config){.chain_units = {4, 8}, .chain_instructions = 2000,
                           .chase_min_bytes = 4096, .chase_max_bytes = 64u << 10, .chase_steps_per_octave = 1,
                           .chase_loads_per_call = 256, .stride_trips = 4, .branch_trips = 50, .touch_pages = 8,
                           .mixed_programs = 4, .mixed_instructions = 2000};
}

typedef struct spec_list {
    mb_spec *items;
    size_t count, capacity;
    bool failed;
} spec_list;

static mb_spec *push(spec_list *l)
{
    if (l->failed) return NULL;
    if (UTIL_GROW(l->items, l->capacity, l->count + 1, 256) != 0) {
        l->failed = true;
        return NULL;
    }
    mb_spec *s = &l->items[l->count++];
    memset(s, 0, sizeof *s);
    s->op = -1;
    return s;
}

static uint32_t max_chain_units(const mb_suite_config *c)
{
    uint32_t m = 1;
    for (int i = 0; i < 4; i++)
        if (c->chain_units[i] > m) m = c->chain_units[i];
    return m;
}

static void add_chain_series(spec_list *l, const mb_suite_config *c, int op, mb_shape shape, bool divisor_zero,
                             uint64_t trips)
{
    char series[80];
    snprintf(series, sizeof series, "op.%s.%s%s", pvm_op_table[op].name, shape == MB_LATENCY ? "lat" : "tput",
             divisor_zero ? ".div0" : "");
    for (int i = 0; i < 4; i++) {
        if (!c->chain_units[i]) continue;
        mb_spec *s = push(l);
        if (!s) return;
        s->family = MB_OP_CHAIN;
        s->op = op;
        s->shape = shape;
        s->divisor_zero = divisor_zero;
        s->units = c->chain_units[i];
        s->trips = trips;
        snprintf(s->series, sizeof s->series, "%s", series);
        snprintf(s->name, sizeof s->name, "%s.L%u", series, s->units);
    }
}

static void add_chains(spec_list *l, const mb_suite_config *c)
{
    uint64_t trips = c->chain_instructions / max_chain_units(c);
    if (trips < 1) trips = 1;
    mb_spec *empty = push(l); /* the loop alone: every chain series shares this point */
    if (!empty) return;
    *empty = (mb_spec){.family = MB_OP_CHAIN, .op = PVM_OP_MOVE_REG, .units = 0, .trips = trips};
    snprintf(empty->series, sizeof empty->series, "loop.empty");
    snprintf(empty->name, sizeof empty->name, "loop.empty.L0");
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        if (!mb_op_measurable(op)) continue;
        add_chain_series(l, c, op, MB_LATENCY, false, trips);
        if (mb_op_is_division(op)) add_chain_series(l, c, op, MB_LATENCY, true, trips);
        if (mb_op_has_throughput(op)) add_chain_series(l, c, op, MB_THROUGHPUT, false, trips);
    }
    /* memset of MB_MEMSET_BYTES bytes per unit: the per-byte cost (host.memset_byte). */
    for (int i = 0; i < 4; i++) {
        if (!c->chain_units[i]) continue;
        mb_spec *s = push(l);
        if (!s) return;
        *s = (mb_spec){.family = MB_OP_CHAIN, .op = PVM_OP_MEMSET, .shape = MB_LATENCY, .units = c->chain_units[i],
                       .size = MB_MEMSET_BYTES, .trips = trips};
        snprintf(s->series, sizeof s->series, "op.memset.bytes");
        snprintf(s->name, sizeof s->name, "op.memset.bytes.L%u", s->units);
    }
}

static void add_chase(spec_list *l, const mb_suite_config *c)
{
    static const uint32_t units[2] = {8, 32};
    uint64_t sizes[128];
    size_t count = mb_chase_sweep_sizes(c, sizes, 128);
    for (int huge = 0; huge <= 1; huge++)
        for (size_t i = 0; i < count; i++) {
            if (huge && (!c->chase_huge_every || i % c->chase_huge_every)) continue;
            uint64_t size = sizes[i];
            /* Calls continue the walk. Long enough that the per-call overhead's jitter is small
             * next to the loads (~100 us from L1), short enough beyond the caches (4x fewer
             * loads past 1 MiB) to fit in a scheduler time slice (a few ms from DRAM). */
            uint64_t loads = size <= (1u << 20) ? c->chase_loads_per_call : c->chase_loads_per_call / 4;
            for (int u = 0; u < 2; u++) {
                mb_spec *s = push(l);
                if (!s) return;
                s->family = MB_POINTER_CHASE;
                s->units = units[u];
                s->size = size;
                s->huge_pages = huge;
                /* The same loads per call for both lengths: both walk the set equally far. */
                s->trips = (loads + units[u] - 1) / units[u];
                snprintf(s->series, sizeof s->series, "%s.%llu", huge ? "chase_huge" : "chase", (unsigned long long)size);
                snprintf(s->name, sizeof s->name, "%s.L%u", s->series, s->units);
            }
        }
}

static void add_stride(spec_list *l, const mb_suite_config *c)
{
    static const uint64_t strides[3] = {1, 2048, 2053};
    for (int i = 0; i < 3; i++)
        for (uint32_t units = 1; units <= 4; units *= 2) {
            mb_spec *s = push(l);
            if (!s) return;
            s->family = MB_STRIDE;
            s->units = units;
            s->size = strides[i];
            s->trips = c->stride_trips;
            snprintf(s->series, sizeof s->series, "stride.%llu", (unsigned long long)strides[i]);
            snprintf(s->name, sizeof s->name, "stride.%llu.L%u", (unsigned long long)strides[i], units);
        }
}

static void add_lcg_control(spec_list *l, const mb_suite_config *c, mb_family family, const char *what)
{
    static const uint32_t units[2] = {4, 16};
    for (int random = 0; random <= 1; random++)
        for (int u = 0; u < 2; u++) {
            mb_spec *s = push(l);
            if (!s) return;
            s->family = family;
            s->random = random;
            s->units = units[u];
            s->trips = c->branch_trips;
            snprintf(s->series, sizeof s->series, "%s.%s", what, random ? "random" : "fixed");
            snprintf(s->name, sizeof s->name, "%s.L%u", s->series, s->units);
        }
}

/* Every touch kind cold and warm: the lazy-page charges take the costliest first load and
 * the costliest first write (calibration_fit.c, fit_first_touch). */
static void add_first_touch(spec_list *l, const mb_suite_config *c)
{
    for (int kind = 0; kind < MB_TOUCH_KINDS; kind++)
        for (int cold = 1; cold >= 0; cold--) {
            mb_spec *s = push(l);
            if (!s) return;
            s->family = MB_FIRST_TOUCH;
            s->touch = (mb_touch_kind)kind;
            s->cold = cold;
            s->units = 1;
            s->size = c->touch_pages;
            s->trips = c->touch_pages;
            snprintf(s->series, sizeof s->series, "touch.%s.%s", mb_touch_kind_name(s->touch), cold ? "cold" : "warm");
            snprintf(s->name, sizeof s->name, "%s.P%u", s->series, c->touch_pages);
        }
}

static void add_mixed(spec_list *l, const mb_suite_config *c)
{
    mb_spec *mixed = NULL;
    if (!c->mixed_programs) return;
    if (mb_mixed_specs(MB_MIXED_TRAINING_SEED, c->mixed_programs, c->mixed_instructions, &mixed) != 0) {
        l->failed = true;
        return;
    }
    for (uint32_t i = 0; i < c->mixed_programs; i++) {
        mb_spec *s = push(l);
        if (!s) break;
        *s = mixed[i];
    }
    free(mixed);
}

int mb_suite_specs(const mb_suite_config *c, mb_spec **out, size_t *count)
{
    spec_list l = {0};
    add_chains(&l, c);
    add_chase(&l, c);
    add_stride(&l, c);
    add_lcg_control(&l, c, MB_BRANCH, "branch");
    add_lcg_control(&l, c, MB_INDIRECT, "indirect");
    add_first_touch(&l, c);
    add_mixed(&l, c);
    if (l.failed) {
        free(l.items);
        return -1;
    }
    *out = l.items;
    *count = l.count;
    return 0;
}
