/* The native-i386 engine: each guest's C built with clang-19 -m32 -O2 (the guests' CMake,
 * <build>/guests/native-i386/<name>.o) and linked with the native driver -m32: the native
 * 32-bit baseline of the guests' rv32 builds, so it is a configuration of the suites that
 * run those (env->pvm_rv32). It is listed as missing, with the reason, when the build could
 * not link -m32 (the reason the build wrote to guests/native-i386/MISSING) or when this
 * kernel does not run i386 programs (the build's exec_probe cannot be started). */
#include <stdio.h>
#include <string.h>

#include "discover.h"
#include "native_engine.h"
#include "vm/util/process.h"

static const char NAME[] = "native-i386";

/* The first line of path into out; false when unreadable or empty. */
static bool read_first_line(const char *path, char *out, size_t out_len)
{
    FILE *file = fopen(path, "r");
    if (!file)
        return false;
    bool ok = fgets(out, (int)out_len, file) != NULL;
    fclose(file);
    if (ok)
        out[strcspn(out, "\n")] = '\0';
    return ok && out[0] != '\0';
}

/* Whether the build's -m32 probe program runs here; otherwise the reason in reason. */
static bool probe_runs(const bench_env *env, char *reason, size_t reason_len)
{
    char probe[BENCH_PATH_MAX], err[BENCH_TEXT_MAX];
    snprintf(probe, sizeof probe, "%s/guests/native-i386/exec_probe", env->build_dir);
    if (!util_file_exists(probe)) {
        snprintf(reason, reason_len, "%s is missing (configure the build with clang-19 able to link -m32)", probe);
        return false;
    }
    char *argv[] = {probe, NULL};
    util_process_result result;
    if (util_process_run(argv, &result, err, sizeof err) != 0) {
        snprintf(reason, reason_len, "this kernel does not run 32-bit x86 programs (%s); tests/guests checks the "
                                     "objects under qemu-i386, but they cannot be timed natively here", err);
        return false;
    }
    int status = result.exit_status;
    util_process_result_free(&result);
    if (status != 0) {
        snprintf(reason, reason_len, "%s exited with %d (a 32-bit x86 program does not run correctly here)", probe,
                 status);
        return false;
    }
    return true;
}

int bench_discover_native_i386(const bench_env *env, bench_engine_list *list)
{
    static const bench_native_target I386 = {NAME, "native-i386", "-m32",
                                             "clang-19 -m32 -O2 (guest object from the guests build)"};
    if (!env->pvm_rv32) /* the baseline of the rv32 builds: only where those run */
        return 0;
    char clang[BENCH_PATH_MAX], reason[BENCH_TEXT_MAX], file[BENCH_PATH_MAX];
    if (!util_find_program(env->path, "clang-19", clang, sizeof clang))
        return bench_engine_list_add_missing(list, NAME, "clang-19 not found on PATH (apt: clang-19)");
    snprintf(file, sizeof file, "%s/guests/native-i386/MISSING", env->build_dir);
    if (read_first_line(file, reason, sizeof reason))
        return bench_engine_list_add_missing(list, NAME, "%s", reason);
    if (!probe_runs(env, reason, sizeof reason))
        return bench_engine_list_add_missing(list, NAME, "%s", reason);
    return bench_native_engine_add(env, list, &I386, clang);
}
