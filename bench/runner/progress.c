/* The progress bar (see progress.h). */
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

enum { BAR_WIDTH = 30 };

void bench_progress_start(bench_progress *progress, size_t total)
{
    progress->enabled = isatty(STDERR_FILENO);
    progress->done = 0;
    progress->total = total;
}

void bench_progress_show(const bench_progress *progress, const char *label)
{
    if (!progress->enabled || progress->total == 0)
        return;
    size_t filled = progress->done * BAR_WIDTH / progress->total;
    char bar[BAR_WIDTH + 1];
    for (size_t i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r\033[K[%s] %zu/%zu %.60s", bar, progress->done, progress->total, label);
    fflush(stderr);
}

void bench_progress_step(bench_progress *progress)
{
    if (progress->done < progress->total)
        progress->done++;
}

void bench_progress_clear(const bench_progress *progress)
{
    if (progress->enabled) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
}
