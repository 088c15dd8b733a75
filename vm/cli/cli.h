/* Shared helpers of the pvm command-line tool. */
#ifndef PVM_CLI_H
#define PVM_CLI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pvm/pvm.h"

#define CLI_EXIT_USAGE 2
/* pvm run's gas limit when --gas is not given (metering is on unless --gas-mode none). */
#define CLI_DEFAULT_GAS 10000000000ll

/* Options common to the verbs that load a program. */
typedef struct {
    pvm_backend backend;
    pvm_gas_mode gas_mode;
    bool gas_mode_set;
    const char *model;
    pvm_module_config mcfg;
} cli_vm_opts;

/* Whole file into memory; prints "pvm: PATH: reason" and returns NULL on failure. */
uint8_t *cli_read_file(const char *path, size_t *len);
/* Try to consume a common option at argv[*i]; returns 1 if consumed, 0 if not
 * an option of ours, -1 on a bad value (message printed). */
int cli_parse_vm_opt(int argc, char **argv, int *i, cli_vm_opts *o);
/* Parse an unsigned/signed integer (decimal or 0x hex) exactly. */
bool cli_parse_u64(const char *s, uint64_t *out);
bool cli_parse_i64(const char *s, int64_t *out);
/* Engine + module from a file, with errors printed as "pvm: PATH: message". The
 * module borrows the file's bytes (*bytes): free them after pvm_engine_free(*e). */
int cli_load(const char *path, const cli_vm_opts *o, pvm_engine **e, pvm_cost_model **model, pvm_module **m,
             uint8_t **bytes);

int cmd_run(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_vectors(int argc, char **argv);
int cmd_gas(int argc, char **argv);
int cmd_example(int argc, char **argv);
#endif
