/* Fidelity on generated programs the fit never saw: mixed programs (costmodel/microbench,
 * mb_mixed_specs) from MB_MIXED_HELDOUT_SEED, a seed the calibration does not fit on, timed
 * like the guests (fidelity_timing.h). */
#ifndef PVMLAB_FIDELITY_GENERATED_H
#define PVMLAB_FIDELITY_GENERATED_H

#include <stddef.h>
#include <stdint.h>

#include "fidelity_timing.h"
#include "pvm/pvm.h"

/* The program set's name as stored: "generated seed=0x...". */
void fidelity_generated_set_name(char *out, size_t len);

/* Times count held-out mixed programs of about instructions per call under model. Prints one
 * line per program. Returns 0, or -1 with err. */
int fidelity_generated_measure(const char *model, pvm_backend backend, size_t count, uint64_t instructions,
                               fidelity_measured *out, char *err, size_t err_len);

#endif
