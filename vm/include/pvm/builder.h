/* Program builder: emit PVM instructions with labels and write a GP blob,
 * a GP standard program or a .polkavm container. Used by tests, by the
 * calibration microbenchmark generator and by pvm-link.
 *
 * Errors (an immediate that does not fit, an op the ISA lacks, an unbound
 * label) are remembered and reported by the finish_* call; emitting never
 * fails loudly, so generators stay linear. */
#ifndef PVM_BUILDER_H
#define PVM_BUILDER_H
#include <stddef.h>
#include <stdint.h>
#include "pvm/pvm.h"

typedef struct pvm_builder pvm_builder;
typedef uint32_t pvm_label;

/* Canonical op ids are those of vm/isa/isa_table.def (PVM_OP_*); the builder
 * takes them as int so this header needs no internal include. */
pvm_builder *pvm_builder_new(pvm_isa isa); /* NULL on allocation failure */
void pvm_builder_free(pvm_builder *b);
uint32_t pvm_builder_pc(const pvm_builder *b); /* code offset of the next instruction */

pvm_label pvm_builder_label(pvm_builder *b);          /* a new unbound label */
void pvm_builder_bind(pvm_builder *b, pvm_label l);   /* bind to the next instruction */
/* Append a jump-table entry for label; returns its dynamic address ((index+1)*2). */
uint32_t pvm_builder_jump_table_add(pvm_builder *b, pvm_label l);

/* Emitters by operand kind (op = PVM_OP_*). Immediates are encoded in the
 * fewest bytes that sign-extend back to the value; they must fit in 32 bits
 * signed (except reg_imm64). Offsets are written as 4 bytes and patched. */
void pvm_emit_none(pvm_builder *b, int op);
void pvm_emit_imm(pvm_builder *b, int op, int64_t x);
void pvm_emit_reg_imm64(pvm_builder *b, int op, unsigned a, uint64_t x);
void pvm_emit_imm_imm(pvm_builder *b, int op, int64_t x, int64_t y);
void pvm_emit_jump(pvm_builder *b, int op, pvm_label target);
void pvm_emit_reg_imm(pvm_builder *b, int op, unsigned a, int64_t x);
void pvm_emit_reg_imm_imm(pvm_builder *b, int op, unsigned a, int64_t x, int64_t y);
void pvm_emit_reg_imm_jump(pvm_builder *b, int op, unsigned a, int64_t x, pvm_label target);
void pvm_emit_reg_reg(pvm_builder *b, int op, unsigned d, unsigned a);
void pvm_emit_reg_reg_imm(pvm_builder *b, int op, unsigned a, unsigned rb, int64_t x);
void pvm_emit_reg_reg_jump(pvm_builder *b, int op, unsigned a, unsigned rb, pvm_label target);
void pvm_emit_reg_reg_imm_imm(pvm_builder *b, int op, unsigned a, unsigned rb, int64_t x, int64_t y);
void pvm_emit_reg3(pvm_builder *b, int op, unsigned d, unsigned a, unsigned rb);
/* Raw bytes with explicit bitmask bits (for tests of malformed code). */
void pvm_emit_raw(pvm_builder *b, const uint8_t *bytes, size_t n, int instruction_start);

/* Memory image (.polkavm and GP standard). Data is copied. */
void pvm_builder_set_ro_data(pvm_builder *b, const uint8_t *data, uint32_t len, uint32_t size);
void pvm_builder_set_rw_data(pvm_builder *b, const uint8_t *data, uint32_t len, uint32_t size);
void pvm_builder_set_stack_size(pvm_builder *b, uint32_t size);
void pvm_builder_export(pvm_builder *b, const char *name, pvm_label l);
void pvm_builder_import(pvm_builder *b, const char *name);

/* Outputs; *out is malloc'ed and owned by the caller. */
pvm_status pvm_builder_finish_gp(pvm_builder *b, uint8_t **out, size_t *len, pvm_error *err);
pvm_status pvm_builder_finish_gp_standard(pvm_builder *b, uint8_t **out, size_t *len, pvm_error *err);
pvm_status pvm_builder_finish_polkavm(pvm_builder *b, uint8_t **out, size_t *len, pvm_error *err);
#endif
