/* A differential-fuzzing case: a random valid program (as a list of abstract
 * instructions that the builder assembles), its memory, registers, gas and
 * entry point. Generated deterministically from a seed (or from fuzzer bytes),
 * written to and read from a small text format for reproducers. */
#ifndef PVM_FUZZ_CASE_H
#define PVM_FUZZ_CASE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "fuzz_rng.h"
#include "pvm/pvm.h"

#define FZ_MAX_PAGES 8
#define FZ_MAX_JT 16
#define FZ_MAX_PAGE_BYTES (3 * 4096) /* per fz_page */

typedef struct {
    int16_t op;       /* PVM_OP_*, or -1 for a raw undefined opcode byte (traps) */
    uint8_t r[3];     /* register operands in builder order */
    int64_t imm[2];
    uint64_t imm64;
    int32_t target;   /* instruction index for jumps and branches */
} fz_ins;

typedef struct {
    uint32_t addr, len;
    pvm_access access;
    uint64_t fill; /* seed of the initial contents */
} fz_page;

typedef struct {
    pvm_isa isa;
    pvm_gas_mode gas_mode;
    int64_t gas;
    uint64_t regs[PVM_REG_COUNT];
    uint32_t entry;      /* instruction index to start at, or UINT32_MAX: a pc that is no instruction */
    uint64_t host_seed;  /* drives the register changes made at ecalli */
    uint16_t host_regs;  /* registers the host may change at ecalli (bit per register); 0 = any */
    uint8_t lazy;        /* 0: ordinary pages; 1: lazy pages, mprotect; 2: lazy pages, userfaultfd (zero-filled) */
    fz_page pages[FZ_MAX_PAGES];
    uint32_t n_pages;
    uint32_t jt[FZ_MAX_JT]; /* jump-table entries: instruction indices */
    uint32_t n_jt;
    fz_ins *ins;
    uint32_t n_ins;
} fz_case;


/* Generate a case; isa < 0 = random; max_ins bounds the program length; page_seed != 0
 * generates the memory pages from that seed alone (consecutive programs can then share
 * one mapping, see fuzz_diff.c). false on allocation failure. */
bool fz_generate(fz_rng *r, int isa, uint32_t max_ins, uint64_t page_seed, fz_case *c);
/* How many of every four generated cases are deep (default 3; 0 = the old
 * all-random programs, which mostly end early). Set before generating. */
extern unsigned fz_deep_in_four;
/* The program of a deep case (fuzz_deep.c), most of fz_generate's: loops with
 * bounded trip counts, accesses inside the pages, host calls, calls and
 * returns, gas plenty or running out mid-loop; c's ISA, gas mode and pages
 * are set, c->ins empty. Sets the registers, entry, gas and host_regs. */
bool fz_generate_deep(fz_rng *r, fz_case *c);
/* The initial contents of page p (len bytes). */
void fz_page_contents(const fz_page *p, uint8_t *dst);
void fz_case_free(fz_case *c);
bool fz_case_copy(const fz_case *src, fz_case *dst);
/* Remove instruction i, retargeting jumps (used by the shrinker). */
void fz_case_remove(fz_case *c, uint32_t i);

/* Assemble into a blob (GP blob for gp07/jamv1, .polkavm otherwise); pcs gets each instruction's pc
 * (n_ins + 1 entries, the last = code length). *blob and *pcs are malloc'ed. */
pvm_status fz_assemble(const fz_case *c, uint8_t **blob, size_t *len, uint32_t **pcs, pvm_error *err);

bool fz_write(const fz_case *c, FILE *f);
bool fz_read(FILE *f, fz_case *c); /* false on a malformed file */
#endif
