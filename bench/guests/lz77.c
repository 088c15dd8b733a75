/* LZ77-style compressor: greedy matching with a 4-byte hash and one candidate per bucket
 * over a 64 KiB window, on `size` KiB of generated text-like data (words drawn from a small
 * vocabulary, so matches are common). Emits literal runs and (length, distance) tokens into
 * a byte buffer. Checksum: output length and a hash of the output. */
#include "guest_common.h"

#define LZ_MAX_INPUT (16u << 20)
#define HASH_BITS 15
#define WINDOW 65536u
#define MIN_MATCH 4u
#define MAX_MATCH 258u

static uint8_t input[LZ_MAX_INPUT];
static uint8_t output[LZ_MAX_INPUT + LZ_MAX_INPUT / 64 + 16];
static uint32_t head[1u << HASH_BITS];

static void generate_input(uint32_t length)
{
    static const char *const words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ",
                                        "lazy ", "dog ", "pvm ", "gas ", "block ", "cost ",
                                        "register ", "memory ", "trap ", "\n"};
    uint64_t seed = 77;
    uint32_t at = 0;
    while (at < length) {
        uint64_t r = rng_next(&seed);
        const char *word = words[r & 15];
        if ((r >> 8) % 8 == 0) { /* some noise so that not everything matches */
            input[at++] = (uint8_t)(r >> 16);
            continue;
        }
        for (; *word && at < length; word++)
            input[at++] = (uint8_t)*word;
    }
}

static inline uint32_t hash4(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Writes input[from, to) as literal runs at output[out]; returns the new output length. */
static uint32_t emit_literals(uint32_t out, uint32_t from, uint32_t to)
{
    while (from < to) {
        uint32_t run_length = min_u32(255, to - from);
        output[out++] = 0;
        output[out++] = (uint8_t)run_length;
        memcpy(output + out, input + from, run_length);
        out += run_length;
        from += run_length;
    }
    return out;
}

/* Token format: 0x00 len8 bytes... (literal run of up to 255) or 0x01 len8 dist16. */
static uint32_t compress(uint32_t length)
{
    uint32_t out = 0, literal_start = 0, at = 0;
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++)
        head[i] = UINT32_MAX;
    while (at + MIN_MATCH <= length) {
        uint32_t h = hash4(input + at);
        uint32_t candidate = head[h];
        head[h] = at;
        uint32_t match = 0;
        if (candidate != UINT32_MAX && at - candidate <= WINDOW - 1) {
            uint32_t limit = min_u32(MAX_MATCH, length - at);
            while (match < limit && input[candidate + match] == input[at + match])
                match++;
        }
        if (match < MIN_MATCH) {
            at++;
            continue;
        }
        out = emit_literals(out, literal_start, at);
        uint32_t distance = at - candidate;
        output[out++] = 1;
        output[out++] = (uint8_t)(match - MIN_MATCH);
        output[out++] = (uint8_t)distance;
        output[out++] = (uint8_t)(distance >> 8);
        at += match;
        literal_start = at;
    }
    return emit_literals(out, literal_start, length);
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint32_t length = min_u32(size, LZ_MAX_INPUT / 1024) * 1024u;
    generate_input(length);
    uint32_t compressed = compress(length);
    uint64_t sum = compressed;
    for (uint32_t i = 0; i + 8 <= compressed; i += 8) {
        sum = checksum_mix(sum, load_u64(output + i));
    }
    return sum;
}
