/* Fault handler of the interpreter's guard window (see interp_guard.h). */
#define _GNU_SOURCE
#include "interp_guard.h"
#include <pthread.h>
#include <signal.h>
#include <ucontext.h>
#include "vm/memory/fault_chain.h"

static __thread pvm_interp_guard *current_guard;

#if PVM_INTERP_GUARD_RBX
/* The super-instructions' second accesses (PVM_INTERP_PAIR_SECOND_MARK), from the linker. */
extern const uintptr_t __start_pvm_interp_seconds[] __attribute__((weak, visibility("hidden")));
extern const uintptr_t __stop_pvm_interp_seconds[] __attribute__((weak, visibility("hidden")));

/* Whether the access at ip is a pair's second: rbx then holds the pair's first record. */
static bool is_pair_second(uintptr_t ip)
{
    for (const uintptr_t *p = __start_pvm_interp_seconds; p && p < __stop_pvm_interp_seconds; p++)
        if (*p == ip) return true;
    return false;
}
#endif

/* A fault in the window of this thread's running guarded loop: back to its entry. */
static bool claim(int sig, siginfo_t *si, void *uctx)
{
    pvm_interp_guard *g = current_guard;
    const uint8_t *at = si->si_addr;
    if (!g || at < g->lo || at >= g->hi) return false;
#if PVM_INTERP_GUARD_RBX
    /* the access instruction had its record in rbx (interp_loop.inc, GUARD_LOAD/GUARD_STORE) */
    const greg_t *regs = ((ucontext_t *)uctx)->uc_mcontext.gregs;
    g->ins = (const struct pvm_interp_op *)regs[REG_RBX];
    g->pair_second = is_pair_second((uintptr_t)regs[REG_RIP]);
    if (g->counts_in_regs) {
        g->icount = (uint64_t)regs[REG_R14];
        g->bcount = (uint64_t)regs[REG_R13];
        if (g->gas_in_reg) g->gas = (int64_t)regs[REG_R15];
    }
#else
    (void)uctx;
#endif
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL); /* we leave the handler by a jump */
    siglongjmp(g->jump, 1);
}

bool pvm_interp_guard_install(void) { return pvm_fault_chain_take(claim) == 0; }

pvm_interp_guard *pvm_interp_guard_enter(pvm_interp_guard *g)
{
    pvm_interp_guard *prev = current_guard;
    current_guard = g;
    return prev;
}

void pvm_interp_guard_leave(pvm_interp_guard *prev) { current_guard = prev; }
