/* The dynamic instruction mix of one call of a program: how often every opcode ran, how
 * many basic blocks were entered, the executed block lengths and how close each
 * instruction sits to the producer of its operands. Measured exactly, by running the call
 * once on the interpreter with its block profile and weighting each decoded block by its
 * entries (the VM is deterministic, so the counts hold for the recompiler too).
 *
 * Used twice: as the regressors of the joint calibration fit (time per call against op
 * counts and block entries), and to measure the benchmark guests' own distributions that
 * the mixed-program generator draws from (tools/guest_mix.c, data in guest_mix_data.h).
 *
 * Limitation: a host call (ecalli) returns to the host mid-block, and the resumed run enters
 * the block again as the profile sees it, so a program with host calls is over-counted
 * (ecalli_exits says how many); the joint fit leaves such programs out. */
#ifndef PVMLAB_MB_DYNAMIC_MIX_H
#define PVMLAB_MB_DYNAMIC_MIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm/isa/isa.h"
#include "vm/program/decode.h"
#include "vm/program/program.h"
#include "pvm/pvm.h"

#define MB_MIX_MAX_BLOCK_LEN 64 /* longer blocks count in the last bucket */
#define MB_MIX_DEP_BUCKETS 5    /* producer 1, 2, 3, 4+ instructions back, none in the block */

typedef struct mb_dynamic_mix {
    uint64_t op_count[PVM_OP_COUNT];
    uint64_t instructions, blocks;
    uint64_t block_len[MB_MIX_MAX_BLOCK_LEN + 1]; /* entries by block length (instructions) */
    uint64_t dep_distance[MB_MIX_DEP_BUCKETS];    /* instructions by distance to their nearest producer */
    uint64_t ecalli_exits;                        /* host calls resumed during the call */
    uint64_t critical_path;                       /* sum over entries of the block's longest chain of
                                                     dependent instructions (unit latency) */
} mb_dynamic_mix;

/* The executed blocks of one call: the program as the metering pass decodes it and how often
 * each of its blocks was entered. Block execution counts do not depend on the cost model, so
 * one profile prices the call under any parameters (the pipeline fit, pipeline_fit.h). */
typedef struct mb_block_profile {
    uint8_t *blob;            /* a copy of the program's bytes: program and decoded borrow them */
    size_t blob_len;
    pvm_program program;
    pvm_decoded decoded;
    uint64_t *entries;        /* per decoded block, decoded.n_blocks of them */
    uint64_t ecalli_exits;    /* host calls resumed during the call (see the limitation above) */
    uint64_t a0;              /* what the call returned (register a0): the program's checksum */
} mb_block_profile;

/* One call of `export_name` on a fresh interpreter instance (no gas) of the .polkavm (or
 * GP) blob, image (may be NULL) written at image_addr first, optionally with the block
 * profile on, a branch trace and a block trace (both given trace_ctx); host calls are resumed (counted). The call must halt.
 * Returns 0 with the engine, module and instance kept for reading (mb_interp_call_end
 * frees them), or -1 with a one-line reason in err and nothing to free. */
typedef struct mb_interp_call {
    pvm_engine *engine;
    pvm_module *module;
    pvm_instance *in;
    uint64_t ecalli_exits;
} mb_interp_call;
int mb_interp_call_run(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                       uint32_t image_addr, const char *export_name, const uint64_t *args, size_t nargs,
                       bool profile, pvm_branch_trace_fn branch_fn, pvm_block_trace_fn block_fn, void *trace_ctx,
                       mb_interp_call *c, char *err, size_t err_len);
void mb_interp_call_end(mb_interp_call *c);

/* The blob parsed and decoded as the metering pass sees it; -1 with a one-line reason in
 * err and nothing to free. */
int mb_decode_blob(const uint8_t *blob, size_t blob_len, pvm_program *program, pvm_decoded *decoded, char *err,
                   size_t err_len);
/* Registers an instruction reads (up to two, -1: none) and writes (-1: none), from its
 * operand kind (decode.h roles). */
void mb_operand_roles(const pvm_instr *x, int reads[2], int *writes);

/* One call of `export_name` with args on a fresh interpreter instance of the .polkavm (or
 * GP) blob; image (may be NULL) is written at image_addr first. The call must halt.
 * Returns 0 (free *out with mb_block_profile_free), or -1 with a one-line reason in err (bad
 * blob, trap, page fault, no memory; *out then holds nothing to free). */
int mb_block_profile_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                             uint32_t image_addr, const char *export_name, const uint64_t *args, size_t nargs,
                             mb_block_profile *out, char *err, size_t err_len);
void mb_block_profile_free(mb_block_profile *p);
/* The instruction mix of a profiled call. */
void mb_dynamic_mix_of_profile(const mb_block_profile *p, mb_dynamic_mix *out);

/* mb_block_profile_measure, then its mix. Returns as mb_block_profile_measure. */
int mb_dynamic_mix_measure(const uint8_t *blob, size_t blob_len, const uint8_t *image, size_t image_len,
                           uint32_t image_addr, const char *export_name, const uint64_t *args, size_t nargs,
                           mb_dynamic_mix *out, char *err, size_t err_len);

#endif
