/* One IEEE-754 binary format's soft-float routines, instantiated by softfloat.c once per
 * format (float, double, and the quad `long double` of rv64). Not a public header.
 *
 * The including file defines:
 *   FP_T        the C type (float, double, long double / __float128)
 *   REP, SREP   unsigned/signed integer of the same width
 *   FP_SIG      stored significand bits (23, 52, 112); FP_EXP exponent bits (8, 11, 15)
 *   FP_SFX      libgcc's mode suffix (sf, df, tf)
 *   FP_WIDE_MUL(a, b, hi, lo)  the double-width product of two REPs
 * and this file undefines them at its end, ready for the next format.
 *
 * Rounding is round-to-nearest-even (the only mode C code without fenv sees); results,
 * NaN payloads aside, are the IEEE ones: subnormals in and out, signed zeros, inf, NaN.
 * Working form of a finite value: biased exponent e and significand m with three extra
 * low bits (guard, round, sticky); a normal m lies in [IMPLICIT << 3, IMPLICIT << 4). */

#define FP_BITS ((int)sizeof(REP) * 8)
#define IMPLICIT ((REP)1 << FP_SIG)
#define SIG_MASK (IMPLICIT - 1)
#define SIGN_BIT ((REP)1 << (FP_BITS - 1))
#define ABS_MASK (SIGN_BIT - 1)
#define EXP_MAX ((1 << FP_EXP) - 1)
#define BIAS (EXP_MAX >> 1)
#define INF_REP ((REP)EXP_MAX << FP_SIG)
#define QNAN_REP (INF_REP | (IMPLICIT >> 1))

#define SF_NAME(op, n) SF_CAT(op, FP_SFX, n)

static inline REP SF_CAT(to_rep_, FP_SFX, )(FP_T x)
{
    REP r;
    __builtin_memcpy(&r, &x, sizeof r);
    return r;
}
static inline FP_T SF_CAT(from_rep_, FP_SFX, )(REP r)
{
    FP_T x;
    __builtin_memcpy(&x, &r, sizeof x);
    return x;
}
#define TO_REP SF_CAT(to_rep_, FP_SFX, )
#define FROM_REP SF_CAT(from_rep_, FP_SFX, )

/* Shift right keeping every lost 1 bit in bit 0 (sticky). */
static inline REP SF_CAT(shr_sticky_, FP_SFX, )(REP m, int n)
{
    if (n <= 0) return m;
    if (n >= FP_BITS) return m != 0;
    return (m >> n) | ((m << (FP_BITS - n)) != 0);
}
#define SHR_STICKY SF_CAT(shr_sticky_, FP_SFX, )

/* Number of leading zero bits of m (m != 0), by halving. */
static inline int SF_CAT(clz_, FP_SFX, )(REP m)
{
    int n = 0;
    for (int s = FP_BITS / 2; s; s >>= 1)
        if (!(m >> (FP_BITS - s))) {
            m <<= s;
            n += s;
        }
    return n;
}
#define CLZ SF_CAT(clz_, FP_SFX, )

/* Round and pack: e is the biased exponent of m's bit IMPLICIT << 3 (may be <= 0 or too
 * large); m is a working significand, normal or (e == 1) subnormal. */
static REP SF_CAT(round_pack_, FP_SFX, )(REP sign, int e, REP m)
{
    if (e >= EXP_MAX) return sign | INF_REP;
    if (e < 1) {
        m = SHR_STICKY(m, 1 - e);
        e = 1;
    }
    unsigned low = (unsigned)(m & 7);
    m >>= 3;
    if (low > 4 || (low == 4 && (m & 1))) m++;
    /* (e - 1) << FP_SIG plus m: the implicit bit adds the missing 1; a subnormal (e == 1, no
     * implicit bit) keeps exponent field 0, and a carry out of the significand bumps it. */
    return sign | (((REP)(e - 1) << FP_SIG) + m);
}
#define ROUND_PACK SF_CAT(round_pack_, FP_SFX, )

/* Unpack a finite nonzero magnitude into e and a significand with the implicit bit set
 * (subnormals normalised, e then below 1). */
static inline void SF_CAT(unpack_, FP_SFX, )(REP abs, int *e, REP *m)
{
    *e = (int)(abs >> FP_SIG);
    *m = abs & SIG_MASK;
    if (*e) {
        *m |= IMPLICIT;
    } else {
        int shift = CLZ(*m) - (FP_BITS - 1 - FP_SIG);
        *m <<= shift;
        *e = 1 - shift;
    }
}
#define UNPACK SF_CAT(unpack_, FP_SFX, )

