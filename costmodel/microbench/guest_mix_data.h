/* The benchmark guests' own dynamic distributions, the data the mixed-program generator
 * (mixed.c) draws from, one set per target: the rv64 and rv32 builds of the same C are
 * different programs (the rv32 builds do 64-bit arithmetic in 32-bit halves, with other
 * opcodes and more independent instructions per block: critical path 0.46 of a block
 * against 0.53), so a generated program follows one target, never a blend of both.
 *
 * Measured with scripts/guest_mix.sh on the guests' PVM builds (bench/guests, quick sizes,
 * 17 guests per target, pvm-link defaults at commit 0080387): every guest's call run(quick
 * size) on the interpreter with its block profile, each executed block weighted by its
 * entries (costmodel/microbench/dynamic_mix.c), each guest's histograms turned into
 * fractions and averaged over the target's builds. Rerun the script and replace the table
 * below when the guests or the linker change.
 *
 * op_ppm             share of executed instructions per opcode (parts per million)
 * block_len_ppm      share of block entries per block length in instructions (terminator
 *                    included; 64 = 64 or longer), such that the share of instructions
 *                    executed in blocks of each length is the guests' average one
 * dep_distance_ppm   share of instructions whose nearest operand producer in the same block
 *                    is 1, 2, 3, 4+ instructions back, or none
 * critical_path_ppm  the blocks' longest chain of dependent instructions over their length
 *                    (unit latencies): 1 = no parallelism at all
 * branch_miss_ppm    share of conditional branches a tournament predictor model mispredicts
 *                    (branch_predictability.h), over each guest's branch trace
 * mispredict_ppm     the same mispredictions per instruction: what the generator's share of
 *                    data-random branches is matched to (mixed.c)
 * address_ppm        share of register-addressed loads and stores whose base register is the
 *                    stack pointer, a value whose youngest load was <= 4, <= 16, <= 64
 *                    instructions before, or anything else (address_sources.h: on the exact
 *                    path, across blocks); measured later than the rest (2026-12-06, main
 *                    ce12ea0, over the 18 tuned builds per target of that day: held-out
 *                    guests left out, as always) and only this field was replaced */
#ifndef PVMLAB_MB_GUEST_MIX_DATA_H
#define PVMLAB_MB_GUEST_MIX_DATA_H

#include <stdint.h>

#include "address_sources.h"
#include "dynamic_mix.h"

enum { MB_GUEST_TARGETS = 2 }; /* rv64, rv32 */

typedef struct mb_guest_mix {
    const char *target;
    int builds;
    uint32_t op_ppm[PVM_OP_COUNT];
    uint32_t block_len_ppm[MB_MIX_MAX_BLOCK_LEN + 1];
    uint32_t dep_distance_ppm[MB_MIX_DEP_BUCKETS];
    uint32_t critical_path_ppm, branch_miss_ppm, mispredict_ppm;
    uint32_t address_ppm[MB_ADDR_BUCKETS];
} mb_guest_mix;

