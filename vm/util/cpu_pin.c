/* Pinning to one CPU and back (see cpu_pin.h). */
#define _GNU_SOURCE
#include "cpu_pin.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(util_cpu_mask) >= sizeof(cpu_set_t), "util_cpu_mask holds a cpu_set_t");

bool util_cpu_mask_save(util_cpu_mask *mask)
{
    memset(mask, 0, sizeof *mask);
    return sched_getaffinity(0, sizeof(cpu_set_t), (cpu_set_t *)(void *)mask->bits) == 0;
}

bool util_cpu_mask_restore(const util_cpu_mask *mask)
{
    return sched_setaffinity(0, sizeof(cpu_set_t), (const cpu_set_t *)(const void *)mask->bits) == 0;
}

void util_cpu_mask_describe(const util_cpu_mask *mask, char *out, size_t out_len)
{
    const cpu_set_t *set = (const cpu_set_t *)(const void *)mask->bits;
    size_t used = 0;
    out[0] = '\0';
    for (int cpu = 0; cpu < CPU_SETSIZE && used < out_len; cpu++) {
        if (!CPU_ISSET(cpu, set) || (cpu > 0 && CPU_ISSET(cpu - 1, set)))
            continue; /* not in the mask, or inside a range already begun */
        int last = cpu;
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
            last++;
        used += (size_t)snprintf(out + used, out_len - used, last == cpu ? "%s%d" : "%s%d-%d", used ? "," : "",
                                 cpu, last);
    }
    if (!used)
        snprintf(out, out_len, "none");
}

int util_cpu_mask_count(const util_cpu_mask *mask) { return CPU_COUNT((const cpu_set_t *)(const void *)mask->bits); }

/* The n-th highest CPU of set, wrapping round it; -1 if it is empty. */
static int nth_highest_in(const cpu_set_t *set, unsigned n)
{
    int count = CPU_COUNT(set);
    if (count == 0)
        return -1;
    unsigned skip = n % (unsigned)count;
    for (int i = CPU_SETSIZE - 1; i >= 0; i--)
        if (CPU_ISSET(i, set) && skip-- == 0)
            return i;
    return -1;
}

int util_cpu_nth_highest(unsigned n)
{
    util_cpu_mask allowed;
    return util_cpu_mask_save(&allowed) ? nth_highest_in((const cpu_set_t *)(const void *)allowed.bits, n) : -1;
}

int util_cpu_pin(int cpu, char *why, size_t why_len)
{
    util_cpu_mask allowed;
    if (!util_cpu_mask_save(&allowed)) {
        snprintf(why, why_len, "sched_getaffinity: %s", strerror(errno));
        return -1;
    }
    const cpu_set_t *set = (const cpu_set_t *)(const void *)allowed.bits;
    if (cpu < 0) {
        if ((cpu = nth_highest_in(set, 0)) < 0) {
            snprintf(why, why_len, "no CPU in the affinity mask");
            return -1;
        }
    } else if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, set)) {
        char list[200];
        util_cpu_mask_describe(&allowed, list, sizeof list);
        snprintf(why, why_len, "CPU %d is not one this process may run on (%s)", cpu, list);
        return -1;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) {
        snprintf(why, why_len, "sched_setaffinity(%d): %s", cpu, strerror(errno));
        return -1;
    }
    return cpu;
}
