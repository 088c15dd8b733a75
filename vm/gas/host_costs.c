/* The reference host charges (lazy-page first touch, memset per byte): what a cost
 * model has until a table file gives measured ones. Its own file: the model
 * (cost_model.c) and the table reader (cost_table_parse.c) both start from it. It also
 * maps a table's lazy-page keys to the charges the memory takes (pvm_lazy_charges), both
 * ways, so that the field correspondence is written once. */
#include "cost_table.h"
#include "vm/memory/lazy_cost.h"

pvm_host_costs pvm_host_costs_reference(void)
{
    pvm_lazy_charges lazy = pvm_lazy_charges_reference();
    return (pvm_host_costs){.lazy_page_read = lazy.read, .lazy_page_write = lazy.write,
                            .memset_byte = PVM_MEMSET_GAS_PER_BYTE, .lazy_page_read_image = lazy.read_image,
                            .lazy_page_write_first = lazy.write_first};
}

pvm_lazy_charges pvm_host_costs_lazy_charges(const pvm_host_costs *h)
{
    return (pvm_lazy_charges){.read = h->lazy_page_read, .read_image = h->lazy_page_read_image,
                              .write_first = h->lazy_page_write_first, .write = h->lazy_page_write};
}

void pvm_host_costs_derive_split(pvm_host_costs *h)
{
    uint64_t both = (uint64_t)h->lazy_page_read + h->lazy_page_write;
    h->lazy_page_read_image = h->lazy_page_read;
    h->lazy_page_write_first = both > UINT32_MAX ? UINT32_MAX : (uint32_t)both;
}
