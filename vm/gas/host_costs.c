/* The reference host charges (lazy-page first touch, memset per byte): what a cost
 * model has until a table file gives measured ones. Its own file: the model
 * (cost_model.c) and the table reader (cost_table_parse.c) both start from it. */
#include "cost_table.h"
#include "vm/memory/lazy_cost.h"

pvm_host_costs pvm_host_costs_reference(void)
{
    return (pvm_host_costs){PVM_LAZY_GAS_READ, PVM_LAZY_GAS_WRITE, PVM_MEMSET_GAS_PER_BYTE};
}
