#include "cache_sim.h"
#include "vm/util/cli_options.h"
#include "cmd_counters.h"
#include "counters.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Prints one counter. trial is its reading from a short test interval: a counter that opened
 * but could not be read there is listed as unavailable with that reason. */
static bool print_counter(const pvmlab_counter_info *info, const pvmlab_counter_reading *trial,
                          const char *pmu_notice)
{
    const char *source = pvmlab_counter_source_name(info->source);
    const char *reason = info->available ? trial->unavailable_reason : info->unavailable_reason;
    if (info->available && trial->available) {
        printf("  %-9s %-24s available    %s\n", source, info->name, info->detail);
        return true;
    }
    if (pmu_notice && strcmp(reason, pmu_notice) == 0)
        printf("  %-9s %-24s unavailable  %s (see note above)\n", source, info->name,
               strncmp(pmu_notice, "no hardware PMU", 15) == 0 ? "no hardware PMU" : "hardware PMU not usable");
    else
        printf("  %-9s %-24s unavailable  %s\n", source, info->name, reason);
    return false;
}

/* Measures a short interval so that listed counters are known to read, not just to open. */
static void trial_interval(pvmlab_counters *counters)
{
    volatile uint64_t sum = 0;
    pvmlab_counters_start(counters);
    for (uint64_t i = 0; i < 100000; i++)
        sum += i;
    pvmlab_counters_report_simulated(counters, 0, 0);
    cache_sim *cache = pvmlab_counters_cache_sim(counters);
    if (cache) { /* a short trace, so the cache counters are shown to read */
        cache_sim_counts before = cache_sim_read(cache), after;
        for (uint32_t a = 0; a < (64u << 10); a += 64) cache_sim_access(cache, a, 8, false);
        after = cache_sim_read(cache);
        cache_sim_counts delta = {after.accesses - before.accesses, {0}};
        for (int k = 0; k < CACHE_MAX_LEVELS; k++) delta.misses[k] = after.misses[k] - before.misses[k];
        pvmlab_counters_report_cache(counters, &delta);
    }
    pvmlab_counters_stop(counters);
}

int pvmlab_cmd_counters(int argc, char **argv)
{
    static const char USAGE[] = "usage: pvmlab counters\n"
                                "Lists every counter this machine offers (pmu, software, clock, tsc, simulated)\n"
                                "and, for each one that is missing, why.\n";
    int parsed = cli_parse("counters", argc, argv, NULL, 0, USAGE, NULL);
    if (parsed != CLI_PARSED)
        return parsed == CLI_HELP ? 0 : 2;
    char err[256];
    pvmlab_counters *counters;
    if (pvmlab_counters_open(PVMLAB_BACKEND_ALL, &counters, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab counters: %s\n", err);
        return 1;
    }
    const char *pmu_notice = pvmlab_counters_pmu_notice(counters);
    if (pmu_notice)
        printf("note: %s\n", pmu_notice);
    cache_sim *cache = pvmlab_counters_cache_sim(counters);
    if (cache) {
        const cache_geometry *g = cache_sim_geometry(cache);
        char shape[200];
        cache_geometry_describe(g, shape, sizeof shape);
        printf("note: simulated caches %s (%s)%s%s\n", shape, g->source, g->notice[0] ? "; " : "", g->notice);
    }
    trial_interval(counters);
    size_t count = pvmlab_counters_count(counters), available = 0;
    printf("  %-9s %-24s %-12s %s\n", "source", "counter", "status", "detail or reason");
    for (size_t i = 0; i < count; i++) {
        pvmlab_counter_info info;
        pvmlab_counter_reading trial;
        pvmlab_counters_describe(counters, i, &info);
        pvmlab_counters_read_one(counters, i, &trial);
        available += print_counter(&info, &trial, pmu_notice);
    }
    printf("%zu of %zu counters available\n", available, count);
    pvmlab_counters_close(counters);
    return 0;
}
