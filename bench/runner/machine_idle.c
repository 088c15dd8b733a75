/* Idle check from /proc/loadavg and /proc/stat (see machine_idle.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "machine_idle.h"

/* Total and idle jiffies of the "cpu" line. */
static bool read_cpu_times(unsigned long long *total, unsigned long long *idle)
{
    FILE *file = fopen("/proc/stat", "r");
    if (!file)
        return false;
    unsigned long long user, nice, system, idle_time, iowait, irq, softirq, steal;
    int fields = fscanf(file, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle_time,
                        &iowait, &irq, &softirq, &steal);
    fclose(file);
    if (fields != 8)
        return false;
    *idle = idle_time + iowait;
    *total = user + nice + system + idle_time + iowait + irq + softirq + steal;
    return true;
}

void bench_idle_check(unsigned window_ms, bench_idle_report *out)
{
    *out = (bench_idle_report){.cores = (int)sysconf(_SC_NPROCESSORS_ONLN)};
    FILE *file = fopen("/proc/loadavg", "r");
    if (!file)
        return;
    int parsed = fscanf(file, "%lf", &out->load1);
    fclose(file);
    unsigned long long total0, idle0, total1, idle1;
    if (parsed != 1 || !read_cpu_times(&total0, &idle0))
        return;
    struct timespec pause = {window_ms / 1000, (long)(window_ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
    if (!read_cpu_times(&total1, &idle1))
        return;
    unsigned long long elapsed = total1 - total0, idle = idle1 - idle0;
    out->busy_share = elapsed ? 1.0 - (double)idle / (double)elapsed : 0;
    out->known = true;
    if (out->cores < 1)
        out->cores = 1;
    out->idle = out->load1 < 0.5 * out->cores && out->busy_share < 0.2;
}

void bench_idle_describe(const bench_idle_report *report, char *text, size_t length)
{
    if (!report->known) {
        snprintf(text, length, "machine load unknown (/proc/loadavg or /proc/stat unreadable)");
        return;
    }
    snprintf(text, length, "load average %.2f on %d cores, CPUs %.0f%% busy%s", report->load1, report->cores,
             report->busy_share * 100,
             report->idle ? "" : ": the machine is not idle, timings will be noisy (close other work and rerun)");
}
