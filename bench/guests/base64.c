/* Base64 (RFC 4648, standard alphabet with padding) round trips: `size` chunks of 3000
 * bytes, read cyclically from a 64 KiB generated buffer, encoded to 4000 characters with a
 * 64-entry table and decoded back through a 256-entry reverse table that rejects anything
 * outside the alphabet. Checksum: the encoded characters and the decoded bytes, which must
 * equal the source (a mismatch changes the checksum). */
#include "guest_common.h"

#define SOURCE_BYTES 65536u
#define CHUNK 3000u
#define ENCODED (CHUNK / 3u * 4u)
static uint8_t source[SOURCE_BYTES];
static char encoded[ENCODED + 4];
static uint8_t decoded[CHUNK + 3];
static const char alphabet[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static uint8_t reverse[256];

static void build_reverse(void)
{
    for (uint32_t c = 0; c < 256; c++)
        reverse[c] = 0xff;
    for (uint32_t i = 0; i < 64; i++)
        reverse[(uint8_t)alphabet[i]] = (uint8_t)i;
    reverse['='] = 0xfe; /* padding: ends the input */
}

static uint32_t encode(const uint8_t *in, uint32_t length, char *out)
{
    uint32_t o = 0, i = 0;
    for (; i + 3 <= length; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (i < length) { /* one or two bytes left: padded */
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < length ? (uint32_t)in[i + 1] << 8 : 0);
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < length ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    return o;
}

/* Returns the bytes written, or UINT32_MAX for a character outside the alphabet. */
static uint32_t decode(const char *in, uint32_t length, uint8_t *out)
{
    uint32_t o = 0;
    for (uint32_t i = 0; i + 4 <= length; i += 4) {
        uint8_t a = reverse[(uint8_t)in[i]], b = reverse[(uint8_t)in[i + 1]];
        uint8_t c = reverse[(uint8_t)in[i + 2]], d = reverse[(uint8_t)in[i + 3]];
        if ((a | b) >= 64)
            return UINT32_MAX;
        out[o++] = (uint8_t)(a << 2 | b >> 4);
        if (c == 0xfe)
            break;
        if (c >= 64)
            return UINT32_MAX;
        out[o++] = (uint8_t)(b << 4 | c >> 2);
        if (d == 0xfe)
            break;
        if (d >= 64)
            return UINT32_MAX;
        out[o++] = (uint8_t)(c << 6 | d);
    }
    return o;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    build_reverse();
    uint64_t seed = 64;
    for (uint32_t i = 0; i < SOURCE_BYTES; i++)
        source[i] = (uint8_t)rng_next(&seed);
    uint64_t sum = 0;
    for (uint32_t chunk = 0; chunk < size; chunk++) {
        const uint8_t *in = source + (chunk * 977u) % (SOURCE_BYTES - CHUNK);
        uint32_t length = CHUNK - chunk % 3; /* every padding case */
        uint32_t n = encode(in, length, encoded);
        uint32_t m = decode(encoded, n, decoded);
        uint64_t mismatches = m != length;
        for (uint32_t i = 0; i < length && i < m; i++)
            mismatches += decoded[i] != in[i];
        sum = checksum_mix(sum, load_u64(encoded + (chunk % (n - 8))) ^ mismatches << 56 ^ n);
    }
    return sum;
}
