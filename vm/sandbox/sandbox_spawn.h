/* Worker creation (sandbox_spawn.c). */
#ifndef PVM_SANDBOX_SPAWN_H
#define PVM_SANDBOX_SPAWN_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "sandbox_protocol.h"

typedef struct {
    sandbox_shared *shared;
    pvm_engine_config engine;
    bool namespaces, seccomp;
    bool sanitizer; /* ASan reserves terabytes of shadow: RLIMIT_AS would break it */
    uint64_t address_space;
    uint32_t cpu_seconds;
} sandbox_spawn_args;

/* Clone the worker (with namespaces if asked and allowed; otherwise why_no_ns says why) and return its pid, or -1.
 * *death_pipe_w is the host's end of the pipe whose closing tells a starting worker that the host is gone. */
pid_t sandbox_spawn(const sandbox_spawn_args *a, int *death_pipe_w, char *why_no_ns, size_t why_len, pvm_error *err);
#endif
