/* Address sources of a call: block trace x decoded blocks (address_sources.h). */
#include "address_sources.h"

#include <stdio.h>
#include <string.h>

#include "dynamic_mix.h"

#define NO_LOAD INT64_MIN

typedef struct walk {
    const pvm_decoded *d;
    int64_t now;          /* instructions executed so far */
    int64_t youngest[16]; /* per register: position of the youngest load its value depends on */
    mb_address_sources *out;
    bool bad_pc;
} walk;

static void on_block(void *ctx, uint32_t pc)
{
    walk *w = ctx;
    uint32_t index = pvm_decoded_index(w->d, pc);
    if (index == PVM_NO_INDEX || w->d->instrs[index].block >= w->d->n_blocks) {
        w->bad_pc = true;
        return;
    }
    const pvm_block *b = &w->d->blocks[w->d->instrs[index].block];
    for (uint32_t k = 0; k < b->count; k++, w->now++) {
        const pvm_instr *x = &w->d->instrs[b->first + k];
        pvm_mem_access mem = pvm_op_mem_access((pvm_op)x->op);
        int reads[2], writes;
        mb_operand_roles(x, reads, &writes);
        if (mem.width && pvm_op_table[x->op].kind == PVM_KIND_REG_REG_IMM && x->b < 16) {
            /* reg_reg_imm loads and stores: b is the base (decode.h) */
            int64_t since = w->youngest[x->b] == NO_LOAD ? INT64_MAX : w->now - w->youngest[x->b];
            int bucket = x->b == 1 ? MB_ADDR_STACK
                         : since <= 4  ? MB_ADDR_LOADED_4
                         : since <= 16 ? MB_ADDR_LOADED_16
                         : since <= MB_ADDR_RECENT_LIMIT ? MB_ADDR_LOADED_64
                                                         : MB_ADDR_OTHER;
            w->out->accesses++;
            w->out->bucket[bucket]++;
        }
        if (writes < 0 || writes >= 16) continue;
        int64_t y = NO_LOAD;
        if (mem.width && !mem.is_store) {
            y = w->now;
        } else {
            for (int i = 0; i < 2; i++)
                if (reads[i] >= 0 && reads[i] < 16 && w->youngest[reads[i]] > y) y = w->youngest[reads[i]];
        }
        w->youngest[writes] = y;
    }
}

int mb_address_sources_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                               uint32_t image_addr, const char *export_name, const uint64_t *args, size_t nargs,
                               mb_address_sources *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    pvm_program program;
    pvm_decoded decoded;
    if (mb_decode_blob(blob, blob_len, &program, &decoded, err, err_len) != 0) return -1;
    walk w = {.d = &decoded, .out = out};
    for (int r = 0; r < 16; r++) w.youngest[r] = NO_LOAD;
    mb_interp_call c;
    int rc = mb_interp_call_run(blob, blob_len, image, image_len, image_addr, export_name, args, nargs, false, NULL,
                                on_block, &w, &c, err, err_len);
    if (rc == 0) {
        mb_interp_call_end(&c);
        if (w.bad_pc) {
            snprintf(err, err_len, "the block trace gave a pc that is no decoded block");
            rc = -1;
        }
    }
    out->instructions = (uint64_t)w.now;
    pvm_decoded_free(&decoded);
    pvm_program_free(&program);
    if (rc != 0) memset(out, 0, sizeof *out);
    return rc;
}
