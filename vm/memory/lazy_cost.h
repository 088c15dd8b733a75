/* The reference charges for lazy pages and memset: what a model charges
 * unless its cost table file says otherwise (host.lazy_page_read,
 * host.lazy_page_write, host.memset_byte; pvm_gas_host_costs). One place for
 * the defaults so that both backends charge identically.
 *
 * A page is charged PVM_LAZY_GAS_READ when it is first loaded (filled from the
 * program image or zeroed) and PVM_LAZY_GAS_WRITE when it is first made
 * writable. The reference charges a first access that writes both, so its
 * total for a page never depends on whether it was read before it was
 * written; a calibrated table prices each kind of fault on its own
 * (pvm_lazy_charges: zero or image page loaded first, stored first, stored
 * after a load). */
#ifndef PVM_LAZY_COST_H
#define PVM_LAZY_COST_H

#define PVM_LAZY_GAS_READ 100
#define PVM_LAZY_GAS_WRITE 50
#define PVM_MEMSET_GAS_PER_BYTE 1 /* gas per byte memset fills */

#endif
