/* Dynamic mix of a call: interpreter block profile x decoded blocks. */
#include "dynamic_mix.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/program/decode.h"
#include "vm/program/program.h"
#include "pvm/pvm.h"

void mb_operand_roles(const pvm_instr *x, int reads[2], int *writes)
{
    pvm_op op = (pvm_op)x->op;
    pvm_mem_access m = pvm_op_mem_access(op);
    reads[0] = reads[1] = -1;
    *writes = -1;
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_REG3: reads[0] = x->a, reads[1] = x->b, *writes = x->d; break;
    case PVM_KIND_REG_REG: reads[0] = x->a, *writes = x->d; break;
    case PVM_KIND_REG_REG_IMM:
        if (m.is_store) reads[0] = x->a, reads[1] = x->b;
        else reads[0] = x->b, *writes = x->a;
        break;
    case PVM_KIND_REG_IMM:
        if (m.is_store || pvm_op_group_of(op) == PVM_GROUP_JUMP_IND) reads[0] = x->a;
        else *writes = x->a;
        break;
    case PVM_KIND_REG_IMM_IMM: reads[0] = x->a; break;
    case PVM_KIND_REG_IMM_OFF:
        if (pvm_op_group_of(op) == PVM_GROUP_JUMP) *writes = x->a; /* load_imm_jump; branches read */
        else reads[0] = x->a;
        break;
    case PVM_KIND_REG_REG_OFF: reads[0] = x->a, reads[1] = x->b; break;
    case PVM_KIND_REG_REG_IMM_IMM: reads[0] = x->b, *writes = x->a; break;
    case PVM_KIND_REG_IMM64: *writes = x->a; break;
    default: break;
    }
}

/* Adds one block, weighted by its entries. */
static void add_block(const pvm_decoded *d, uint32_t block, uint64_t entries, mb_dynamic_mix *out)
{
    const pvm_block *b = &d->blocks[block];
    int last_write[16], depth[16] = {0}; /* depth: longest chain ending in the register's value */
    int longest = 0;
    for (int r = 0; r < 16; r++) last_write[r] = -1;
    out->blocks += entries;
    out->instructions += entries * b->count;
    out->block_len[b->count < MB_MIX_MAX_BLOCK_LEN ? b->count : MB_MIX_MAX_BLOCK_LEN] += entries;
    for (uint32_t k = 0; k < b->count; k++) {
        const pvm_instr *x = &d->instrs[b->first + k];
        out->op_count[x->op < PVM_OP_COUNT ? x->op : PVM_OP_INVALID] += entries;
        int reads[2], writes;
        mb_operand_roles(x, reads, &writes);
        int nearest = -1;
        for (int i = 0; i < 2; i++)
            if (reads[i] >= 0 && reads[i] < 16 && last_write[reads[i]] > nearest) nearest = last_write[reads[i]];
        unsigned bucket = nearest < 0 ? 4 : (int)k - nearest >= 4 ? 3 : (unsigned)((int)k - nearest - 1);
        out->dep_distance[bucket] += entries;
        int d = 1;
        for (int i = 0; i < 2; i++)
            if (reads[i] >= 0 && reads[i] < 16 && depth[reads[i]] + 1 > d) d = depth[reads[i]] + 1;
        if (d > longest) longest = d;
        if (writes >= 0 && writes < 16) last_write[writes] = (int)k, depth[writes] = d;
    }
    out->critical_path += entries * (uint64_t)longest;
}

void mb_block_profile_free(mb_block_profile *p)
{
    if (!p->blob) return;
    free(p->entries);
    pvm_decoded_free(&p->decoded);
    pvm_program_free(&p->program);
    free(p->blob);
    memset(p, 0, sizeof *p);
}

int mb_decode_blob(const uint8_t *blob, size_t blob_len, pvm_program *program, pvm_decoded *decoded, char *err,
                   size_t err_len)
{
    pvm_error perr = {{0}};
    if (pvm_program_parse(blob, blob_len, PVM_FORMAT_AUTO, PVM_ISA_GP07, program, &perr) != PVM_OK) {
        snprintf(err, err_len, "parse: %s", perr.msg);
        return -1;
    }
    if (pvm_decode_program(program->isa, program->code, program->code_len, program->bitmask, program->jump_table,
                           program->jt_len, decoded, &perr) != PVM_OK) {
        snprintf(err, err_len, "decode: %s", perr.msg);
        pvm_program_free(program);
        return -1;
    }
    return 0;
}

