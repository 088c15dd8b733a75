/* Error reporting: a status plus a one-line message in the caller's pvm_error. */
#ifndef PVM_UTIL_ERROR_H
#define PVM_UTIL_ERROR_H
#include <stddef.h>
#include "pvm/pvm.h"

pvm_status pvm_fail(pvm_error *err, pvm_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Same, prefixed with "offset N: ". */
pvm_status pvm_fail_at(pvm_error *err, pvm_status st, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#endif
