/* Futex wait/wake on the shared counters, with a short spin first: a host
 * call round trip is usually answered within microseconds. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "sandbox_protocol.h"

#define SPIN_ROUNDS 2000

void sandbox_futex_wait(volatile uint32_t *word, uint32_t seen, uint64_t timeout_ns)
{
    for (int i = 0; i < SPIN_ROUNDS; i++) {
        if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != seen) return;
        __builtin_ia32_pause();
    }
    struct timespec ts = {(time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u)};
    /* Not FUTEX_PRIVATE: the word lives in memory shared by two processes. */
    syscall(SYS_futex, word, FUTEX_WAIT, seen, timeout_ns ? &ts : NULL, NULL, 0);
}

void sandbox_futex_wake(volatile uint32_t *word) { syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0); }
