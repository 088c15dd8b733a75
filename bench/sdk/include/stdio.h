/* stdio.h of the PVM guest SDK: formatted output only. Bytes reach the host through the
 * standard host call pvm_write(fd, ptr, len) (vm/include/pvm/hostcalls.h), buffered per
 * stream; stdout and stderr are flushed by fflush, by exit() and when the buffer fills
 * (stderr is unbuffered). printf supports the C99 conversions d i u o x X c s p n % f F e E
 * g G a A with flags, width, precision and the hh h l ll z j t L length modifiers; floating
 * conversions are exact (correctly rounded, as glibc prints them). %Lf prints a long double
 * rounded to double first. No input, no files. */
#ifndef PVM_SDK_STDIO_H
#define PVM_SDK_STDIO_H
#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)
typedef struct pvm_sdk_file FILE;
extern FILE *const stdout;
extern FILE *const stderr;

int printf(const char *restrict format, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *restrict stream, const char *restrict format, ...) __attribute__((format(printf, 2, 3)));
int sprintf(char *restrict out, const char *restrict format, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *restrict out, size_t size, const char *restrict format, ...)
    __attribute__((format(printf, 3, 4)));
int vprintf(const char *restrict format, va_list args);
int vfprintf(FILE *restrict stream, const char *restrict format, va_list args);
int vsprintf(char *restrict out, const char *restrict format, va_list args);
int vsnprintf(char *restrict out, size_t size, const char *restrict format, va_list args);
int puts(const char *s);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict stream);
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
size_t fwrite(const void *restrict p, size_t size, size_t count, FILE *restrict stream);
int fflush(FILE *stream);

#endif
