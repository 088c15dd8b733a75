/* libFuzzer target: arbitrary bytes as a JSON conformance vector through
 * `pvm vectors`' reader (vector_run.c). Nothing may crash, hang or leak; the
 * corpus of hand-made hostile vectors is tests/vm/vectors_hostile (replayed by ctest). */
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "vm/cli/vector_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pvm_engine *engine;
    if (!engine) {
        pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_SYNC, NULL};
        if (pvm_engine_new(&cfg, &engine, NULL)) return 0;
    }
    json_tokener *tok = json_tokener_new();
    if (!tok) return 0;
    json_object *t = json_tokener_parse_ex(tok, (const char *)data, (int)(size > 1 << 20 ? 1 << 20 : size));
    char why[256];
    if (t) vector_run(engine, t, PVM_ISA_GP07, why, sizeof why);
    json_object_put(t);
    json_tokener_free(tok);
    return 0;
}
