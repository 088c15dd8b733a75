/* The reference host charges (lazy-page first touch, memset per byte): what a cost
 * model has until a table file gives measured ones. Its own file: the model
 * (cost_model.c) and the table reader (cost_table_parse.c) both start from it. */
#include "cost_table.h"
#include "vm/memory/lazy_cost.h"

pvm_host_costs pvm_host_costs_reference(void)
{
    pvm_host_costs h = {.lazy_page_read = PVM_LAZY_GAS_READ, .lazy_page_write = PVM_LAZY_GAS_WRITE,
                        .memset_byte = PVM_MEMSET_GAS_PER_BYTE};
    pvm_host_costs_derive_split(&h);
    return h;
}

void pvm_host_costs_derive_split(pvm_host_costs *h)
{
    uint64_t both = (uint64_t)h->lazy_page_read + h->lazy_page_write;
    h->lazy_page_read_image = h->lazy_page_read;
    h->lazy_page_write_first = both > UINT32_MAX ? UINT32_MAX : (uint32_t)both;
}
