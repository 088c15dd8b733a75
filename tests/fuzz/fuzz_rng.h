/* The fuzzers' random source: the fuzzer's input bytes first (libFuzzer),
 * then a splitmix64 stream; shared by the case generator (fuzz_case.c), the
 * deep-program generator (fuzz_deep.c) and the differential runner. */
#ifndef PVM_FUZZ_RNG_H
#define PVM_FUZZ_RNG_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *bytes;
    size_t len, pos;
    uint64_t state;
} fz_rng;
uint64_t fz_next(fz_rng *r);
static inline uint64_t fz_below(fz_rng *r, uint64_t n) { return n ? fz_next(r) % n : 0; }
#endif
