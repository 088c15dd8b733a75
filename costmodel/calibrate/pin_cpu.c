#define _GNU_SOURCE
#include "pin_cpu.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

int pin_to_cpu(char *why, size_t why_len)
{
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
        snprintf(why, why_len, "sched_getaffinity: %s", strerror(errno));
        return -1;
    }
    int cpu = -1;
    for (int i = CPU_SETSIZE - 1; i >= 0 && cpu < 0; i--)
        if (CPU_ISSET(i, &allowed)) cpu = i;
    if (cpu < 0) {
        snprintf(why, why_len, "no CPU in the affinity mask");
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
