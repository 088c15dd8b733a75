/* Whether a foreign hardware thread is sharing this core while we time.
 *
 * On this VM the two vCPUs' host cores are shared with other guests' threads (SMT): for
 * seconds at a time, code limited by instruction throughput runs 1.25-1.55x slower while
 * latency-bound code does not move (calibration 119b2f1b: every throughput series 1.25-1.3x
 * its value in four other calibrations, every latency chain within 2%; one guest timing
 * set's keccak/field25519/matmul 1.5x another's, crc32 and the L1 pointer chase 1.04x).
 * The kernel does not see it (the other thread is not ours, thread CPU time counts it as
 * ours), so calibrate probes the core itself: the ratio of a fixed block of independent adds
 * to a chain of dependent adds, both native code. Alone, the ratio sits at its floor (the
 * core's ALU width); with a busy sibling the independent block slows and the chain does not.
 * A probe above CORE_SHARED_FACTOR x the lowest ratio seen marks the timing next to it as
 * disturbed, like a descheduled one. Frequency changes move both kernels alike. */
#ifndef PVMLAB_CAL_CORE_SHARING_H
#define PVMLAB_CAL_CORE_SHARING_H

#include <stdbool.h>
#include <stdint.h>

/* A probe this much above the core's floor means another thread took part of the core. The
 * floor's own noise (min of three kernel runs) is about 1%; a sibling costs 15-33%. */
#define CORE_SHARED_FACTOR 1.10

/* The floor is the lowest ratio that CORE_FLOOR_SUPPORT probes agree on (within 1 %): a
 * single probe can read far low (0.096 against 0.22 once in 168000 probes under load 6,
 * when a descheduling hit every run of the chain kernel), and a floor that low calls every
 * repetition shared. Probes are counted in bins 1 % wide. */
enum { CORE_FLOOR_SUPPORT = 20, CORE_SHARING_BINS = 940 };

typedef struct core_sharing {
    bool available;   /* the probe runs on this architecture (x86-64) */
    double floor;     /* the core alone: the lowest supported ratio, or a reference (NaN: none yet) */
    double floor_at_start; /* the floor after the opening probes, before any timing */
    long probes, shared;   /* probes taken, and how many of them were above the threshold */
    uint32_t bins[CORE_SHARING_BINS]; /* probes per 1 % bin of the ratio, from 0.001 up */
} core_sharing;

/* One probe: (ns per independent add) / (ns per dependent add), the lower of three runs of
 * each kernel (a few microseconds in all); NaN where there is no probe. */
double core_sharing_probe(void);

/* The rule on a probe's ratio over the floor: true = shared. False for NaN (no probe). */
bool core_sharing_is_shared(double over_floor);

/* Starts tracking: probes for about budget_ms to find the floor; reference (> 0) is a
 * floor measured earlier on this machine (a calibration's, for the held-out timing of its
 * tables), taken when lower. */
void core_sharing_init(core_sharing *s, double reference, double budget_ms);

/* Counts one probe's ratio and lowers the floor when CORE_FLOOR_SUPPORT probes agree on a
 * lower one. */
void core_sharing_observe(core_sharing *s, double ratio);

/* Probes now (core_sharing_observe) and returns the probe's ratio (over s->floor: 1 = the
 * core alone); NaN when s is NULL or there is no probe. */
double core_sharing_check(core_sharing *s);

/* The name of the sample reading that stores the larger of a repetition's two probe ratios,
 * in millionths: judged against the floor when the medians are taken. */
#define CORE_SHARING_READING "core_probe_ppm"

#endif
