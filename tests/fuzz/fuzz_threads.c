/* fuzz_threads [THREADS] [COUNT]: the differential fuzzer in several threads at
 * once, each with its own engines and instances, to exercise the recompiler's
 * per-thread fault handling (thread-local context, alternate signal stacks)
 * and the shared code arena under concurrency. Exit status 0 = no divergence. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_diff.h"

typedef struct {
    uint64_t seed, count, diverged;
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    fz_runner r;
    if (fz_runner_init(&r, NULL, NULL)) {
        w->diverged = UINT64_MAX;
        return NULL;
    }
    for (uint64_t k = 0; k < w->count; k++) {
        fz_rng rng = {.state = w->seed * 0x9E3779B97F4A7C15ull + k};
        fz_case c;
        if (!fz_generate(&rng, -1, 48, w->seed + k / 64, &c)) break;
        char why[300];
        if (fz_run(&r, &c, why, sizeof why) == FZ_DIVERGED) {
            w->diverged++;
            printf("thread seed %" PRIu64 " program %" PRIu64 ": %s\n", w->seed, k, why);
        }
        fz_case_free(&c);
    }
    fz_runner_free(&r);
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 4;
    uint64_t count = argc > 2 ? strtoull(argv[2], NULL, 0) : 2000;
    if (n < 1 || n > 64) n = 4;
    pthread_t t[64];
    worker w[64];
    for (int i = 0; i < n; i++) {
        w[i] = (worker){.seed = 1000 + (uint64_t)i, .count = count};
        pthread_create(&t[i], NULL, run_worker, &w[i]);
    }
    uint64_t bad = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        bad += w[i].diverged;
    }
    printf("fuzz_threads: %d threads x %" PRIu64 " programs, %" PRIu64 " divergences\n", n, count, bad);
    return bad ? 1 : 0;
}
