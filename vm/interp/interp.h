/* The interpreter's super-instructions (interp_fused.def, interp_fuse.c). */
#ifndef PVM_INTERP_H
#define PVM_INTERP_H
#include "vm/program/decode.h"

enum {
#define FUSED(a, b) PVM_INTERP_FUSED_##a##__##b,
#include "interp_fused.def"
#undef FUSED
    PVM_INTERP_FUSED_COUNT
};
#endif
