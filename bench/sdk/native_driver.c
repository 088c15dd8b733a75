/* Native driver for one guest: calls the guest's run(size) REPS times, prints the checksum
 * (16 hex digits) on stdout and the per-run wall times (median, min, max in ms) on stderr.
 *
 * Usage: guest-<name> SIZE [REPS]   (REPS defaults to 1; every run must give the same
 * checksum, otherwise the guest is not deterministic and the driver exits with 1). */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint64_t run(uint32_t size);

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
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

int main(int argc, char **argv)
{
    unsigned long size, reps = 1;
    if (argc < 2 || argc > 3 || !parse_count(argv[1], UINT32_MAX, &size) ||
        (argc == 3 && (!parse_count(argv[2], 100000, &reps) || reps == 0))) {
        fprintf(stderr, "usage: %s SIZE [REPS]\n", argv[0]);
        return 2;
    }
    double *times = malloc(reps * sizeof *times);
    if (!times)
        return 2;
    uint64_t first = 0;
    for (unsigned long i = 0; i < reps; i++) {
        double start = now_ms();
        uint64_t checksum = run((uint32_t)size);
        times[i] = now_ms() - start;
        if (i == 0)
            first = checksum;
        else if (checksum != first) {
            fprintf(stderr, "run %lu gave %016" PRIx64 ", run 0 gave %016" PRIx64 "\n", i,
                    checksum, first);
            return 1;
        }
    }
    qsort(times, reps, sizeof *times, compare_doubles);
    printf("%016" PRIx64 "\n", first);
    fprintf(stderr, "size=%lu reps=%lu median_ms=%.3f min_ms=%.3f max_ms=%.3f\n", size, reps,
            times[reps / 2], times[0], times[reps - 1]);
    free(times);
    return 0;
}
