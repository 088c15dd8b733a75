/* Guests wrapped so that a parameterless export calls run(SIZE) (see size_wrapper.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "self_timed.h"
#include "size_wrapper.h"
#include "vm/util/process.h"
#include "vm/util/file_read.h"

char *bench_wrap_wat_with_size(const char *wat, uint32_t size)
{
    static const char EXPORT[] = "(export \"run\" (func ";
    const char *start = strstr(wat, EXPORT);
    if (!start)
        return NULL;
    const char *function = start + strlen(EXPORT);
    size_t function_length = strcspn(function, ") \n");
    const char *end = strstr(function, "))");
    if (!end || function_length == 0 || function + function_length > end)
        return NULL;
    end += 2;
    char replacement[256];
    int written = snprintf(replacement, sizeof replacement,
                           "(func $pvmlab_bench_main (export \"bench_main\") (result i64) i32.const %u call %.*s)",
                           (unsigned)size, (int)function_length, function);
    if (written < 0 || (size_t)written >= sizeof replacement)
        return NULL;
    size_t before = (size_t)(start - wat), after = strlen(end);
    char *text = malloc(before + (size_t)written + after + 1);
    if (!text)
        return NULL;
    memcpy(text, wat, before);
    memcpy(text + before, replacement, (size_t)written);
    memcpy(text + before + written, end, after + 1);
    return text;
}


static int write_text_file(const char *path, const char *text, char *err, size_t err_len)
{
    FILE *file = fopen(path, "wb");
    size_t length = strlen(text);
    if (!file || fwrite(text, 1, length, file) != length || fclose(file) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int bench_size_wrapped_module(const bench_env *env, const bench_guest *guest, char *out, size_t out_len,
                              char *err, size_t err_len)
{
    char wasm[BENCH_PATH_MAX], name[BENCH_NAME_MAX + 16], wat[BENCH_PATH_MAX], wrapped_wat[BENCH_PATH_MAX];
    char wasm2wat[BENCH_PATH_MAX], wat2wasm[BENCH_PATH_MAX];
    snprintf(wasm, sizeof wasm, "%s/guests/wasm32/%s.wasm", env->build_dir, guest->name);
    snprintf(name, sizeof name, "%s-%u", guest->name, (unsigned)guest->size);
    if (bench_cache_path(env, "wasm", name, out, out_len, err, err_len) != 0)
        return -1;
    size_t stem = strlen(out);
    snprintf(wat, sizeof wat, "%.*s.wat", (int)stem, out);
    snprintf(wrapped_wat, sizeof wrapped_wat, "%.*s.wrapped.wat", (int)stem, out);
    if (stem + 6 > out_len) {
        snprintf(err, err_len, "cache path too long");
        return -1;
    }
    strcat(out, ".wasm");
    const char *inputs[] = {wasm};
    if (!util_file_exists(wasm)) {
        snprintf(err, err_len, "%s is missing (build the `guests` target)", wasm);
        return -1;
    }
    if (bench_output_is_fresh(out, inputs, 1))
        return 0;
    if (!util_find_program(env->path, "wasm2wat", wasm2wat, sizeof wasm2wat) ||
        !util_find_program(env->path, "wat2wasm", wat2wasm, sizeof wat2wasm)) {
        snprintf(err, err_len, "wasm2wat or wat2wasm not found on PATH (apt: wabt)");
        return -1;
    }
    char *to_text[] = {wasm2wat, wasm, "-o", wat, NULL};
    if (bench_run_step(to_text, err, err_len) != 0)
        return -1;
    char *text = util_read_file(wat, NULL);
    char *wrapped = text ? bench_wrap_wat_with_size(text, guest->size) : NULL;
    free(text);
    if (!wrapped) {
        snprintf(err, err_len, "%s: no export \"run\" to wrap", wat);
        return -1;
    }
    int status = write_text_file(wrapped_wat, wrapped, err, err_len);
    free(wrapped);
    if (status != 0)
        return -1;
    char *to_binary[] = {wat2wasm, wrapped_wat, "-o", out, NULL};
    return bench_run_step(to_binary, err, err_len);
}
