/* The guard windows' signal handler (see fault_chain.h). */
#define _GNU_SOURCE
#include "fault_chain.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

enum { MAX_CLAIMS = 4 };
static pvm_fault_claim claims[MAX_CLAIMS];
static atomic_int claim_count;
static struct sigaction previous_segv, previous_bus;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_fault(int sig, siginfo_t *si, void *uctx)
{
    int n = atomic_load(&claim_count);
    for (int i = 0; i < n; i++)
        if (claims[i](sig, si, uctx)) return;
    const struct sigaction *prev = sig == SIGBUS ? &previous_bus : &previous_segv;
    if ((prev->sa_flags & SA_SIGINFO) ? !prev->sa_sigaction : prev->sa_handler == SIG_DFL) {
        signal(sig, SIG_DFL); /* the faulting instruction re-executes and takes the default action */
        return;
    }
    if (prev->sa_flags & SA_SIGINFO) prev->sa_sigaction(sig, si, uctx);
    else if (prev->sa_handler != SIG_IGN) prev->sa_handler(sig);
}

static int is_ours(const struct sigaction *sa) { return (sa->sa_flags & SA_SIGINFO) && sa->sa_sigaction == on_fault; }

static int take(int sig, struct sigaction *previous)
{
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) != 0) return errno;
    if (is_ours(&cur)) return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    int rc = sigaction(sig, &sa, &cur) != 0 ? errno : 0;
    if (!rc && !is_ours(&cur)) *previous = cur;
    return rc;
}

int pvm_fault_chain_take(pvm_fault_claim claim)
{
    pthread_mutex_lock(&install_lock);
    int n = atomic_load(&claim_count), known = 0, rc = 0;
    for (int i = 0; i < n; i++) known |= claims[i] == claim;
    if (!known) {
        if (n == MAX_CLAIMS) rc = ENOSPC;
        else {
            claims[n] = claim;
            atomic_store(&claim_count, n + 1);
        }
    }
    if (!rc) rc = take(SIGSEGV, &previous_segv);
    if (!rc) rc = take(SIGBUS, &previous_bus);
    pthread_mutex_unlock(&install_lock);
    return rc;
}
