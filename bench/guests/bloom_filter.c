/* A Bloom filter of 2^20 bits (128 KiB) with seven probes per key, as caches and databases
 * put in front of a slower lookup: each 64-bit key is hashed once (a multiply-xorshift
 * mixer) and its probes derived by double hashing (h1 + i*h2, Kirsch-Mitzenmacher), then
 * bits are set (insert) or tested with an early exit on the first clear bit (query). Each of
 * `size` rounds clears the filter, inserts 100000 generated keys and queries 200000, half of
 * them inserted ones (always found) and half fresh (found at the false-positive rate, about
 * 0.7 %). Random loads and stores over 128 KiB, multiplies, data-dependent exits. Checksum:
 * the hits and the sum of the hits' keys of every round. */
#include "guest_common.h"

#define FILTER_BITS (1u << 20)
#define PROBES 7u
#define INSERTS 100000u

static uint64_t filter[FILTER_BITS / 64];

static uint64_t mix(uint64_t key)
{
    key ^= key >> 32;
    key *= 0xd6e8feb86659fd93u;
    key ^= key >> 32;
    key *= 0xd6e8feb86659fd93u;
    return key ^ (key >> 32);
}

static void insert(uint64_t key)
{
    uint64_t h = mix(key);
    uint32_t h1 = (uint32_t)h, h2 = (uint32_t)(h >> 32) | 1u;
    for (uint32_t i = 0; i < PROBES; i++) {
        uint32_t bit = (h1 + i * h2) & (FILTER_BITS - 1);
        filter[bit / 64] |= 1ull << (bit % 64);
    }
}

static int query(uint64_t key)
{
    uint64_t h = mix(key);
    uint32_t h1 = (uint32_t)h, h2 = (uint32_t)(h >> 32) | 1u;
    for (uint32_t i = 0; i < PROBES; i++) {
        uint32_t bit = (h1 + i * h2) & (FILTER_BITS - 1);
        if (!(filter[bit / 64] >> (bit % 64) & 1u))
            return 0;
    }
    return 1;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 0xb100, sum = 0;
    for (uint32_t round = 0; round < size; round++) {
        for (uint32_t i = 0; i < FILTER_BITS / 64; i++)
            filter[i] = 0;
        uint64_t first = seed;
        for (uint32_t i = 0; i < INSERTS; i++)
            insert(rng_next(&seed));
        uint64_t again = first, hits = 0, keys = 0;
        for (uint32_t i = 0; i < 2 * INSERTS; i++) {
            uint64_t key = i & 1u ? rng_next(&seed) : rng_next(&again);
            if (query(key)) {
                hits++;
                keys += key;
            }
        }
        sum = checksum_mix(sum, hits << 40 ^ keys);
    }
    return sum;
}
