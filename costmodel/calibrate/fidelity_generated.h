/* Fidelity on generated programs: mixed programs (costmodel/microbench, mb_mixed_specs) of a
 * seed, timed the way the calibration times its own (fidelity_time_code: repeated calls of
 * one instance at the calibration's call length, the call's fixed cost left out). The
 * held-out set uses MB_MIXED_HELDOUT_SEED, which the calibration never fits; the training
 * seed's programs, timed in the same run, are the control that says how far the harness and
 * the machine's state today stand from the calibration's. */
#ifndef PVMLAB_FIDELITY_GENERATED_H
#define PVMLAB_FIDELITY_GENERATED_H

#include <stddef.h>
#include <stdint.h>

#include "fidelity_timing.h"
#include "pvm/pvm.h"

/* The program set's name as stored: "generated seed=0x..." (the training seed's set is
 * stored as not held out). */
void fidelity_generated_set_name(uint64_t seed, char *out, size_t len);

/* Times count mixed programs of seed, about instructions per call, under model; calls on a
 * shared core (sharing, NULL: no probe) are left out. Prints one line per program. Returns 0,
 * or -1 with err. */
int fidelity_generated_measure(const char *model, pvm_backend backend, uint64_t seed, size_t count,
                               uint64_t instructions, core_sharing *sharing, fidelity_measured *out, char *err,
                               size_t err_len);

#endif
