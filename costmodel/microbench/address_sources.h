/* Where the addresses of a program's register-addressed loads and stores come from, measured
 * on the interpreter's exact path (block trace) with every register's youngest load: a
 * value a load produced, or computed from one, carries that load's position; an access
 * whose base register carries a load a few instructions back waits for it (a load chain,
 * the latency that bounds pointer walks and table lookups), one based on the stack pointer
 * or on a value no recent load made does not. The benchmark guests' shares
 * (guest_mix_data.h) are what the mixed programs' addresses follow (mixed.c). */
#ifndef PVMLAB_MB_ADDRESS_SOURCES_H
#define PVMLAB_MB_ADDRESS_SOURCES_H

#include <stddef.h>
#include <stdint.h>

/* Buckets of an access's base register: the stack pointer (r1), a value whose youngest load
 * was at most 4 / 16 / 64 instructions before, anything else (computed without a load, or
 * from one longer ago). */
enum { MB_ADDR_STACK, MB_ADDR_LOADED_4, MB_ADDR_LOADED_16, MB_ADDR_LOADED_64, MB_ADDR_OTHER, MB_ADDR_BUCKETS };
#define MB_ADDR_RECENT_LIMIT 64

typedef struct mb_address_sources {
    uint64_t instructions;            /* executed */
    uint64_t accesses;                /* register-addressed loads and stores executed */
    uint64_t bucket[MB_ADDR_BUCKETS]; /* of them, by their base register's source */
} mb_address_sources;

/* One call of `export_name` with args on a fresh interpreter instance of the blob (image,
 * may be NULL, written at image_addr first); the call must halt. Returns 0, or -1 with a
 * one-line reason in err. */
int mb_address_sources_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                               uint32_t image_addr, const char *export_name, const uint64_t *args, size_t nargs,
                               mb_address_sources *out, char *err, size_t err_len);

#endif
