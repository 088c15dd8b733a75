/* Small helpers every benchmark guest shares: a deterministic PRNG and a checksum mixer.
 * Header-only (static inline) so that each guest stays a single translation unit. */
#ifndef GUEST_COMMON_H
#define GUEST_COMMON_H

#include "pvm_guest.h"

/* Every guest exports this entry point: run the workload at `size` and return a checksum
 * that depends on all of the work (so the compiler cannot drop any of it). Each call starts
 * from the same state, so repeated calls return the same value. */
#define GUEST_ENTRY PVM_EXPORT(uint64_t, run, uint32_t)

/* splitmix64: a full-period 64-bit generator, good enough for test data. */
static inline uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform-enough value in [0, bound) without a 64-bit division (bound < 2^32). */
static inline uint32_t rng_below(uint64_t *state, uint32_t bound)
{
    return (uint32_t)(((rng_next(state) >> 32) * (uint64_t)bound) >> 32);
}

static inline uint64_t rotl64(uint64_t x, unsigned n)
{
    return (x << (n & 63)) | (x >> ((64 - n) & 63));
}

/* Folds one value into a running checksum: order-sensitive, and a bijection of `value`
 * for a fixed `sum` (rotate, xor, odd multiply, xor-shift), so no input bit is lost. */
static inline uint64_t checksum_mix(uint64_t sum, uint64_t value)
{
    uint64_t x = (rotl64(sum, 5) ^ value) * 0x9fb21c651e98df25u;
    return x ^ (x >> 29);
}

/* An unaligned little-endian load; a constant-size builtin copy compiles to loads even
 * under -ffreestanding (no call into the runtime). */
static inline uint64_t load_u64(const void *p)
{
    uint64_t value;
    __builtin_memcpy(&value, p, sizeof value);
    return value;
}

static inline uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

#endif /* GUEST_COMMON_H */
