/* Bits set in a 64-bit word, inline. __builtin_popcountll becomes a call into
 * libgcc on a baseline x86-64 build (no -mpopcnt: the binary runs on any
 * x86-64), about 20 instructions a word; this is a dozen, without the call. */
#ifndef PVMLAB_UTIL_POPCOUNT_H
#define PVMLAB_UTIL_POPCOUNT_H
#include <stdint.h>

static inline uint32_t util_popcount64(uint64_t x)
{
#ifdef __POPCNT__
    return (uint32_t)__builtin_popcountll(x);
#else
    x -= (x >> 1) & UINT64_C(0x5555555555555555);
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (uint32_t)((x * UINT64_C(0x0101010101010101)) >> 56);
#endif
}
#endif
