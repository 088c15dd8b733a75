/* Finding or making a guest's .polkavm (see pvm_blob.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvm_blob.h"
#include "self_timed.h"
#include "vm/util/process.h"
#include "vm/util/file_read.h"

bool pvm_blob_find_linker(const bench_env *env, char *out, size_t out_len)
{
    char built[BENCH_PATH_MAX];
    snprintf(built, sizeof built, "%s/bin/pvm-link", env->build_dir);
    return util_find_program(NULL, built, out, out_len) || util_find_program(env->path, "pvm-link", out, out_len);
}

static int read_file(const char *path, pvm_blob *out, char *err, size_t err_len)
{
    size_t len = 0;
    char *bytes = util_read_file(path, &len);
    if (!bytes) {
        snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    out->bytes = (uint8_t *)bytes;
    out->length = len;
    return 0;
}

int pvm_blob_load(const bench_env *env, const char *linker, const char *target, const char *guest, pvm_blob *out,
                  char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    char prebuilt[BENCH_PATH_MAX], elf[BENCH_PATH_MAX], file[BENCH_NAME_MAX + 24], linked[BENCH_PATH_MAX];
    snprintf(prebuilt, sizeof prebuilt, "%s/guests/%s/%s.polkavm", env->build_dir, target, guest);
    if (util_file_exists(prebuilt))
        return read_file(prebuilt, out, err, err_len);
    snprintf(elf, sizeof elf, "%s/guests/%s/%s.elf", env->build_dir, target, guest);
    if (!util_file_exists(elf)) {
        snprintf(err, err_len, "%s is missing (build the `guests` target)", elf);
        return -1;
    }
    snprintf(file, sizeof file, "%s.%s.polkavm", guest, target);
    if (bench_cache_path(env, "pvm", file, linked, sizeof linked, err, err_len) != 0)
        return -1;
    const char *inputs[] = {elf, linker};
    if (!bench_output_is_fresh(linked, inputs, 2)) {
        char *argv[] = {(char *)linker, elf, "-o", linked, NULL};
        if (bench_run_step(argv, err, err_len) != 0)
            return -1;
    }
    return read_file(linked, out, err, err_len);
}

void pvm_blob_free(pvm_blob *blob)
{
    free(blob->bytes);
    blob->bytes = NULL;
    blob->length = 0;
}
