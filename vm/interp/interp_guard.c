/* Fault handler of the interpreter's guard window (see interp_guard.h). */
#define _GNU_SOURCE
#include "interp_guard.h"
#include <pthread.h>
#include <signal.h>
#include <string.h>

static struct sigaction previous_segv, previous_bus;
static __thread pvm_interp_guard *current_guard;
static __thread bool chaining; /* a chained handler came back to us: the fault is nobody's */

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
    const struct sigaction *prev = sig == SIGBUS ? &previous_bus : &previous_segv;
    /* Another handler that chains back to us (the recompiler's) would loop forever. */
    if (chaining || ((prev->sa_flags & SA_SIGINFO) ? !prev->sa_sigaction : prev->sa_handler == SIG_DFL)) {
        signal(sig, SIG_DFL); /* the faulting instruction re-executes and takes the default action */
        return;
    }
    chaining = true;
    if (prev->sa_flags & SA_SIGINFO) prev->sa_sigaction(sig, si, uctx);
    else if (prev->sa_handler != SIG_IGN) prev->sa_handler(sig);
    chaining = false;
}

static bool is_ours(const struct sigaction *sa) { return (sa->sa_flags & SA_SIGINFO) && sa->sa_sigaction == on_fault; }

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static bool take_signal(int sig, struct sigaction *previous)
{
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) != 0) return false;
    if (is_ours(&cur)) return true;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    pthread_mutex_lock(&install_lock);
    bool ok = sigaction(sig, &sa, &cur) == 0;
    if (ok && !is_ours(&cur)) *previous = cur;
    pthread_mutex_unlock(&install_lock);
    return ok;
}

bool pvm_interp_guard_install(void) { return take_signal(SIGSEGV, &previous_segv) && take_signal(SIGBUS, &previous_bus); }

pvm_interp_guard *pvm_interp_guard_enter(pvm_interp_guard *g)
{
    pvm_interp_guard *prev = current_guard;
    current_guard = g;
    return prev;
}

void pvm_interp_guard_leave(pvm_interp_guard *prev) { current_guard = prev; }
