/* Differential execution: run one fuzz case on the interpreter and on the
 * recompiler (same gas mode, same unit cost model) and compare everything
 * observable after every exit; resume after ecalli (the host changes a
 * register) and after sync out-of-gas (the host adds gas). */
#ifndef PVM_FUZZ_DIFF_H
#define PVM_FUZZ_DIFF_H
#include "fuzz_case.h"

/* What a reused instance has mapped (to skip remapping when the next case has the same pages). */
typedef struct {
    bool valid;
    fz_page pages[FZ_MAX_PAGES];
    uint32_t n_pages;
    size_t n_ranges;
} fz_mapping;

typedef struct {
    fz_mapping mapped[2][3];
    bool uffd;                     /* the userfaultfd lazy backend works here (else mprotect stands in) */
    pvm_engine *engines[2][3];     /* [backend][gas mode] */
    pvm_instance *instances[2][3]; /* reused from program to program (a 4 GiB window each) */
    pvm_instance *lazy_instances[2][3][2]; /* the same with lazy pages, per lazy backend */
    uint64_t exits[5];             /* statistics: exits seen, by pvm_exit_kind */
    uint64_t instructions;         /* statistics: instructions the interpreter executed */
    uint64_t final_exits[5];       /* statistics: how each compared case ended, by pvm_exit_kind */
    uint64_t cases;                /* statistics: cases compared to their end */
    uint64_t deep_cases;           /* ... of which executed at least FZ_DEEP instructions */
    pvm_result last;               /* the interpreter's last exit in the last case */
    int plant_op;                  /* >= 0: a planted bug (pvm-fuzz --plant-divergence): after each run
                                    * of a case holding this op, the recompiler's r7 gets bit 0 flipped */
} fz_runner;

#define FZ_DEEP 1000 /* instructions: a case that lives at least this long is "deep" */

typedef enum { FZ_SAME = 0, FZ_DIVERGED = 1, FZ_SKIPPED = 2 /* both rejected the program */, FZ_ERROR = 3 } fz_outcome;

/* model: the engines' cost model (NULL = unit); borrowed, must outlive the runner. */
pvm_status fz_runner_init(fz_runner *r, const pvm_cost_model *model, pvm_error *err);
void fz_runner_free(fz_runner *r);
/* why (may be NULL) receives the first difference. */
fz_outcome fz_run(fz_runner *r, const fz_case *c, char *why, size_t why_len);
/* Delete instructions while the case still diverges, until deadline_ns (util_now_ns; 0 =
 * none). Returns 0 when no deletion is left to try, or the instruction count it stopped at
 * when the deadline came first (each candidate runs to its end, so a slow one can take up to
 * a run past it). */
uint32_t fz_shrink(fz_runner *r, fz_case *c, uint64_t deadline_ns);
#endif
