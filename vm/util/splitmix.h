/* splitmix64: a small generator whose sequence is fixed by its seed on every
 * machine (bootstrap resampling, generated programs, test data). Not for security. */
#ifndef PVM_UTIL_SPLITMIX_H
#define PVM_UTIL_SPLITMIX_H

#include <stdint.h>

static inline uint64_t util_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

#endif
