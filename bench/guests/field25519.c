/* Arithmetic modulo p = 2^255 - 19 on five 51-bit limbs with 64x64->128-bit products, the
 * ed25519/curve25519 field: `size` rounds of one multiplication and one squaring chained
 * through two values. Checksum: the limbs of both values after full reduction.
 * riscv32 has no native __int128: build it with -fforce-enable-int128 (products become
 * __multi3 calls, as with Rust's u128 on rv32). */
#include "guest_common.h"

typedef unsigned __int128 u128;
typedef struct {
    uint64_t limb[5];
} field_t;

#define LIMB_MASK ((1ull << 51) - 1)

/* Folds five 128-bit column sums back into 51-bit limbs (2^255 = 19 mod p). */
static field_t carry_wide(u128 c0, u128 c1, u128 c2, u128 c3, u128 c4)
{
    field_t r;
    c1 += (uint64_t)(c0 >> 51);
    r.limb[0] = (uint64_t)c0 & LIMB_MASK;
    c2 += (uint64_t)(c1 >> 51);
    r.limb[1] = (uint64_t)c1 & LIMB_MASK;
    c3 += (uint64_t)(c2 >> 51);
    r.limb[2] = (uint64_t)c2 & LIMB_MASK;
    c4 += (uint64_t)(c3 >> 51);
    r.limb[3] = (uint64_t)c3 & LIMB_MASK;
    uint64_t top = (uint64_t)(c4 >> 51);
    r.limb[4] = (uint64_t)c4 & LIMB_MASK;
    r.limb[0] += top * 19;
    r.limb[1] += r.limb[0] >> 51;
    r.limb[0] &= LIMB_MASK;
    return r;
}

static field_t field_mul(const field_t *a, const field_t *b)
{
    const uint64_t *x = a->limb, *y = b->limb;
    uint64_t y1_19 = y[1] * 19, y2_19 = y[2] * 19, y3_19 = y[3] * 19, y4_19 = y[4] * 19;
    u128 c0 = (u128)x[0] * y[0] + (u128)x[1] * y4_19 + (u128)x[2] * y3_19 + (u128)x[3] * y2_19 +
              (u128)x[4] * y1_19;
    u128 c1 = (u128)x[0] * y[1] + (u128)x[1] * y[0] + (u128)x[2] * y4_19 + (u128)x[3] * y3_19 +
              (u128)x[4] * y2_19;
    u128 c2 = (u128)x[0] * y[2] + (u128)x[1] * y[1] + (u128)x[2] * y[0] + (u128)x[3] * y4_19 +
              (u128)x[4] * y3_19;
    u128 c3 = (u128)x[0] * y[3] + (u128)x[1] * y[2] + (u128)x[2] * y[1] + (u128)x[3] * y[0] +
              (u128)x[4] * y4_19;
    u128 c4 = (u128)x[0] * y[4] + (u128)x[1] * y[3] + (u128)x[2] * y[2] + (u128)x[3] * y[1] +
              (u128)x[4] * y[0];
    return carry_wide(c0, c1, c2, c3, c4);
}

static field_t field_square(const field_t *a)
{
    const uint64_t *x = a->limb;
    uint64_t x0_2 = x[0] * 2, x1_2 = x[1] * 2, x3_19 = x[3] * 19, x4_19 = x[4] * 19;
    u128 c0 = (u128)x[0] * x[0] + (u128)x1_2 * x4_19 + (u128)(x[2] * 2) * x3_19;
    u128 c1 = (u128)x0_2 * x[1] + (u128)(x[2] * 2) * x4_19 + (u128)x[3] * x3_19;
    u128 c2 = (u128)x0_2 * x[2] + (u128)x[1] * x[1] + (u128)(x[3] * 2) * x4_19;
    u128 c3 = (u128)x0_2 * x[3] + (u128)x1_2 * x[2] + (u128)x[4] * x4_19;
    u128 c4 = (u128)x0_2 * x[4] + (u128)x1_2 * x[3] + (u128)x[2] * x[2];
    return carry_wide(c0, c1, c2, c3, c4);
}

/* The unique representative in [0, p). */
static field_t field_canonical(field_t a)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 4; i++) {
            a.limb[i + 1] += a.limb[i] >> 51;
            a.limb[i] &= LIMB_MASK;
        }
        a.limb[0] += (a.limb[4] >> 51) * 19;
        a.limb[4] &= LIMB_MASK;
    }
    /* Now a < 2^255; subtract p once if a >= p, i.e. if a + 19 carries out of bit 255. */
    uint64_t carry = (a.limb[0] + 19) >> 51;
    for (int i = 1; i < 5; i++)
        carry = (a.limb[i] + carry) >> 51;
    a.limb[0] += 19 * carry;
    for (int i = 0; i < 4; i++) {
        a.limb[i + 1] += a.limb[i] >> 51;
        a.limb[i] &= LIMB_MASK;
    }
    a.limb[4] &= LIMB_MASK;
    return a;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 25519;
    field_t x, y;
    for (int i = 0; i < 5; i++) {
        x.limb[i] = rng_next(&seed) & LIMB_MASK;
        y.limb[i] = rng_next(&seed) & LIMB_MASK;
    }
    for (uint32_t i = 0; i < size; i++) {
        x = field_mul(&x, &y);
        y = field_square(&y);
        y.limb[0] += i & 0xff; /* keep y from settling into a short cycle */
    }
    x = field_canonical(x);
    y = field_canonical(y);
    uint64_t sum = 0;
    for (int i = 0; i < 5; i++)
        sum = checksum_mix(checksum_mix(sum, x.limb[i]), y.limb[i]);
    return sum;
}
