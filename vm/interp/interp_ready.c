/* A module's decoded program made runnable by the interpreter once (see
 * pvm_module_interp_ready in vm_state.h): at compile time for the interpreter
 * backend, at the first hand-over for the recompiler. */
#include "vm/state/vm_state.h"
#include <stdlib.h>
#include "interp.h"

bool pvm_module_interp_ready(pvm_module *m)
{
    if (__atomic_load_n(&m->interp_ready, __ATOMIC_ACQUIRE)) return true;
    pthread_mutex_lock(&m->interp_lock);
    bool ok = m->interp_ready || pvm_interp_prepare(m);
    if (ok) __atomic_store_n(&m->interp_ready, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&m->interp_lock);
    return ok;
}

void pvm_module_interp_free(pvm_module *m)
{
    if (m->interp_code) pvm_interp_code_free(m->interp_code, m->dec.n_instrs);
    m->interp_code = NULL;
    free(m->interp_jump_table);
    m->interp_jump_table = NULL;
}
