/* One program file made ready to run through the public API, for the small test embedders
 * (tests/link/link_run.c, tests/sdk/sdk_run.c): read the file, compile it on a new engine,
 * instantiate it and prepare a call; and the cleanup of all of that. */
#ifndef PVM_TESTS_FILE_PROGRAM_H
#define PVM_TESTS_FILE_PROGRAM_H
#include <stddef.h>
#include <stdint.h>

#include "pvm/pvm.h"

typedef struct file_program {
    uint8_t *bytes;
    size_t len;
    pvm_engine *engine;
    pvm_module *module;
    pvm_instance *instance;
} file_program;

enum { FILE_PROGRAM_UNREADABLE = -1, FILE_PROGRAM_REFUSED = -2 };

/* Reads path and prepares export_name (NULL: a GP standard program's entry) with args[0..nargs).
 * Returns 0; FILE_PROGRAM_UNREADABLE when the file cannot be read (errno says why), or
 * FILE_PROGRAM_REFUSED when the VM refuses it (err says why). Call file_program_close after
 * either outcome. */
int file_program_open(file_program *p, const char *path, const pvm_engine_config *engine_config,
                      const pvm_module_config *module_config, const char *export_name, const uint64_t *args,
                      size_t nargs, pvm_error *err);
/* Frees what open made; p may be partly made. */
void file_program_close(file_program *p);
#endif
