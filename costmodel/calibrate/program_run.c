/* Instantiating a generated program and running a call to its end. */
#include "program_run.h"

#include <stdio.h>

int run_to_exit(pvm_instance *in, pvm_result *res, char *err, size_t err_len)
{
    pvm_error perr = {{0}};
    for (;;) {
        if (pvm_instance_run(in, res, &perr) != PVM_OK) {
            snprintf(err, err_len, "run: %s", perr.msg);
            return -1;
        }
        if (res->kind != PVM_EXIT_ECALLI) return 0; /* ecalli: the host resumes at once */
    }
}

int instantiate_program(pvm_engine *e, const mb_program *p, pvm_module **module, pvm_instance **instance,
                        char *err, size_t err_len)
{
    pvm_error perr = {{0}};
    pvm_module_config mc = {.format = PVM_FORMAT_POLKAVM};
    *module = NULL;
    *instance = NULL;
    if (pvm_module_compile(e, p->blob, p->blob_len, &mc, NULL, module, &perr) != PVM_OK ||
        pvm_instance_new(*module, instance, &perr) != PVM_OK ||
        (p->huge_pages && pvm_instance_set_huge_pages(*instance, true, &perr) != PVM_OK) ||
        (p->lazy_backend && pvm_instance_set_lazy_pages(*instance, p->lazy_backend, &perr) != PVM_OK) ||
        (p->image && pvm_instance_write(*instance, p->image_addr, p->image, p->image_len, &perr) != PVM_OK)) {
        snprintf(err, err_len, "%s", perr.msg);
        pvm_instance_free(*instance);
        if (*module) pvm_module_release(*module);
        *module = NULL;
        *instance = NULL;
        return -1;
    }
    return 0;
}
