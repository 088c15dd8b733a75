/* First touch of a page: one byte stored into each of `size` pages, one page per trip.
 * Run cold (the instance's memory reset before every run, so every page faults in) and
 * warm (pages already present); the difference per page is the first-touch cost. */
#include <stdio.h>

#include "frame.h"
#include "vm/isa/isa.h"

#define PAGE 4096u

int mb_build_first_touch(const mb_spec *s, mb_program *out, char *err, size_t err_len)
{
    if (s->size < 1 || s->size > 65536 || s->trips != s->size || s->units != 1) {
        snprintf(err, err_len, "%s: needs 1..65536 pages, one per trip", s->name);
        return -1;
    }
    mb_frame f;
    if (mb_frame_begin(&f, (uint32_t)(s->size * PAGE)) != 0) {
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    pvm_emit_reg_imm(f.b, PVM_OP_LOAD_IMM, R_A1, MB_RW_ADDR);
    mb_frame_loop_top(&f);
    pvm_emit_reg_imm_imm(f.b, PVM_OP_STORE_IMM_IND_U8, R_A1, 0, 1);
    pvm_emit_reg_reg_imm(f.b, PVM_OP_ADD_IMM_64, R_A1, R_A1, PAGE);
    mb_frame_loop_end(&f);
    out->has_expected = true;
    out->expected = MB_RW_ADDR + s->size * PAGE;
    return mb_frame_finish(&f, R_A1, out, err, err_len);
}
