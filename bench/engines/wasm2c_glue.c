/* Glue of the wasm2c timing driver: instantiates the translated guest (module name
 * "guest", so the generated header is guest.h) and forwards run() to it. Compiled with the
 * generated code and wabt's wasm-rt-impl.c (adapter_wasm2c.c). */
#include <stdint.h>

#include "guest.h"
#include "wasm-rt.h"

void bench_instantiate(void);
uint64_t run(uint32_t size);

static Z_guest_instance_t instance;

void bench_instantiate(void)
{
    wasm_rt_init();
    Z_guest_init_module();
    Z_guest_instantiate(&instance);
}

uint64_t run(uint32_t size)
{
    return Z_guestZ_run(&instance, size);
}
