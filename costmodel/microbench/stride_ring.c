/* Stride-conflict loops: a ring of 64 words at word offsets j * stride (stride 1, 2048 or
 * 2053 words), each holding the address of the next, walked by dependent loads (as the
 * gas_quiz guests do); the same number of accesses for every stride.
 * Stride 2048 words (16 KiB) puts all 64 lines in one L1 set, so they evict each other;
 * stride 2053 spreads them over the sets, as stride 1 does. A per-instruction cost
 * table charges all three the same; the measured times show whether it should not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "vm/isa/isa.h"

#define RING 64u

int mb_build_stride_ring(const mb_spec *s, mb_program *out, char *err, size_t err_len)
{
    if (s->size < 1 || s->size > 4096) {
        snprintf(err, err_len, "%s: stride %llu words out of range", s->name, (unsigned long long)s->size);
        return -1;
    }
    uint64_t span = (RING - 1) * s->size * 8 + 8;
    uint32_t rw = (uint32_t)((span + 4095) / 4096 * 4096);
    out->image = calloc(1, span);
    if (!out->image) {
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    for (uint64_t j = 0; j < RING; j++) {
        uint64_t next = MB_RW_ADDR + (j + 1) % RING * s->size * 8;
        memcpy(out->image + j * s->size * 8, &next, sizeof next);
    }
    out->image_len = span;
    out->image_addr = MB_RW_ADDR;
    out->has_expected = true;
    out->expected = MB_RW_ADDR; /* whole rings: back at the first word */

    mb_frame f;
    if (mb_frame_begin(&f, rw) != 0) {
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    pvm_emit_reg_imm(f.b, PVM_OP_LOAD_IMM, R_A1, MB_RW_ADDR);
    mb_frame_loop_top(&f);
    for (uint32_t i = 0; i < s->units * RING; i++) pvm_emit_reg_reg_imm(f.b, PVM_OP_LOAD_IND_U64, R_A1, R_A1, 0);
    mb_frame_loop_end(&f);
    return mb_frame_finish(&f, R_A1, out, err, err_len);
}
