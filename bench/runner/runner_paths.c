/* Default locations (see runner_paths.h). */
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runner_paths.h"

#ifndef PVMLAB_SOURCE_DIR
#define PVMLAB_SOURCE_DIR "."
#endif
#ifndef PVMLAB_BINARY_DIR
#define PVMLAB_BINARY_DIR "build"
#endif

void bench_default_build_dir(char *out, size_t out_len)
{
    char exe[4096];
    ssize_t length = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (length > 0) {
        exe[length] = '\0';
        char *bin = dirname(exe);
        if (strcmp(strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin, "bin") == 0) {
            snprintf(out, out_len, "%s", dirname(bin));
            return;
        }
    }
    snprintf(out, out_len, "%s", PVMLAB_BINARY_DIR);
}

const char *bench_source_dir(void)
{
    return PVMLAB_SOURCE_DIR;
}
