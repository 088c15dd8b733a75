/* State shared by the parts of the translator (code scan, translation, fusion,
 * relocation). Not a public interface. */
#ifndef PVM_LINK_INTERNAL_H
#define PVM_LINK_INTERNAL_H
#include "vm/isa/isa.h"
#include "layout.h"
#include "link.h"
#include "pvm/builder.h"
#include "riscv_decode.h"

#define NO_LABEL UINT32_MAX

typedef enum { INSN_RISCV, INSN_IMPORT, INSN_SECTION_END } insn_kind;

typedef struct {
    uint64_t addr;
    rv_insn in;
    insn_kind kind;
    bool block_start;        /* a jump may land here: must start a PVM basic block */
    pvm_label label;         /* NO_LABEL until something jumps here */
    uint32_t jump_address;   /* dynamic (jump-table) address, 0 until needed */
    uint32_t import_index;   /* INSN_IMPORT: its ecalli number */
    const char *import_name; /* INSN_IMPORT: points into the ELF image (not NUL-terminated) */
    uint32_t import_name_len;
    const elf_reloc *reloc;  /* first code relocation at addr, NULL if none */
    const elf_reloc_set *reloc_set;
} code_insn;

/* The unlikely-hint passes' view of one translation (unlikely_hints.c): where each
 * instruction's translation begins in the PVM code, and before which ones to emit
 * `unlikely`. */
typedef struct {
    uint32_t *pvm_index;            /* out, when record: per insn the index of the PVM instruction its
                                       translation begins with (after a block's label and its
                                       closing fallthrough); UINT32_MAX for insns a fusion consumed */
    bool record;
    const uint8_t *unlikely_before; /* per insn: emit `unlikely` first (NULL: nowhere) */
    size_t n_insns;                 /* the length of both arrays */
} link_hint_plan;

typedef struct {
    const elf_file *elf;
    const link_options *opt;
    link_stats *stats;
    data_layout lay;
    pvm_builder *b;
    bool is64;                /* RV64 (else RV32) */
    code_insn *insns;         /* every code section, in address order */
    size_t n_insns, cap_insns;
    char **imports;           /* sorted, unique */
    size_t n_imports;
    int last_op;              /* last emitted PVM op (PVM_OP_*), -1 before the first */
    link_hint_plan *hints;    /* NULL: no unlikely hints in this translation */
    char *msg;
    size_t msg_size;
    bool failed;
} linker;

/* link_common.c */
/* Records the first error as "0x<addr>: <text>" (addr UINT64_MAX: no address). */
bool link_fail(linker *l, uint64_t addr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Index of the instruction at addr (the real one if a section end shares it), or -1. */
long find_insn(const linker *l, uint64_t addr);
/* Label / dynamic address of the code at addr; fails unless it was marked a block start. */
bool label_for(linker *l, uint64_t addr, pvm_label *label);
bool jump_address_for(linker *l, uint64_t addr, uint32_t *jump_address);
/* PVM value of an ELF address: data -> its PVM address, code -> its jump-table address. */
bool pvm_address_of(linker *l, uint64_t addr, uint32_t *out);
/* S + A of a relocation. */
uint64_t reloc_target(const linker *l, const elf_reloc_set *set, const elf_reloc *r);
/* A pointer-sized value at an ELF address, with the relocation there applied if any. */
bool read_pointer(const linker *l, uint64_t addr, uint64_t *out);

/* code_scan.c */
bool scan_code(linker *l);
bool mark_block_starts(linker *l);
/* auipc rX without a relocation (the assembler resolved it inside one section) followed by
 * jalr/addi/load/store through rX: the ELF address the pair reaches. */
bool auipc_pair_target(const linker *l, size_t i, uint64_t *target);
/* translate.c */
bool translate_code(linker *l);
/* fusion.c: tries the peepholes at insns[i]; returns how many instructions it consumed (0: none). */
size_t try_fusions(linker *l, size_t i);
/* relocate.c */
bool apply_data_relocations(linker *l);
/* link.c: one translation of the ELF (hints may be NULL); link_elf (link_entry.c) runs it
 * once, or three times with unlikely hints. */
bool link_pass(const elf_file *elf, const link_options *opt, link_hint_plan *hints, uint8_t **out, size_t *out_len,
               link_stats *stats, char *msg, size_t msg_size);
/* unlikely_hints.c: the three-pass link with gas-aware unlikely hints (link_elf's path when
 * opt->unlikely_hints and the output can carry them). */
bool link_with_unlikely_hints(const elf_file *elf, const link_options *opt, uint8_t **out, size_t *out_len,
                              link_stats *stats, char *msg, size_t msg_size);

/* Emission helpers (emit.c), each records the op for terminator tracking;
 * emitted records one the caller put through the builder itself. */
void emitted(linker *l, int op);
void emit_none(linker *l, int op);
void emit_reg_reg(linker *l, int op, unsigned d, unsigned a);
void emit_reg3(linker *l, int op, unsigned d, unsigned a, unsigned b);
void emit_jump(linker *l, pvm_label target);
/* A register move, dropped when d == a and the drop_moves option is on. */
void emit_move(linker *l, unsigned d, unsigned a);
void emit_load_constant(linker *l, unsigned reg, int64_t value);
void emit_reg_imm(linker *l, int op, unsigned a, int64_t x);
void emit_reg_reg_imm(linker *l, int op, unsigned a, unsigned b, int64_t x);
void emit_branch(linker *l, int op, unsigned a, unsigned b, pvm_label target);
void emit_branch_imm(linker *l, int op, unsigned a, int64_t x, pvm_label target);
/* The relocation at ci whose type is one of `types`, or NULL. */
const elf_reloc *code_reloc(const code_insn *ci, const uint32_t *types, size_t n);
/* RISC-V register -> PVM register (x0 -> -1); fails for registers RV32E/RV64E lack. */
int pvm_reg(linker *l, const code_insn *ci, unsigned riscv_reg);
#endif
