/* The x86-64 time-stamp counter: reading it in order, and knowing its frequency. */
#ifndef PVMLAB_TSC_CLOCK_H
#define PVMLAB_TSC_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tsc_properties {
    bool present;      /* false on non-x86-64 builds or CPUs without a TSC */
    bool has_rdtscp;
    bool invariant;    /* CPUID 0x80000007 EDX bit 8: constant rate in all P/C-states */
    uint64_t hz;       /* 0 when it could not be determined */
    char hz_source[96]; /* how hz was found, e.g. "CPUID leaf 0x15 (crystal ratio)" */
} tsc_properties;

/* Detects the TSC and its frequency: CPUID leaf 0x15, then 0x16, then the hypervisor leaf
 * 0x40000010, else measured against CLOCK_MONOTONIC_RAW over about 20 ms. No errors: a
 * missing TSC gives present == false. */
void tsc_detect(tsc_properties *out);

/* Reads the TSC after all earlier instructions completed (rdtscp, or lfence;rdtsc) and
 * before later ones start (lfence). Returns 0 when there is no TSC. */
uint64_t tsc_read_ordered(bool has_rdtscp);

#endif
