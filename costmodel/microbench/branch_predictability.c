/* Branch predictability of a call: interpreter branch trace through a tournament predictor. */
#include "branch_predictability.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic_mix.h"

#define MASK(bits) ((1u << (bits)) - 1u)

void mb_predictor_init(mb_predictor *p)
{
    memset(p, 0, sizeof *p);
    memset(p->global, 1, sizeof p->global); /* weakly not taken */
    memset(p->local, 1, sizeof p->local);
    memset(p->chooser, 1, sizeof p->chooser); /* weakly local */
}

static void train(uint8_t *c, bool taken)
{
    if (taken && *c < 3) (*c)++;
    if (!taken && *c > 0) (*c)--;
}

void mb_predictor_observe(mb_predictor *p, uint32_t pc, int taken_)
{
    bool taken = taken_ != 0;
    /* Fibonacci hashing spreads nearby pcs over the tables. */
    uint32_t h = (uint32_t)(pc * 2654435761u);
    uint32_t site = h >> (32 - MB_PREDICT_SITE_BITS);
    uint8_t *g = &p->global[(h >> (32 - MB_PREDICT_GLOBAL_BITS)) ^ (p->history & MASK(MB_PREDICT_GLOBAL_BITS))];
    uint16_t *lh = &p->local_history[site];
    uint8_t *l = &p->local[((h >> 28) << MB_PREDICT_LOCAL_BITS) | (*lh & MASK(MB_PREDICT_LOCAL_BITS))];
    bool by_global = *g >= 2, by_local = *l >= 2;
    bool predicted = p->chooser[site] >= 2 ? by_global : by_local;
    p->branches++;
    if (predicted != taken) p->mispredicts++;
    if (by_global != by_local) train(&p->chooser[site], by_global == taken);
    train(g, taken);
    train(l, taken);
    *lh = (uint16_t)((*lh << 1) | taken);
    p->history = (p->history << 1) | taken;
}

typedef struct trace_state {
    mb_predictor *g;
    uint64_t taken;
} trace_state;

static void on_branch(void *ctx, uint32_t pc, bool taken)
{
    trace_state *t = ctx;
    mb_predictor_observe(t->g, pc, taken);
    t->taken += taken;
}

int mb_branch_predictability_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                                     uint32_t image_addr, const char *export_name, const uint64_t *args,
                                     size_t nargs, mb_branch_stats *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    mb_predictor *g = malloc(sizeof *g); /* 100 KiB: not on the stack */
    if (!g) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    mb_predictor_init(g);
    trace_state t = {.g = g};
    mb_interp_call c;
    int rc = mb_interp_call_run(blob, blob_len, image, image_len, image_addr, export_name, args, nargs, false,
                                on_branch, NULL, &t, &c, err, err_len);
    if (rc == 0) {
        mb_interp_call_end(&c);
        out->branches = g->branches;
        out->mispredicts = g->mispredicts;
        out->taken = t.taken;
    }
    free(g);
    return rc;
}
