/* One program file made ready to run (see file_program.h). */
#include "file_program.h"

#include <stdlib.h>
#include <string.h>

#include "vm/util/file_read.h"

int file_program_open(file_program *p, const char *path, const pvm_engine_config *engine_config,
                      const pvm_module_config *module_config, const char *export_name, const uint64_t *args,
                      size_t nargs, pvm_error *err)
{
    memset(p, 0, sizeof *p);
    p->bytes = (uint8_t *)util_read_file(path, &p->len);
    if (!p->bytes)
        return FILE_PROGRAM_UNREADABLE;
    if (pvm_engine_new(engine_config, &p->engine, err) ||
        pvm_module_compile(p->engine, p->bytes, p->len, module_config, NULL, &p->module, err) ||
        pvm_instance_new(p->module, &p->instance, err) ||
        pvm_instance_prepare_call(p->instance, export_name, 0, args, nargs, err))
        return FILE_PROGRAM_REFUSED;
    return 0;
}

void file_program_close(file_program *p)
{
    pvm_instance_free(p->instance);
    pvm_module_release(p->module);
    pvm_engine_free(p->engine);
    free(p->bytes);
    memset(p, 0, sizeof *p);
}
