/* Held-out fidelity program by program: why each benchmark guest sits where it does under
 * each stored cost table. Per program its ns/gas against the set's median and what the
 * replay of its call saw (pvmlab tables stores it: instructions, the memory trace's L1d and L2
 * misses in an LRU model of the machine's caches, and a predictor model's mispredictions),
 * so a reader sees which programs a static model cannot bound and for which reason. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_context.h"
#include "results/results_fidelity.h"

/* What the replay counts must exceed, per 1000 instructions, to be named as a program's
 * likely cost. L2: the memory-bound rule's threshold (fidelity_timing.h). L1d: 20 misses
 * served from L2 at ~15 cycles each are about as many cycles as 1000 instructions take at
 * 3 per cycle. Mispredicts: 5 at ~17 cycles each add a quarter to that. */
#define POINTS_TO_L2_PKI 5.0
#define POINTS_TO_L1_PKI 20.0
#define POINTS_TO_MISPREDICT_PKI 5.0

static const char *const HEADER[] = {"program", "ns/gas", "x median", "class", "instructions (M)",
                                     "L1d misses / 1k instr", "L2 misses / 1k instr", "mispredicts / 1k instr",
                                     "replay points to"};

typedef struct program_list {
    pvmlab_fidelity_program *items;
    char (*names)[PVMLAB_FIDELITY_NAME_MAX];
    size_t count, cap;
} program_list;

static int collect(const pvmlab_fidelity_program *p, void *context)
{
    program_list *l = context;
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        pvmlab_fidelity_program *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        char(*names)[PVMLAB_FIDELITY_NAME_MAX] = realloc(l->names, cap * sizeof *names);
        if (!names)
            return -1;
        l->names = names;
        l->cap = cap;
    }
    snprintf(l->names[l->count], PVMLAB_FIDELITY_NAME_MAX, "%s", p->program);
    l->items[l->count] = *p;
    l->items[l->count].program = NULL; /* names[i] holds it: the row's string dies after the call */
    l->count++;
    return 0;
}

static double ns_per_gas(const pvmlab_fidelity_program *p)
{
    return p->gas > 0 ? p->wall_ns / (double)p->gas : NAN;
}

/* Slowest per gas first; ties by name, so the order does not depend on the store's. */
static const program_list *sorting;
static int by_ns_per_gas(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double x = ns_per_gas(&sorting->items[i]), y = ns_per_gas(&sorting->items[j]);
    if (x != y)
        return x > y ? -1 : 1;
    return strcmp(sorting->names[i], sorting->names[j]);
}

static const char *per_kilo(char *out, size_t len, pvmlab_maybe_i64 count, pvmlab_maybe_i64 instructions)
{
    if (!count.present || !instructions.present || instructions.value <= 0)
        snprintf(out, len, "n/a");
    else
        snprintf(out, len, "%.1f", 1000.0 * (double)count.value / (double)instructions.value);
    return out;
}

static double pki(pvmlab_maybe_i64 count, pvmlab_maybe_i64 instructions)
{
    return count.present && instructions.present && instructions.value > 0
               ? 1000.0 * (double)count.value / (double)instructions.value
               : NAN;
}

static const char *points_to(char *out, size_t len, const pvmlab_fidelity_program *p)
{
    if (!p->instructions.present) {
        snprintf(out, len, "not replayed");
        return out;
    }
    out[0] = '\0';
    if (pki(p->l2_misses, p->instructions) > POINTS_TO_L2_PKI)
        snprintf(out + strlen(out), len - strlen(out), "%sL2 misses", *out ? " + " : "");
    if (pki(p->l1_misses, p->instructions) > POINTS_TO_L1_PKI)
        snprintf(out + strlen(out), len - strlen(out), "%sL1d misses", *out ? " + " : "");
    if (pki(p->mispredicts, p->instructions) > POINTS_TO_MISPREDICT_PKI)
        snprintf(out + strlen(out), len - strlen(out), "%smispredicts", *out ? " + " : "");
    if (!*out)
        snprintf(out, len, "none of these");
    return out;
}

typedef struct programs_section {
    report_context *ctx;
    size_t tables;
    int status;
} programs_section;

