/* Probe (not a benchmark guest): zigzag LEB128 varints: a stream of values of mixed
 * magnitude encoded into a buffer, then decoded and delta-summed. Loops whose trip count
 * is the value's byte length (1-10), unpredictable. size: thousands of values. */
#include "guest_common.h"

static uint8_t buf[1 << 16];
static int64_t vals[4096];

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 9, sum = 0;
    for (uint32_t round = 0; round < size; round++) {
        for (int i = 0; i < 4096; i++) {
            uint64_t r = rng_next(&seed);
            vals[i] = (int64_t)(r >> (r & 63)) * ((r >> 7 & 1) ? -1 : 1);
        }
        uint32_t n = 0;
        int64_t prev = 0;
        for (int i = 0; i < 4096; i++) {
            int64_t d = vals[i] - prev;
            prev = vals[i];
            uint64_t z = (uint64_t)(d << 1) ^ (uint64_t)(d >> 63);
            while (z >= 0x80) { buf[n++] = (uint8_t)(z | 0x80); z >>= 7; }
            buf[n++] = (uint8_t)z;
        }
        uint32_t p = 0;
        prev = 0;
        for (int i = 0; i < 4096; i++) {
            uint64_t z = 0;
            unsigned sh = 0;
            uint8_t b;
            do { b = buf[p++]; z |= (uint64_t)(b & 0x7f) << sh; sh += 7; } while (b & 0x80);
            prev += (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
            if (prev != vals[i]) return 0;
            sum += (uint64_t)prev;
        }
        sum = checksum_mix(sum, n);
    }
    return sum;
}
