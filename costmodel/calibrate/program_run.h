/* Running a generated program: instantiate it with its memory image, run a prepared call
 * to its end. Shared by the timing (measure.c), the cache replay and fidelity. */
#ifndef PVMLAB_CAL_PROGRAM_RUN_H
#define PVMLAB_CAL_PROGRAM_RUN_H

#include <stddef.h>

#include "costmodel/microbench/microbench.h"
#include "pvm/pvm.h"

/* Runs a prepared call to its end, resuming after every ecalli. Returns 0 and the result,
 * or -1 with a reason. */
int run_to_exit(pvm_instance *in, pvm_result *res, char *err, size_t err_len);

/* Compiles bytes and instantiates (huge pages and lazy pages as the program asks) with the
 * image written; *module and *instance owned by the caller (pvm_instance_free, pvm_module_release). */
int instantiate_program(pvm_engine *e, const mb_program *p, pvm_module **module, pvm_instance **instance,
                        char *err, size_t err_len);

#endif
