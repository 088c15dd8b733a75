#include "cmd_counters.h"
#include "counters.h"

#include <stdio.h>
#include <string.h>

static void print_counter(const pvmlab_counter_info *info, const char *pmu_notice)
{
    const char *source = pvmlab_counter_source_name(info->source);
    if (info->available) {
        printf("  %-9s %-24s available    %s\n", source, info->name, info->detail);
    } else if (pmu_notice && strcmp(info->unavailable_reason, pmu_notice) == 0) {
        printf("  %-9s %-24s unavailable  no hardware PMU (see note above)\n", source, info->name);
    } else {
        printf("  %-9s %-24s unavailable  %s\n", source, info->name, info->unavailable_reason);
    }
}

int pvmlab_cmd_counters(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            printf("usage: pvmlab counters\n"
                   "Lists every counter this machine offers (pmu, software, clock, tsc, simulated)\n"
                   "and, for each one that is missing, why.\n");
            return 0;
        }
        fprintf(stderr, "pvmlab counters: unexpected argument '%s' (the verb takes none)\n", argv[1]);
        return 2;
    }
    char err[256];
    pvmlab_counters *counters;
    if (pvmlab_counters_open(PVMLAB_BACKEND_ALL, &counters, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab counters: %s\n", err);
        return 1;
    }
    const char *pmu_notice = pvmlab_counters_pmu_notice(counters);
    if (pmu_notice)
        printf("note: %s\n", pmu_notice);
    size_t count = pvmlab_counters_count(counters), available = 0;
    printf("  %-9s %-24s %-12s %s\n", "source", "counter", "status", "detail or reason");
    for (size_t i = 0; i < count; i++) {
        pvmlab_counter_info info;
        pvmlab_counters_describe(counters, i, &info);
        available += info.available;
        print_counter(&info, pmu_notice);
    }
    printf("%zu of %zu counters available\n", available, count);
    pvmlab_counters_close(counters);
    return 0;
}
