/* Helpers of the adapters whose engine runs as a separate process: running a self-timing
 * runner, and building runner binaries into the cache directory when they are stale. */
#ifndef PVMLAB_BENCH_SELF_TIMED_H
#define PVMLAB_BENCH_SELF_TIMED_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

/* Runs argv, requires exit status 0 and parses `count` samples of its stdout (protocol of
 * reported_samples.h). version may be NULL. Returns 0, or -1 with one line in err that
 * names the program and quotes its first line of stderr. */
int bench_run_self_timed(char *const argv[], unsigned count, bench_timing *out, char *version,
                         size_t version_len, char *err, size_t err_len);

/* Runs a build or translation step (argv); -1 with one line in err unless it exits 0. */
int bench_run_step(char *const argv[], char *err, size_t err_len);

/* Writes "<cache_dir>/<subdir>/<file>" to out, creating the directories. -1 with err. */
int bench_cache_path(const bench_env *env, const char *subdir, const char *file, char *out, size_t out_len,
                     char *err, size_t err_len);

/* Whether output exists and is newer than every one of the n inputs. */
bool bench_output_is_fresh(const char *output, const char *const *inputs, size_t n);

/* Formats a number for an argv slot (the buffer must outlive the argv use). */
void bench_format_unsigned(char *buffer, size_t length, unsigned long long value);



/* Measures guest with a binary built from bench/sdk/native_driver.c: execution in one process
 * (COUNT samples of INNER runs), oneshot as one fresh process per sample. */
int bench_measure_with_driver(const char *driver, const bench_guest *guest, bench_mode mode, unsigned count,
                              unsigned inner, bench_timing *out, char *err, size_t err_len);
#endif
