/* Soft-float for guests without F/D: the libgcc/compiler-rt routines clang calls on
 * riscv with the soft-float ABI (lp64e, ilp32e), for float (sf), double (df) and the
 * IEEE quad long double (tf, 128-bit on both rv64 and rv32):
 *   __add/__sub/__mul/__div{sf,df,tf}3, __neg{sf,df,tf}2,
 *   __eq/__ne/__lt/__le/__gt/__ge/__unord{sf,df,tf}2,
 *   __extend{sfdf,sftf,dftf}2, __trunc{dfsf,tfsf,tfdf}2,
 *   __float{si,unsi,di,undi,ti,unti}{sf,df,tf}, __fix{,uns}{sf,df,tf}{si,di,ti}.
 * Round-to-nearest-even, subnormals, signed zeros, inf and NaN as IEEE 754 says.
 * Float-to-integer conversions truncate; out of range they saturate (C leaves it undefined)
 * and NaN gives 0.
 *
 * Our own code: Debian's libgcc for riscv has no rv64e/lp64e multilib and no compiler-rt for
 * riscv at all. Native tests compile this file with SF_PREFIX=pvmsf_ and compare every
 * routine with the host's hardware (float, double) and libgcc (__float128) results.
 * Every operation is on integers only, so nothing here can recurse into itself. */
#include <stdint.h>

#ifndef SF_PREFIX
#define SF_PREFIX __
#endif

typedef unsigned __int128 u128;
typedef __int128 s128;

#if defined(__riscv)
typedef long double sf_quad;
#else
typedef __float128 sf_quad; /* the same IEEE quad format on the test host */
#endif

#define SF_CAT3(a, b, c, d) a##b##c##d
#define SF_CAT2(a, b, c, d) SF_CAT3(a, b, c, d)
#define SF_CAT(op, sfx, n) SF_CAT2(SF_PREFIX, op, sfx, n)

/* A value between formats: finite ones as sign * sig * 2^(exp - 127), sig's top bit set. */
typedef enum { SF_ZERO, SF_FINITE, SF_INF, SF_NAN } sf_kind;
typedef struct {
    sf_kind kind;
    int sign;
    int exp;
    int sticky; /* bits below sig were lost (never for the exact conversions here) */
    u128 sig;
} sf_norm;

/* 64 x 64 -> 128: rv64 multiplies in hardware (mulhu); rv32 calls __multi3 (int_helpers.c). */
static inline u128 mul_64x64(uint64_t a, uint64_t b) { return (u128)a * b; }

#define FP_T float
#define REP uint32_t
#define SREP int32_t
#define FP_SIG 23
#define FP_EXP 8
#define FP_SFX sf
#define FP_WIDE_MUL(a, b, hi, lo)                                                              \
    do {                                                                                       \
        uint64_t p_ = (uint64_t)(a) * (b);                                                     \
        hi = (uint32_t)(p_ >> 32);                                                             \
        lo = (uint32_t)p_;                                                                     \
    } while (0)
#include "softfloat_ops.h"

#define FP_T double
#define REP uint64_t
#define SREP int64_t
#define FP_SIG 52
#define FP_EXP 11
#define FP_SFX df
#define FP_WIDE_MUL(a, b, hi, lo)                                                              \
    do {                                                                                       \
        u128 p_ = mul_64x64(a, b);                                                             \
        hi = (uint64_t)(p_ >> 64);                                                             \
        lo = (uint64_t)p_;                                                                     \
    } while (0)
#include "softfloat_ops.h"

/* 128 x 128 -> 256 from four 64 x 64 products. */
static void mul_128x128(u128 a, u128 b, u128 *hi, u128 *lo)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64), b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    u128 p00 = mul_64x64(a0, b0), p01 = mul_64x64(a0, b1), p10 = mul_64x64(a1, b0), p11 = mul_64x64(a1, b1);
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10; /* < 3 * 2^64: no overflow */
    *lo = (p00 & UINT64_MAX) | (mid << 64);
    *hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

#define FP_T sf_quad
#define REP u128
#define SREP s128
#define FP_SIG 112
#define FP_EXP 15
#define FP_SFX tf
#define FP_WIDE_MUL(a, b, hi, lo) mul_128x128(a, b, &(hi), &(lo))
#include "softfloat_ops.h"

/* ---- between formats --------------------------------------------------------------- */

