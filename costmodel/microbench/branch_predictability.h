/* How predictable a program's conditional branches are: one call run on the interpreter
 * with its branch trace (pvm_instance_set_branch_trace), every outcome fed to a simulated
 * predictor, and the predictor's mispredictions counted.
 *
 * The predictor is a tournament of two, as in the Alpha 21264 and the designs after it: a
 * global one (gshare: 2^16 two-bit counters indexed by the branch's pc hashed with the last
 * 16 outcomes of all branches) and a local one (each branch's own last 10 outcomes index
 * its two-bit counters), with a per-branch chooser that follows whichever was right. It
 * learns always-one-way branches, the exits of short fixed-trip loops and short periodic
 * patterns, the latter also when random branches run between them (which defeats a global
 * history alone), and misses data-random branches about half the time: what a modern
 * core's predictor does with these cases (the real ones are better on long histories). It
 * is a model: the same model measures the benchmark guests (tools/guest_mix.c,
 * branch_miss_ppm) and the generated mixed programs (tests/calibrate/test_mixed.c),
 * so the two are compared on equal terms; without a PMU this machine cannot count the core's
 * own mispredictions. */
#ifndef PVMLAB_MB_BRANCH_PREDICTABILITY_H
#define PVMLAB_MB_BRANCH_PREDICTABILITY_H

#include <stddef.h>
#include <stdint.h>

#define MB_PREDICT_GLOBAL_BITS 16 /* global history length and log2 of its counters */
#define MB_PREDICT_LOCAL_BITS 10  /* each branch's own history length */
#define MB_PREDICT_SITE_BITS 12   /* log2 of the branches tracked apart (pc hashed) */

typedef struct mb_predictor {
    uint8_t global[1u << MB_PREDICT_GLOBAL_BITS];                       /* 2-bit: >= 2 predicts taken */
    uint8_t local[1u << (MB_PREDICT_LOCAL_BITS + 4)];                   /* 2-bit, by local history and pc */
    uint16_t local_history[1u << MB_PREDICT_SITE_BITS];
    uint8_t chooser[1u << MB_PREDICT_SITE_BITS];                         /* 2-bit: >= 2 trusts the global one */
    uint32_t history;
    uint64_t branches, mispredicts;
} mb_predictor;

void mb_predictor_init(mb_predictor *p);
/* Predicts the branch at pc, counts a miss if the prediction was not `taken`, and learns. */
void mb_predictor_observe(mb_predictor *p, uint32_t pc, int taken);

typedef struct mb_branch_stats {
    uint64_t branches;    /* conditional branches resolved */
    uint64_t mispredicts; /* the predictor's misses */
    uint64_t taken;
} mb_branch_stats;

/* One call of `export_name` on a fresh interpreter instance (as mb_block_profile_measure),
 * its branches through a fresh predictor. Returns 0, or -1 with a one-line reason in err. */
int mb_branch_predictability_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                                     uint32_t image_addr, const char *export_name, const uint64_t *args,
                                     size_t nargs, mb_branch_stats *out, char *err, size_t err_len);

#endif
