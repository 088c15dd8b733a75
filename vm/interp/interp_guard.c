/* Fault handler of the interpreter's guard window (see interp_guard.h). */
#define _GNU_SOURCE
#include "interp_guard.h"
#include <pthread.h>
#include <signal.h>
#include "vm/memory/fault_chain.h"

static void on_fault(int sig, siginfo_t *si, void *uctx);
static pvm_fault_chain chain = {.handler = on_fault, .id = 1};
static __thread pvm_interp_guard *current_guard;

static void on_fault(int sig, siginfo_t *si, void *uctx)
{
    pvm_interp_guard *g = current_guard;
    const uint8_t *at = si->si_addr;
    if (g && at >= g->lo && at < g->hi) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL); /* we leave the handler by a jump */
        siglongjmp(g->jump, 1);
    }
    pvm_fault_chain_pass_on(&chain, sig, si, uctx);
}

bool pvm_interp_guard_install(void)
{
    return pvm_fault_chain_take(&chain, SIGSEGV) == 0 && pvm_fault_chain_take(&chain, SIGBUS) == 0;
}

pvm_interp_guard *pvm_interp_guard_enter(pvm_interp_guard *g)
{
    pvm_interp_guard *prev = current_guard;
    current_guard = g;
    return prev;
}

void pvm_interp_guard_leave(pvm_interp_guard *prev) { current_guard = prev; }
