/* Levenshtein edit distance by dynamic programming (two rows, unit costs) between pairs of
 * generated strings of 600 letters over a 4-letter alphabet, the second a mutated copy of
 * the first (substitutions, insertions, deletions), so the distances are neither 0 nor the
 * length. `size` pairs. Checksum: every distance and the last row's sum. */
#include "guest_common.h"

#define LENGTH 600u
static uint8_t a[LENGTH], b[LENGTH + LENGTH / 8];
static uint32_t row0[LENGTH + LENGTH / 8 + 1], row1[LENGTH + LENGTH / 8 + 1];

static uint32_t mutate(uint64_t *seed)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < LENGTH && n < LENGTH + LENGTH / 8 - 1; i++) {
        uint32_t r = rng_below(seed, 100);
        if (r < 6) /* substitution */
            b[n++] = (uint8_t)((a[i] + 1 + rng_below(seed, 3)) & 3);
        else if (r < 10) { /* insertion before this letter */
            b[n++] = (uint8_t)rng_below(seed, 4);
            b[n++] = a[i];
        } else if (r >= 14) /* 10..13: deletion */
            b[n++] = a[i];
    }
    return n;
}

static uint32_t distance(uint32_t m, uint32_t n, uint64_t *row_sum)
{
    uint32_t *prev = row0, *cur = row1;
    for (uint32_t j = 0; j <= n; j++)
        prev[j] = j;
    for (uint32_t i = 1; i <= m; i++) {
        cur[0] = i;
        uint8_t ai = a[i - 1];
        for (uint32_t j = 1; j <= n; j++) {
            uint32_t best = prev[j - 1] + (ai != b[j - 1]);
            uint32_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            best = del < best ? del : best;
            best = ins < best ? ins : best;
            cur[j] = best;
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    uint64_t s = 0;
    for (uint32_t j = 0; j <= n; j++)
        s += prev[j];
    *row_sum = s;
    return prev[n];
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 600, sum = 0;
    for (uint32_t pair = 0; pair < size; pair++) {
        for (uint32_t i = 0; i < LENGTH; i++)
            a[i] = (uint8_t)rng_below(&seed, 4);
        uint32_t n = mutate(&seed);
        uint64_t row_sum;
        uint32_t d = distance(LENGTH, n, &row_sum);
        sum = checksum_mix(sum, (uint64_t)d << 32 ^ row_sum);
    }
    return sum;
}
