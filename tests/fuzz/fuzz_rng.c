/* The fuzzers' random source (see fuzz_rng.h). */
#include "fuzz_rng.h"
#include <string.h>

#include "vm/util/splitmix.h"

uint64_t fz_next(fz_rng *r)
{
    if (r->pos + 8 <= r->len) {
        uint64_t v;
        memcpy(&v, r->bytes + r->pos, 8);
        r->pos += 8;
        return v;
    }
    return util_splitmix64(&r->state);
}
