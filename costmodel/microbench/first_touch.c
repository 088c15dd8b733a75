/* First touch of a lazy page: one page per trip, `size` pages (a power of 2) of rw data
 * visited in a scattered order (page index steps by an odd stride modulo the page count,
 * so every page once, rarely next to the last one: the guests' own first touches are
 * scattered, and the kernel's page-protection bookkeeping costs more for scattered pages
 * than for a run). The instance runs with lazy pages on MB_TOUCH_LAZY_BACKEND, as the
 * held-out guests do. Run cold (memory reset before every run: every page is lazy again)
 * and warm (pages present); the difference per page is the first-touch cost of that kind
 * of access on that kind of page (mb_touch_kind). Data pages are initialised rw data,
 * which the VM copies from the program image at their first touch. */
#include <stdio.h>
#include <stdlib.h>

#include "frame.h"
#include "vm/isa/isa.h"

#define PAGE 4096u

static const char *const KIND_NAMES[MB_TOUCH_KINDS] = {"zero_write", "zero_read", "zero_read_write",
                                                       "data_write", "data_read", "data_read_write"};

const char *mb_touch_kind_name(mb_touch_kind k) { return (unsigned)k < MB_TOUCH_KINDS ? KIND_NAMES[k] : NULL; }

bool mb_touch_kind_data(mb_touch_kind k) { return k >= MB_TOUCH_DATA_WRITE && k < MB_TOUCH_KINDS; }

bool mb_touch_kind_reads(mb_touch_kind k)
{
    return k == MB_TOUCH_ZERO_READ || k == MB_TOUCH_ZERO_READ_WRITE || k == MB_TOUCH_DATA_READ ||
           k == MB_TOUCH_DATA_READ_WRITE;
}

bool mb_touch_kind_writes(mb_touch_kind k)
{
    return k != MB_TOUCH_ZERO_READ && k != MB_TOUCH_DATA_READ && (unsigned)k < MB_TOUCH_KINDS;
}

/* The odd page step: about 2/3 of the way round, so consecutive touches are far apart. */
static uint64_t page_step(uint64_t pages) { return pages < 4 ? 1 : (2 * pages / 3) | 1; }

int mb_build_first_touch(const mb_spec *s, mb_program *out, char *err, size_t err_len)
{
    if (s->size < 1 || s->size > 65536 || (s->size & (s->size - 1)) || s->trips != s->size || s->units != 1 ||
        (unsigned)s->touch >= MB_TOUCH_KINDS) {
        snprintf(err, err_len, "%s: needs 1..65536 pages (a power of 2), one per trip, and a touch kind", s->name);
        return -1;
    }
    uint32_t bytes = (uint32_t)(s->size * PAGE);
    mb_frame f;
    if (mb_frame_begin(&f, bytes) != 0) {
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    if (mb_touch_kind_data(s->touch)) { /* every page initialised: filled from the image */
        uint8_t *image = malloc(bytes);
        if (!image) {
            mb_frame_abandon(&f);
            snprintf(err, err_len, "%s: out of memory", s->name);
            return -1;
        }
        for (uint32_t i = 0; i < bytes; i++) image[i] = (uint8_t)(i * 131u + 7u);
        pvm_builder_set_rw_data(f.b, image, bytes, bytes);
        free(image);
    }
    /* a1 = page index, a2 = its address, a3 = sum of the bytes loaded (the checksum). */
    pvm_emit_reg_imm(f.b, PVM_OP_LOAD_IMM, R_A1, 0);
    pvm_emit_reg_imm(f.b, PVM_OP_LOAD_IMM, R_A3, 0);
    mb_frame_loop_top(&f);
    pvm_emit_reg_reg_imm(f.b, PVM_OP_SHLO_L_IMM_64, R_A2, R_A1, 12);
    pvm_emit_reg_reg_imm(f.b, PVM_OP_ADD_IMM_64, R_A2, R_A2, MB_RW_ADDR);
    if (mb_touch_kind_reads(s->touch)) {
        pvm_emit_reg_reg_imm(f.b, PVM_OP_LOAD_IND_U8, R_A4, R_A2, 0);
        pvm_emit_reg3(f.b, PVM_OP_ADD_64, R_A3, R_A3, R_A4);
    }
    if (mb_touch_kind_writes(s->touch)) pvm_emit_reg_imm_imm(f.b, PVM_OP_STORE_IMM_IND_U8, R_A2, 0, 1);
    pvm_emit_reg_reg_imm(f.b, PVM_OP_ADD_IMM_64, R_A1, R_A1, (int64_t)page_step(s->size));
    pvm_emit_reg_reg_imm(f.b, PVM_OP_AND_IMM, R_A1, R_A1, (int64_t)(s->size - 1));
    mb_frame_loop_end(&f);
    out->lazy_backend = MB_TOUCH_LAZY_BACKEND;
    /* The checksum of a cold call: the first byte of every page as the image has it (0 for
     * zero pages). A warm call of a read-write kind reads the 1 stored before. */
    out->has_expected = s->cold || !mb_touch_kind_writes(s->touch) || !mb_touch_kind_reads(s->touch);
    out->expected = 0;
    if (mb_touch_kind_reads(s->touch) && mb_touch_kind_data(s->touch))
        for (uint64_t p = 0; p < s->size; p++) out->expected += (uint8_t)(p * PAGE * 131u + 7u);
    return mb_frame_finish(&f, R_A3, out, err, err_len);
}
