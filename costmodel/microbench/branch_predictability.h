/* How predictable a program's conditional branches are: one call run on the interpreter
 * with its branch trace (pvm_instance_set_branch_trace), every outcome fed to a simulated
 * history predictor, and the predictor's mispredictions counted.
 *
 * The predictor is gshare: 2^16 two-bit counters indexed by the branch's pc hashed with the
 * last 16 outcomes of all branches. It learns always-one-way branches, short periodic
 * patterns and the exits of short fixed-trip loops, and misses data-random branches about
 * half the time, which is the behaviour of a modern core's predictor for these cases (the
 * real ones are better on long histories). It is a model: the same model measures the
 * benchmark guests (tools/guest_mix.c, MB_GUEST_BRANCH_MISS_PPM) and the generated mixed
 * programs (tests/calibrate/test_mixed.c), so the two are compared on equal terms; without a
 * PMU this machine cannot count the core's own mispredictions. */
#ifndef PVMLAB_MB_BRANCH_PREDICTABILITY_H
#define PVMLAB_MB_BRANCH_PREDICTABILITY_H

#include <stddef.h>
#include <stdint.h>

#define MB_GSHARE_HISTORY_BITS 16

typedef struct mb_gshare {
    uint8_t counter[1u << MB_GSHARE_HISTORY_BITS]; /* 0,1 predict not taken; 2,3 taken */
    uint32_t history;
    uint64_t branches, mispredicts;
} mb_gshare;

void mb_gshare_init(mb_gshare *g);
/* Predicts the branch at pc, counts a miss if the prediction was not `taken`, and learns. */
void mb_gshare_observe(mb_gshare *g, uint32_t pc, int taken);

typedef struct mb_branch_stats {
    uint64_t branches;    /* conditional branches resolved */
    uint64_t mispredicts; /* the predictor's misses */
    uint64_t taken;
} mb_branch_stats;

/* One call of `export_name` on a fresh interpreter instance (as mb_block_profile_measure),
 * its branches through a fresh gshare. Returns 0, or -1 with a one-line reason in err. */
int mb_branch_predictability_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                                     uint32_t image_addr, const char *export_name, const uint64_t *args,
                                     size_t nargs, mb_branch_stats *out, char *err, size_t err_len);

#endif
