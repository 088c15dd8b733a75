/* Prime sieve of Eratosthenes over [0, size), one byte per number (bounded by a static
 * buffer). Checksum: the prime count and the sum of all primes. Loads/stores with a
 * growing stride plus a dense final scan. */
#include "guest_common.h"

#define SIEVE_MAX (48u << 20)
static uint8_t composite[SIEVE_MAX];

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint32_t limit = min_u32(size, SIEVE_MAX);
    memset(composite, 0, limit);
    for (uint32_t p = 2; (uint64_t)p * p < limit; p++) {
        if (composite[p])
            continue;
        for (uint32_t multiple = p * p; multiple < limit; multiple += p)
            composite[multiple] = 1;
    }
    uint64_t count = 0, sum = 0;
    for (uint32_t n = 2; n < limit; n++) {
        if (!composite[n]) {
            count++;
            sum += n;
        }
    }
    return checksum_mix(count, sum);
}
