/* The SIGSEGV/SIGBUS handler of the guard windows. One handler of ours sits in
 * front of whatever was installed before (a sanitizer's, the host's, the default
 * action); each backend registers a claim function (the interpreter's guard
 * window, the recompiler's generated code). A fault goes to every claim in turn;
 * one that is its guest's handles it (by returning true, or by leaving with
 * siglongjmp); a fault nobody claims goes to the handler we displaced. Because
 * there is only one handler of ours, it never displaces itself: re-taking the
 * front place cannot make a circle between our handlers, and no per-thread state
 * is left behind by a claim or a host handler that leaves by a jump. */
#ifndef PVM_MEMORY_FAULT_CHAIN_H
#define PVM_MEMORY_FAULT_CHAIN_H
#include <signal.h>
#include <stdbool.h>

/* true: the fault was this backend's and is handled (or it does not return). */
typedef bool (*pvm_fault_claim)(int sig, siginfo_t *si, void *uctx);

/* Register claim (once; up to 4 backends) and put our handler in front for SIGSEGV
 * and SIGBUS unless it already is there: 0, or an errno value. */
int pvm_fault_chain_take(pvm_fault_claim claim);
#endif
