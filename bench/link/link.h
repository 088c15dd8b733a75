/* pvm-link: translate a RISC-V ELF (RV32E/RV64E + M, A, C, Zbb) into a PVM program. */
#ifndef PVM_LINK_LINK_H
#define PVM_LINK_LINK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "elf_reader.h"
#include "pvm/pvm.h"

typedef struct {
    pvm_isa isa;
    bool gp_standard;       /* GP standard program instead of a .polkavm container */
    bool fuse_address;      /* lui/auipc + addi/load of the same register -> one instruction */
    bool fuse_compare;      /* slt(u) + beqz/bnez, li + branch on a dead register -> one branch */
    bool drop_moves;        /* mv x, x and addi x, x, 0 emit nothing */
    const char *const *export_names; /* --export NAME (used when there is no .polkavm_exports) */
    size_t n_export_names;
    const char *entry;      /* gp-standard: export that pc 0 jumps to (NULL = the first) */
    uint32_t stack_size;    /* 0 = max(64 KiB, the guest's .polkavm_min_stack_size) */
    bool unlikely_hints;    /* gas-aware `unlikely` at branch targets (unlikely_hints.c); only
                               where the ISA has the op (latest32/64) and for .polkavm output */
    const struct pvm_pipeline_params *unlikely_model; /* the pipeline model the hints are chosen
                               under; NULL = the reference L2-hit model (PolkaVM's linker) */
} link_options;

typedef struct {
    size_t riscv_instructions; /* decoded (import markers count once) */
    size_t pvm_instructions;   /* emitted */
    size_t jump_table_entries;
    size_t fused_address, fused_compare, dropped_moves;
    /* unlikely hints (zero when off): blocks a conditional branch enters that could take
     * one, those that got one, conditional branches priced as predicted by the reference
     * L2-hit pipeline model before and after, and the sum of all blocks' costs under it */
    size_t unlikely_candidates, unlikely_inserted;
    size_t predicted_branches_before, predicted_branches_after, conditional_branches;
    uint64_t block_cost_sum_before, block_cost_sum_after;
} link_stats;

/* Translates `elf`; on success *out (malloc'ed, caller frees) holds the program. On
 * failure returns false with one line in msg ("0x1234: cannot translate '...'"). */
bool link_elf(const elf_file *elf, const link_options *opt, uint8_t **out, size_t *out_len, link_stats *stats,
              char *msg, size_t msg_size);
#endif
