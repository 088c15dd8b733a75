/* Probe (not a benchmark guest): recursive backtracking, N-queens on byte arrays (columns and
 * both diagonals) and subset sum with pruning over generated weights. Calls and returns at
 * every level, byte loads and stores, data-dependent early exits. size: rounds (one 9-queens
 * count and one subset-sum search each). */
#include "guest_common.h"

static uint8_t col[16], d1[32], d2[32];
static uint32_t nq;

static uint32_t place(uint32_t row)
{
    if (row == nq) return 1;
    uint32_t found = 0;
    for (uint32_t c = 0; c < nq; c++) {
        if (col[c] | d1[row + c] | d2[row + nq - c]) continue;
        col[c] = d1[row + c] = d2[row + nq - c] = 1;
        found += place(row + 1);
        col[c] = d1[row + c] = d2[row + nq - c] = 0;
    }
    return found;
}

static uint32_t w[24], suffix[25], nw;

static uint32_t subsets(uint32_t i, uint32_t left)
{
    if (left == 0) return 1;
    if (i == nw || suffix[i] < left) return 0;
    uint32_t n = subsets(i + 1, left);
    if (w[i] <= left) n += subsets(i + 1, left - w[i]);
    return n;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 12345, sum = 0;
    for (uint32_t round = 0; round < size; round++) {
        nq = 7 + round % 3;
        sum = checksum_mix(sum, place(0));
        nw = 16 + round % 5;
        for (uint32_t i = 0; i < nw; i++) w[i] = 1 + rng_below(&seed, 40);
        suffix[nw] = 0;
        for (uint32_t i = nw; i-- > 0;) suffix[i] = suffix[i + 1] + w[i];
        sum = checksum_mix(sum, subsets(0, suffix[0] / 3));
    }
    return sum;
}
