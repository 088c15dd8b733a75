/* The fuzzers' random source (see fuzz_rng.h). */
#include "fuzz_rng.h"
#include <string.h>

uint64_t fz_next(fz_rng *r)
{
    if (r->pos + 8 <= r->len) {
        uint64_t v;
        memcpy(&v, r->bytes + r->pos, 8);
        r->pos += 8;
        return v;
    }
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
