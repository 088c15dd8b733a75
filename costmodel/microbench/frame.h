/* The loop skeleton every microbenchmark shares, and the register plan. */
#ifndef PVMLAB_MB_FRAME_H
#define PVMLAB_MB_FRAME_H

#include "microbench.h"
#include "pvm/builder.h"

/* Register indices (PolkaVM ABI names). */
enum {
    R_RA = 0, R_SP = 1, R_T0 = 2, R_T1 = 3, R_T2 = 4, R_S0 = 5, R_S1 = 6,
    R_A0 = 7, R_A1 = 8, R_A2 = 9, R_A3 = 10, R_A4 = 11, R_A5 = 12,
};
#define R_COUNTER R_T0 /* loop trips left */

/* The 64-bit LCG the branch and indirect-jump programs step in registers (full period:
 * multiplier = 1 mod 4, odd increment that fits a 32-bit immediate). */
#define MB_LCG_MUL 6364136223846793005ull
#define MB_LCG_ADD 1013904223ull
#define MB_LCG_SEED 0x853c49e6748fea9bull
#define MB_LCG_SHIFT 33

typedef struct mb_frame {
    pvm_builder *b;
    pvm_label loop;
    bool narrow; /* a 32-bit program (PVM_ISA_LATEST32): registers are 32 bits wide */
} mb_frame;

/* New 64-bit program with rw_size bytes of zeroed rw data at MB_RW_ADDR, "main" exported,
 * and counter = a0. Returns 0, or -1 on out of memory. */
int mb_frame_begin(mb_frame *f, uint32_t rw_size);
/* The same in a 32-bit program (narrow) or a 64-bit one. */
int mb_frame_begin_width(mb_frame *f, uint32_t rw_size, bool narrow);
/* Binds the loop head: the body follows. */
void mb_frame_loop_top(mb_frame *f);
/* counter -= 1; loop while counter != 0. */
void mb_frame_loop_end(mb_frame *f);
/* a0 = checksum_reg, return to the caller, write the container into out and free the
 * builder. Returns 0, or -1 with the builder's error in err. */
int mb_frame_finish(mb_frame *f, unsigned checksum_reg, mb_program *out, char *err, size_t err_len);
/* Frees the builder after a failure before mb_frame_finish. */
void mb_frame_abandon(mb_frame *f);

/* A new label bound to the next instruction. */
pvm_label mb_label_here(pvm_builder *b);

#endif
