/* Running self-timing runners and keeping their binaries fresh in the cache directory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "reported_samples.h"
#include "self_timed.h"
#include "vm/util/process.h"

/* "program: exit 3: first line of stderr" into err. */
static void describe_failure(char *const argv[], const util_process_result *result, char *err,
                             size_t err_len)
{
    const char *text = result->stderr_text[0] ? result->stderr_text : result->stdout_text;
    size_t length = strcspn(text, "\n");
    snprintf(err, err_len, "%s exited with %d: %.*s", argv[0], result->exit_status,
             (int)(length > 300 ? 300 : length), text);
}

int bench_run_self_timed(char *const argv[], unsigned count, bench_timing *out, char *version,
                         size_t version_len, char *err, size_t err_len)
{
    util_process_result result;
    if (util_process_run(argv, &result, err, err_len) != 0)
        return -1;
    int status = 0;
    if (result.exit_status != 0) {
        describe_failure(argv, &result, err, err_len);
        status = -1;
    } else {
        status = bench_parse_reported_samples(result.stdout_text, count, out, version, version_len, err,
                                              err_len);
    }
    util_process_result_free(&result);
    return status;
}

int bench_run_step(char *const argv[], char *err, size_t err_len)
{
    util_process_result result;
    if (util_process_run(argv, &result, err, err_len) != 0)
        return -1;
    int status = result.exit_status == 0 ? 0 : -1;
    if (status != 0)
        describe_failure(argv, &result, err, err_len);
    util_process_result_free(&result);
    return status;
}

static int make_directory(const char *path, char *err, size_t err_len)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
    return -1;
}

int bench_cache_path(const bench_env *env, const char *subdir, const char *file, char *out, size_t out_len,
                     char *err, size_t err_len)
{
    char directory[BENCH_PATH_MAX];
    snprintf(directory, sizeof directory, "%s/%s", env->cache_dir, subdir);
    if (make_directory(env->cache_dir, err, err_len) != 0 || make_directory(directory, err, err_len) != 0)
        return -1;
    int written = snprintf(out, out_len, "%s/%s", directory, file);
    if (written < 0 || (size_t)written >= out_len) {
        snprintf(err, err_len, "cache path too long: %s/%s", directory, file);
        return -1;
    }
    return 0;
}

static bool modified_at(const char *path, struct timespec *out)
{
    struct stat info;
    if (stat(path, &info) != 0)
        return false;
    *out = info.st_mtim;
    return true;
}

bool bench_output_is_fresh(const char *output, const char *const *inputs, size_t n)
{
    struct timespec built, source;
    if (!modified_at(output, &built))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!modified_at(inputs[i], &source))
            return false;
        if (source.tv_sec > built.tv_sec || (source.tv_sec == built.tv_sec && source.tv_nsec > built.tv_nsec))
            return false;
    }
    return true;
}

void bench_format_unsigned(char *buffer, size_t length, unsigned long long value)
{
    snprintf(buffer, length, "%llu", value);
}

int bench_measure_with_driver(const char *driver, const bench_guest *guest, bench_mode mode, unsigned count,
                              unsigned inner, bench_timing *out, char *err, size_t err_len)
{
    char size[24], count_text[24], inner_text[24];
    bench_format_unsigned(size, sizeof size, guest->size);
    bench_format_unsigned(inner_text, sizeof inner_text, inner);
    if (mode == BENCH_MODE_EXECUTION) {
        bench_format_unsigned(count_text, sizeof count_text, count);
        char *argv[] = {(char *)driver, "execution", size, count_text, inner_text, NULL};
        return bench_run_self_timed(argv, count, out, NULL, 0, err, err_len);
    }
    if (mode != BENCH_MODE_ONESHOT) {
        snprintf(err, err_len, "%s cannot measure %s", driver, bench_mode_name(mode));
        return -1;
    }
    for (unsigned i = 0; i < count; i++) {
        char *argv[] = {(char *)driver, "oneshot", size, "1", "1", NULL};
        if (bench_run_self_timed(argv, 1, &out[i], NULL, 0, err, err_len) != 0)
            return -1;
    }
    return 0;
}
