/* The line protocol of runners that time themselves (node_runner.mjs, bench/sdk/native_driver.c):
 *   version <text>          optional, first
 *   bits <n>                optional: significant checksum bits (default 64)
 *   sample <ns> <hex|->     one per sample */
#ifndef PVMLAB_BENCH_REPORTED_SAMPLES_H
#define PVMLAB_BENCH_REPORTED_SAMPLES_H

#include <stddef.h>

#include "engine.h"

/* Parses exactly `count` sample lines of text into out. version (may be NULL) receives the
 * version line's text. Returns 0, or -1 with one line in err. */
int bench_parse_reported_samples(const char *text, unsigned count, bench_timing *out, char *version,
                                 size_t version_len, char *err, size_t err_len);

#endif
