/* Fidelity on the benchmark guests: each guest's PVM build for one target (rv64 or rv32,
 * <build>/guests/<target>/NAME.polkavm, made by pvm-link in the guest-pvm-blobs target)
 * runs its quick size under a cost model with sync gas (fidelity_timing.h). */
#ifndef PVMLAB_FIDELITY_GUESTS_H
#define PVMLAB_FIDELITY_GUESTS_H
#include <stddef.h>

#include "fidelity_timing.h"
#include "pvm/pvm.h"

typedef struct fidelity_guests_config {
    const char *guests_def; /* bench/guests/guests.def: names and quick sizes */
    const char *build_dir;  /* the CMake build tree (guests/<target>/NAME.polkavm) */
    const char *target;     /* "rv64" or "rv32" */
    const char *model;      /* a cost model name (pvm_cost_model_new) */
    pvm_backend backend;
    core_sharing *sharing;  /* probed around every timed run (fidelity_timing.h); NULL: not probed */
} fidelity_guests_config;

/* Measures every guest with a build into *out (its rule set first). Guests without a build
 * are skipped: *skipped (may be NULL) receives one line saying why when none was found.
 * Prints one line per guest. Returns 0, or -1 with err. */
int fidelity_guests_measure(const fidelity_guests_config *c, fidelity_measured *out, char *skipped,
                            size_t skipped_len, char *err, size_t err_len);
#endif
