/* Gas charged when a lazy page is first made accessible. One place for the
 * prices so that both backends charge identically; a later cost table can
 * replace these constants.
 *
 * A page is charged PVM_LAZY_GAS_READ when it is first loaded (filled from the
 * program image or zeroed) and PVM_LAZY_GAS_WRITE when it is first made
 * writable. A first access that writes pays both, so the total for a page
 * never depends on whether it was read before it was written. */
#ifndef PVM_LAZY_COST_H
#define PVM_LAZY_COST_H

#define PVM_LAZY_GAS_READ 100
#define PVM_LAZY_GAS_WRITE 50

#endif
