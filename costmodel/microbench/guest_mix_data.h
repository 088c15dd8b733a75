/* The benchmark guests' own dynamic distributions, the data the mixed-program generator
 * (mixed.c) draws from. Measured once with scripts/guest_mix.sh on the guests' PVM builds
 * (bench/guests, quick sizes; rv64 and rv32 both, 16 guests each, pvm-link defaults at
 * commit 99baca6): every guest's call run(quick size) on the interpreter with its block
 * profile, each executed block weighted by its entries (costmodel/microbench/dynamic_mix.c),
 * each guest's histograms turned into fractions and averaged over the 32 builds. Rerun the
 * script and replace the block below when the guests or the linker change.
 *
 * MB_GUEST_OP_PPM             share of executed instructions per opcode (parts per million)
 * MB_GUEST_BLOCK_LEN_PPM      share of block entries per block length in instructions
 *                             (terminator included; 64 = 64 or longer)
 * MB_GUEST_DEP_DISTANCE_PPM   share of instructions whose nearest operand producer in the
 *                             same block is 1, 2, 3, 4+ instructions back, or none
 * MB_GUEST_CRITICAL_PATH_PPM  the blocks' longest chain of dependent instructions over their
 *                             length (unit latencies): 1 = no parallelism at all
 *
 * MB_GUEST_BRANCH_MISS_PPM   share of conditional branches a tournament predictor model
 *                            mispredicts (branch_predictability.h), over each guest's branch trace
 * MB_GUEST_MISPREDICT_PPM    the same mispredictions per instruction: what the generator's
 *                            share of data-random branches is matched to (mixed.c)
 *
 * The two branch lines were measured later than the rest (commit 4005be0, 34 builds: the
 * same guests plus large_program), by the same script. */
#ifndef PVMLAB_MB_GUEST_MIX_DATA_H
#define PVMLAB_MB_GUEST_MIX_DATA_H

#include <stdint.h>

#include "dynamic_mix.h"

