/* "Is there a hardware PMU?" asked once, in the simplest way that the kernel answers. */
#include "counters.h"
#include "perf_group.h"
#include "results/results.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool pvmlab_pmu_probe(char *reason, size_t reason_len)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = PERF_COUNT_HW_CPU_CYCLES;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    int fd = perf_event_open_syscall(&attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd >= 0) {
        close(fd);
        if (reason_len)
            reason[0] = '\0';
        return true;
    }
    int err = errno;
    char failure[PVMLAB_COUNTER_TEXT_MAX];
    perf_open_failure_text(failure, sizeof failure, &attr, "cycles", err);
    /* ENOENT/ENODEV/EOPNOTSUPP: the kernel has no PMU for this CPU (typical in VMs); other
     * errors (EACCES, EPERM ...) mean a PMU may exist but this process may not use it. */
    bool missing = err == ENOENT || err == ENODEV || err == EOPNOTSUPP;
    snprintf(reason, reason_len, "%s: %s", missing ? "no hardware PMU" : "hardware PMU not usable", failure);
    return false;
}

void pvmlab_machine_detect_counters(struct pvmlab_machine_info *info)
{
    pvmlab_machine_detect(info);
    info->pmu_available = pvmlab_pmu_probe(info->pmu_reason, sizeof info->pmu_reason);
}
