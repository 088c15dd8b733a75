/* Arithmetic modulo p = 2^255 - 19, the ed25519/curve25519 field: `size` rounds of one
 * multiplication and one squaring chained through two values. Checksum: the five 51-bit limbs
 * of both values after full reduction, i.e. of the unique representatives in [0, p), so it is
 * the same whatever representation the target computes in.
 *
 * The representation follows the target's word size, as real field code does:
 *   64-bit targets (UINTPTR_MAX > 2^32): five 51-bit limbs, 64x64->128-bit products
 *     (unsigned __int128);
 *   32-bit targets (riscv32, wasm32): ten limbs of 26 and 25 bits alternating (radix 2^25.5),
 *     32x32->64-bit products, as ref10/libsodium/fiat-crypto use on 32-bit machines.
 * Both compute the same field operations on the same field elements (the inputs are drawn as
 * 51-bit limbs and converted), so the checksums agree on every target. */
#include "guest_common.h"

/* A field element as five 51-bit limbs (value = sum limb[i] * 2^(51 i)): the seeds and the
 * checksum use it on every target. */
typedef struct {
    uint64_t limb[5];
} fe51;

#define LIMB_MASK ((1ull << 51) - 1)

/* The unique representative in [0, p). */
static fe51 fe51_canonical(fe51 a)
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

#if UINTPTR_MAX > 0xffffffffu
typedef unsigned __int128 u128;
typedef fe51 field_t;

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

static field_t field_from_51(const fe51 *a)
{
    return *a;
}

/* The canonical form, in place: written into the loop's own variable, clang allocates the
 * hot loop's registers as before the 32-bit path existed (a separate result variable made
 * the rv64 loop spill more: 3% more instructions). */
static const fe51 *field_reduce(field_t *a, fe51 *scratch)
{
    (void)scratch;
    *a = fe51_canonical(*a);
    return a;
}

#else /* 32-bit target */

/* value = sum limb[k] * 2^offset(k), offset(k) = ceil(25.5 k): 26-bit limbs at even k,
 * 25-bit limbs at odd k. */
typedef struct {
    uint32_t limb[10];
} field_t;

/* The loops below have constant bounds and index arithmetic that folds away once unrolled:
 * the straight-line code ref10 writes out by hand. */
#ifdef __clang__
#define UNROLLED _Pragma("clang loop unroll(full)")
#else
#define UNROLLED
#endif

static inline unsigned limb_bits(unsigned k)
{
    return k & 1 ? 25 : 26;
}

/* Folds ten 64-bit column sums back into 26/25-bit limbs (2^255 = 19 mod p); afterwards every
 * limb is below 2^26 (limb 1 below 2^25 + 2^16), which keeps the next products' column sums
 * below 2^62. */
static field_t carry_wide(uint64_t h[10])
{
    UNROLLED
    for (unsigned k = 0; k < 9; k++) {
        h[k + 1] += h[k] >> limb_bits(k);
        h[k] &= (1u << limb_bits(k)) - 1;
    }
    h[0] += (h[9] >> 25) * 19;
    h[9] &= (1u << 25) - 1;
    h[1] += h[0] >> 26;
    h[0] &= (1u << 26) - 1;
    field_t r;
    UNROLLED
    for (unsigned k = 0; k < 10; k++)
        r.limb[k] = (uint32_t)h[k];
    return r;
}

/* Limb i times limb j has weight 2^(offset(i) + offset(j)) = 2^offset(i + j), times 2 when
 * both are odd; a column i + j >= 10 wraps to i + j - 10 times 2^255 = 19. */
static field_t field_mul(const field_t *a, const field_t *b)
{
    const uint32_t *f = a->limb, *g = b->limb;
    uint32_t f_odd2[10], g19[10];
    UNROLLED
    for (unsigned i = 0; i < 10; i++) {
        f_odd2[i] = i & 1 ? 2 * f[i] : f[i];
        g19[i] = 19 * g[i];
    }
    uint64_t h[10];
    UNROLLED
    for (unsigned k = 0; k < 10; k++) {
        uint64_t sum = 0;
        UNROLLED
        for (unsigned i = 0; i < 10; i++) {
            unsigned j = i <= k ? k - i : k + 10 - i;
            uint32_t x = j & 1 ? f_odd2[i] : f[i];
            sum += (uint64_t)x * (i <= k ? g[j] : g19[j]);
        }
        h[k] = sum;
    }
    return carry_wide(h);
}

/* field_mul(a, a) with each off-diagonal product counted once, doubled. */
static field_t field_square(const field_t *a)
{
    const uint32_t *f = a->limb;
    uint32_t f19[10];
    UNROLLED
    for (unsigned i = 0; i < 10; i++)
        f19[i] = 19 * f[i];
    uint64_t h[10] = {0};
    UNROLLED
    for (unsigned i = 0; i < 10; i++) {
        UNROLLED
        for (unsigned j = i; j < 10; j++) {
            uint32_t scale = (i != j ? 2 : 1) * (i & j & 1 ? 2 : 1);
            h[(i + j) % 10] += (uint64_t)(scale * f[i]) * (i + j < 10 ? f[j] : f19[j]);
        }
    }
    return carry_wide(h);
}

/* offset(2m) = 51 m and offset(2m + 1) = 51 m + 26: limbs 2m and 2m + 1 are the low 26 and
 * the high 25 bits of 51-bit limb m. */
static field_t field_from_51(const fe51 *a)
{
    field_t r;
    UNROLLED
    for (unsigned m = 0; m < 5; m++) {
        r.limb[2 * m] = (uint32_t)a->limb[m] & ((1u << 26) - 1);
        r.limb[2 * m + 1] = (uint32_t)(a->limb[m] >> 26);
    }
    return r;
}

/* The canonical form as 51-bit limbs, in scratch (a limb 2m + 2m + 1 pair may exceed 51 bits a
 * little before fe51_canonical carries). */
static const fe51 *field_reduce(field_t *a, fe51 *scratch)
{
    UNROLLED
    for (unsigned m = 0; m < 5; m++)
        scratch->limb[m] = a->limb[2 * m] + ((uint64_t)a->limb[2 * m + 1] << 26);
    *scratch = fe51_canonical(*scratch);
    return scratch;
}

#endif

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 25519;
    fe51 x51, y51;
    for (int i = 0; i < 5; i++) {
        x51.limb[i] = rng_next(&seed) & LIMB_MASK;
        y51.limb[i] = rng_next(&seed) & LIMB_MASK;
    }
    field_t x = field_from_51(&x51), y = field_from_51(&y51);
    for (uint32_t i = 0; i < size; i++) {
        x = field_mul(&x, &y);
        y = field_square(&y);
        y.limb[0] += i & 0xff; /* keep y from settling into a short cycle */
    }
    const fe51 *xr = field_reduce(&x, &x51), *yr = field_reduce(&y, &y51);
    uint64_t sum = 0;
    for (int i = 0; i < 5; i++)
        sum = checksum_mix(checksum_mix(sum, xr->limb[i]), yr->limb[i]);
    return sum;
}
