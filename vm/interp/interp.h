/* The interpreter's super-instructions (interp_fused.def, interp_fuse.c). */
#ifndef PVM_INTERP_H
#define PVM_INTERP_H
#include "vm/program/decode.h"
#include "pvm/pvm.h"

enum {
#define FUSED(a, b) PVM_INTERP_FUSED_##a##__##b,
#include "interp_fused.def"
#undef FUSED
    PVM_INTERP_FUSED_COUNT
};

/* Direct threading (interp.c): every instruction's handler address in the guarded
 * loop of `mode`, read by that loop instead of a table lookup of its xop. */
void pvm_interp_thread(pvm_decoded *d, pvm_gas_mode mode);
#endif