/* Per target, each build weighted equally; fractions x 1e6, rounded. */
static const mb_guest_mix MB_GUEST_MIX[MB_GUEST_TARGETS] = {
    {
        .target = "rv64",
        .builds = 17,
        .op_ppm = {
            [PVM_OP_FALLTHROUGH] = 5390,
            [PVM_OP_UNLIKELY] = 42050,
            [PVM_OP_JUMP] = 8508,
            [PVM_OP_JUMP_IND] = 4996,
            [PVM_OP_LOAD_IMM] = 16425,
            [PVM_OP_LOAD_U64] = 4648,
            [PVM_OP_STORE_IMM_IND_U8] = 23,
            [PVM_OP_STORE_IMM_IND_U32] = 17,
            [PVM_OP_LOAD_IMM_JUMP] = 184,
            [PVM_OP_BRANCH_EQ_IMM] = 10347,
            [PVM_OP_BRANCH_NE_IMM] = 34015,
            [PVM_OP_BRANCH_LT_U_IMM] = 23,
            [PVM_OP_BRANCH_LE_U_IMM] = 6,
            [PVM_OP_BRANCH_GT_U_IMM] = 2824,
            [PVM_OP_BRANCH_LE_S_IMM] = 135,
            [PVM_OP_MOVE_REG] = 22506,
            [PVM_OP_STORE_IND_U8] = 10149,
            [PVM_OP_STORE_IND_U32] = 13410,
            [PVM_OP_STORE_IND_U64] = 39763,
            [PVM_OP_LOAD_IND_U8] = 31502,
            [PVM_OP_LOAD_IND_U32] = 2894,
            [PVM_OP_LOAD_IND_I32] = 35650,
            [PVM_OP_LOAD_IND_U64] = 75388,
            [PVM_OP_ADD_IMM_32] = 38219,
            [PVM_OP_AND_IMM] = 12612,
            [PVM_OP_XOR_IMM] = 18,
            [PVM_OP_OR_IMM] = 1903,
            [PVM_OP_SET_LT_U_IMM] = 5094,
            [PVM_OP_SHLO_L_IMM_32] = 1,
            [PVM_OP_SHLO_R_IMM_32] = 9450,
            [PVM_OP_SHAR_R_IMM_32] = 1,
            [PVM_OP_NEG_ADD_IMM_32] = 1926,
            [PVM_OP_SET_GT_U_IMM] = 62,
            [PVM_OP_ADD_IMM_64] = 81140,
            [PVM_OP_SHLO_L_IMM_64] = 84832,
            [PVM_OP_SHLO_R_IMM_64] = 42524,
            [PVM_OP_SHAR_R_IMM_64] = 1,
            [PVM_OP_NEG_ADD_IMM_64] = 3788,
            [PVM_OP_ROT_R_64_IMM] = 1913,
            [PVM_OP_ROT_R_32_IMM] = 7946,
            [PVM_OP_BRANCH_EQ] = 7259,
            [PVM_OP_BRANCH_NE] = 26330,
            [PVM_OP_BRANCH_LT_U] = 16315,
            [PVM_OP_BRANCH_LT_S] = 108,
            [PVM_OP_BRANCH_GE_U] = 7094,
            [PVM_OP_BRANCH_GE_S] = 27,
            [PVM_OP_LOAD_IMM_JUMP_IND] = 472,
            [PVM_OP_ADD_32] = 7930,
            [PVM_OP_SUB_32] = 1702,
            [PVM_OP_ADD_64] = 165918,
            [PVM_OP_SUB_64] = 3843,
            [PVM_OP_MUL_64] = 26419,
            [PVM_OP_SHLO_L_64] = 11,
            [PVM_OP_SHLO_R_64] = 814,
            [PVM_OP_AND] = 14111,
            [PVM_OP_XOR] = 41595,
            [PVM_OP_OR] = 6428,
            [PVM_OP_MUL_UPPER_U_U] = 6449,
            [PVM_OP_SET_LT_U] = 8649,
            [PVM_OP_ROT_L_64] = 2403,
            [PVM_OP_AND_INV] = 3386,
            [PVM_OP_MAX_U] = 216,
            [PVM_OP_MIN_U] = 239,
        },
        .block_len_ppm = {
            [1] = 45211, [2] = 74834, [3] = 45006, [4] = 61941, [5] = 58463, [6] = 329239,
            [7] = 69312, [8] = 36439, [9] = 102436, [10] = 4780, [11] = 56701, [12] = 10793,
            [13] = 26829, [14] = 5226, [15] = 7134, [16] = 473, [17] = 10306, [18] = 4289,
            [19] = 470, [20] = 21, [21] = 15605, [22] = 9272, [23] = 1930, [25] = 2,
            [27] = 110, [29] = 1729, [30] = 926, [34] = 110, [36] = 496, [37] = 6,
            [39] = 11, [40] = 954, [41] = 3, [42] = 7, [43] = 7, [46] = 7012,
            [50] = 6, [51] = 171, [52] = 46, [53] = 140, [54] = 40, [55] = 9,
            [56] = 33, [57] = 14, [58] = 8, [59] = 20, [60] = 4, [64] = 11428,
        },
        .dep_distance_ppm = {389845, 146941, 12418, 56374, 394421},
        .critical_path_ppm = 525047,
        .branch_miss_ppm = 38074,
        .mispredict_ppm = 4313,
        .address_ppm = {182881, 15739, 283224, 61385, 456771},
    },
    {
        .target = "rv32",
        .builds = 17,
        .op_ppm = {
            [PVM_OP_FALLTHROUGH] = 5706,
            [PVM_OP_UNLIKELY] = 33738,
            [PVM_OP_JUMP] = 8639,
            [PVM_OP_JUMP_IND] = 3619,
            [PVM_OP_LOAD_IMM] = 17613,
            [PVM_OP_STORE_IMM_IND_U8] = 25,
            [PVM_OP_STORE_IMM_IND_U32] = 663,
            [PVM_OP_LOAD_IMM_JUMP] = 142,
            [PVM_OP_BRANCH_EQ_IMM] = 9429,
            [PVM_OP_BRANCH_NE_IMM] = 23233,
            [PVM_OP_BRANCH_LT_U_IMM] = 92,
            [PVM_OP_BRANCH_LE_U_IMM] = 12,
            [PVM_OP_BRANCH_GT_U_IMM] = 297,
            [PVM_OP_BRANCH_LT_S_IMM] = 263,
            [PVM_OP_BRANCH_LE_S_IMM] = 91,
            [PVM_OP_BRANCH_GT_S_IMM] = 65,
            [PVM_OP_MOVE_REG] = 23823,
            [PVM_OP_STORE_IND_U8] = 9534,
            [PVM_OP_STORE_IND_U32] = 59135,
            [PVM_OP_LOAD_IND_U8] = 26376,
            [PVM_OP_LOAD_IND_U16] = 1,
            [PVM_OP_LOAD_IND_I32] = 137280,
            [PVM_OP_ADD_IMM_32] = 85015,
            [PVM_OP_AND_IMM] = 9002,
            [PVM_OP_XOR_IMM] = 1440,
            [PVM_OP_OR_IMM] = 1012,
            [PVM_OP_SET_LT_U_IMM] = 6253,
            [PVM_OP_SHLO_L_IMM_32] = 60666,
            [PVM_OP_SHLO_R_IMM_32] = 35390,
            [PVM_OP_SHAR_R_IMM_32] = 1328,
            [PVM_OP_NEG_ADD_IMM_32] = 4946,
            [PVM_OP_SET_GT_U_IMM] = 31,
            [PVM_OP_ROT_R_32_IMM] = 7937,
            [PVM_OP_BRANCH_EQ] = 5299,
            [PVM_OP_BRANCH_NE] = 23234,
            [PVM_OP_BRANCH_LT_U] = 14541,
            [PVM_OP_BRANCH_GE_U] = 6069,
            [PVM_OP_BRANCH_GE_S] = 236,
            [PVM_OP_LOAD_IMM_JUMP_IND] = 257,
            [PVM_OP_ADD_32] = 202811,
            [PVM_OP_SUB_32] = 4172,
            [PVM_OP_MUL_32] = 32213,
            [PVM_OP_SHLO_L_32] = 2288,
            [PVM_OP_SHLO_R_32] = 2634,
            [PVM_OP_AND] = 11797,
            [PVM_OP_XOR] = 42652,
            [PVM_OP_OR] = 20668,
            [PVM_OP_MUL_UPPER_U_U] = 14234,
            [PVM_OP_SET_LT_U] = 40603,
            [PVM_OP_AND_INV] = 2990,
            [PVM_OP_MAX_U] = 240,
            [PVM_OP_MIN_U] = 266,
        },
        .block_len_ppm = {
            [1] = 34610, [2] = 115032, [3] = 48338, [4] = 103043, [5] = 94428, [6] = 37914,
            [7] = 53779, [8] = 42577, [9] = 74819, [10] = 168821, [11] = 56478, [12] = 23657,
            [13] = 7236, [14] = 29008, [15] = 14260, [16] = 208, [17] = 22969, [18] = 3924,
            [19] = 3293, [20] = 250, [21] = 8902, [22] = 70, [23] = 918, [24] = 1525,
            [25] = 342, [26] = 1521, [27] = 456, [28] = 1781, [29] = 13, [30] = 5,
            [32] = 1633, [33] = 314, [34] = 132, [38] = 2924, [39] = 4480, [40] = 3,
            [41] = 753, [43] = 1240, [46] = 16030, [48] = 6166, [50] = 164, [51] = 4042,
            [53] = 32, [54] = 134, [55] = 1, [56] = 198, [57] = 151, [58] = 32,
            [59] = 33, [60] = 297, [64] = 11064,
        },
        .dep_distance_ppm = {360134, 153035, 43910, 77886, 365036},
        .critical_path_ppm = 457948,
        .branch_miss_ppm = 43918,
        .mispredict_ppm = 4015,
        .address_ppm = {263901, 21703, 280501, 57868, 376028},
    },
};

#endif
