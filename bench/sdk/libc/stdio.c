/* stdout and stderr over the standard host call pvm_write (vm/include/pvm/hostcalls.h:
 * imported by name, fd 1 and 2), exit() and abort() over pvm_exit. stdout is line
 * buffered and also flushed at the end of every printf/puts/fputs/fwrite call, so output
 * is complete when an export returns; stderr is flushed at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvm_guest.h"
#include "stream.h"

PVM_IMPORT(long, pvm_write, unsigned long, const void *, unsigned long);
PVM_IMPORT(void, pvm_exit, unsigned long);

struct pvm_sdk_file {
    unsigned long fd;
    int line_buffered;
    size_t used;
    char buf[256];
};

static FILE out_file = {1, 1, 0, {0}}, err_file = {2, 0, 0, {0}};
FILE *const stdout = &out_file;
FILE *const stderr = &err_file;

int pvm_stream_flush(FILE *f)
{
    if (!f->used) return 0;
    long written = pvm_write(f->fd, f->buf, f->used);
    int ok = written == (long)f->used;
    f->used = 0;
    return ok ? 0 : EOF;
}

void pvm_stream_put(FILE *f, char c)
{
    f->buf[f->used++] = c;
    if (f->used == sizeof f->buf || (c == '\n' && f->line_buffered)) pvm_stream_flush(f);
}

int fflush(FILE *f)
{
    if (!f) return pvm_stream_flush(stdout) | pvm_stream_flush(stderr);
    return pvm_stream_flush(f);
}

size_t fwrite(const void *restrict p, size_t size, size_t count, FILE *restrict f)
{
    const char *c = p;
    for (size_t i = 0; i < size * count; i++) pvm_stream_put(f, c[i]);
    return pvm_stream_flush(f) ? 0 : count;
}

int fputc(int c, FILE *f)
{
    pvm_stream_put(f, (char)c);
    if (!f->line_buffered) pvm_stream_flush(f);
    return (unsigned char)c;
}
int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *restrict s, FILE *restrict f)
{
    return fwrite(s, 1, strlen(s), f) || !*s ? 0 : EOF;
}

int puts(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) pvm_stream_put(stdout, s[i]);
    pvm_stream_put(stdout, '\n');
    return pvm_stream_flush(stdout) ? EOF : 0;
}

_Noreturn void exit(int status)
{
    fflush(NULL);
    pvm_exit((unsigned long)(status & 0xff));
    for (;;) PVM_TRAP(); /* a host that resumes after pvm_exit gets a trap */
}

_Noreturn void abort(void)
{
    fflush(NULL);
    for (;;) PVM_TRAP();
}

_Noreturn void __pvm_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    fflush(stdout);
    fprintf(stderr, "%s:%d: %s: assertion `%s' failed.\n", file, line, func, expr);
    abort();
}
