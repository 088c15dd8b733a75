/* Pinning the calling thread, and the processes it starts afterwards (they inherit the
 * mask), to one CPU, and giving the mask back. On a VM whose virtual CPUs run at speeds
 * that differ and drift (a neighbour on a host core's other hyper-thread), two programs
 * timed on different CPUs are compared across that difference: measurements that are
 * compared as ratios take their samples on one CPU. */
#ifndef PVM_UTIL_CPU_PIN_H
#define PVM_UTIL_CPU_PIN_H

#include <stdbool.h>
#include <stddef.h>

/* A saved affinity mask (the bytes of a cpu_set_t). */
typedef struct util_cpu_mask {
    unsigned long bits[1024 / (8 * sizeof(unsigned long))];
} util_cpu_mask;

/* Pins the calling thread to `cpu`, or with cpu < 0 to the highest-numbered CPU it may
 * run on (CPU 0 takes most interrupts). Returns the CPU, or -1 with the reason in why
 * (one line: a CPU outside the thread's affinity mask names the mask). */
int util_cpu_pin(int cpu, char *why, size_t why_len);

/* The n-th highest-numbered CPU the calling thread may run on, counting from 0 and
 * wrapping around the mask (n = 0: the one util_cpu_pin(-1) takes); -1 if the mask cannot
 * be read or is empty. Shards of one suite on one machine take n = K - 1: each its own CPU. */
int util_cpu_nth_highest(unsigned n);

/* The calling thread's affinity mask into *mask; false if it cannot be read. */
bool util_cpu_mask_save(util_cpu_mask *mask);
/* Gives the calling thread the saved mask back; false if it cannot be set. */
bool util_cpu_mask_restore(const util_cpu_mask *mask);
/* The CPUs of a mask as "0-3,6" into out. */
void util_cpu_mask_describe(const util_cpu_mask *mask, char *out, size_t out_len);
/* How many CPUs a mask holds. */
int util_cpu_mask_count(const util_cpu_mask *mask);

#endif