/* 32 guest builds, each weighted equally; fractions x 1e6, rounded. */
static const uint32_t MB_GUEST_OP_PPM[PVM_OP_COUNT] = {
    [PVM_OP_FALLTHROUGH] = 5838,
    [PVM_OP_JUMP] = 8690,
    [PVM_OP_JUMP_IND] = 4508,
    [PVM_OP_LOAD_IMM] = 13480,
    [PVM_OP_LOAD_U64] = 240,
    [PVM_OP_STORE_IMM_IND_U8] = 27,
    [PVM_OP_STORE_IMM_IND_U32] = 280,
    [PVM_OP_LOAD_IMM_JUMP] = 186,
    [PVM_OP_BRANCH_EQ_IMM] = 10096,
    [PVM_OP_BRANCH_NE_IMM] = 30184,
    [PVM_OP_BRANCH_LT_U_IMM] = 63,
    [PVM_OP_BRANCH_LE_U_IMM] = 10,
    [PVM_OP_BRANCH_GT_U_IMM] = 1743,
    [PVM_OP_BRANCH_LT_S_IMM] = 152,
    [PVM_OP_BRANCH_LE_S_IMM] = 131,
    [PVM_OP_BRANCH_GT_S_IMM] = 37,
    [PVM_OP_MOVE_REG] = 23875,
    [PVM_OP_STORE_IND_U8] = 10633,
    [PVM_OP_STORE_IND_U32] = 38206,
    [PVM_OP_STORE_IND_U64] = 19229,
    [PVM_OP_LOAD_IND_U8] = 32677,
    [PVM_OP_LOAD_IND_U32] = 1589,
    [PVM_OP_LOAD_IND_I32] = 92663,
    [PVM_OP_LOAD_IND_U64] = 37107,
    [PVM_OP_ADD_IMM_32] = 72548,
    [PVM_OP_AND_IMM] = 11195,
    [PVM_OP_XOR_IMM] = 784,
    [PVM_OP_OR_IMM] = 1326,
    [PVM_OP_SET_LT_U_IMM] = 6068,
    [PVM_OP_SHLO_L_IMM_32] = 30157,
    [PVM_OP_SHLO_R_IMM_32] = 21575,
    [PVM_OP_SHAR_R_IMM_32] = 769,
    [PVM_OP_NEG_ADD_IMM_32] = 3450,
    [PVM_OP_SET_GT_U_IMM] = 51,
    [PVM_OP_ADD_IMM_64] = 50168,
    [PVM_OP_SHLO_L_IMM_64] = 43466,
    [PVM_OP_SHLO_R_IMM_64] = 20315,
    [PVM_OP_NEG_ADD_IMM_64] = 1564,
    [PVM_OP_ROT_R_64_IMM] = 560,
    [PVM_OP_ROT_R_32_IMM] = 8538,
    [PVM_OP_BRANCH_EQ] = 5876,
    [PVM_OP_BRANCH_NE] = 27982,
    [PVM_OP_BRANCH_LT_U] = 22365,
    [PVM_OP_BRANCH_LT_S] = 64,
    [PVM_OP_BRANCH_GE_U] = 7471,
    [PVM_OP_BRANCH_GE_S] = 150,
    [PVM_OP_ADD_32] = 106497,
    [PVM_OP_SUB_32] = 2496,
    [PVM_OP_MUL_32] = 15431,
    [PVM_OP_SHLO_L_32] = 1252,
    [PVM_OP_SHLO_R_32] = 1450,
    [PVM_OP_ADD_64] = 84705,
    [PVM_OP_SUB_64] = 1670,
    [PVM_OP_MUL_64] = 13225,
    [PVM_OP_SHLO_L_64] = 6,
    [PVM_OP_SHLO_R_64] = 478,
    [PVM_OP_AND] = 11071,
    [PVM_OP_XOR] = 41817,
    [PVM_OP_OR] = 11949,
    [PVM_OP_MUL_UPPER_U_U] = 9803,
    [PVM_OP_SET_LT_U] = 24711,
    [PVM_OP_ROT_L_64] = 1334,
    [PVM_OP_AND_INV] = 3483,
    [PVM_OP_MAX_U] = 254,
    [PVM_OP_MIN_U] = 281,
};
static const uint32_t MB_GUEST_BLOCK_LEN_PPM[MB_MIX_MAX_BLOCK_LEN + 1] = {
    [1] = 25408,
    [2] = 78746,
    [3] = 44350,
    [4] = 118242,
    [5] = 45139,
    [6] = 166800,
    [7] = 17332,
    [8] = 92372,
    [9] = 21520,
    [10] = 156822,
    [11] = 16379,
    [12] = 29843,
    [13] = 3817,
    [14] = 18545,
    [15] = 5498,
    [16] = 10486,
    [17] = 8568,
    [18] = 1072,
    [19] = 406,
    [20] = 33306,
    [21] = 10358,
    [22] = 1512,
    [23] = 511,
    [26] = 959,
    [27] = 956,
    [28] = 454,
    [29] = 1279,
    [30] = 406,
    [31] = 406,
    [32] = 1008,
    [33] = 1683,
    [35] = 406,
    [36] = 812,
    [37] = 1061,
    [38] = 759,
    [39] = 848,
    [40] = 482,
    [42] = 450,
    [43] = 2,
    [44] = 406,
    [45] = 8305,
    [46] = 29805,
    [48] = 1533,
    [49] = 81,
    [50] = 1690,
    [51] = 732,
    [58] = 48,
    [64] = 38399,
};
static const uint32_t MB_GUEST_DEP_DISTANCE_PPM[MB_MIX_DEP_BUCKETS] = {374065, 165476, 29458, 63215, 367787};
static const uint32_t MB_GUEST_CRITICAL_PATH_PPM = 526586;
static const uint32_t MB_GUEST_BRANCH_MISS_PPM = 40996;
static const uint32_t MB_GUEST_MISPREDICT_PPM = 4164;

#endif
