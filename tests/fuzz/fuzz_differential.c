/* libFuzzer target: the input bytes drive the case generator (so mutations
 * become structured program changes); interpreter and recompiler must agree. */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_runner runner;
    static int ready;
    if (!ready) {
        if (fz_runner_init(&runner, NULL, NULL)) return 0;
        ready = 1;
    }
    fz_rng rng = {.bytes = data, .len = size, .state = size};
    fz_case c;
    if (!fz_generate(&rng, -1, 48, 0, &c)) return 0;
    char why[300];
    if (fz_run(&runner, &c, why, sizeof why) == FZ_DIVERGED) {
        fprintf(stderr, "interpreter and recompiler diverge: %s\n", why);
        fz_write(&c, stderr);
        abort(); /* a test harness, not the library: report the crash to libFuzzer */
    }
    fz_case_free(&c);
    return 0;
}