FP_T SF_NAME(add, 3)(FP_T fa, FP_T fb)
{
    REP a = TO_REP(fa), b = TO_REP(fb);
    REP aa = a & ABS_MASK, ab = b & ABS_MASK;
    if (aa > INF_REP) return FROM_REP(a | (IMPLICIT >> 1));
    if (ab > INF_REP) return FROM_REP(b | (IMPLICIT >> 1));
    if (aa == INF_REP) return FROM_REP(ab == INF_REP && (a ^ b) == SIGN_BIT ? QNAN_REP : a);
    if (ab == INF_REP) return fb;
    if (!aa) return FROM_REP(ab ? b : a & b); /* -0 + -0 = -0, otherwise +0 */
    if (!ab) return fa;
    if (ab > aa) {
        REP t = a; a = b; b = t;
        t = aa; aa = ab; ab = t;
    }
    REP sign = a & SIGN_BIT;
    int ea = (int)(aa >> FP_SIG), eb = (int)(ab >> FP_SIG);
    REP ma = aa & SIG_MASK, mb = ab & SIG_MASK;
    if (ea) ma |= IMPLICIT; else ea = 1;
    if (eb) mb |= IMPLICIT; else eb = 1;
    ma <<= 3;
    mb = SHR_STICKY(mb << 3, ea - eb);
    if ((a ^ b) & SIGN_BIT) {
        ma -= mb;
        if (!ma) return FROM_REP(0);
        int shift = CLZ(ma) - (FP_BITS - 4 - FP_SIG);
        if (shift > ea - 1) shift = ea - 1;
        if (shift > 0) {
            ma <<= shift;
            ea -= shift;
        }
    } else {
        ma += mb;
        if (ma & (IMPLICIT << 4)) {
            ma = SHR_STICKY(ma, 1);
            ea++;
        }
    }
    return FROM_REP(ROUND_PACK(sign, ea, ma));
}

FP_T SF_NAME(sub, 3)(FP_T a, FP_T b) { return SF_NAME(add, 3)(a, FROM_REP(TO_REP(b) ^ SIGN_BIT)); }

FP_T SF_NAME(neg, 2)(FP_T a) { return FROM_REP(TO_REP(a) ^ SIGN_BIT); }

FP_T SF_NAME(mul, 3)(FP_T fa, FP_T fb)
{
    REP a = TO_REP(fa), b = TO_REP(fb);
    REP aa = a & ABS_MASK, ab = b & ABS_MASK, sign = (a ^ b) & SIGN_BIT;
    if (aa > INF_REP) return FROM_REP(a | (IMPLICIT >> 1));
    if (ab > INF_REP) return FROM_REP(b | (IMPLICIT >> 1));
    if (aa == INF_REP || ab == INF_REP) return FROM_REP(!aa || !ab ? QNAN_REP : sign | INF_REP);
    if (!aa || !ab) return FROM_REP(sign);
    int ea, eb;
    REP ma, mb, hi, lo;
    UNPACK(aa, &ea, &ma);
    UNPACK(ab, &eb, &mb);
    FP_WIDE_MUL(ma, mb, hi, lo);
    /* the product lies in [2^(2 FP_SIG), 2^(2 FP_SIG + 2)): keep FP_SIG + 5 bits + sticky */
    const int drop = FP_SIG - 3;
    REP m = (hi << (FP_BITS - drop)) | (lo >> drop) | ((lo << (FP_BITS - drop)) != 0);
    int e = ea + eb - BIAS;
    if (m & (IMPLICIT << 4)) {
        m = SHR_STICKY(m, 1);
        e++;
    }
    return FROM_REP(ROUND_PACK(sign, e, m));
}

FP_T SF_NAME(div, 3)(FP_T fa, FP_T fb)
{
    REP a = TO_REP(fa), b = TO_REP(fb);
    REP aa = a & ABS_MASK, ab = b & ABS_MASK, sign = (a ^ b) & SIGN_BIT;
    if (aa > INF_REP) return FROM_REP(a | (IMPLICIT >> 1));
    if (ab > INF_REP) return FROM_REP(b | (IMPLICIT >> 1));
    if (aa == INF_REP) return FROM_REP(ab == INF_REP ? QNAN_REP : sign | INF_REP);
    if (ab == INF_REP) return FROM_REP(sign);
    if (!ab) return FROM_REP(aa ? sign | INF_REP : QNAN_REP);
    if (!aa) return FROM_REP(sign);
    int ea, eb;
    REP ma, mb;
    UNPACK(aa, &ea, &ma);
    UNPACK(ab, &eb, &mb);
    int e = ea - eb + BIAS;
    if (ma < mb) {
        ma <<= 1;
        e--;
    }
    /* restoring division: FP_SIG + 4 quotient bits (1 integer, FP_SIG fraction, guard,
     * round), the remainder's non-zeroness as sticky */
    REP q = 0, r = ma;
    for (int i = 0; i < FP_SIG + 3; i++) {
        q <<= 1;
        if (r >= mb) {
            r -= mb;
            q |= 1;
        }
        r <<= 1;
    }
    q = (q << 1) | (r != 0);
    return FROM_REP(ROUND_PACK(sign, e, q));
}

