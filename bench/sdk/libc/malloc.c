/* malloc over a static heap of PVM_SDK_HEAP_SIZE bytes (in .bss: the PVM maps it zeroed,
 * and with lazy pages only the touched pages cost anything). First fit over a list of
 * blocks in address order; each block starts with a header holding its size (header
 * included, a multiple of 16) and a used bit. free() marks a block unused; neighbours that
 * are both free are merged when an allocation walks over them. Blocks are 16-aligned. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef PVM_SDK_HEAP_SIZE
#define PVM_SDK_HEAP_SIZE (4u << 20)
#endif
#define ALIGN 16u
#define HEADER ALIGN /* keeps payloads 16-aligned */

static _Alignas(ALIGN) unsigned char heap[PVM_SDK_HEAP_SIZE];
static size_t heap_top; /* bytes of heap[] ever handed out as blocks */

typedef struct { size_t size; size_t used; } block; /* at the start of a HEADER-byte header */

static block *block_at(size_t offset) { return (block *)(void *)(heap + offset); }
static block *header_of(void *payload) { return (block *)(void *)((unsigned char *)payload - HEADER); }

void *malloc(size_t size)
{
    if (size > PVM_SDK_HEAP_SIZE - HEADER) return NULL;
    size_t need = (size + HEADER + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    for (size_t at = 0; at < heap_top; at += block_at(at)->size) {
        block *b = block_at(at);
        if (b->used) continue;
        while (at + b->size < heap_top && !block_at(at + b->size)->used) /* merge free neighbours */
            b->size += block_at(at + b->size)->size;
        if (b->size < need) continue;
        if (b->size - need >= HEADER + ALIGN) { /* split off the rest */
            block *rest = block_at(at + need);
            rest->size = b->size - need;
            rest->used = 0;
            b->size = need;
        }
        b->used = 1;
        return (unsigned char *)b + HEADER;
    }
    if (need > PVM_SDK_HEAP_SIZE - heap_top) return NULL;
    block *b = block_at(heap_top);
    b->size = need;
    b->used = 1;
    heap_top += need;
    return (unsigned char *)b + HEADER;
}

void free(void *p)
{
    if (p) header_of(p)->used = 0;
}

void *calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return NULL;
    void *p = malloc(count * size);
    return p ? memset(p, 0, count * size) : NULL;
}

void *realloc(void *p, size_t size)
{
    if (!p) return malloc(size);
    if (!size) {
        free(p);
        return NULL;
    }
    size_t have = header_of(p)->size - HEADER;
    if (have >= size) return p;
    void *q = malloc(size);
    if (q) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}
