/* The guard windows' signal handler chain (see fault_chain.h). */
#define _GNU_SOURCE
#include "fault_chain.h"
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread unsigned passing_on; /* chains whose fault this thread is handing on */

static int is_ours(const pvm_fault_chain *c, const struct sigaction *sa)
{
    return (sa->sa_flags & SA_SIGINFO) && sa->sa_sigaction == c->handler;
}

int pvm_fault_chain_take(pvm_fault_chain *c, int sig)
{
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) != 0) return errno;
    if (is_ours(c, &cur)) return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = c->handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    struct sigaction *previous = sig == SIGBUS ? &c->previous_bus : &c->previous_segv;
    pthread_mutex_lock(&install_lock);
    int rc = sigaction(sig, &sa, &cur) != 0 ? errno : 0;
    if (!rc && !is_ours(c, &cur)) *previous = cur;
    pthread_mutex_unlock(&install_lock);
    return rc;
}

void pvm_fault_chain_pass_on(pvm_fault_chain *c, int sig, siginfo_t *si, void *uctx)
{
    const struct sigaction *prev = sig == SIGBUS ? &c->previous_bus : &c->previous_segv;
    bool is_default = (prev->sa_flags & SA_SIGINFO) ? !prev->sa_sigaction : prev->sa_handler == SIG_DFL;
    if ((passing_on & c->id) || is_default) {
        signal(sig, SIG_DFL); /* the faulting instruction re-executes and takes the default action */
        return;
    }
    passing_on |= c->id;
    if (prev->sa_flags & SA_SIGINFO) prev->sa_sigaction(sig, si, uctx);
    else if (prev->sa_handler != SIG_IGN) prev->sa_handler(sig);
    passing_on &= ~c->id;
}
