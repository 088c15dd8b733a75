/* Variable-length integers of the two blob families. */
#ifndef PVM_VARINT_H
#define PVM_VARINT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Byte cursor over an input blob; errors record the failing offset. */
typedef struct {
    const uint8_t *p;
    size_t len, off;
    const char *what; /* name of the input, for messages */
} pvm_cursor;

/* GP natural-number encoding E (1..9 bytes). Returns false if truncated. */
bool pvm_read_gp_natural(pvm_cursor *c, uint64_t *out);
/* PolkaVM varint (1..5 bytes, u32). Returns false if truncated or overlong. */
bool pvm_read_polkavm_varint(pvm_cursor *c, uint32_t *out);
/* Fixed-width little-endian unsigned of n bytes (n <= 8). */
bool pvm_read_le(pvm_cursor *c, unsigned n, uint64_t *out);
/* Encoders (return bytes written; buffer must hold 9 / 5 bytes). */
size_t pvm_write_gp_natural(uint8_t *buf, uint64_t v);
size_t pvm_write_polkavm_varint(uint8_t *buf, uint32_t v);
#endif
