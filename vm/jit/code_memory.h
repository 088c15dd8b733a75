/* Memory for generated code (see code_memory.c): write through rw, run at rx. */
#ifndef PVM_JIT_CODE_MEMORY_H
#define PVM_JIT_CODE_MEMORY_H
#include <stddef.h>
#include <stdint.h>
#include "pvm/pvm.h"

typedef struct {
    uint8_t *rw;  /* writable view */
    uint8_t *rx;  /* executable view (== rw for an own mapping) */
    size_t size;  /* bytes usable: the bound (rounded to pages), after sealing the used ones */
    int slot;     /* arena slot, or -1 for an own mapping */
    size_t mapped; /* an own mapping's length (from rw), at least size */
    /* The ranges the code generator wrote (byte offsets [from, to), to = from: none),
     * noted before sealing: a released mapping is cleared there and kept for the next
     * large compile (code_memory.c). */
    size_t written[2][2];
} jit_code;

/* At least bound writable bytes, zero where not yet written. */
pvm_status jit_code_reserve(size_t bound, jit_code *c, pvm_error *err);
/* Done writing used bytes: make them executable at c->rx. */
pvm_status jit_code_seal(jit_code *c, size_t used, pvm_error *err);
void jit_code_release(jit_code *c);
#endif
