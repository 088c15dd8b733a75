/* The printf family: one formatter writing into a sink (a caller's buffer for snprintf, a
 * stream for printf/fprintf). C99 conversions, flags, width, precision, length modifiers;
 * floating conversions exact through decimal.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "stream.h"

typedef struct {
    char *buf; /* snprintf: the caller's buffer (NULL for a stream) */
    size_t cap;
    size_t len; /* characters produced so far (returned even past cap) */
    FILE *stream;
} sink;

static void put(sink *s, char c)
{
    if (s->stream) pvm_stream_put(s->stream, c);
    else if (s->len + 1 < s->cap) s->buf[s->len] = c;
    s->len++;
}

static void put_n(sink *s, const char *p, size_t n)
{
    while (n--) put(s, *p++);
}

static void pad(sink *s, char c, int n)
{
    while (n-- > 0) put(s, c);
}

typedef struct {
    int left, plus, space, alt, zero;
    int width, precision; /* precision -1: not given */
} spec;

/* Emit prefix (sign, 0x) + zeros + body with the field's padding rules. */
static void emit_field(sink *s, const spec *f, const char *prefix, int zeros, const char *body, int body_len)
{
    int plen = (int)strlen(prefix), total = plen + zeros + body_len;
    if (!f->left && !f->zero) pad(s, ' ', f->width - total);
    put_n(s, prefix, (size_t)plen);
    if (!f->left && f->zero) pad(s, '0', f->width - total);
    pad(s, '0', zeros);
    put_n(s, body, (size_t)body_len);
    if (f->left) pad(s, ' ', f->width - total);
}

static void format_integer(sink *s, spec f, uintmax_t v, int negative, int base, int upper, char conv)
{
    char digits[72];
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    for (uintmax_t x = v; x; x /= (unsigned)base) digits[sizeof digits - 1 - n++] = set[x % (unsigned)base];
    const char *body = digits + sizeof digits - n;
    char prefix[4] = "";
    if (negative) strcpy(prefix, "-");
    else if (f.plus && (conv == 'd' || conv == 'i')) strcpy(prefix, "+");
    else if (f.space && (conv == 'd' || conv == 'i')) strcpy(prefix, " ");
    if (f.alt && base == 16 && v) strcpy(prefix, upper ? "0X" : "0x");
    int zeros = 0;
    if (f.precision >= 0) {
        f.zero = 0;
        zeros = f.precision > n ? f.precision - n : 0;
    } else if (n == 0) {
        zeros = 1; /* the value 0 */
    }
    if (f.alt && base == 8 && zeros == 0 && (n == 0 || body[0] != '0')) zeros = 1;
    emit_field(s, &f, prefix, zeros, body, n);
}

