/* The .polkavm program of a guest for the pvm adapter, for target rv64 or rv32:
 * <build>/guests/<target>/<name>.polkavm when the guests' build makes it, otherwise made by
 * pvm-link from <build>/guests/<target>/<name>.elf into <cache>/pvm/<name>.<target>.polkavm
 * (kept while newer than the ELF). */
#ifndef PVMLAB_BENCH_PVM_BLOB_H
#define PVMLAB_BENCH_PVM_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

typedef struct pvm_blob {
    uint8_t *bytes; /* owned; pvm_blob_free */
    size_t length;
} pvm_blob;

/* Finds pvm-link: <build>/bin/pvm-link, else on PATH. */
bool pvm_blob_find_linker(const bench_env *env, char *out, size_t out_len);

/* Loads (linking it first when needed) the guest's .polkavm built for target ("rv64" or
 * "rv32"). -1 with err. */
int pvm_blob_load(const bench_env *env, const char *linker, const char *target, const char *guest, pvm_blob *out,
                  char *err, size_t err_len);
void pvm_blob_free(pvm_blob *blob);

#endif
