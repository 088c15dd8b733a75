/* The block of shared memory (a memfd) between host and worker. The host
 * fills in the worker's configuration before starting it; then it writes a
 * command and bumps `request`; the worker serves it, writes the reply and
 * bumps `reply`. Both counters are futex words. The worker's first reply
 * is the outcome of its own setup. */
#ifndef PVM_SANDBOX_PROTOCOL_H
#define PVM_SANDBOX_PROTOCOL_H
#include <stdbool.h>
#include <stdint.h>
#include "pvm/pvm.h"

#define SANDBOX_DATA_CAP (1u << 20) /* bytes moved per command (module bytes and memory go in chunks) */
#define SANDBOX_SHARED_SIZE (sizeof(sandbox_shared))

typedef enum {
    SANDBOX_CMD_LOAD_CHUNK, /* append data[0..len) to the module bytes */
    SANDBOX_CMD_LOAD,       /* compile the bytes gathered so far and instantiate; the reply's addr
                               is the code size (taken before any guest code ran) */
    SANDBOX_CMD_RESET,      /* reset the instance */
    SANDBOX_CMD_CALL,       /* prepare export `data` (NUL-terminated) with regs[7..7+nargs), run */
    SANDBOX_CMD_RESUME,     /* set regs, run on after an ecalli */
    SANDBOX_CMD_READ,       /* guest [addr, addr+len) -> data */
    SANDBOX_CMD_WRITE,      /* data -> guest [addr, addr+len) */
    SANDBOX_CMD_TEST_FORBIDDEN_SYSCALL = 100, /* tests: make a system call outside the allow list */
    SANDBOX_CMD_TEST_CRASH = 101,             /* tests: crash the worker with a host-level fault */
    /* tests: answer the next call as a compromised worker might */
    SANDBOX_CMD_TEST_HANG = 102,              /* never answer */
    SANDBOX_CMD_TEST_BAD_STATUS = 103,        /* a status that is no pvm_status */
    SANDBOX_CMD_TEST_UNTERMINATED_ERROR = 104,/* an error message without its NUL */
    SANDBOX_CMD_TEST_BAD_EXIT_KIND = 105,     /* an exit kind that does not exist */
    SANDBOX_CMD_TEST_BAD_PC = 106,            /* a pc past the end of the code */
    SANDBOX_CMD_TEST_GAS_GAIN = 107           /* more gas left than the call was given */
} sandbox_cmd;

/* What the worker sets up for itself after exec. */
typedef struct {
    pvm_backend backend;
    pvm_gas_mode gas_mode;
    bool seccomp;
    bool limit_address_space; /* off in sanitizer builds: ASan reserves terabytes of shadow */
    bool lazy_pages, huge_pages;
    uint64_t address_space;
    uint32_t cpu_seconds;
} sandbox_worker_config;

/* The worker executable finds the block at this descriptor. */
#define SANDBOX_SHARED_FD 3

typedef struct {
    sandbox_worker_config config;
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

/* Worker side (sandbox_worker.c): set up limits, the engine and the filter as sh->config says, report, then
 * serve commands until the host goes away. Never returns. */
_Noreturn void sandbox_worker_run(sandbox_shared *sh);

/* The allow list (sandbox_seccomp.c): install it on this process; false with errno on failure. */
bool sandbox_seccomp_install(bool allow_jit);
#endif
