/* Futex wait/wake on the shared counters. A waiter spins first (about a
 * millisecond), then yields, then sleeps: a host call is usually answered
 * within microseconds, and on a busy machine a sleeping side can wait
 * hundreds of microseconds for a CPU after its wake-up (measured on the
 * 2-core development VM: ~150-250 us per round trip with a 2000-pause
 * spin, ~10-40 us with this one). */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "sandbox_protocol.h"

#define SPIN_ROUNDS 100000 /* pause instructions */
#define YIELD_ROUNDS 50

void sandbox_futex_wait(volatile uint32_t *word, uint32_t seen, uint64_t timeout_ns)
{
    for (int i = 0; i < SPIN_ROUNDS; i++) {
        if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != seen) return;
        __builtin_ia32_pause();
    }
    /* Then give the CPU away a few times (the other side may be waiting for it) before sleeping. */
    for (int i = 0; i < YIELD_ROUNDS; i++) {
        if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != seen) return;
        sched_yield();
    }
    struct timespec ts = {(time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u)};
    /* Not FUTEX_PRIVATE: the word lives in memory shared by two processes. */
    syscall(SYS_futex, word, FUTEX_WAIT, seen, timeout_ns ? &ts : NULL, NULL, 0);
}

void sandbox_futex_wake(volatile uint32_t *word) { syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0); }
