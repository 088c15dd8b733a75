/* Guest memory through the GS segment: the thread's GS base is the guest
 * window, and a load or store addresses gs:[base32 + disp] with the 32-bit
 * address-size prefix, which is the PVM address (base + offset modulo 2^32)
 * in one instruction for 64-bit and 32-bit programs alike (no lea into ecx).
 * x86-64 Linux user space leaves GS unused; the base is set with arch_prctl
 * when a run enters generated code with another window than last time on
 * this thread (the kernel keeps it per thread and across fork). */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "jit.h"

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static bool usable;
static __thread uintptr_t current_base; /* 0: not set by us on this thread */

/* Only ARCH_SET_GS (the sandbox worker's seccomp filter allows nothing else of arch_prctl). */
static void probe(void) { usable = syscall(SYS_arch_prctl, ARCH_SET_GS, 0ul) == 0; }

bool jit_gs_usable(void)
{
    pthread_once(&probe_once, probe);
    return usable;
}

bool jit_gs_enter(const uint8_t *base)
{
    if (current_base == (uintptr_t)base) return true;
    if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)(uintptr_t)base) != 0) return false;
    current_base = (uintptr_t)base;
    return true;
}
