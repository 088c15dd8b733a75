/* The block of shared memory between host and worker. The host writes a
 * command and bumps `request`; the worker serves it, writes the reply and
 * bumps `reply`. Both counters are futex words. */
#ifndef PVM_SANDBOX_PROTOCOL_H
#define PVM_SANDBOX_PROTOCOL_H
#include <stdbool.h>
#include <stdint.h>
#include "pvm/pvm.h"

#define SANDBOX_DATA_CAP (1u << 20) /* bytes moved per command (module bytes and memory go in chunks) */
#define SANDBOX_SHARED_SIZE (sizeof(sandbox_shared))

typedef enum {
    SANDBOX_CMD_LOAD_CHUNK, /* append data[0..len) to the module bytes */
    SANDBOX_CMD_LOAD,       /* compile the bytes gathered so far and instantiate */
    SANDBOX_CMD_RESET,      /* reset the instance */
    SANDBOX_CMD_CALL,       /* prepare export `data` (NUL-terminated) with regs[7..7+nargs), run */
    SANDBOX_CMD_RESUME,     /* set regs, run on after an ecalli */
    SANDBOX_CMD_READ,       /* guest [addr, addr+len) -> data */
    SANDBOX_CMD_WRITE,      /* data -> guest [addr, addr+len) */
    SANDBOX_CMD_TEST_FORBIDDEN_SYSCALL = 100, /* tests: make a system call outside the allow list */
    SANDBOX_CMD_TEST_CRASH = 101              /* tests: crash the worker with a host-level fault */
} sandbox_cmd;

typedef struct {
    _Alignas(64) volatile uint32_t request; /* futex: host -> worker */
    _Alignas(64) volatile uint32_t reply;   /* futex: worker -> host */
    _Alignas(64) uint32_t cmd;
    uint32_t nargs;
    uint32_t addr, len;
    int64_t gas;
    uint64_t regs[PVM_REG_COUNT];
    pvm_result result;
    pvm_status status;
    pvm_error error;
    uint8_t data[SANDBOX_DATA_CAP];
} sandbox_shared;

/* Futex helpers (sandbox_futex.c). wait returns when *word != seen or after timeout_ns (0 = forever). */
void sandbox_futex_wait(volatile uint32_t *word, uint32_t seen, uint64_t timeout_ns);
void sandbox_futex_wake(volatile uint32_t *word);

/* Worker side (sandbox_worker.c): serve commands until the host goes away. Never returns. */
_Noreturn void sandbox_worker_main(sandbox_shared *sh, pvm_engine *engine);

/* The allow list (sandbox_seccomp.c): install it on this process; false with errno on failure. */
bool sandbox_seccomp_install(bool allow_jit);
#endif
