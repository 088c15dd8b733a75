#include "error.h"
#include <stdarg.h>
#include <stdio.h>

pvm_status pvm_fail(pvm_error *err, pvm_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return st;
}

pvm_status pvm_fail_at(pvm_error *err, pvm_status st, size_t offset, const char *fmt, ...)
{
    if (err) {
        int n = snprintf(err->msg, sizeof err->msg, "offset %zu: ", offset);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return st;
}
