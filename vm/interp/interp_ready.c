/* A module's decoded program made runnable by the interpreter once (see
 * pvm_module_interp_ready in vm_state.h): at compile time for the interpreter
 * backend, at the first hand-over for the recompiler. */
#include "vm/state/vm_state.h"

void pvm_module_interp_ready(pvm_module *m)
{
    if (__atomic_load_n(&m->interp_ready, __ATOMIC_ACQUIRE)) return;
    pthread_mutex_lock(&m->interp_lock);
    if (!m->interp_ready) {
        pvm_interp_prepare(&m->dec, m->engine->cfg.gas_mode);
        __atomic_store_n(&m->interp_ready, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&m->interp_lock);
}
