/* Every adapter family, in the order results are printed: native first (the baseline),
 * then native-i386 (the rv32 builds' baseline, in suites that run them), then libpvm, then
 * the wasm engines. */
#include "discover.h"

int bench_discover_all(const bench_env *env, bench_engine_list *list)
{
    int (*const families[])(const bench_env *, bench_engine_list *) = {
        bench_discover_native, bench_discover_native_i386, bench_discover_pvm,
        bench_discover_node,   bench_discover_wasm2c,      bench_discover_cli_wasm,
    };
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (families[i](env, list) != 0)
            return -1;
    return 0;
}
