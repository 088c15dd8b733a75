/* The "gas quiz": three guests with the same instructions and the same number of loads,
 * differing only in the stride (in 8-byte words) between the addresses they visit.
 *
 * QUIZ_LINES addresses, a[0], a[stride], a[2*stride], ..., form a ring of indices (each
 * holds the index of the next) in one big static array, and the guest walks the ring for
 * `size` dependent loads. A per-instruction gas model charges all three the same, but:
 *   stride 1     - the ring is 2 KiB of consecutive words: L1 hits;
 *   stride 2053  - 256 lines spread over all cache sets (16 KiB in all): L1 hits;
 *   stride 2048  - 256 lines 16 KiB apart, all in the same L1 set and a handful of L2
 *                  sets: conflict misses on every load, served from L2/L3 at best.
 * So 2048 is much slower per access than 2053 on real hardware. Included by the three
 * gas_quiz_stride*.c files, each defining QUIZ_STRIDE. */
#ifndef GAS_QUIZ_H
#define GAS_QUIZ_H

#include "guest_common.h"

#define QUIZ_LINES 256u
#define QUIZ_MAX_STRIDE 2053u
/* The big array: the largest ring fits; 4.2 MB of .bss. */
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
