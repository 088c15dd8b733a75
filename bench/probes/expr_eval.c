/* Probe (not a benchmark guest): a recursive-descent parser and evaluator over generated
 * arithmetic expressions (+ - * / % & | parentheses, decimal literals). Calls, returns and
 * byte-class branches on every character. size: expressions parsed. */
#include "guest_common.h"

static char text[4096];
static const char *pos;

static uint32_t gen(uint64_t *seed, char *out, uint32_t cap, int depth)
{
    uint32_t n = 0;
    int terms = 1 + (int)rng_below(seed, 4);
    for (int t = 0; t < terms && n + 40 < cap; t++) {
        if (t) out[n++] = "+-*/%&|+-*"[rng_below(seed, 10)];
        if (depth < 4 && rng_below(seed, 3) == 0) {
            out[n++] = '(';
            n += gen(seed, out + n, cap - n - 2, depth + 1);
            out[n++] = ')';
        } else {
            uint32_t v = rng_below(seed, 1u << (1 + rng_below(seed, 16)));
            char tmp[12];
            int k = 0;
            do { tmp[k++] = (char)('0' + v % 10); v /= 10; } while (v);
            while (k) out[n++] = tmp[--k];
        }
        if (rng_below(seed, 4) == 0) out[n++] = ' ';
    }
    return n;
}

static int64_t expr(void);
static void skip(void) { while (*pos == ' ') pos++; }
static int64_t atom(void)
{
    skip();
    if (*pos == '(') { pos++; int64_t v = expr(); skip(); if (*pos == ')') pos++; return v; }
    int64_t v = 0;
    while (*pos >= '0' && *pos <= '9') v = v * 10 + (*pos++ - '0');
    return v;
}
static int64_t term(void)
{
    int64_t v = atom();
    for (;;) {
        skip();
        char c = *pos;
        if (c != '*' && c != '/' && c != '%' && c != '&') return v;
        pos++;
        int64_t w = atom();
        if (c == '*') v *= w;
        else if (c == '&') v &= w;
        else if (w == 0) v = -v;
        else if (c == '/') v /= w;
        else v %= w;
    }
}
static int64_t expr(void)
{
    int64_t v = term();
    for (;;) {
        skip();
        char c = *pos;
        if (c != '+' && c != '-' && c != '|') return v;
        pos++;
        int64_t w = term();
        v = c == '+' ? v + w : c == '-' ? v - w : (v | w);
    }
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 42, sum = 0;
    for (uint32_t i = 0; i < size; i++) {
        uint32_t n = gen(&seed, text, sizeof text - 1, 0);
        text[n] = 0;
        pos = text;
        sum = checksum_mix(sum, (uint64_t)expr());
    }
    return sum;
}
