/* Why a held-out program sits where it does: its replay counts read against fixed
 * thresholds (see results_fidelity.h). One implementation for pvmlab report and
 * pvmlab compare --fidelity --programs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

#include "results_fidelity.h"

double pvmlab_fidelity_per_kilo(pvmlab_maybe_i64 count, pvmlab_maybe_i64 instructions)
{
    return count.present && instructions.present && instructions.value > 0
               ? 1000.0 * (double)count.value / (double)instructions.value
               : NAN;
}

const char *pvmlab_fidelity_points_to(const pvmlab_fidelity_program *p, char *out, size_t len)
{
    if (!p->instructions.present) {
        snprintf(out, len, "not replayed");
        return out;
    }
    out[0] = '\0';
    const struct {
        double per_kilo, threshold;
        const char *name;
    } causes[] = {
        {pvmlab_fidelity_per_kilo(p->l2_misses, p->instructions), PVMLAB_POINTS_TO_L2_PER_KILO, "L2 misses"},
        {pvmlab_fidelity_per_kilo(p->l1_misses, p->instructions), PVMLAB_POINTS_TO_L1_PER_KILO, "L1d misses"},
        {pvmlab_fidelity_per_kilo(p->mispredicts, p->instructions), PVMLAB_POINTS_TO_MISPREDICT_PER_KILO,
         "mispredicts"},
    };
    for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++)
        if (causes[i].per_kilo > causes[i].threshold) {
            size_t used = strlen(out);
            snprintf(out + used, len - used, "%s%s", used ? " + " : "", causes[i].name);
        }
    if (!out[0])
        snprintf(out, len, "none of these");
    return out;
}

static int collect(const pvmlab_fidelity_program *p, void *context)
{
    pvmlab_fidelity_program_list *l = context;
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        pvmlab_fidelity_program *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return 1; /* positive: no memory (a database error is negative) */
        l->items = items;
        char(*names)[PVMLAB_FIDELITY_NAME_MAX] = realloc(l->names, cap * sizeof *names);
        if (!names)
            return 1;
        l->names = names;
        l->cap = cap;
    }
    snprintf(l->names[l->count], PVMLAB_FIDELITY_NAME_MAX, "%s", p->program);
    l->items[l->count] = *p; /* the row's name string dies after the call: names[] keeps it */
    l->count++;
    return 0;
}

double pvmlab_fidelity_ns_per_gas(const pvmlab_fidelity_program *p)
{
    return p->gas > 0 ? p->wall_ns / (double)p->gas : NAN;
}

static void per_kilo_text(char *out, size_t len, pvmlab_maybe_i64 count, pvmlab_maybe_i64 instructions)
{
    double v = pvmlab_fidelity_per_kilo(count, instructions);
    if (isnan(v))
        snprintf(out, len, "n/a");
    else
        snprintf(out, len, "%.1f", v);
}

void pvmlab_fidelity_replay_format(const pvmlab_fidelity_program *p, pvmlab_fidelity_replay_text *out)
{
    if (p->instructions.present)
        snprintf(out->instructions, sizeof out->instructions, "%.1f", (double)p->instructions.value / 1e6);
    else
        snprintf(out->instructions, sizeof out->instructions, "n/a");
    per_kilo_text(out->l1_misses, sizeof out->l1_misses, p->l1_misses, p->instructions);
    per_kilo_text(out->l2_misses, sizeof out->l2_misses, p->l2_misses, p->instructions);
    per_kilo_text(out->mispredicts, sizeof out->mispredicts, p->mispredicts, p->instructions);
    pvmlab_fidelity_points_to(p, out->points_to, sizeof out->points_to);
}

bool pvmlab_fidelity_row_lists_programs(const pvmlab_fidelity_row *row)
{
    return row->held_out && strncmp(row->program_set, "guests", 6) == 0 && strcmp(row->scope, "all") == 0 &&
           strcmp(row->charges, "uncharged") != 0;
}

static int slowest_first(const void *a, const void *b)
{
    const pvmlab_fidelity_program *p = a, *q = b;
    double x = pvmlab_fidelity_ns_per_gas(p), y = pvmlab_fidelity_ns_per_gas(q);
    if (x != y)
        return x > y ? -1 : 1;
    return strcmp(p->program, q->program);
}

int pvmlab_db_read_fidelity_programs(pvmlab_db *db, pvmlab_id set_id, pvmlab_fidelity_program_list *out)
{
    *out = (pvmlab_fidelity_program_list){0};
    int rc = pvmlab_db_foreach_fidelity_program(db, set_id, collect, out);
    if (rc != 0) {
        if (rc > 0) /* the visitor's: no memory */
            db_failf(db, "reading fidelity programs: out of memory");
        pvmlab_fidelity_program_list_free(out);
        return -1;
    }
    /* names[] is complete (no more reallocs): the items point into it and carry that along */
    for (size_t i = 0; i < out->count; i++)
        out->items[i].program = out->names[i];
    qsort(out->items, out->count, sizeof *out->items, slowest_first);
    return 0;
}

void pvmlab_fidelity_program_list_free(pvmlab_fidelity_program_list *list)
{
    free(list->items);
    free(list->names);
    *list = (pvmlab_fidelity_program_list){0};
}
