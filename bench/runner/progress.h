/* A one-line progress bar on stderr while stderr is a terminal (hyperfine shows one too);
 * silent otherwise, so logs and pipes get only the result lines. */
#ifndef PVMLAB_BENCH_PROGRESS_H
#define PVMLAB_BENCH_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct bench_progress {
    bool enabled;
    size_t done, total;
} bench_progress;

void bench_progress_start(bench_progress *progress, size_t total);
/* Redraws the bar with a label for the step now running. */
void bench_progress_show(const bench_progress *progress, const char *label);
/* Counts one step as done. */
void bench_progress_step(bench_progress *progress);
/* Erases the bar so that a result line can be printed over it. */
void bench_progress_clear(const bench_progress *progress);

#endif