/* %f %e %g %a and their capitals for a finite or infinite double. */
static void format_double(sink *s, spec f, double v, char conv)
{
    int upper = conv >= 'A' && conv <= 'Z';
    char lower = (char)(upper ? conv + 32 : conv);
    uint64_t bits;
    memcpy(&bits, &v, 8);
    int negative = (int)(bits >> 63);
    char prefix[4] = "";
    if (negative) strcpy(prefix, "-");
    else if (f.plus) strcpy(prefix, "+");
    else if (f.space) strcpy(prefix, " ");
    if ((bits >> 52 & 0x7ff) == 0x7ff) {
        const char *t = (bits << 12) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        f.zero = 0;
        emit_field(s, &f, prefix, 0, t, 3);
        return;
    }
    char out[1100];
    int n = 0;
    if (lower == 'a') {
        uint64_t mant = bits & ((1ull << 52) - 1);
        int e = (int)(bits >> 52 & 0x7ff), lead = e != 0;
        int exp2 = e ? e - 1023 : (mant ? -1022 : 0);
        int prec = f.precision < 0 ? 13 : f.precision;
        if (f.precision < 0) /* shortest exact: drop trailing zero nibbles */
            while (prec > 0 && !(mant >> (4 * (13 - prec)) & 0xf)) prec--;
        if (prec < 13) { /* round half to even at nibble prec */
            int drop = 4 * (13 - prec);
            uint64_t full = (uint64_t)lead << 52 | mant, half = 1ull << (drop - 1);
            uint64_t rest = full & ((1ull << drop) - 1), kept = full >> drop;
            if (rest > half || (rest == half && (kept & 1))) kept++;
            full = kept << drop;
            lead = (int)(full >> 52);
            mant = full & ((1ull << 52) - 1);
            /* a carry into 2.0 prints as "2.000p+e", as glibc does */
        }
        const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        strcpy(prefix + strlen(prefix), upper ? "0X" : "0x");
        out[n++] = (char)('0' + lead);
        if (prec > 0 || f.alt) out[n++] = '.';
        for (int i = 0; i < prec; i++) out[n++] = set[mant >> (48 - 4 * i) & 0xf];
        out[n++] = upper ? 'P' : 'p';
        out[n++] = exp2 < 0 ? '-' : '+';
        char e10[8];
        int k = 0, x = exp2 < 0 ? -exp2 : exp2;
        do e10[k++] = (char)('0' + x % 10); while (x /= 10);
        while (k) out[n++] = e10[--k];
        emit_field(s, &f, prefix, 0, out, n);
        return;
    }
    int prec = f.precision < 0 ? 6 : f.precision;
    if (prec > 500) prec = 500;
    char digits[900];
    int point, nd, style = lower; /* 'f' or 'e' */
    int strip = 0;
    if (lower == 'g') {
        int p = prec ? prec : 1;
        nd = decimal_digits(v, 0, p - 1, digits, &point);
        int x = point - 1;
        if (p > x && x >= -4) {
            style = 'f';
            prec = p - 1 - x;
        } else {
            style = 'e';
            prec = p - 1;
        }
        strip = !f.alt;
    }
    if (style == 'f') {
        nd = decimal_digits(v, 1, prec, digits, &point);
        int int_digits = point > 0 ? point : 0;
        if (!int_digits) out[n++] = '0';
        for (int i = 0; i < int_digits; i++) out[n++] = digits[i];
        int frac = nd - int_digits, frac_start = n + 1;
        if (frac > 0 || f.alt) out[n++] = '.';
        for (int i = 0; i < frac; i++) out[n++] = digits[int_digits + i];
        if (strip && frac > 0) {
            while (n > frac_start && out[n - 1] == '0') n--;
            if (n == frac_start && !f.alt) n--; /* the point itself */
        }
    } else {
        nd = decimal_digits(v, 0, prec, digits, &point);
        int x = v == 0 ? 0 : point - 1;
        out[n++] = digits[0];
        int frac_start = n + 1;
        if (nd > 1 || f.alt) out[n++] = '.';
        for (int i = 1; i < nd; i++) out[n++] = digits[i];
        if (strip && nd > 1) {
            while (n > frac_start && out[n - 1] == '0') n--;
            if (n == frac_start && !f.alt) n--;
        }
        out[n++] = upper ? 'E' : 'e';
        out[n++] = x < 0 ? '-' : '+';
        int ax = x < 0 ? -x : x;
        if (ax >= 100) out[n++] = (char)('0' + ax / 100);
        out[n++] = (char)('0' + ax / 10 % 10);
        out[n++] = (char)('0' + ax % 10);
    }
    emit_field(s, &f, prefix, 0, out, n);
}

