/* The empty wasm module (see empty_module.h), written from its bytes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "empty_module.h"
#include "self_timed.h"
#include "vm/util/process.h"

static const unsigned char EMPTY_MODULE[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,             /* magic, version 1 */
    0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7e,             /* types: (i32) -> i64 */
    0x60, 0x00, 0x01, 0x7e,                                     /*        () -> i64 */
    0x03, 0x03, 0x02, 0x00, 0x01,                               /* functions: type 0, type 1 */
    0x07, 0x14, 0x02, 0x03, 'r', 'u', 'n', 0x00, 0x00,          /* exports: run = func 0 */
    0x0a, 'b', 'e', 'n', 'c', 'h', '_', 'm', 'a', 'i', 'n', 0x00, 0x01, /* bench_main = func 1 */
    0x0a, 0x0b, 0x02, 0x04, 0x00, 0x42, 0x00, 0x0b,             /* code: i64.const 0 */
    0x04, 0x00, 0x42, 0x00, 0x0b,
};

int bench_empty_module_path(const bench_env *env, char *out, size_t out_len, char *err, size_t err_len)
{
    if (bench_cache_path(env, "wasm", "empty.wasm", out, out_len, err, err_len) != 0)
        return -1;
    if (util_file_exists(out))
        return 0;
    FILE *file = fopen(out, "wb");
    if (!file || fwrite(EMPTY_MODULE, 1, sizeof EMPTY_MODULE, file) != sizeof EMPTY_MODULE) {
        snprintf(err, err_len, "cannot write %s: %s", out, strerror(errno));
        if (file)
            fclose(file);
        return -1;
    }
    if (fclose(file) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", out, strerror(errno));
        return -1;
    }
    return 0;
}
