/* Branch predictability of a call: interpreter branch trace through a gshare model. */
#include "branch_predictability.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic_mix.h"

#define GSHARE_MASK ((1u << MB_GSHARE_HISTORY_BITS) - 1u)

void mb_gshare_init(mb_gshare *g)
{
    memset(g, 0, sizeof *g);
    memset(g->counter, 1, sizeof g->counter); /* weakly not taken */
}

void mb_gshare_observe(mb_gshare *g, uint32_t pc, int taken)
{
    /* Fibonacci hashing spreads nearby pcs over the table before the history is mixed in. */
    uint32_t index = (((uint32_t)(pc * 2654435761u)) >> (32 - MB_GSHARE_HISTORY_BITS)) ^ (g->history & GSHARE_MASK);
    uint8_t *c = &g->counter[index];
    bool predicted = *c >= 2;
    g->branches++;
    if (predicted != (taken != 0)) g->mispredicts++;
    if (taken && *c < 3) (*c)++;
    if (!taken && *c > 0) (*c)--;
    g->history = (g->history << 1) | (taken != 0);
}

typedef struct trace_state {
    mb_gshare *g;
    uint64_t taken;
} trace_state;

static void on_branch(void *ctx, uint32_t pc, bool taken)
{
    trace_state *t = ctx;
    mb_gshare_observe(t->g, pc, taken);
    t->taken += taken;
}

int mb_branch_predictability_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                                     uint32_t image_addr, const char *export_name, const uint64_t *args,
                                     size_t nargs, mb_branch_stats *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    mb_gshare *g = malloc(sizeof *g); /* 64 KiB: not on the stack */
    if (!g) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    mb_gshare_init(g);
    trace_state t = {.g = g};
    mb_interp_call c;
    int rc = mb_interp_call_run(blob, blob_len, image, image_len, image_addr, export_name, args, nargs, false,
                                on_branch, &t, &c, err, err_len);
    if (rc == 0) {
        mb_interp_call_end(&c);
        out->branches = g->branches;
        out->mispredicts = g->mispredicts;
        out->taken = t.taken;
    }
    free(g);
    return rc;
}
