/* The native driver of a guest: a host program that calls the guest's run(size). One
 * driver, two callers:
 *
 *   guest-<name>-native SIZE [REPS]          the SDK's native build (pvm_add_guest): REPS runs
 *       (default 1), the checksum (16 hex digits) on stdout, median/min/max ms on stderr;
 *       every run must give the same checksum, otherwise the guest is not deterministic
 *       and the driver exits with 1.
 *   DRIVER execution|oneshot SIZE COUNT INNER the bench engines native and wasm2c
 *       (bench/engines/adapter_native.c, adapter_wasm2c.c), which link it with their glue:
 *       the self-timing protocol of bench/engines/reported_samples.h, one
 *       `sample <ns> <checksum>` line per sample. execution: bench_instantiate() once, then
 *       COUNT samples, each the mean of INNER runs; oneshot (one per process):
 *       bench_instantiate() + one run, timed together.
 *
 * Compiled on its own with each native or wasm2c guest, so it cannot use vm/util. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Provided by the guest (native) or the wasm2c glue. */
uint64_t run(uint32_t size);

/* Prepares the guest (the wasm2c glue instantiates its module); nothing for a native guest. */
__attribute__((weak)) void bench_instantiate(void);
__attribute__((weak)) void bench_instantiate(void) {}

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static int compare_ns(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int parse_count(const char *text, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long value = strtoul(text, &end, 10);
    if (*text == '\0' || *end != '\0' || value > max)
        return 0;
    *out = value;
    return 1;
}

/* guest-<name>-native SIZE [REPS] */
static int check_runs(const char *self, int argc, char **argv)
{
    unsigned long size, reps = 1;
    if (argc < 2 || argc > 3 || !parse_count(argv[1], UINT32_MAX, &size) ||
        (argc == 3 && (!parse_count(argv[2], 100000, &reps) || reps == 0))) {
        fprintf(stderr, "usage: %s SIZE [REPS]   or   %s execution|oneshot SIZE COUNT INNER\n", self, self);
        return 2;
    }
    int64_t *times = malloc(reps * sizeof *times);
    if (!times)
        return 2;
    uint64_t first = 0;
    for (unsigned long i = 0; i < reps; i++) {
        int64_t start = now_ns();
        uint64_t checksum = run((uint32_t)size);
        times[i] = now_ns() - start;
        if (i == 0)
            first = checksum;
        else if (checksum != first) {
            fprintf(stderr, "run %lu gave %016" PRIx64 ", run 0 gave %016" PRIx64 "\n", i, checksum, first);
            free(times);
            return 1;
        }
    }
    qsort(times, reps, sizeof *times, compare_ns);
    printf("%016" PRIx64 "\n", first);
    fprintf(stderr, "size=%lu reps=%lu median_ms=%.3f min_ms=%.3f max_ms=%.3f\n", size, reps,
            (double)times[reps / 2] / 1e6, (double)times[0] / 1e6, (double)times[reps - 1] / 1e6);
    free(times);
    return 0;
}

/* DRIVER execution|oneshot SIZE COUNT INNER */
static int timed_samples(const char *self, int argc, char **argv)
{
    unsigned long size, count, inner;
    int oneshot = strcmp(argv[1], "oneshot") == 0;
    if (argc != 5 || !parse_count(argv[2], UINT32_MAX, &size) || !parse_count(argv[3], 1000000, &count) ||
        !parse_count(argv[4], 1000000, &inner) || inner == 0) {
        fprintf(stderr, "usage: %s execution|oneshot SIZE COUNT INNER\n", self);
        return 2;
    }
    if (oneshot) {
        int64_t start = now_ns();
        bench_instantiate();
        uint64_t checksum = run((uint32_t)size);
        printf("sample %" PRId64 " %016" PRIx64 "\n", now_ns() - start, checksum);
        return 0;
    }
    bench_instantiate();
    for (unsigned long i = 0; i < count; i++) {
        uint64_t checksum = 0;
        int64_t start = now_ns();
        for (unsigned long j = 0; j < inner; j++)
            checksum = run((uint32_t)size);
        printf("sample %" PRId64 " %016" PRIx64 "\n", (now_ns() - start) / (int64_t)inner, checksum);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "execution") == 0 || strcmp(argv[1], "oneshot") == 0))
        return timed_samples(argv[0], argc, argv);
    return check_runs(argv[0], argc, argv);
}