#define SF_CONVERT(name, from_sfx, to_type, to_sfx)                                            \
    to_type SF_CAT(name, , )(SF_FP_##from_sfx x)                                               \
    {                                                                                          \
        sf_norm n = SF_CAT(to_norm_, from_sfx, )(x);                                           \
        return SF_CAT(from_rep_, to_sfx, )(SF_CAT(from_norm_, to_sfx, )(&n));                  \
    }
#define SF_FP_sf float
#define SF_FP_df double
#define SF_FP_tf sf_quad

SF_CONVERT(extendsfdf2, sf, double, df)
SF_CONVERT(extendsftf2, sf, sf_quad, tf)
SF_CONVERT(extenddftf2, df, sf_quad, tf)
SF_CONVERT(truncdfsf2, df, float, sf)
SF_CONVERT(trunctfsf2, tf, float, sf)
SF_CONVERT(trunctfdf2, tf, double, df)

/* ---- integers ---------------------------------------------------------------------- */

static sf_norm norm_of_integer(int negative, u128 magnitude)
{
    sf_norm n = {.kind = magnitude ? SF_FINITE : SF_ZERO, .sign = negative};
    if (!magnitude) return n;
    int shift = 0;
    while (!(magnitude >> 127)) {
        if (!(magnitude >> 64)) {
            magnitude <<= 64;
            shift += 64;
            continue;
        }
        magnitude <<= 1;
        shift++;
    }
    n.exp = 127 - shift;
    n.sig = magnitude;
    return n;
}

/* Truncate toward zero; saturate to [min, max] (as magnitudes with a sign). */
static u128 integer_of_norm(const sf_norm *n, int bits, int is_signed, int *negative)
{
    *negative = 0;
    if (n->kind == SF_NAN || n->kind == SF_ZERO) return 0;
    u128 max_pos = is_signed ? ((u128)1 << (bits - 1)) - 1 : bits == 128 ? ~(u128)0 : ((u128)1 << bits) - 1;
    u128 max_neg = is_signed ? (u128)1 << (bits - 1) : 0;
    if (n->kind == SF_INF || n->exp >= bits) return n->sign ? (*negative = 1, max_neg) : max_pos;
    if (n->exp < 0) return 0;
    u128 v = n->sig >> (127 - n->exp);
    if (n->sign) {
        *negative = 1;
        return v > max_neg ? max_neg : v;
    }
    return v > max_pos ? max_pos : v;
}

static sf_norm norm_of_signed(s128 x) { return norm_of_integer(x < 0, x < 0 ? -(u128)x : (u128)x); }

#define SF_FROM_INT(name, int_type, is_signed, sfx)                                            \
    SF_FP_##sfx SF_CAT(name, , )(int_type x)                                                   \
    {                                                                                          \
        sf_norm n = is_signed ? norm_of_signed((s128)x) : norm_of_integer(0, (u128)x);         \
        return SF_CAT(from_rep_, sfx, )(SF_CAT(from_norm_, sfx, )(&n));                        \
    }
#define SF_TO_INT(name, int_type, bits, is_signed, sfx)                                        \
    int_type SF_CAT(name, , )(SF_FP_##sfx x)                                                   \
    {                                                                                          \
        sf_norm n = SF_CAT(to_norm_, sfx, )(x);                                                \
        int negative;                                                                          \
        u128 v = integer_of_norm(&n, bits, is_signed, &negative);                              \
        return (int_type)(negative ? -v : v);                                                  \
    }

#define SF_INT_FAMILY(sfx)                                                                     \
    SF_FROM_INT(floatsi##sfx, int32_t, 1, sfx)                                                 \
    SF_FROM_INT(floatunsi##sfx, uint32_t, 0, sfx)                                              \
    SF_FROM_INT(floatdi##sfx, int64_t, 1, sfx)                                                 \
    SF_FROM_INT(floatundi##sfx, uint64_t, 0, sfx)                                              \
    SF_FROM_INT(floatti##sfx, s128, 1, sfx)                                                    \
    SF_FROM_INT(floatunti##sfx, u128, 0, sfx)                                                  \
    SF_TO_INT(fix##sfx##si, int32_t, 32, 1, sfx)                                               \
    SF_TO_INT(fixuns##sfx##si, uint32_t, 32, 0, sfx)                                           \
    SF_TO_INT(fix##sfx##di, int64_t, 64, 1, sfx)                                               \
    SF_TO_INT(fixuns##sfx##di, uint64_t, 64, 0, sfx)                                           \
    SF_TO_INT(fix##sfx##ti, s128, 128, 1, sfx)                                                 \
    SF_TO_INT(fixuns##sfx##ti, u128, 128, 0, sfx)

SF_INT_FAMILY(sf)
SF_INT_FAMILY(df)
SF_INT_FAMILY(tf)
