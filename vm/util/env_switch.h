/* A switch in the environment (A/B comparisons, debugging): on when the variable is set,
 * non-empty and not "0". The one reader of every PVMLAB_* on/off variable. */
#ifndef PVM_UTIL_ENV_SWITCH_H
#define PVM_UTIL_ENV_SWITCH_H
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static inline bool util_env_switch(const char *name)
{
    const char *s = getenv(name);
    return s && *s && strcmp(s, "0") != 0;
}
#endif
