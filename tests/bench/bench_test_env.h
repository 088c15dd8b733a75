/* A temporary build tree for adapter tests: a folder that is at once the build dir, the
 * source dir and the only PATH entry, with the cache below it. */
#ifndef PVMLAB_BENCH_TEST_ENV_H
#define PVMLAB_BENCH_TEST_ENV_H

#include "bench/engines/engine.h"

typedef struct bench_test_env {
    char dir[64], cache[128];
    bench_env env;
} bench_test_env;

/* cmocka setup/teardown: *state becomes a bench_test_env. */
int bench_test_env_setup(void **state);
int bench_test_env_teardown(void **state);

/* The configuration named name in list (found or missing), or NULL. */
bench_engine *bench_test_find_engine(bench_engine_list *list, const char *name);
const bench_missing_engine *bench_test_find_missing(const bench_engine_list *list, const char *name);

/* Writes an executable "#!/bin/sh" script with body at dir/relative_path. 0 or -1. */
int bench_test_write_script(const char *dir, const char *relative_path, const char *body);

#endif
