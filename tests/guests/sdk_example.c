/* A guest that uses every SDK macro, built only as riscv ELFs: test_sdk_records.c checks
 * the import stubs and the metadata/export records that pvm-link will read. */
#include "pvm_guest.h"

PVM_IMPORT(uint32_t, host_add, uint32_t, uint64_t);
PVM_IMPORT(void, host_tick, void);

PVM_MIN_STACK_SIZE(65536);

PVM_EXPORT(uint64_t, run, uint32_t);
uint64_t run(uint32_t size)
{
    host_tick();
    return host_add(size, 7) + 1;
}

PVM_EXPORT(uint32_t, add3, uint32_t, uint32_t, uint32_t);
uint32_t add3(uint32_t a, uint32_t b, uint32_t c)
{
    return a + b + c;
}
