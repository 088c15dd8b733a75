/* The double-word integer helpers LLVM calls on riscv when an operation has no inline
 * expansion (Debian ships no compiler-rt for riscv). RV32E/RV64E with M multiply and divide
 * single words in hardware, so only double-word operations reach these:
 *   riscv32: __udivdi3 __umoddi3 __divdi3 __moddi3 __muldi3, and with -fforce-enable-int128
 *            also the 128-bit family below
 *   riscv64: __udivti3 __umodti3 __divti3 __modti3 __multi3
 * (the benchmark guests need none of them today: LLVM expands their divisions by constants
 * and their 64x64->128 products inline; tests/guests/int_ops.c exercises every one.)
 * Define PVM_RT_TEST_ONLY to get just the static implementations, both widths (for the
 * native test tests/guests/test_int_helpers.c, where the ABI names belong to libgcc). */
#include "pvm_guest.h"

/* Instantiates, for an unsigned double-word type DU (signed DS) made of two WU words:
 *   udivmod_SUFFIX  restoring shift-subtract division, one quotient bit a step from the
 *                   dividend's top set bit; x / 0 = all ones, x % 0 = x (as RISC-V divu)
 *   sdivmod_SUFFIX  signed: quotient truncates toward zero, remainder has the dividend's sign
 *   mul_SUFFIX      low double word of a x b from single-word products (schoolbook), with
 *                   the low x low product built from half words so nothing recurses here */
#define DEFINE_DWORD_OPS(SUFFIX, DU, DS, WU)                                                  \
    static DU udivmod_##SUFFIX(DU n, DU d, DU *remainder)                                     \
    {                                                                                         \
        if (d == 0) {                                                                         \
            *remainder = n;                                                                   \
            return ~(DU)0;                                                                    \
        }                                                                                     \
        DU q = 0, r = 0;                                                                      \
        int bit = 8 * (int)sizeof(DU) - 1;                                                    \
        while (bit >= 0 && !((n >> bit) & 1))                                                 \
            bit--;                                                                            \
        for (; bit >= 0; bit--) {                                                             \
            r = (r << 1) | ((n >> bit) & 1);                                                  \
            if (r >= d) {                                                                     \
                r -= d;                                                                       \
                q |= (DU)1 << bit;                                                            \
            }                                                                                 \
        }                                                                                     \
        *remainder = r;                                                                       \
        return q;                                                                             \
    }                                                                                         \
    static DS sdivmod_##SUFFIX(DS n, DS d, DS *remainder)                                     \
    {                                                                                         \
        DU un = n < 0 ? -(DU)n : (DU)n, ud = d < 0 ? -(DU)d : (DU)d, ur;                      \
        DU uq = udivmod_##SUFFIX(un, ud, &ur);                                                \
        *remainder = (DS)(n < 0 ? -ur : ur);                                                  \
        return (DS)((n < 0) != (d < 0) ? -uq : uq);                                           \
    }                                                                                         \
    static DU mul_##SUFFIX(DU a, DU b)                                                        \
    {                                                                                         \
        const int half = 4 * (int)sizeof(WU);                                                 \
        const WU half_mask = ((WU)1 << half) - 1;                                             \
        WU a0 = (WU)a, b0 = (WU)b, a1 = (WU)(a >> 2 * half), b1 = (WU)(b >> 2 * half);        \
        WU ll = (a0 & half_mask) * (b0 & half_mask), lh = (a0 & half_mask) * (b0 >> half);    \
        WU hl = (a0 >> half) * (b0 & half_mask), hh = (a0 >> half) * (b0 >> half);            \
        WU middle = (ll >> half) + (lh & half_mask) + (hl & half_mask);                       \
        WU low = (ll & half_mask) | (middle << half);                                         \
        WU high = hh + (lh >> half) + (hl >> half) + (middle >> half) + a0 * b1 + a1 * b0;    \
        return (DU)high << 2 * half | low;                                                    \
    }

/* The libgcc/compiler-rt ABI names over the static implementations. */
#define DEFINE_DWORD_ABI(SUFFIX, DU, DS)                                                      \
    DU __udiv##SUFFIX##3(DU n, DU d);                                                         \
    DU __umod##SUFFIX##3(DU n, DU d);                                                         \
    DS __div##SUFFIX##3(DS n, DS d);                                                          \
    DS __mod##SUFFIX##3(DS n, DS d);                                                          \
    DU __mul##SUFFIX##3(DU a, DU b);                                                          \
    DU __udiv##SUFFIX##3(DU n, DU d) { DU r; return udivmod_##SUFFIX(n, d, &r); }             \
    DU __umod##SUFFIX##3(DU n, DU d) { DU r; udivmod_##SUFFIX(n, d, &r); return r; }          \
    DS __div##SUFFIX##3(DS n, DS d) { DS r; return sdivmod_##SUFFIX(n, d, &r); }              \
    DS __mod##SUFFIX##3(DS n, DS d) { DS r; sdivmod_##SUFFIX(n, d, &r); return r; }           \
    DU __mul##SUFFIX##3(DU a, DU b) { return mul_##SUFFIX(a, b); }

#if (defined(__riscv) && __riscv_xlen == 32) || defined(PVM_RT_TEST_ONLY)
DEFINE_DWORD_OPS(di, uint64_t, int64_t, uint32_t)
#if !defined(PVM_RT_TEST_ONLY)
DEFINE_DWORD_ABI(di, uint64_t, int64_t)
#endif
#endif

#if defined(__SIZEOF_INT128__)
DEFINE_DWORD_OPS(ti, unsigned __int128, __int128, uint64_t)
#if !defined(PVM_RT_TEST_ONLY)
DEFINE_DWORD_ABI(ti, unsigned __int128, __int128)
#endif
#endif
