/* Fidelity on the benchmark guests: each guest's PVM build (made by pvm-link,
 * e.g. by `pvmlab bench` into <build>/bench-cache/pvm) runs its quick size under
 * a cost model with sync gas; time per gas per guest, and max / median. */
#ifndef PVMLAB_FIDELITY_GUESTS_H
#define PVMLAB_FIDELITY_GUESTS_H
#include <stddef.h>
#include "pvm/pvm.h"

typedef struct {
    size_t guests;          /* guests measured (0: none found) */
    double median_ns_per_gas, max_ns_per_gas, max_over_median;
    char worst_guest[64];
} fidelity_guests_summary;

/* dir: folder of NAME.polkavm files; guests_def: bench/guests/guests.def (sizes).
 * Prints one line per guest. Returns 0 (also when no guest is found), -1 with err. */
int fidelity_guests_measure(const char *dir, const char *guests_def, const char *model, pvm_backend backend,
                            fidelity_guests_summary *out, char *err, size_t err_len);
#endif
