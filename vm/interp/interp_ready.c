/* A module's decoded program made runnable by the interpreter once (see
 * pvm_module_interp_ready in vm_state.h): at compile time for the interpreter
 * backend, at the first hand-over for the recompiler. */
#include "vm/state/vm_state.h"
#include <stdlib.h>
#include "interp.h"

pvm_status pvm_module_interp_ready(pvm_module *m, pvm_error *err)
{
    if (__atomic_load_n(&m->interp_ready, __ATOMIC_ACQUIRE)) return PVM_OK;
    pthread_mutex_lock(&m->interp_lock);
    pvm_status st = m->interp_ready ? PVM_OK : pvm_interp_prepare(m, err);
    if (st == PVM_OK) __atomic_store_n(&m->interp_ready, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&m->interp_lock);
    return st;
}

void pvm_module_interp_free(pvm_module *m)
{
    if (m->interp_code) pvm_interp_code_free(m->interp_code, m->dec.n_instrs);
    m->interp_code = NULL;
    free(m->interp_jump_table);
    m->interp_jump_table = NULL;
}
