/* Integer matrix multiply C = A x B of size x size 32-bit matrices (wrapping arithmetic),
 * i-k-j loop order so the inner loop streams rows. Checksum: every element of C. */
#include "guest_common.h"

#define MATMUL_MAX 768u
static uint32_t a[MATMUL_MAX * MATMUL_MAX], b[MATMUL_MAX * MATMUL_MAX], c[MATMUL_MAX * MATMUL_MAX];

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint32_t n = min_u32(size, MATMUL_MAX);
    uint64_t seed = 5;
    for (uint32_t i = 0; i < n * n; i++) {
        uint64_t r = rng_next(&seed);
        a[i] = (uint32_t)r;
        b[i] = (uint32_t)(r >> 32);
        c[i] = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t *row = &c[i * n];
        for (uint32_t k = 0; k < n; k++) {
            uint32_t factor = a[i * n + k];
            const uint32_t *b_row = &b[k * n];
            for (uint32_t j = 0; j < n; j++)
                row[j] += factor * b_row[j];
        }
    }
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n * n; i++)
        sum = checksum_mix(sum, c[i]);
    return sum;
}
