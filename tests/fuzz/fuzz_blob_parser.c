/* libFuzzer target: arbitrary bytes through the program parser, decoder,
 * metering pass and recompiler (both formats). Nothing may crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include "pvm/pvm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pvm_engine *engine;
    if (!engine) {
        pvm_engine_config cfg = {pvm_backend_available(PVM_BACKEND_JIT) ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP,
                                 PVM_GAS_SYNC, NULL};
        if (pvm_engine_new(&cfg, &engine, NULL)) return 0;
    }
    static const pvm_module_config configs[] = {
        {PVM_FORMAT_AUTO, PVM_ISA_GP07, 4096, NULL, 0},
        {PVM_FORMAT_GP_BLOB, PVM_ISA_JAMV1, 4096, NULL, 0},
        {PVM_FORMAT_GP_STANDARD, PVM_ISA_GP07, 4096, NULL, 0},
    };
    for (size_t i = 0; i < sizeof configs / sizeof *configs; i++) {
        pvm_module *m = NULL;
        if (pvm_module_compile(engine, data, size, &configs[i], NULL, &m, NULL) == PVM_OK) pvm_module_release(m);
    }
    return 0;
}
