/* Small string predicates the tools share. */
#ifndef PVM_UTIL_TEXT_H
#define PVM_UTIL_TEXT_H

#include <stdbool.h>
#include <string.h>

/* Whether text ends with suffix (every text ends with ""). */
static inline bool util_ends_with(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && memcmp(text + n - m, suffix, m) == 0;
}

#endif
