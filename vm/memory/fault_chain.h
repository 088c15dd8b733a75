/* The SIGSEGV/SIGBUS handler chain of the guard windows. Each backend (the
 * interpreter's guard window, the recompiler's generated code) puts its own
 * handler in front of whatever is installed, and passes every fault that is
 * not its guest's on to the handler it displaced: a sanitizer's, the host's,
 * the other backend's, or the default action. When two of ours displace each
 * other (the recompiler re-takes the front place on entry), a fault that is
 * nobody's would circle between them: the pass-on notices it is already
 * passing this chain's fault on and takes the default action instead. */
#ifndef PVM_MEMORY_FAULT_CHAIN_H
#define PVM_MEMORY_FAULT_CHAIN_H
#include <signal.h>

typedef struct {
    void (*handler)(int, siginfo_t *, void *); /* ours */
    unsigned id;                               /* a distinct bit per chain: 1, 2, 4, ... */
    struct sigaction previous_segv, previous_bus;
} pvm_fault_chain;

/* Put c->handler in front for sig unless it already is; 0 or an errno value. */
int pvm_fault_chain_take(pvm_fault_chain *c, int sig);
/* A fault that is not ours: hand it to the displaced handler (see above). */
void pvm_fault_chain_pass_on(pvm_fault_chain *c, int sig, siginfo_t *si, void *uctx);
#endif
