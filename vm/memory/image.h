/* A program's initial memory as a copy-on-write snapshot: the bytes of every
 * region that starts with image data (ro data, rw data, arguments) laid out
 * once in a memfd, so that an instance maps each region MAP_PRIVATE from it
 * instead of copying. Creating an instance then costs a few system calls
 * whatever the data size; a page is read from the snapshot when the guest
 * first touches it and copied only when it is first written; a reset drops
 * the private copies (MADV_DONTNEED) and the regions read as the snapshot
 * again. Zero tails of regions are holes in the file. */
#ifndef PVM_MEMORY_IMAGE_H
#define PVM_MEMORY_IMAGE_H
#include <stdint.h>
#include "pvm/pvm.h"

typedef struct {
    uint32_t len;        /* page-aligned length of the region */
    const uint8_t *data; /* its first data_len bytes; the rest reads as zero */
    uint32_t data_len;
} pvm_image_part;

typedef struct {
    int fd;           /* -1: no snapshot */
    uint64_t size;
} pvm_memory_image;

/* Lays out the parts one after another (part i at the sum of the lengths
 * before it). PVM_ERR_UNSUPPORTED when memfd is not available (the caller
 * copies instead); out->fd is -1 on failure. */
pvm_status pvm_memory_image_create(pvm_memory_image *out, const pvm_image_part *parts, unsigned n, pvm_error *err);
void pvm_memory_image_free(pvm_memory_image *img);
#endif
