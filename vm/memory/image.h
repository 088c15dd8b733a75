/* A program's initial memory as a copy-on-write snapshot: the bytes of every
 * region that starts with image data (ro data, rw data, arguments) laid out
 * once in a memfd, so that an instance maps each region MAP_PRIVATE from it
 * instead of copying. Creating an instance then costs a few system calls
 * whatever the data size; a page is read from the snapshot when the guest
 * first touches it and copied only when it is first written; a reset drops
 * the private copies (MADV_DONTNEED) and the regions read as the snapshot
 * again. Zero tails of regions are holes in the file.
 *
 * After the parts the file holds the instance's initial access table (one byte
 * per guest page, access_table.h) for every region of the layout, data or not,
 * mapped read-only once here (with the whole file: the parts can be compared with a
 * program's data, vm/api/snapshots.h): every instance laid out from the snapshot reads it
 * (no table written or mapped at instantiation) until it writes an entry, and
 * then maps it copy-on-write. Its unset entries are holes. */
#ifndef PVM_MEMORY_IMAGE_H
#define PVM_MEMORY_IMAGE_H
#include <stdint.h>
#include "pvm/pvm.h"

typedef struct {
    uint32_t len;        /* page-aligned length of the region */
    const uint8_t *data; /* its first data_len bytes; the rest reads as zero */
    uint32_t data_len;
} pvm_image_part;

/* A page-aligned range of guest addresses and the access its table entries start with. */
typedef struct {
    uint32_t addr, len;
    uint8_t access; /* a pvm_access */
} pvm_image_access;

typedef struct {
    int fd;           /* -1: no snapshot */
    uint64_t size;    /* the parts' bytes */
    uint64_t table_offset; /* where the access table starts (PVM_ACCESS_TABLE_BYTES) */
    uint64_t id;      /* unique in the process (1, 2, ...): a window's table names its snapshot by it */
    const uint8_t *data;  /* the whole file mapped read-only (shared): the parts from 0, then the table */
    const uint8_t *table; /* data + table_offset: the access table (PVM_ACCESS_TABLE_BYTES) */
} pvm_memory_image;

/* Lays out the parts one after another (part i at the sum of the lengths
 * before it), then the access table with the n_access ranges set. PVM_ERR_UNSUPPORTED
 * when memfd is not available (the caller copies instead); out->fd is -1 on failure. */
pvm_status pvm_memory_image_create(pvm_memory_image *out, const pvm_image_part *parts, unsigned n,
                                   const pvm_image_access *access, unsigned n_access, pvm_error *err);
void pvm_memory_image_free(pvm_memory_image *img);
#endif
