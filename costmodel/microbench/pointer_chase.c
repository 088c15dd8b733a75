/* Pointer chase: a random cyclic permutation of the 64-byte lines of a working set, written
 * by the host into rw data (each line holds the guest address of the next line), walked
 * by `units` dependent load_ind_u64 per trip. Every load misses whatever cache level the
 * set does not fit in; the random order defeats the prefetchers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "vm/isa/isa.h"

#define LINE 64u

static uint64_t xorshift64(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Sattolo's algorithm: a uniformly random permutation with a single cycle. */
static uint32_t *cyclic_permutation(uint32_t n, uint64_t seed)
{
    uint32_t *next = malloc((size_t)n * sizeof *next);
    uint32_t *order = malloc((size_t)n * sizeof *order);
    if (!next || !order) {
        free(next);
        free(order);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) order[i] = i;
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(xorshift64(&seed) % i);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < n; i++) next[order[i]] = order[(i + 1) % n];
    free(order);
    return next;
}

int mb_build_pointer_chase(const mb_spec *s, mb_program *out, char *err, size_t err_len)
{
    if (s->size < 4096 || s->size > (1ull << 30) || s->size % LINE) {
        snprintf(err, err_len, "%s: working set %llu bytes out of range", s->name, (unsigned long long)s->size);
        return -1;
    }
    uint32_t lines = (uint32_t)(s->size / LINE);
    uint32_t *next = cyclic_permutation(lines, 0x9E3779B97F4A7C15ull ^ s->size);
    out->image = calloc(1, s->size);
    if (!next || !out->image) {
        free(next);
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    for (uint32_t i = 0; i < lines; i++) {
        uint64_t target = MB_RW_ADDR + (uint64_t)next[i] * LINE;
        memcpy(out->image + (size_t)i * LINE, &target, sizeof target);
    }
    out->image_len = s->size;
    out->image_addr = MB_RW_ADDR;
    out->huge_pages = s->huge_pages;
    uint64_t steps = s->trips * s->units % lines, at = 0;
    for (uint64_t k = 0; k < steps; k++) at = next[at];
    out->has_expected = true;
    out->expected = MB_RW_ADDR + at * LINE;
    free(next);

    mb_frame f;
    if (mb_frame_begin(&f, (uint32_t)s->size) != 0) {
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    /* a1 = where the walk starts (mb_call_args) */
    mb_frame_loop_top(&f);
    for (uint32_t i = 0; i < s->units; i++) pvm_emit_reg_reg_imm(f.b, PVM_OP_LOAD_IND_U64, R_A1, R_A1, 0);
    mb_frame_loop_end(&f);
    return mb_frame_finish(&f, R_A1, out, err, err_len);
}
