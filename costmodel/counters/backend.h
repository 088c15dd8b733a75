/* The interface every counter backend implements (internal to pvmlab_counters). */
#ifndef PVMLAB_COUNTER_BACKEND_H
#define PVMLAB_COUNTER_BACKEND_H

#include "counter_slot.h"

typedef struct counter_backend {
    const char *name;
    /* Allocates the backend state; a backend that cannot measure here still opens and
     * marks its slots unavailable. Returns NULL only when out of memory. */
    void *(*open)(void);
    void (*close)(void *state);
    /* The backend's slots, valid until close. */
    counter_slot *(*slots)(void *state, size_t *count);
    /* Begin / end an interval; on failure the slots carry an interval reason. */
    int (*start)(void *state);
    int (*stop)(void *state);
} counter_backend;

extern const counter_backend counter_backend_pmu;
extern const counter_backend counter_backend_tsc;
extern const counter_backend counter_backend_clock;
extern const counter_backend counter_backend_software;
extern const counter_backend counter_backend_simulated;

/* The simulated backend's entry for caller-reported counts. */
void counter_backend_simulated_report(void *state, uint64_t instructions, uint64_t blocks);

/* The PMU backend's "no hardware PMU" notice, or NULL when the PMU works. */
const char *counter_backend_pmu_notice(void *state);

#endif
