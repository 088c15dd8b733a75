/* The self-timing driver linked with a guest's native object (adapter_native.c) or with a
 * guest translated by wasm2c (adapter_wasm2c.c, through wasm2c_glue.c). It prints the
 * protocol of reported_samples.h:
 *
 *   bench-driver MODE SIZE COUNT INNER       MODE: execution | oneshot
 *
 * execution: bench_instantiate() once, then COUNT samples, each the mean of INNER runs;
 * oneshot (run once per process by the adapter): bench_instantiate() + one run, timed. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Provided by the glue: prepares the guest (wasm2c: instantiate the module). */
void bench_instantiate(void);
/* Provided by the guest (native) or the glue (wasm2c). */
uint64_t run(uint32_t size);

/* Compiled on its own with each native/wasm2c guest, so it cannot use vm/util/clock.h. */
static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
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
    unsigned long size, count, inner;
    int oneshot = argc == 5 && strcmp(argv[1], "oneshot") == 0;
    if (argc != 5 || (!oneshot && strcmp(argv[1], "execution") != 0) ||
        !parse_count(argv[2], UINT32_MAX, &size) || !parse_count(argv[3], 1000000, &count) ||
        !parse_count(argv[4], 1000000, &inner) || inner == 0) {
        fprintf(stderr, "usage: %s execution|oneshot SIZE COUNT INNER\n", argv[0]);
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
