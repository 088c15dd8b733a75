/* Montgomery multiplication of 1024-bit numbers held in 32 limbs of 32 bits (word-by-word
 * reduction, CIOS), as an RSA or Diffie-Hellman implementation in portable C does: the
 * modulus is a generated odd number, the inverse -m^-1 mod 2^32 by Newton's iteration, and
 * `size` multiplications chained x = x * y * R^-1 mod m, with a final conditional
 * subtraction. Checksum: the limbs of the result. */
#include "guest_common.h"

#define LIMBS 32u
static uint32_t modulus[LIMBS], x[LIMBS], y[LIMBS], t[LIMBS + 2];

static uint32_t inverse_of_odd(uint32_t m0) /* -m0^-1 mod 2^32 */
{
    uint32_t inv = m0; /* correct to 3 bits; each step doubles them */
    for (int i = 0; i < 4; i++)
        inv *= 2u - m0 * inv;
    return 0u - inv;
}

/* x = x * y * 2^-1024 mod modulus (inputs below the modulus). */
static void mont_mul(uint32_t m_inv)
{
    for (uint32_t i = 0; i < LIMBS + 2; i++)
        t[i] = 0;
    for (uint32_t i = 0; i < LIMBS; i++) {
        uint64_t carry = 0;
        for (uint32_t j = 0; j < LIMBS; j++) {
            uint64_t v = (uint64_t)x[j] * y[i] + t[j] + carry;
            t[j] = (uint32_t)v;
            carry = v >> 32;
        }
        uint64_t v = (uint64_t)t[LIMBS] + carry;
        t[LIMBS] = (uint32_t)v;
        t[LIMBS + 1] = (uint32_t)(v >> 32);
        uint32_t q = t[0] * m_inv;
        carry = ((uint64_t)modulus[0] * q + t[0]) >> 32;
        for (uint32_t j = 1; j < LIMBS; j++) {
            uint64_t w = (uint64_t)modulus[j] * q + t[j] + carry;
            t[j - 1] = (uint32_t)w;
            carry = w >> 32;
        }
        v = (uint64_t)t[LIMBS] + carry;
        t[LIMBS - 1] = (uint32_t)v;
        t[LIMBS] = t[LIMBS + 1] + (uint32_t)(v >> 32);
    }
    /* t < 2 m: subtract m once if t >= m */
    int geq = t[LIMBS] != 0;
    if (!geq) {
        geq = 1;
        for (uint32_t j = LIMBS; j-- > 0;)
            if (t[j] != modulus[j]) {
                geq = t[j] > modulus[j];
                break;
            }
    }
    uint64_t borrow = 0;
    for (uint32_t j = 0; j < LIMBS; j++) {
        uint64_t d = (uint64_t)t[j] - (geq ? modulus[j] : 0) - borrow;
        x[j] = (uint32_t)d;
        borrow = d >> 63;
    }
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 1024;
    for (uint32_t j = 0; j < LIMBS; j++) {
        modulus[j] = (uint32_t)rng_next(&seed);
        x[j] = (uint32_t)rng_next(&seed);
        y[j] = (uint32_t)rng_next(&seed);
    }
    modulus[0] |= 1;
    modulus[LIMBS - 1] |= 0x80000000u;
    x[LIMBS - 1] &= 0x7fffffffu; /* below the modulus */
    y[LIMBS - 1] &= 0x7fffffffu;
    uint32_t m_inv = inverse_of_odd(modulus[0]);
    for (uint32_t k = 0; k < size; k++) {
        mont_mul(m_inv);
        y[k % LIMBS] ^= x[(k * 7u) % LIMBS]; /* the next multiplier depends on the result */
        y[LIMBS - 1] &= 0x7fffffffu;
    }
    uint64_t sum = 0;
    for (uint32_t j = 0; j < LIMBS; j++)
        sum = checksum_mix(sum, x[j]);
    return sum;
}
