/* Probe (not a benchmark guest): Boyer-Moore-Horspool search for 8 patterns over 16 KiB of
 * generated text from a small alphabet (many partial matches), counting occurrences.
 * size: passes over the text. */
#include "guest_common.h"

#define N 16384
static uint8_t text[N];
static uint8_t pat[8][12];
static uint32_t plen[8];

static uint32_t search(const uint8_t *p, uint32_t m)
{
    uint32_t shift[256], count = 0;
    for (int c = 0; c < 256; c++) shift[c] = m;
    for (uint32_t i = 0; i + 1 < m; i++) shift[p[i]] = m - 1 - i;
    uint32_t i = 0;
    while (i + m <= N) {
        uint8_t last = text[i + m - 1];
        if (last == p[m - 1]) {
            uint32_t j = 0;
            while (j + 1 < m && text[i + j] == p[j]) j++;
            if (j + 1 == m) count++;
        }
        i += shift[last];
    }
    return count;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 11, sum = 0;
    for (uint32_t i = 0; i < N; i++) text[i] = (uint8_t)("abcdeab a"[rng_below(&seed, 9)]);
    for (int k = 0; k < 8; k++) {
        plen[k] = 3 + rng_below(&seed, 9);
        for (uint32_t j = 0; j < plen[k]; j++) pat[k][j] = (uint8_t)("abcdeab a"[rng_below(&seed, 9)]);
    }
    for (uint32_t r = 0; r < size; r++)
        for (int k = 0; k < 8; k++) sum = checksum_mix(sum, search(pat[k], plen[k]) + r);
    return sum;
}
