/* The double-word integer helpers LLVM calls on riscv when an operation has no inline
 * expansion (Debian ships no compiler-rt for riscv). RV32E/RV64E with M multiply and divide
 * single words in hardware, so only double-word division (and, on rv32 with
 * -fforce-enable-int128, 128-bit multiplication) reach these:
 *   riscv32: __udivdi3 __umoddi3 __divdi3 __moddi3 __muldi3 (+ __multi3 with int128)
 *   riscv64: __udivti3 __umodti3 __divti3 __modti3 __multi3
 * Define PVM_RT_TEST_ONLY to get just the static implementations (the tests compile this
 * file natively, where the ABI names belong to libgcc). */
#include "pvm_guest.h"

#if defined(__riscv) && __riscv_xlen == 32
typedef uint64_t dword_u;
typedef int64_t dword_s;
typedef uint32_t word_u;
#define HAVE_DWORD_NAMES_DI 1
#else
typedef unsigned __int128 dword_u;
typedef __int128 dword_s;
typedef uint64_t word_u;
#define HAVE_DWORD_NAMES_TI 1
#endif

#define WORD_BITS (8 * (int)sizeof(word_u))

/* Restoring shift-subtract division, one quotient bit a step, skipping the leading zero
 * bits of the dividend. Division by zero returns quotient all-ones (as RISC-V divu does). */
static dword_u udivmod_dword(dword_u n, dword_u d, dword_u *remainder)
{
    if (d == 0) {
        *remainder = n;
        return ~(dword_u)0;
    }
    dword_u q = 0, r = 0;
    int bit = 2 * WORD_BITS - 1;
    while (bit >= 0 && !((n >> bit) & 1))
        bit--;
    for (; bit >= 0; bit--) {
        r = (r << 1) | ((n >> bit) & 1);
        if (r >= d) {
            r -= d;
            q |= (dword_u)1 << bit;
        }
    }
    *remainder = r;
    return q;
}

/* Signed division truncates toward zero; the remainder takes the dividend's sign. */
static dword_s sdivmod_dword(dword_s n, dword_s d, dword_s *remainder)
{
    dword_u un = n < 0 ? -(dword_u)n : (dword_u)n;
    dword_u ud = d < 0 ? -(dword_u)d : (dword_u)d;
    dword_u ur;
    dword_u uq = udivmod_dword(un, ud, &ur);
    *remainder = (dword_s)(n < 0 ? -ur : ur);
    return (dword_s)((n < 0) != (d < 0) ? -uq : uq);
}

/* Low double word of a x b from four single-word products (schoolbook). */
static dword_u mul_dword(dword_u a, dword_u b)
{
    const word_u half_mask = ((word_u)1 << (WORD_BITS / 2)) - 1;
    word_u a0 = (word_u)a, b0 = (word_u)b;
    word_u a1 = (word_u)(a >> WORD_BITS), b1 = (word_u)(b >> WORD_BITS);
    /* a0 * b0 in full from half-word pieces, so no double-word multiply recurses here. */
    word_u al = a0 & half_mask, ah = a0 >> (WORD_BITS / 2);
    word_u bl = b0 & half_mask, bh = b0 >> (WORD_BITS / 2);
    word_u ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    word_u middle = (ll >> (WORD_BITS / 2)) + (lh & half_mask) + (hl & half_mask);
    word_u low = (ll & half_mask) | (middle << (WORD_BITS / 2));
    word_u high = hh + (lh >> (WORD_BITS / 2)) + (hl >> (WORD_BITS / 2)) +
                  (middle >> (WORD_BITS / 2));
    high += a0 * b1 + a1 * b0;
    return (dword_u)high << WORD_BITS | low;
}

#ifndef PVM_RT_TEST_ONLY

#if defined(HAVE_DWORD_NAMES_DI)
#define DWORD_NAME(stem) __##stem##di3
#else
#define DWORD_NAME(stem) __##stem##ti3
#endif

dword_u DWORD_NAME(udiv)(dword_u n, dword_u d);
dword_u DWORD_NAME(umod)(dword_u n, dword_u d);
dword_s DWORD_NAME(div)(dword_s n, dword_s d);
dword_s DWORD_NAME(mod)(dword_s n, dword_s d);
dword_u DWORD_NAME(mul)(dword_u a, dword_u b);

dword_u DWORD_NAME(udiv)(dword_u n, dword_u d)
{
    dword_u r;
    return udivmod_dword(n, d, &r);
}

dword_u DWORD_NAME(umod)(dword_u n, dword_u d)
{
    dword_u r;
    udivmod_dword(n, d, &r);
    return r;
}

dword_s DWORD_NAME(div)(dword_s n, dword_s d)
{
    dword_s r;
    return sdivmod_dword(n, d, &r);
}

dword_s DWORD_NAME(mod)(dword_s n, dword_s d)
{
    dword_s r;
    sdivmod_dword(n, d, &r);
    return r;
}

dword_u DWORD_NAME(mul)(dword_u a, dword_u b)
{
    return mul_dword(a, b);
}

#if defined(HAVE_DWORD_NAMES_DI) && defined(__SIZEOF_INT128__)
/* rv32 with -fforce-enable-int128: 128-bit products from 64-bit pieces. */
unsigned __int128 __multi3(unsigned __int128 a, unsigned __int128 b);
unsigned __int128 __multi3(unsigned __int128 a, unsigned __int128 b)
{
    uint64_t a0 = (uint64_t)a, b0 = (uint64_t)b;
    unsigned __int128 low = (unsigned __int128)a0 * b0; /* zero-extended: expanded inline */
    uint64_t cross = a0 * (uint64_t)(b >> 64) + (uint64_t)(a >> 64) * b0;
    return low + ((unsigned __int128)cross << 64);
}
#endif

#endif /* PVM_RT_TEST_ONLY */
