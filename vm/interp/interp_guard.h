/* The interpreter's guard window: guest loads and stores go straight to the
 * 4 GiB window without checking the page table; an access to an inaccessible
 * page faults (SIGSEGV, or SIGBUS), and the handler jumps back to the run's
 * entry (siglongjmp), where the access is classified exactly as the checked
 * path does (pvm_memory_check_slow). For that the loop keeps in the guard the
 * memory instruction it is executing and, from the last block entry, gas and
 * counts (or the handler reads those from the signal context: counts_in_regs);
 * registers live in the instance. Faults outside the window, or on
 * threads not running a guarded loop, go to the handler installed before. */
#ifndef PVM_INTERP_GUARD_H
#define PVM_INTERP_GUARD_H
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include "vm/program/decode.h"

typedef struct {
    sigjmp_buf jump;
    const uint8_t *lo, *hi;     /* the window: faults at these host addresses are the guest's */
    const struct pvm_interp_op *ins; /* the memory instruction being executed (its interpreter record) */
    bool pair_second; /* the access was a super-instruction's second: its record is the one after ins */
    const struct pvm_interp_op *code_lo, *code_hi; /* the module's records (a fault's ins is checked against them) */
    /* As of the last block entry. The counts are not side by side: the compiler
     * would pair their two increments into a vector add (load, shuffle, store). */
    uint64_t icount;
    int64_t gas;
    uint64_t bcount;
    /* Set by a loop that keeps the counts in r14 (icount) and r13 (bcount), and gas in r15
     * when gas_in_reg, at every access (interp.c, LOOP_COUNTS_IN_REGS): the fault handler
     * then reads them from the signal context. */
    bool counts_in_regs, gas_in_reg;
    /* icount_has_gas: the loop's icount also holds the gas spent since gas0 times 2^32
     * (interp_loop.inc, ICOUNT_HAS_GAS); pvm_interp_guard_icount takes it out. */
    bool icount_has_gas;
    int64_t gas0;
} pvm_interp_guard;

/* The instructions counted, as of the fault. */
static inline uint64_t pvm_interp_guard_icount(const pvm_interp_guard *g)
{
    return g->icount_has_gas ? g->icount - (((uint64_t)g->gas0 - (uint64_t)g->gas) << 32) : g->icount;
}

/* With PVM_INTERP_GUARD_RBX the loop does not store ins before each access: every guarded
 * access is one inline-asm instruction that has the record pointer in rbx as an input, and
 * the fault handler reads rbx from the signal context (one store per access less). Elsewhere
 * the loop stores guard->ins before the access. */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__)
#define PVM_INTERP_GUARD_RBX 1
#else
#define PVM_INTERP_GUARD_RBX 0
#endif
/* Appended to a super-instruction's second access (interp_loop.inc, LOAD_DO_1), whose asm
 * starts with the local label 1: its address into the section pvm_interp_seconds, where
 * the fault handler looks the faulting instruction up. */
#define PVM_INTERP_PAIR_SECOND_MARK "\n\t.pushsection pvm_interp_seconds,\"aw\"\n\t.quad 1b\n\t.popsection"

/* Put the fault handler in front of whatever is installed for SIGSEGV and
 * SIGBUS (a host, a test framework or a sanitizer may have replaced it since
 * the last call). False if sigaction failed: the caller then checks accesses. */
bool pvm_interp_guard_install(void);
/* Make g this thread's active guard; returns the previous one for leave. */
pvm_interp_guard *pvm_interp_guard_enter(pvm_interp_guard *g);
void pvm_interp_guard_leave(pvm_interp_guard *prev);
#endif
