/* Exact, correctly rounded decimal digits of a double (libc/decimal.c), for printf. */
#ifndef PVM_SDK_DECIMAL_H
#define PVM_SDK_DECIMAL_H

/* Digits of |v| into out (no sign, no point); returns how many. fixed: every integer digit
 * and `precision` fraction digits (*point = digits before the decimal point, which may be 0
 * for |v| < 1: then out holds just the fraction digits). Otherwise precision + 1 significant
 * digits with *point - 1 the decimal exponent of the first. out needs precision + 330 bytes. */
int decimal_digits(double v, int fixed, int precision, char *out, int *point);

#endif
