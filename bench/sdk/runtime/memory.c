/* memcpy, memmove, memset and memcmp for guests (riscv and wasm32 have no libc here).
 * Word-at-a-time when both pointers share alignment; byte loops otherwise. The compiler
 * recognises these loops as memcpy/memset idioms but never inside functions of these names,
 * so they cannot recurse into themselves. */
#include "pvm_guest.h"

/* may_alias: the word loops read and write buffers of any type. */
typedef uintptr_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

static int both_aligned(const void *a, const void *b)
{
    return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (both_aligned(d, s)) {
        for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
            *(word_t *)d = *(const word_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n); /* a forward copy is safe */
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int value, size_t n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)value;
    for (; n && ((uintptr_t)d & (WORD - 1)); n--)
        *d++ = byte;
    word_t pattern = (word_t)-1 / 0xff * byte; /* byte repeated in every lane */
    /* Eight words a step: with one store a step, three of every four instructions were the
     * pointer and count updates and the branch (a 4-byte word on rv32 did twice the steps). */
    for (; n >= 8 * WORD; n -= 8 * WORD, d += 8 * WORD) {
        word_t *w = (word_t *)d;
        w[0] = pattern, w[1] = pattern, w[2] = pattern, w[3] = pattern;
        w[4] = pattern, w[5] = pattern, w[6] = pattern, w[7] = pattern;
    }
    for (; n >= WORD; n -= WORD, d += WORD)
        *(word_t *)d = pattern;
    while (n--)
        *d++ = byte;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}
