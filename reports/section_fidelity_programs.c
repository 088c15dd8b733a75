/* Held-out fidelity program by program: why each benchmark guest sits where it does under
 * each stored cost table. Per program its ns/gas against the set's median and what the
 * replay of its call saw (pvmlab tables stores it: instructions, the memory trace's L1d and L2
 * misses in an LRU model of the machine's caches, and a predictor model's mispredictions),
 * so a reader sees which programs a static model cannot bound and for which reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_context.h"
#include "results/results_fidelity.h"

static const char *const HEADER[] = {"program", "ns/gas", "x median", "class", "instructions (M)",
                                     "L1d misses / 1k instr", "L2 misses / 1k instr", "mispredicts / 1k instr",
                                     "replay points to"};

typedef struct programs_section {
    report_context *ctx;
    size_t tables;
    int status;
} programs_section;

static void program_table(programs_section *s, const pvmlab_fidelity_row *row, const pvmlab_fidelity_program_list *l)
{
    char heading[256];
    const char *hash = strncmp(row->cost_table_hash, "xxh3-64:", 8) == 0 ? row->cost_table_hash + 8 : row->cost_table_hash;
    snprintf(heading, sizeof heading, "%s %.8s %.16s, %s, %s: %zu programs, median %.4f ns/gas", row->model,
             row->calibration_uuid[0] ? row->calibration_uuid : "builtin", hash, row->backend, row->program_set,
             l->count, row->summary.median_ns_per_gas);
    report_paragraph(s->ctx->doc, "%s", heading);
    long t = report_table(s->ctx->doc, "lrrlrrrrl", HEADER);
    for (size_t k = 0; k < l->count; k++) {
        const pvmlab_fidelity_program *p = &l->items[k];
        char ns[32], ratio[32];
        double x = pvmlab_fidelity_ns_per_gas(p);
        snprintf(ns, sizeof ns, "%.4f", x);
        snprintf(ratio, sizeof ratio, "%.2f", x / row->summary.median_ns_per_gas);
        pvmlab_fidelity_replay_text replay;
        pvmlab_fidelity_replay_format(p, &replay);
        const char *cells[] = {p->program,
                               ns,
                               ratio,
                               p->memory_bound ? "memory-bound" : "compute-bound",
                               replay.instructions,
                               replay.l1_misses,
                               replay.l2_misses,
                               replay.mispredicts,
                               replay.points_to};
        report_table_row(s->ctx->doc, t, cells);
    }
    s->tables++;
}

/* The benchmark guests' held-out sets, once each (pvmlab_fidelity_row_lists_programs). */
static int guest_set(const pvmlab_fidelity_row *row, void *context)
{
    programs_section *s = context;
    if (!pvmlab_fidelity_row_lists_programs(row))
        return 0;
    pvmlab_fidelity_program_list l;
    if (pvmlab_db_read_fidelity_programs(s->ctx->db, row->set_id, &l) != 0)
        s->status = -1;
    else
        program_table(s, row, &l);
    pvmlab_fidelity_program_list_free(&l);
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
                     PVMLAB_POINTS_TO_L2_PER_KILO, PVMLAB_POINTS_TO_L1_PER_KILO, PVMLAB_POINTS_TO_MISPREDICT_PER_KILO);
    programs_section s = {.ctx = ctx};
    if (pvmlab_db_foreach_fidelity(ctx->db, NULL, guest_set, &s) != 0 || s.status != 0) {
        snprintf(err, err_len, "%s", pvmlab_db_error(ctx->db));
        return -1;
    }
    if (s.tables == 0)
        report_note(ctx->doc, "No held-out guest fidelity stored (pvmlab tables --fidelity quick measures it).");
    return 0;
}