/* -1 less, 0 equal, 1 greater, `unordered` if either is NaN. */
static inline int SF_CAT(compare_, FP_SFX, )(FP_T fa, FP_T fb, int unordered)
{
    REP a = TO_REP(fa), b = TO_REP(fb);
    REP aa = a & ABS_MASK, ab = b & ABS_MASK;
    if (aa > INF_REP || ab > INF_REP) return unordered;
    if (!(aa | ab)) return 0;
    if (a == b) return 0;
    if (a & b & SIGN_BIT) return (SREP)a > (SREP)b ? -1 : 1;
    return (SREP)a < (SREP)b ? -1 : 1;
}
#define COMPARE SF_CAT(compare_, FP_SFX, )

int SF_NAME(eq, 2)(FP_T a, FP_T b) { return COMPARE(a, b, 1); }
int SF_NAME(ne, 2)(FP_T a, FP_T b) { return COMPARE(a, b, 1); }
int SF_NAME(lt, 2)(FP_T a, FP_T b) { return COMPARE(a, b, 1); }
int SF_NAME(le, 2)(FP_T a, FP_T b) { return COMPARE(a, b, 1); }
int SF_NAME(gt, 2)(FP_T a, FP_T b) { return COMPARE(a, b, -1); }
int SF_NAME(ge, 2)(FP_T a, FP_T b) { return COMPARE(a, b, -1); }
int SF_NAME(unord, 2)(FP_T fa, FP_T fb)
{
    return (TO_REP(fa) & ABS_MASK) > INF_REP || (TO_REP(fb) & ABS_MASK) > INF_REP;
}

/* ---- through the common form (sf_norm: sign, unbiased exponent, 128-bit significand) --- */

/* Pack a normalised value (leading 1 at bit 127) into this format, rounding once. */
static REP SF_CAT(from_norm_, FP_SFX, )(const sf_norm *n)
{
    REP sign = n->sign ? SIGN_BIT : 0;
    if (n->kind == SF_ZERO) return sign;
    if (n->kind == SF_INF) return sign | INF_REP;
    if (n->kind == SF_NAN) return QNAN_REP | sign | (REP)(n->sig >> (128 - FP_SIG));
    const int drop = 128 - (FP_SIG + 4);
    u128 low = n->sig << (128 - drop);
    REP m = (REP)(n->sig >> drop) | (low != 0 || n->sticky);
    return ROUND_PACK(sign, n->exp + BIAS, m);
}

static sf_norm SF_CAT(to_norm_, FP_SFX, )(FP_T fx)
{
    REP x = TO_REP(fx), abs = x & ABS_MASK;
    sf_norm n = {.sign = (x & SIGN_BIT) != 0, .kind = SF_FINITE};
    if (!abs) {
        n.kind = SF_ZERO;
    } else if (abs >= INF_REP) {
        n.kind = abs == INF_REP ? SF_INF : SF_NAN;
        n.sig = (u128)(abs & SIG_MASK) << (128 - FP_SIG);
    } else {
        int e;
        REP m;
        UNPACK(abs, &e, &m);
        n.exp = e - BIAS;
        n.sig = (u128)m << (127 - FP_SIG);
    }
    return n;
}

#undef FP_BITS
#undef IMPLICIT
#undef SIG_MASK
#undef SIGN_BIT
#undef ABS_MASK
#undef EXP_MAX
#undef BIAS
#undef INF_REP
#undef QNAN_REP
#undef TO_REP
#undef FROM_REP
#undef SHR_STICKY
#undef CLZ
#undef ROUND_PACK
#undef UNPACK
#undef COMPARE
/* (the including file's parameters) */
#undef FP_T
#undef REP
#undef SREP
#undef FP_SIG
#undef FP_EXP
#undef FP_SFX
#undef FP_WIDE_MUL
