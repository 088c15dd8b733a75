/* The "gas quiz": three guests with the same instructions and the same number of loads,
 * differing only in the stride (in 8-byte words) between the addresses they visit.
 *
 * QUIZ_LINES addresses, a[0], a[stride], a[2*stride], ..., form a ring of indices (each
 * holds the index of the next) in one static array, and the guest walks the ring for `size`
 * dependent loads. A per-instruction gas model charges all three the same, but:
 *   stride 1     - the ring is 512 consecutive bytes: L1 hits;
 *   stride 2053  - 64 lines 16 KiB + 40 bytes apart, spread over the L1 sets, on 64 pages
 *                  (within the L1 TLB): L1 hits, as fast as stride 1;
 *   stride 2048  - 64 lines exactly 16 KiB apart: all in one L1 set (a 32-48 KiB L1 has
 *                  8-12 ways), so every load misses L1 and is served from L2.
 * Measured here (Zen 5, 30M loads): 43 / 43 / 134 ms. With 128 or more lines the 2053 ring
 * outgrows the L1 TLB and loses most of its advantage, which is why the ring is short. That
 * is one core's design: on an Intel Xeon VM (48 KiB 12-way L1d, 2 MiB L2; 2026-12-05) the
 * same walk in native C takes 1.7 / 4.0 / 6.6 ns a load (64 lines, 4 KiB pages, best of 5;
 * transparent huge pages do not help, so it is not the TLB): with more than 16 lines the
 * 2053 ring misses L1 there too, and the three differ by 3.9x where a per-instruction model
 * charges them the same. The array only has to be as large as the longest ring (1 MB).
 * Included by the three gas_quiz_stride*.c files, each defining QUIZ_STRIDE. The checksums
 * in guests.def assume the default QUIZ_LINES. */
#ifndef GAS_QUIZ_H
#define GAS_QUIZ_H

#include "guest_common.h"

#ifndef QUIZ_LINES
#define QUIZ_LINES 64u
#endif
#define QUIZ_MAX_STRIDE 2053u
/* Sized for the longest ring. */
static uint64_t quiz_array[QUIZ_LINES * QUIZ_MAX_STRIDE];

static uint64_t gas_quiz_walk(uint32_t stride, uint32_t loads)
{
    for (uint32_t i = 0; i < QUIZ_LINES; i++)
        quiz_array[i * stride] = (uint64_t)((i + 1) % QUIZ_LINES) * stride;
    uint64_t at = 0, sum = 0;
    for (uint32_t i = 0; i < loads; i++) {
        at = quiz_array[at];
        sum += at;
    }
    return checksum_mix(sum, at);
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    return gas_quiz_walk(QUIZ_STRIDE, size);
}

#endif /* GAS_QUIZ_H */