static void program_table(programs_section *s, const pvmlab_fidelity_row *row, const program_list *l)
{
    char heading[256];
    const char *hash = strncmp(row->cost_table_hash, "xxh3-64:", 8) == 0 ? row->cost_table_hash + 8 : row->cost_table_hash;
    snprintf(heading, sizeof heading, "%s %.8s %.16s, %s, %s: %zu programs, median %.4f ns/gas", row->model,
             row->calibration_uuid[0] ? row->calibration_uuid : "builtin", hash, row->backend, row->program_set,
             l->count, row->summary.median_ns_per_gas);
    report_paragraph(s->ctx->doc, "%s", heading);
    size_t *order = malloc((l->count ? l->count : 1) * sizeof *order);
    if (!order) {
        s->status = -1;
        return;
    }
    for (size_t i = 0; i < l->count; i++)
        order[i] = i;
    sorting = l;
    qsort(order, l->count, sizeof *order, by_ns_per_gas);
    long t = report_table(s->ctx->doc, "lrrlrrrrl", HEADER);
    for (size_t k = 0; k < l->count; k++) {
        const pvmlab_fidelity_program *p = &l->items[order[k]];
        char ns[32], ratio[32], instr[32], l1[32], l2[32], miss[32], why[64];
        double x = ns_per_gas(p);
        snprintf(ns, sizeof ns, "%.4f", x);
        snprintf(ratio, sizeof ratio, "%.2f", x / row->summary.median_ns_per_gas);
        if (p->instructions.present)
            snprintf(instr, sizeof instr, "%.1f", (double)p->instructions.value / 1e6);
        else
            snprintf(instr, sizeof instr, "n/a");
        const char *cells[] = {l->names[order[k]],
                               ns,
                               ratio,
                               p->memory_bound ? "memory-bound" : "compute-bound",
                               instr,
                               per_kilo(l1, sizeof l1, p->l1_misses, p->instructions),
                               per_kilo(l2, sizeof l2, p->l2_misses, p->instructions),
                               per_kilo(miss, sizeof miss, p->mispredicts, p->instructions),
                               points_to(why, sizeof why, p)};
        report_table_row(s->ctx->doc, t, cells);
    }
    free(order);
    s->tables++;
}

/* The benchmark guests' held-out sets, once each: the summary row of all programs with the
 * lazy-page charges in (or eager, where there were none). */
static int guest_set(const pvmlab_fidelity_row *row, void *context)
{
    programs_section *s = context;
    if (!row->held_out || strncmp(row->program_set, "guests", 6) != 0 || strcmp(row->scope, "all") != 0 ||
        strcmp(row->charges, "uncharged") == 0)
        return 0;
    program_list l = {0};
    if (pvmlab_db_foreach_fidelity_program(s->ctx->db, row->set_id, collect, &l) != 0)
        s->status = -1;
    else
        program_table(s, row, &l);
    free(l.items);
    free(l.names);
    return s->status;
}

int section_fidelity_programs(report_context *ctx, char *err, size_t err_len)
{
    report_heading(ctx->doc, 3, "Held-out guests, program by program");
    report_paragraph(ctx->doc,
                     "Why each benchmark guest sits where it does. ns/gas with the lazy-page charges in (as the "
                     "\"charged\" rows above), against the set's median. The other columns come from one replay of "
                     "the program's call on the interpreter when the table was timed: its memory trace through an "
                     "LRU model of this machine's L1d and L2 (the classification above names the geometry) and its "
                     "conditional branches through a predictor model (a tournament of gshare and local history). "
                     "\"replay points to\" names the counts above %.0f L2 misses, %.0f L1d misses or %.0f "
                     "mispredicts per 1000 instructions: a program far above the median with none of these is "
                     "slow for a reason the replay's models do not see (a real cache that is not LRU, the TLB).",
                     POINTS_TO_L2_PKI, POINTS_TO_L1_PKI, POINTS_TO_MISPREDICT_PKI);
    programs_section s = {.ctx = ctx};
    if (pvmlab_db_foreach_fidelity(ctx->db, NULL, guest_set, &s) != 0 || s.status != 0) {
        snprintf(err, err_len, "%s", pvmlab_db_error(ctx->db));
        return -1;
    }
    if (s.tables == 0)
        report_note(ctx->doc, "No held-out guest fidelity stored (pvmlab tables --fidelity quick measures it).");
    return 0;
}
