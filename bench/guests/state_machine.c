/* A branchy state machine: a hand-written lexer for a made-up config language (identifiers,
 * numbers, comments, quoted strings, operators) run over `size` KiB of pseudo-random bytes
 * biased toward its alphabet. Data-dependent, poorly predictable branches on every byte.
 * Checksum: per-state transition counts and a hash of the tokens' lengths. */
#include "guest_common.h"

enum state { S_START, S_IDENT, S_NUMBER, S_HEX, S_STRING, S_ESCAPE, S_COMMENT, S_OPERATOR,
             NUM_STATES };

/* Bytes from a skewed alphabet so that every state is visited often. */
static uint8_t next_byte(uint64_t *seed, uint64_t *pool, int *left)
{
    static const char alphabet[32] = "abcxyz_019x\"\\#\n =+-<>  qrs78\"#\\";
    if (*left == 0) {
        *pool = rng_next(seed);
        *left = 12;
    }
    uint8_t pick = (uint8_t)(*pool & 31);
    *pool >>= 5;
    (*left)--;
    return (uint8_t)alphabet[pick];
}

static int is_letter(uint8_t c) { return (c >= 'a' && c <= 'z') || c == '_'; }
static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int is_operator(uint8_t c) { return c == '=' || c == '+' || c == '-' || c == '<' || c == '>'; }

/* One transition; returns the next state and ends tokens by folding their length. */
static enum state step(enum state s, uint8_t c, uint32_t *length, uint64_t *hash)
{
    switch (s) {
    case S_IDENT:
        if (is_letter(c) || is_digit(c))
            return (*length)++, S_IDENT;
        break;
    case S_NUMBER:
        if (is_digit(c))
            return (*length)++, S_NUMBER;
        if (c == 'x' && *length == 1)
            return (*length)++, S_HEX;
        break;
    case S_HEX:
        if (is_digit(c) || (c >= 'a' && c <= 'f'))
            return (*length)++, S_HEX;
        break;
    case S_STRING:
        (*length)++;
        return c == '"' ? S_START : c == '\\' ? S_ESCAPE : S_STRING;
    case S_ESCAPE:
        (*length)++;
        return S_STRING;
    case S_COMMENT:
        return c == '\n' ? S_START : S_COMMENT;
    case S_OPERATOR:
        if (is_operator(c) && *length < 2)
            return (*length)++, S_OPERATOR;
        break;
    default:
        break;
    }
    /* Token over (or at the start): fold its length, then classify c afresh. */
    *hash = *hash * 31 + *length + (uint64_t)s * 7;
    *length = 1;
    if (is_letter(c))
        return S_IDENT;
    if (is_digit(c))
        return S_NUMBER;
    if (c == '"')
        return S_STRING;
    if (c == '#')
        return S_COMMENT;
    if (is_operator(c))
        return S_OPERATOR;
    *length = 0;
    return S_START;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 11, pool = 0, hash = 0, visits[NUM_STATES] = {0};
    int left = 0;
    uint32_t length = 0;
    enum state s = S_START;
    uint64_t bytes = (uint64_t)size * 1024u;
    for (uint64_t i = 0; i < bytes; i++) {
        s = step(s, next_byte(&seed, &pool, &left), &length, &hash);
        visits[s]++;
    }
    uint64_t sum = hash;
    for (int i = 0; i < NUM_STATES; i++)
        sum = checksum_mix(sum, visits[i]);
    return sum;
}