/* The interpreter's block profile (module blocks, by pc) as entries of the decoded blocks. */
static int tally(const pvm_instance *in, uint32_t n_blocks, mb_block_profile *out, char *err, size_t err_len)
{
    if (mb_decode_blob(out->blob, out->blob_len, &out->program, &out->decoded, err, err_len) != 0) return -1;
    const pvm_decoded *d = &out->decoded;
    out->entries = calloc(d->n_blocks ? d->n_blocks : 1, sizeof *out->entries);
    if (!out->entries) {
        snprintf(err, err_len, "out of memory");
        goto fail;
    }
    for (uint32_t i = 0; i < n_blocks; i++) {
        uint64_t entries, ticks;
        uint32_t pc, cost;
        if (!pvm_instance_profile_block(in, i, &entries, &ticks, &pc, &cost) || !entries) continue;
        uint32_t index = pvm_decoded_index(d, pc);
        if (index == PVM_NO_INDEX || d->instrs[index].block >= d->n_blocks) {
            snprintf(err, err_len, "profiled block at pc %u is not a decoded block", pc);
            goto fail;
        }
        out->entries[d->instrs[index].block] += entries;
    }
    return 0;
fail:
    free(out->entries);
    out->entries = NULL;
    pvm_decoded_free(&out->decoded);
    pvm_program_free(&out->program);
    return -1;
}

void mb_dynamic_mix_of_profile(const mb_block_profile *p, mb_dynamic_mix *out)
{
    memset(out, 0, sizeof *out);
    for (uint32_t b = 0; b < p->decoded.n_blocks; b++)
        if (p->entries[b]) add_block(&p->decoded, b, p->entries[b], out);
    out->ecalli_exits = p->ecalli_exits;
}

void mb_interp_call_end(mb_interp_call *c)
{
    pvm_instance_free(c->in);
    if (c->module) pvm_module_release(c->module);
    pvm_engine_free(c->engine);
    memset(c, 0, sizeof *c);
}

int mb_interp_call_run(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                       uint32_t image_addr, const char *export_name, const uint64_t *args, size_t nargs,
                       bool profile, pvm_branch_trace_fn branch_fn, pvm_block_trace_fn block_fn, void *trace_ctx,
                       mb_interp_call *c, char *err, size_t err_len)
{
    memset(c, 0, sizeof *c);
    pvm_error perr = {{0}};
    pvm_engine_config cfg = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_NONE};
    pvm_result res = {0};
    if (pvm_engine_new(&cfg, &c->engine, &perr) != PVM_OK ||
        pvm_module_compile(c->engine, blob, blob_len, NULL, NULL, &c->module, &perr) != PVM_OK ||
        pvm_instance_new(c->module, &c->in, &perr) != PVM_OK ||
        (image && pvm_instance_write(c->in, image_addr, image, image_len, &perr) != PVM_OK) ||
        (profile && pvm_instance_profile_enable(c->in, true, &perr) != PVM_OK) ||
        (branch_fn && pvm_instance_set_branch_trace(c->in, branch_fn, trace_ctx, &perr) != PVM_OK) ||
        (block_fn && pvm_instance_set_block_trace(c->in, block_fn, trace_ctx, &perr) != PVM_OK) ||
        pvm_instance_prepare_call(c->in, export_name, 0, args, nargs, &perr) != PVM_OK) {
        snprintf(err, err_len, "%s", perr.msg);
        goto fail;
    }
    for (;;) {
        if (pvm_instance_run(c->in, &res, &perr) != PVM_OK) {
            snprintf(err, err_len, "run: %s", perr.msg);
            goto fail;
        }
        if (res.kind != PVM_EXIT_ECALLI) break;
        c->ecalli_exits++;
    }
    if (res.kind != PVM_EXIT_HALT) {
        snprintf(err, err_len, "exited with %s at pc %u, not halt", pvm_exit_name(res.kind), res.pc);
        goto fail;
    }
    return 0;
fail:
    mb_interp_call_end(c);
    return -1;
}

int mb_block_profile_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                             uint32_t image_addr, const char *export_name, const uint64_t *args, size_t nargs,
                             mb_block_profile *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    mb_interp_call c;
    if (mb_interp_call_run(blob, blob_len, image, image_len, image_addr, export_name, args, nargs, true, NULL, NULL,
                           NULL, &c, err, err_len) != 0)
        return -1;
    int rc = -1;
    out->ecalli_exits = c.ecalli_exits;
    out->a0 = pvm_instance_reg(c.in, 7);
    out->blob = malloc(blob_len ? blob_len : 1);
    if (!out->blob) {
        snprintf(err, err_len, "out of memory");
        goto done;
    }
    memcpy(out->blob, blob, blob_len);
    out->blob_len = blob_len;
    rc = tally(c.in, pvm_module_block_count(c.module), out, err, err_len);
    if (rc != 0) {
        free(out->blob);
        out->blob = NULL;
    }
done:
    mb_interp_call_end(&c);
    if (rc != 0) memset(out, 0, sizeof *out);
    return rc;
}

int mb_dynamic_mix_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                           uint32_t image_addr, const char *export_name, const uint64_t *args, size_t nargs,
                           mb_dynamic_mix *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    mb_block_profile p;
    if (mb_block_profile_measure(blob, blob_len, image, image_len, image_addr, export_name, args, nargs, &p, err,
                                 err_len) != 0)
        return -1;
    mb_dynamic_mix_of_profile(&p, out);
    mb_block_profile_free(&p);
    return 0;
}
