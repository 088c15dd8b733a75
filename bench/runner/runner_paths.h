/* Where `pvmlab bench` finds the build tree, the sources and its cache by default. */
#ifndef PVMLAB_BENCH_RUNNER_PATHS_H
#define PVMLAB_BENCH_RUNNER_PATHS_H

#include <stddef.h>

/* The build tree: the parent of the directory holding the running executable when that
 * directory is named bin (<build>/bin/pvmlab), else the configured build directory. */
void bench_default_build_dir(char *out, size_t out_len);
/* The repository, as configured at build time. */
const char *bench_source_dir(void);

#endif
