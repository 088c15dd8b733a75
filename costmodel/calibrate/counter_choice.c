/* Counter backends and the time source for a calibration. */
#include "counter_choice.h"

#include <stdio.h>
#include <string.h>

#include "costmodel/counters/tsc_clock.h"

int counter_choice_mask(const char *name, unsigned *mask)
{
    if (strcmp(name, "auto") == 0)
        *mask = PVMLAB_BACKEND_ALL;
    else if (strcmp(name, "pmu") == 0)
        *mask = PVMLAB_BACKEND_PMU | PVMLAB_BACKEND_TSC | PVMLAB_BACKEND_CLOCK | PVMLAB_BACKEND_SOFTWARE;
    else if (strcmp(name, "tsc") == 0)
        *mask = PVMLAB_BACKEND_TSC | PVMLAB_BACKEND_CLOCK;
    else if (strcmp(name, "sim") == 0)
        *mask = PVMLAB_BACKEND_SIMULATED | PVMLAB_BACKEND_CLOCK;
    else
        return -1;
    return 0;
}

static bool counter_available(const pvmlab_counters *c, const char *name)
{
    pvmlab_counter_info info;
    for (size_t i = 0; i < pvmlab_counters_count(c); i++)
        if (pvmlab_counters_describe(c, i, &info) == 0 && strcmp(info.name, name) == 0) return info.available;
    return false;
}

int counter_choice_open(const char *name, pvmlab_counters **out, time_source *time, char *err, size_t err_len)
{
    unsigned mask;
    memset(time, 0, sizeof *time);
    if (counter_choice_mask(name, &mask) != 0) {
        snprintf(err, err_len, "unknown counter choice '%s'", name);
        return -1;
    }
    if (pvmlab_counters_open(mask, out, err, err_len) != 0) return -1;
    if (strcmp(name, "pmu") == 0 && pvmlab_counters_pmu_notice(*out)) {
        snprintf(err, err_len, "--counters pmu: %s", pvmlab_counters_pmu_notice(*out));
        pvmlab_counters_close(*out);
        *out = NULL;
        return -1;
    }
    tsc_properties tsc;
    if (counter_available(*out, "tsc_cycles")) {
        tsc_detect(&tsc);
        if (tsc.hz) {
            time->use_tsc = true;
            time->tsc_hz = (double)tsc.hz;
            snprintf(time->description, sizeof time->description, "tsc %.1f MHz (%s)", (double)tsc.hz / 1e6,
                     tsc.hz_source);
            return 0;
        }
    }
    snprintf(time->description, sizeof time->description, "clock_gettime(CLOCK_MONOTONIC_RAW)%s",
             (mask & PVMLAB_BACKEND_TSC) ? " (TSC unusable)" : "");
    return 0;
}

/* Appends text to buf at *used, never past cap. */
static void append(char *buf, size_t cap, size_t *used, const char *fmt, const char *a, const char *b)
{
    if (*used >= cap) return;
    int w = snprintf(buf + *used, cap - *used, fmt, a, b);
    if (w > 0) *used += (size_t)w;
}

void counter_choice_unavailable(const pvmlab_counters *c, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    pvmlab_counter_info info;
    const char *pmu = pvmlab_counters_pmu_notice(c);
    /* Counters missing for the PMU notice's reason are listed once, the notice after them. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < pvmlab_counters_count(c); i++) {
            if (pvmlab_counters_describe(c, i, &info) != 0 || info.available) continue;
            bool for_notice = pmu && info.source == PVMLAB_SOURCE_PMU &&
                              (strstr(info.unavailable_reason, "no hardware PMU") || strstr(info.unavailable_reason, "see note"));
            if (for_notice != (pass == 0)) continue;
            append(buf, cap, &used, "%s%s", used ? ", " : "", info.name);
            if (!for_notice) append(buf, cap, &used, " (%s)%s", info.unavailable_reason, "");
        }
        if (pass == 0 && used) append(buf, cap, &used, " (%s)%s", pmu, "");
    }
}
