/* FNV-1a 64: deterministic ids (module cache keys). Not for security. */
#ifndef PVM_UTIL_HASH_H
#define PVM_UTIL_HASH_H
#include <stddef.h>
#include <stdint.h>
static inline uint64_t pvm_hash64(const void *data, size_t len, uint64_t seed)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}
#endif
