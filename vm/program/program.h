/* Program formats: GP deblob, GP standard program (Y), PolkaVM container.
 * Parsing validates structure eagerly; each rejection names the offset and
 * the reason. The parsed program borrows the input bytes. */
#ifndef PVM_PROGRAM_H
#define PVM_PROGRAM_H
#include <stdint.h>
#include "pvm/pvm.h"

typedef struct {
    char *name;
    uint32_t pc;
} pvm_export;

typedef struct {
    pvm_format format;
    pvm_isa isa;
    const uint8_t *code;
    uint32_t code_len;
    const uint8_t *bitmask;
    uint32_t *jump_table; /* owned */
    uint32_t jt_len;
    /* memory image */
    const uint8_t *ro_data;
    uint32_t ro_data_len, ro_size;
    const uint8_t *rw_data;
    uint32_t rw_data_len, rw_size;
    uint32_t stack_size;
    uint32_t heap_pages; /* GP standard program: extra heap pages z */
    pvm_export *exports; /* owned */
    uint32_t n_exports;
    char **imports; /* owned */
    uint32_t n_imports;
} pvm_program;

/* Parse bytes as the given format (AUTO: container if it starts with "PVM\0").
 * isa applies to GP formats. On failure err says "offset N: reason". */
pvm_status pvm_program_parse(const uint8_t *bytes, size_t len, pvm_format format, pvm_isa isa, pvm_program *out,
                             pvm_error *err);
void pvm_program_free(pvm_program *p);

/* Parse just the GP deblob part (jump table, code, bitmask) at c->p. */
struct pvm_cursor_s;
#endif
