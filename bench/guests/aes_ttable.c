/* AES-128 in counter mode with the classic four 1 KiB T-tables (SubBytes, ShiftRows and
 * MixColumns of one column as four table loads and three xors), as table-driven software AES
 * is written where there is no AES instruction. The S-box and the tables are computed at the
 * start of each call (multiplicative inverses in GF(2^8) and the affine map), the key schedule
 * expanded from a generated key, then `size` x 64 counter blocks encrypted. Checksum: the xor
 * and the sum of every ciphertext word, and the last block. */
#include "guest_common.h"

static uint8_t sbox[256];
static uint32_t te0[256], te1[256], te2[256], te3[256];
static uint32_t round_key[44];

static uint8_t gf_mul2(uint8_t x)
{
    return (uint8_t)((x << 1) ^ ((x & 0x80u) ? 0x1bu : 0u));
}

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t product = 0;
    while (b) {
        if (b & 1u)
            product ^= a;
        a = gf_mul2(a);
        b >>= 1;
    }
    return product;
}

static uint32_t rotr32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static void build_tables(void)
{
    for (uint32_t x = 0; x < 256; x++) {
        /* x^254 is x's inverse (x^255 = 1), and 0 for 0 */
        uint8_t inverse = 1, power = (uint8_t)x;
        for (unsigned bit = 1; bit < 8; bit++) {
            power = gf_mul(power, power);
            inverse = gf_mul(inverse, power);
        }
        uint8_t s = inverse;
        for (unsigned shift = 1; shift <= 4; shift++)
            s ^= (uint8_t)((inverse << shift) | (inverse >> (8u - shift)));
        sbox[x] = (uint8_t)(s ^ 0x63u);
    }
    for (uint32_t x = 0; x < 256; x++) {
        uint8_t s = sbox[x], s2 = gf_mul2(s), s3 = (uint8_t)(s2 ^ s);
        uint32_t t = (uint32_t)s2 | (uint32_t)s << 8 | (uint32_t)s << 16 | (uint32_t)s3 << 24;
        te0[x] = t;
        te1[x] = rotr32(t, 24);
        te2[x] = rotr32(t, 16);
        te3[x] = rotr32(t, 8);
    }
}

static uint32_t sub_word(uint32_t w)
{
    return (uint32_t)sbox[w & 0xff] | (uint32_t)sbox[(w >> 8) & 0xff] << 8 |
           (uint32_t)sbox[(w >> 16) & 0xff] << 16 | (uint32_t)sbox[w >> 24] << 24;
}

static void expand_key(const uint32_t key[4])
{
    uint32_t rcon = 1;
    for (unsigned i = 0; i < 4; i++)
        round_key[i] = key[i];
    for (unsigned i = 4; i < 44; i++) {
        uint32_t t = round_key[i - 1];
        if (i % 4 == 0) {
            t = sub_word(rotr32(t, 8)) ^ rcon;
            rcon = gf_mul2((uint8_t)rcon);
        }
        round_key[i] = round_key[i - 4] ^ t;
    }
}

/* One block, columns as little-endian words (byte 0 of the column in the low bits). */
static void encrypt_block(const uint32_t in[4], uint32_t out[4])
{
    uint32_t s0 = in[0] ^ round_key[0], s1 = in[1] ^ round_key[1];
    uint32_t s2 = in[2] ^ round_key[2], s3 = in[3] ^ round_key[3];
    for (unsigned round = 1; round < 10; round++) {
        const uint32_t *k = &round_key[4 * round];
        uint32_t t0 = te0[s0 & 0xff] ^ te1[(s1 >> 8) & 0xff] ^ te2[(s2 >> 16) & 0xff] ^ te3[s3 >> 24] ^ k[0];
        uint32_t t1 = te0[s1 & 0xff] ^ te1[(s2 >> 8) & 0xff] ^ te2[(s3 >> 16) & 0xff] ^ te3[s0 >> 24] ^ k[1];
        uint32_t t2 = te0[s2 & 0xff] ^ te1[(s3 >> 8) & 0xff] ^ te2[(s0 >> 16) & 0xff] ^ te3[s1 >> 24] ^ k[2];
        uint32_t t3 = te0[s3 & 0xff] ^ te1[(s0 >> 8) & 0xff] ^ te2[(s1 >> 16) & 0xff] ^ te3[s2 >> 24] ^ k[3];
        s0 = t0;
        s1 = t1;
        s2 = t2;
        s3 = t3;
    }
    const uint32_t *k = &round_key[40];
    out[0] = sub_word((s0 & 0xff) | (s1 & 0xff00) | (s2 & 0xff0000) | (s3 & 0xff000000)) ^ k[0];
    out[1] = sub_word((s1 & 0xff) | (s2 & 0xff00) | (s3 & 0xff0000) | (s0 & 0xff000000)) ^ k[1];
    out[2] = sub_word((s2 & 0xff) | (s3 & 0xff00) | (s0 & 0xff0000) | (s1 & 0xff000000)) ^ k[2];
    out[3] = sub_word((s3 & 0xff) | (s0 & 0xff00) | (s1 & 0xff0000) | (s2 & 0xff000000)) ^ k[3];
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 0xae5, sum = 0, folded = 0;
    build_tables();
    uint32_t key[4], nonce[4], block[4];
    for (unsigned i = 0; i < 4; i++) {
        key[i] = (uint32_t)rng_next(&seed);
        nonce[i] = (uint32_t)rng_next(&seed);
    }
    expand_key(key);
    uint32_t blocks = size * 64u;
    for (uint32_t counter = 0; counter < blocks; counter++) {
        nonce[3] = counter;
        encrypt_block(nonce, block);
        for (unsigned i = 0; i < 4; i++) {
            sum += block[i];
            folded ^= (uint64_t)block[i] << (8 * i);
        }
    }
    sum = checksum_mix(sum, folded);
    for (unsigned i = 0; i < 4; i++)
        sum = checksum_mix(sum, block[i]);
    return sum;
}