static int format(sink *s, const char *fmt, va_list ap)
{
    while (*fmt) {
        if (*fmt != '%') {
            put(s, *fmt++);
            continue;
        }
        fmt++;
        spec f = {.precision = -1};
        for (;; fmt++) {
            if (*fmt == '-') f.left = 1;
            else if (*fmt == '+') f.plus = 1;
            else if (*fmt == ' ') f.space = 1;
            else if (*fmt == '#') f.alt = 1;
            else if (*fmt == '0') f.zero = 1;
            else break;
        }
        if (*fmt == '*') {
            f.width = va_arg(ap, int);
            if (f.width < 0) {
                f.left = 1;
                f.width = -f.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9') f.width = f.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            f.precision = 0;
            if (*fmt == '*') {
                f.precision = va_arg(ap, int);
                if (f.precision < 0) f.precision = -1;
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9') f.precision = f.precision * 10 + (*fmt++ - '0');
            }
        }
        if (f.left) f.zero = 0;
        /* length: 'H' hh, 'h', 'l', 'L' ll, 'z', 'j', 't', 'D' long double */
        char len = 0;
        if (*fmt == 'h') len = *++fmt == 'h' ? (fmt++, 'H') : 'h';
        else if (*fmt == 'l') len = *++fmt == 'l' ? (fmt++, 'L') : 'l';
        else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't') len = *fmt++;
        else if (*fmt == 'L') len = (fmt++, 'D');
        char conv = *fmt ? *fmt++ : 0;
        switch (conv) {
        case 'd': case 'i': {
            intmax_t v;
            switch (len) {
            case 'H': v = (signed char)va_arg(ap, int); break;
            case 'h': v = (short)va_arg(ap, int); break;
            case 'l': v = va_arg(ap, long); break;
            case 'L': v = va_arg(ap, long long); break;
            case 'z': case 't': v = va_arg(ap, ptrdiff_t); break;
            case 'j': v = va_arg(ap, intmax_t); break;
            default: v = va_arg(ap, int); break;
            }
            format_integer(s, f, v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v, v < 0, 10, 0, conv);
            break;
        }
        case 'u': case 'o': case 'x': case 'X': {
            uintmax_t v;
            switch (len) {
            case 'H': v = (unsigned char)va_arg(ap, unsigned); break;
            case 'h': v = (unsigned short)va_arg(ap, unsigned); break;
            case 'l': v = va_arg(ap, unsigned long); break;
            case 'L': v = va_arg(ap, unsigned long long); break;
            case 'z': case 't': v = va_arg(ap, size_t); break;
            case 'j': v = va_arg(ap, uintmax_t); break;
            default: v = va_arg(ap, unsigned); break;
            }
            format_integer(s, f, v, 0, conv == 'u' ? 10 : conv == 'o' ? 8 : 16, conv == 'X', conv);
            break;
        }
        case 'p': {
            void *p = va_arg(ap, void *);
            f.alt = 1;
            if (p) format_integer(s, f, (uintptr_t)p, 0, 16, 0, 'x');
            else emit_field(s, &f, "", 0, "(nil)", 5); /* as glibc */
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            f.zero = 0;
            emit_field(s, &f, "", 0, &c, 1);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str) str = "(null)";
            size_t n = f.precision >= 0 ? strnlen(str, (size_t)f.precision) : strlen(str);
            f.zero = 0;
            emit_field(s, &f, "", 0, str, (int)n);
            break;
        }
        case 'n': {
            int *p = va_arg(ap, int *);
            *p = (int)s->len;
            break;
        }
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
            double v = len == 'D' ? (double)va_arg(ap, long double) : va_arg(ap, double);
            format_double(s, f, v, conv);
            break;
        }
        case '%': put(s, '%'); break;
        default: /* unknown conversion: print it as written */
            put(s, '%');
            if (conv) put(s, conv);
            break;
        }
    }
    return (int)s->len;
}

int vsnprintf(char *restrict out, size_t size, const char *restrict fmt, va_list ap)
{
    sink s = {out, size, 0, NULL};
    int n = format(&s, fmt, ap);
    if (size) out[s.len < size ? s.len : size - 1] = 0;
    return n;
}

int snprintf(char *restrict out, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *restrict out, const char *restrict fmt, va_list ap) { return vsnprintf(out, SIZE_MAX, fmt, ap); }

int sprintf(char *restrict out, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf(out, fmt, ap);
    va_end(ap);
    return n;
}

int vfprintf(FILE *restrict stream, const char *restrict fmt, va_list ap)
{
    sink s = {NULL, 0, 0, stream};
    int n = format(&s, fmt, ap);
    pvm_stream_flush(stream);
    return n;
}

int fprintf(FILE *restrict stream, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stream, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}
