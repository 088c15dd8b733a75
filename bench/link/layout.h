/* Data layout: which ELF sections become ro-data, rw-data, bss, code or PolkaVM
 * metadata, where each lands in the PVM address space (PolkaVM's map: ro at 0x10000,
 * rw at 0x10000 + align64K(ro_size) + 0x10000), and the initial images. */
#ifndef PVM_LINK_LAYOUT_H
#define PVM_LINK_LAYOUT_H
#include <stdbool.h>
#include <stdint.h>
#include "elf_reader.h"

typedef enum { SECTION_IGNORED, SECTION_CODE, SECTION_RO, SECTION_RW, SECTION_BSS, SECTION_METADATA } section_class;

typedef struct {
    section_class *classes; /* per ELF section */
    uint32_t *offsets;      /* per ELF section: offset inside its region (ro or rw) */
    uint8_t *ro;            /* ro image, ro_size bytes */
    uint8_t *rw;            /* rw image without the bss tail, rw_data_size bytes */
    uint32_t ro_size, rw_data_size, rw_size;
    uint32_t ro_base, rw_base;
    uint32_t min_stack_size; /* from .polkavm_min_stack_size, 0 if absent */
} data_layout;

/* Classifies and places the sections and copies their bytes; false with one line in msg. */
bool layout_build(const elf_file *elf, data_layout *lay, char *msg, size_t msg_size);
void layout_free(data_layout *lay);
/* PVM address of a data address (ro, rw or bss); false if it is in none of them. */
bool layout_data_address(const data_layout *lay, const elf_file *elf, uint64_t addr, uint32_t *pvm_addr);
/* Pointer into the ro or rw image for a data address (NULL for bss or elsewhere) and the
 * bytes available there. */
uint8_t *layout_image_at(const data_layout *lay, const elf_file *elf, uint64_t addr, uint64_t *avail);
#endif
