/* Per-thread CPU time and preemptions (see thread_usage.h). RUSAGE_THREAD is a
 * Linux extension, hence _GNU_SOURCE before any system header. */
#define _GNU_SOURCE
#include <sys/resource.h>

#include "thread_usage.h"
#include "clock.h"

util_thread_usage util_thread_usage_now(void)
{
    util_thread_usage u = {util_thread_cpu_ns(), 0};
    struct rusage r;
    if (getrusage(RUSAGE_THREAD, &r) == 0) u.preempted = (uint64_t)r.ru_nivcsw;
    return u;
}

util_thread_usage util_thread_usage_since(const util_thread_usage *since)
{
    util_thread_usage now = util_thread_usage_now();
    return (util_thread_usage){now.cpu_ns - since->cpu_ns, now.preempted - since->preempted};
}
