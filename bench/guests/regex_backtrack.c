/* A backtracking regular-expression matcher over generated text, in the recursive style of
 * small grep and editor implementations: literals, `.`, character classes `[a-d]` and `[^xy]`,
 * the postfix operators `*`, `+` and `?` (greedy, so a failing tail backtracks through every
 * shorter repetition), and the anchors `^` and `$` of a line. Each of the patterns below is
 * tried at every position of every line of a 4 KiB text of short words (recursion, data-
 * dependent branches, byte loads). `size` passes over newly generated text. Checksum: per
 * pattern the number of lines with a match and the sum of the match positions. */
#include "guest_common.h"

#define TEXT_BYTES 4096u

static char text[TEXT_BYTES + 1];

static const char *const patterns[] = {
    "ab*c", "^[a-d]+e", "x.?y.*z$", "[^aeiou ]+q", "(no)", "a.*b.*c.*d", "e[b-f]?[a-c]*e",
    "^.*ss", "[c-f]+[a-e]*g$", "hh*i*j",
};
#define PATTERN_COUNT (sizeof patterns / sizeof patterns[0])

/* Length of the pattern item at p: a literal, `.`, or a class up to its `]`. */
static unsigned item_length(const char *p)
{
    if (*p != '[')
        return 1;
    unsigned n = 1;
    while (p[n] && p[n] != ']')
        n++;
    return p[n] ? n + 1 : n;
}

static int item_matches(const char *p, char c)
{
    if (c == '\0' || c == '\n')
        return 0;
    if (*p == '.')
        return 1;
    if (*p != '[')
        return *p == c;
    int negate = p[1] == '^';
    int found = 0;
    for (const char *q = p + 1 + negate; *q && *q != ']'; q++) {
        if (q[1] == '-' && q[2] && q[2] != ']') {
            found |= c >= q[0] && c <= q[2];
            q += 2;
        } else
            found |= *q == c;
    }
    return found != negate;
}

/* Matches pattern p at the start of s; returns the end of the match or 0. */
static const char *match_here(const char *p, const char *s)
{
    while (*p) {
        if (p[0] == '$' && p[1] == '\0')
            return *s == '\n' || *s == '\0' ? s : 0;
        unsigned length = item_length(p);
        char op = p[length];
        if (op == '*' || op == '+' || op == '?') {
            const char *t = s;
            unsigned most = op == '?' ? 1 : ~0u, count = 0;
            while (count < most && item_matches(p, *t)) {
                t++;
                count++;
            }
            unsigned least = op == '+' ? 1 : 0;
            if (count < least)
                return 0;
            for (;;) { /* greedy: the longest repetition first */
                const char *end = match_here(p + length + 1, t);
                if (end)
                    return end;
                if (count == least)
                    return 0;
                t--;
                count--;
            }
        }
        if (!item_matches(p, *s))
            return 0;
        p += length;
        s++;
    }
    return s;
}

/* The first match in the line at s (up to '\n'): its offset + 1, or 0. */
static uint32_t match_line(const char *p, const char *s)
{
    if (*p == '^')
        return match_here(p + 1, s) ? 1u : 0u;
    for (const char *t = s;; t++) {
        if (match_here(p, t))
            return (uint32_t)(t - s) + 1u;
        if (*t == '\n' || *t == '\0')
            return 0;
    }
}

static void generate_text(uint64_t *seed)
{
    static const char letters[] = "aabbccddeeeffghhijklmnnoopqrssstuvwxyz";
    uint32_t at = 0;
    while (at < TEXT_BYTES) {
        uint32_t words = 2 + rng_below(seed, 8);
        for (uint32_t w = 0; w < words && at < TEXT_BYTES; w++) {
            uint32_t length = 1 + rng_below(seed, 9);
            for (uint32_t i = 0; i < length && at < TEXT_BYTES; i++)
                text[at++] = letters[rng_below(seed, sizeof letters - 1)];
            if (at < TEXT_BYTES)
                text[at++] = w + 1 < words ? ' ' : '\n';
        }
    }
    text[TEXT_BYTES - 1] = '\n';
    text[TEXT_BYTES] = '\0';
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 0x7e6e, sum = 0;
    for (uint32_t pass = 0; pass < size; pass++) {
        generate_text(&seed);
        for (unsigned k = 0; k < PATTERN_COUNT; k++) {
            uint64_t lines = 0, positions = 0;
            for (const char *line = text; *line;) {
                uint32_t found = match_line(patterns[k], line);
                lines += found != 0;
                positions += found;
                while (*line != '\n')
                    line++;
                line++;
            }
            sum = checksum_mix(sum, lines << 32 ^ positions);
        }
    }
    return sum;
}
