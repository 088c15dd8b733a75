/* Lazy pages: an instance's data pages start inaccessible but "lazy"; the
 * first read or write of such a page is caught, the page is filled from the
 * program image (or left zero), made accessible, and charged gas per page
 * (lazy_cost.h). Faults are caught by the interpreter's access check, or by
 * the recompiler's fault handler, and both call pvm_memory_lazy_fault.
 *
 * Backends for making a page present:
 *   MPROTECT     pages are PROT_NONE until filled; the fill is mprotect +
 *                copy. A hardware access raises SIGSEGV.
 *   USERFAULTFD  pages carry their final protection but are registered with
 *                a userfaultfd in SIGBUS mode (missing + write-protect); the
 *                fill is one UFFDIO_COPY / UFFDIO_ZEROPAGE, the write upgrade
 *                one UFFDIO_WRITEPROTECT. A hardware access raises SIGBUS.
 * In both, perm[] holds what the guest may do now, so the interpreter sees a
 * lazy page as inaccessible until it is filled. */
#ifndef PVM_LAZY_H
#define PVM_LAZY_H
#include <stdbool.h>
#include <stdint.h>
#include "memory.h"

typedef enum { PVM_LAZY_MPROTECT, PVM_LAZY_USERFAULTFD } pvm_lazy_backend;

typedef enum {
    PVM_LAZY_NOT_LAZY,   /* nothing was lazy here: classify the access as usual */
    PVM_LAZY_FILLED,     /* pages were made accessible and charged: retry the access */
    PVM_LAZY_OUT_OF_GAS  /* the charge did not fit: stop with out-of-gas at this instruction */
} pvm_lazy_outcome;

typedef struct {
    uint64_t read_fills, write_fills; /* charges applied since the last reset */
} pvm_lazy_stats;

/* Turn lazy pages on for m (every later pvm_lazy_map is lazy; pages mapped
 * before stay as they are). PVM_ERR_UNSUPPORTED with a reason if the backend
 * cannot work here (e.g. userfaultfd refused by the kernel). For an
 * instance: pvm_lazy_enable(&in->mem, ...) then pvm_instance_reset(in): the
 * layout (ro, rw, stack, args) and the heap pages sbrk maps are lazy from
 * then on, after every reset too. */
pvm_status pvm_lazy_enable(pvm_memory *m, pvm_lazy_backend backend, pvm_error *err);
/* Gas per page for each kind of first touch, one charge per fault the VM takes (in the
 * spirit of Gear's lazy-pages weights: first read, first write, write after read, data
 * from storage). The reference numbers are in lazy_cost.h; the instance sets its cost
 * model's. */
typedef struct {
    uint32_t read;        /* the first access loads, the page is zero */
    uint32_t read_image;  /* the first access loads, the page has bytes from the program image */
    uint32_t write_first; /* the first access stores: filled and made writable in one step */
    uint32_t write;       /* a store to a page an earlier load filled: made writable */
} pvm_lazy_charges;
pvm_lazy_charges pvm_lazy_charges_reference(void);
/* No effect without lazy pages. */
void pvm_lazy_set_charges(pvm_memory *m, pvm_lazy_charges charges);
/* Release the lazy state (pvm_memory_destroy calls it). */
void pvm_lazy_free(pvm_memory *m);
/* Forget every lazy page (pvm_memory_clear calls it after unmapping). */
void pvm_lazy_clear(pvm_memory *m);
/* Map [addr, addr+len) lazily with the given final access; its first data_len
 * bytes come from data, which must stay valid until the next clear. */
pvm_status pvm_lazy_map(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, const uint8_t *data,
                        uint32_t data_len, pvm_error *err);

/* THE HOOK for both backends. A guest access of n bytes at addr (wrapping at
 * 2^32) found a page it may not use. Fills every lazy page of the access that
 * allows this kind of access, charging gas under mode:
 *   PVM_GAS_SYNC  *gas < charge -> OUT_OF_GAS, nothing filled, gas unchanged;
 *   PVM_GAS_ASYNC *gas -= charge; negative -> OUT_OF_GAS, nothing filled;
 *   PVM_GAS_NONE  no charge.
 * Accesses that touch the first 64 KiB are left alone (they panic).
 * Safe to call from a signal handler (no allocation, no locks). */
pvm_lazy_outcome pvm_memory_lazy_fault(pvm_memory *m, uint32_t addr, uint32_t n, bool write, pvm_gas_mode mode,
                                       int64_t *gas);

/* Make one lazy page fully accessible for the host, without charge. False if
 * the page is not lazy. */
bool pvm_lazy_materialize(pvm_memory *m, uint32_t page_addr);
/* The final access of a page (lazy or not). */
pvm_access pvm_lazy_final_access(const pvm_memory *m, uint32_t addr);
pvm_lazy_stats pvm_lazy_get_stats(const pvm_memory *m);

/* userfaultfd: can this process use it? If not, *why says why. */
bool pvm_lazy_userfaultfd_available(const char **why);
#endif
