/* Whether the machine is quiet enough to benchmark: the 1-minute load average and the
 * share of CPU time spent busy over a short window (/proc/stat), as hyperfine-style
 * tools warn before measuring on a loaded machine. */
#ifndef PVMLAB_BENCH_MACHINE_IDLE_H
#define PVMLAB_BENCH_MACHINE_IDLE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct bench_idle_report {
    bool known;          /* false when /proc could not be read */
    double load1;        /* 1-minute load average */
    int cores;
    double busy_share;   /* 0..1 over the sampling window */
    bool idle;
} bench_idle_report;

/* Samples /proc/stat over window_ms. The machine counts as idle when load1 < 0.5 * cores
 * and busy_share < 0.2. Never fails: known is false when /proc is unreadable. */
void bench_idle_check(unsigned window_ms, bench_idle_report *out);

/* One line describing report into text. */
void bench_idle_describe(const bench_idle_report *report, char *text, size_t length);

#endif
