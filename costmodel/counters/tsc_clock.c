#include "tsc_clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>

uint64_t tsc_read_ordered(bool has_rdtscp)
{
    uint64_t value;
    if (has_rdtscp) {
        unsigned int aux;
        value = __rdtscp(&aux);
    } else {
        _mm_lfence();
        value = __rdtsc();
    }
    _mm_lfence();
    return value;
}

static uint64_t monotonic_raw_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_RAW, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static uint64_t measure_hz(bool has_rdtscp)
{
    struct timespec pause = {0, 20 * 1000 * 1000};
    uint64_t ns0 = monotonic_raw_ns(), tsc0 = tsc_read_ordered(has_rdtscp);
    nanosleep(&pause, NULL);
    uint64_t ns1 = monotonic_raw_ns(), tsc1 = tsc_read_ordered(has_rdtscp);
    if (ns1 <= ns0 || tsc1 <= tsc0)
        return 0;
    return (uint64_t)((double)(tsc1 - tsc0) * 1e9 / (double)(ns1 - ns0));
}

static bool hz_from_cpuid(tsc_properties *out)
{
    unsigned int eax, ebx, ecx, edx;
    unsigned int max_leaf = __get_cpuid_max(0, NULL);
    if (max_leaf >= 0x15) {
        __cpuid_count(0x15, 0, eax, ebx, ecx, edx);
        if (eax && ebx && ecx) {
            out->hz = (uint64_t)ecx * ebx / eax;
            snprintf(out->hz_source, sizeof out->hz_source, "CPUID leaf 0x15 (crystal %u Hz x %u/%u)", ecx, ebx, eax);
            return true;
        }
    }
    if (max_leaf >= 0x16) {
        __cpuid_count(0x16, 0, eax, ebx, ecx, edx);
        if (eax & 0xffff) {
            out->hz = (uint64_t)(eax & 0xffff) * 1000000u;
            snprintf(out->hz_source, sizeof out->hz_source, "CPUID leaf 0x16 (base frequency)");
            return true;
        }
    }
    /* Hypervisors (VMware, KVM with the timing leaf) report the TSC rate in kHz here. */
    __cpuid(0x40000000, eax, ebx, ecx, edx);
    if (eax >= 0x40000010) {
        __cpuid(0x40000010, eax, ebx, ecx, edx);
        if (eax) {
            out->hz = (uint64_t)eax * 1000u;
            snprintf(out->hz_source, sizeof out->hz_source, "CPUID leaf 0x40000010 (hypervisor TSC kHz)");
            return true;
        }
    }
    return false;
}

void tsc_detect(tsc_properties *out)
{
    memset(out, 0, sizeof *out);
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(edx & (1u << 4)))
        return;
    out->present = true;
    if (__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx))
        out->has_rdtscp = (edx >> 27) & 1u;
    if (__get_cpuid(0x80000007, &eax, &ebx, &ecx, &edx))
        out->invariant = (edx >> 8) & 1u;
    if (hz_from_cpuid(out))
        return;
    out->hz = measure_hz(out->has_rdtscp);
    snprintf(out->hz_source, sizeof out->hz_source,
             out->hz ? "measured against CLOCK_MONOTONIC_RAW over 20 ms (CPUID has no TSC frequency)"
                     : "unknown: measurement against CLOCK_MONOTONIC_RAW failed");
}

#else

uint64_t tsc_read_ordered(bool has_rdtscp)
{
    (void)has_rdtscp;
    return 0;
}

void tsc_detect(tsc_properties *out)
{
    memset(out, 0, sizeof *out);
}

#endif
