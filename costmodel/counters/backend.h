/* The interface every counter backend implements (internal to pvmlab_counters). */
#ifndef PVMLAB_COUNTER_BACKEND_H
#define PVMLAB_COUNTER_BACKEND_H

#include "counter_slot.h"

typedef struct counter_backend {
    const char *name;
    /* The backend's state struct must begin with `counter_slot slots[slot_count]`, so that
     * the context can reach the slots through the state pointer. */
    size_t slot_count;
    /* Allocates the state with malloc; a backend that cannot measure here still opens and
     * marks its slots unavailable. Returns NULL only when out of memory. */
    void *(*open)(void);
    /* Releases what the state holds and frees it; NULL means free() is enough. */
    void (*close)(void *state);
    /* Begin / end an interval; on failure the slots carry an interval reason. NULL: no-op. */
    int (*start)(void *state);
    int (*stop)(void *state);
} counter_backend;

/* The slots at the start of a backend's state. */
static inline counter_slot *counter_backend_slots(void *state)
{
    return (counter_slot *)state;
}

extern const counter_backend counter_backend_pmu;
extern const counter_backend counter_backend_tsc;
extern const counter_backend counter_backend_clock;
extern const counter_backend counter_backend_software;
extern const counter_backend counter_backend_simulated;

/* The simulated backend's entry for caller-reported counts. */
void counter_backend_simulated_report(void *state, uint64_t instructions, uint64_t blocks);

/* The simulated backend's cache model (NULL when it could not be set up) and its entry
 * for the counts of a traced interval. */
struct cache_sim *counter_backend_simulated_cache(void *state);
struct cache_sim_counts;
void counter_backend_simulated_report_cache(void *state, const struct cache_sim_counts *delta);

/* The PMU backend's "no hardware PMU" notice, or NULL when the PMU works. */
const char *counter_backend_pmu_notice(void *state);

#endif
