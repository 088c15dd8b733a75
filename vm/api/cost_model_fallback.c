/* Weak fallbacks so libpvm links while the cost-model module is absent:
 * only "unit" is known here. The real implementations in vm/gas/ override them. */
#include <stdlib.h>
#include <string.h>
#include "gas/gas.h"
#include "util/error.h"

__attribute__((weak)) pvm_status pvm_cost_model_new(const char *name, pvm_cost_model **out, pvm_error *err)
{
    if (!name || strcmp(name, "unit") != 0) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "unknown cost model '%s'", name ? name : "");
    *out = calloc(1, sizeof **out);
    if (!*out) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory");
    strcpy((*out)->name, "unit");
    return PVM_OK;
}
__attribute__((weak)) void pvm_cost_model_free(pvm_cost_model *m) { free(m); }
__attribute__((weak)) const char *pvm_cost_model_name(const pvm_cost_model *m) { return m ? m->name : "unit"; }
__attribute__((weak)) uint32_t pvm_pipeline_block_cost(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block)
{
    return d->blocks[block].count;
}
__attribute__((weak)) size_t pvm_pipeline_timeline_for_module(const struct pvm_module *m, uint32_t block, char *buf,
                                                              size_t cap)
{
    return 0;
}
