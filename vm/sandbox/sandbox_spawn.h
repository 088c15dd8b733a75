/* Worker creation (sandbox_spawn.c). */
#ifndef PVM_SANDBOX_SPAWN_H
#define PVM_SANDBOX_SPAWN_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "sandbox_protocol.h"

typedef struct {
    sandbox_shared *shared; /* mapped here, config filled in */
    int shared_fd;          /* its memfd */
    const char *worker_path;
    bool namespaces;
    bool sanitizer; /* pass the environment on to the worker (sanitizer options) */
} sandbox_spawn_args;

/* Clone the worker (with namespaces if asked and allowed; otherwise why_no_ns says why), exec the worker program
 * in it and return its pid, or -1. *death_pipe_w is the host's end of the pipe whose closing tells a starting
 * worker that the host is gone. */
pid_t sandbox_spawn(const sandbox_spawn_args *a, int *death_pipe_w, char *why_no_ns, size_t why_len, pvm_error *err);
#endif
