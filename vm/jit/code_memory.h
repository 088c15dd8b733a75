/* Memory for generated code (see code_memory.c): write through rw, run at rx. */
#ifndef PVM_JIT_CODE_MEMORY_H
#define PVM_JIT_CODE_MEMORY_H
#include <stddef.h>
#include <stdint.h>
#include "pvm/pvm.h"

typedef struct {
    uint8_t *rw;  /* writable view */
    uint8_t *rx;  /* executable view (== rw for an own mapping) */
    size_t size;
    int slot;     /* arena slot, or -1 for an own mapping */
} jit_code;

/* At least bound writable bytes. */
pvm_status jit_code_reserve(size_t bound, jit_code *c, pvm_error *err);
/* Done writing used bytes: make them executable at c->rx. */
pvm_status jit_code_seal(jit_code *c, size_t used, pvm_error *err);
void jit_code_release(jit_code *c);
#endif
