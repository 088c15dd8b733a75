/* Durations for people: nanoseconds as "812 ns", "12.3 µs", "4.56 ms" or "1.23 s". */
#ifndef PVMLAB_BENCH_DURATION_FORMAT_H
#define PVMLAB_BENCH_DURATION_FORMAT_H

#include <stddef.h>

void bench_format_duration(double ns, char *out, size_t out_len);

#endif
