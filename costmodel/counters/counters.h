/* pvmlab_counters: one interface over several counter backends.
 *
 * A pvmlab_counters context opens the backends chosen by a mask, then measures intervals:
 * start, (run the code), stop, read. Every counter is listed whether or not it works on
 * this machine; a counter that does not work carries the reason and is never given a
 * made-up value (the results store writes it as NULL).
 *
 * Backends (names in readings are unique across backends):
 *   pmu        hardware events via libpfm4 + perf_event_open, one group read together
 *   tsc        time-stamp counter (rdtscp or lfence;rdtsc), frequency from CPUID or measured
 *   clock      clock_gettime: CLOCK_MONOTONIC_RAW wall time, thread CPU time
 *   software   software perf events: task-clock, page-faults, context-switches
 *   simulated  counts reported by the caller (the VM's own instruction and block counts) and
 *              cache misses of the VM's memory trace through a simulated cache (cache_sim.h)
 *
 * A context measures the thread that opened it (perf events use pid 0, cpu -1, no inherit);
 * use one context per measuring thread. Nothing here prints; nothing aborts. No global mutable state except libpfm4's own
 * (pfm_initialize is idempotent and is never torn down, because other contexts may use it).
 */
#ifndef PVMLAB_COUNTERS_H
#define PVMLAB_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results/counter_reading.h" /* results/: the reading type the store keeps */

#ifdef __cplusplus
extern "C" {
#endif

/* What a counter is on this machine (for listings): availability, reason, detail. */
typedef struct pvmlab_counter_info {
    char name[PVMLAB_COUNTER_NAME_MAX];
    pvmlab_counter_source source;
    bool available;
    char unavailable_reason[PVMLAB_COUNTER_TEXT_MAX]; /* empty when available */
    char detail[PVMLAB_COUNTER_TEXT_MAX];            /* e.g. the libpfm4 event or TSC frequency */
} pvmlab_counter_info;

enum pvmlab_counter_backend_bit {
    PVMLAB_BACKEND_PMU = 1u << 0,
    PVMLAB_BACKEND_TSC = 1u << 1,
    PVMLAB_BACKEND_CLOCK = 1u << 2,
    PVMLAB_BACKEND_SOFTWARE = 1u << 3,
    PVMLAB_BACKEND_SIMULATED = 1u << 4,
    PVMLAB_BACKEND_ALL = (1u << 5) - 1,
};

typedef struct pvmlab_counters pvmlab_counters;

/* Opens the backends in backend_mask. A backend that cannot work on this machine still
 * opens; its counters are then listed as unavailable with a reason. Caller owns *out and
 * frees it with pvmlab_counters_close. Returns 0, or -1 on out-of-memory / bad mask with a
 * one-line message in err. */
int pvmlab_counters_open(unsigned backend_mask, pvmlab_counters **out, char *err, size_t err_len);

/* Closes every file descriptor and frees the context. NULL is allowed. */
void pvmlab_counters_close(pvmlab_counters *counters);

/* Number of counters (available or not) that a read returns. */
size_t pvmlab_counters_count(const pvmlab_counters *counters);

/* Describes counter number index (0 <= index < count). Returns 0, or -1 if out of range. */
int pvmlab_counters_describe(const pvmlab_counters *counters, size_t index, pvmlab_counter_info *out);

/* The one-line notice about the hardware PMU when it is missing or unusable, e.g.
 * "no hardware PMU: perf_event_open(PERF_TYPE_HARDWARE, cycles) -> ENOENT (No such file or
 * directory)",
 * or NULL when the PMU works or the pmu backend was not opened. Owned by the context. */
const char *pvmlab_counters_pmu_notice(const pvmlab_counters *counters);

/* Starts / stops one measured interval on every backend. Both return 0, or -1 when a
 * backend failed mid-measurement (its counters then read as unavailable with the reason). */
int pvmlab_counters_start(pvmlab_counters *counters);
int pvmlab_counters_stop(pvmlab_counters *counters);

/* Reports the deterministic counts of the simulated backend for the current interval
 * (call between start and read). Ignored when the simulated backend is not open. */
void pvmlab_counters_report_simulated(pvmlab_counters *counters, uint64_t instructions, uint64_t blocks);

/* The simulated backend's cache model, to be fed a memory trace (cache_sim_trace as the
 * VM's trace hook), or NULL when the simulated backend is not open or has no cache model.
 * Owned by the context. */
struct cache_sim *pvmlab_counters_cache_sim(pvmlab_counters *counters);

/* Reports the cache counts of the current interval's traced run (a difference of two
 * cache_sim_read calls); call between start and read. Ignored without a cache model. */
struct cache_sim_counts;
void pvmlab_counters_report_cache(pvmlab_counters *counters, const struct cache_sim_counts *delta);

/* Writes the readings of the last stopped interval into out (up to capacity entries, in
 * describe order). Returns the number of counters, which may exceed capacity. */
size_t pvmlab_counters_read(const pvmlab_counters *counters, pvmlab_counter_reading *out, size_t capacity);

/* Reads counter number index (describe order) of the last stopped interval. Returns 0, or
 * -1 if index is out of range. */
int pvmlab_counters_read_one(const pvmlab_counters *counters, size_t index, pvmlab_counter_reading *out);

/* Probes the hardware PMU once: returns true if perf_event_open(PERF_TYPE_HARDWARE,
 * cycles) works for this process, else false with the one-line notice in reason:
 * "no hardware PMU: ..." (ENOENT, ENODEV, EOPNOTSUPP) or "hardware PMU not usable: ...". */
bool pvmlab_pmu_probe(char *reason, size_t reason_len);

/* pvmlab_machine_detect (results/) plus this machine's PMU answer from
 * pvmlab_pmu_probe: the machine row every measuring verb stores. */
struct pvmlab_machine_info;
void pvmlab_machine_detect_counters(struct pvmlab_machine_info *info);

#ifdef __cplusplus
}
#endif
#endif
