/* pvmlab_microbench: calibration microbenchmarks generated as PVM programs with the
 * program builder (Latest64 .polkavm containers).
 *
 * Every program exports "main", takes a0 = loop trips and returns a checksum in a0. The
 * loop body holds `units` repetitions of the thing measured (an opcode in a dependent
 * chain or an independent block, a pointer-chase load, a 64-access stride ring, a
 * branch on a pseudo-random bit, an indirect jump, a page touch); programs of one family
 * differ only in `units`, so time per trip against units is a line whose slope is the
 * cost of one unit and whose intercept is the loop overhead.
 *
 * Generation is split: a spec (cheap, a few numbers) says what to build; mb_build turns a
 * spec into bytes and, where the host must prepare guest memory (the pointer-chase
 * permutation, the stride ring's values), a memory image. Nothing here prints or aborts. */
#ifndef PVMLAB_MICROBENCH_H
#define PVMLAB_MICROBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum mb_family {
    MB_OP_CHAIN,     /* one opcode repeated `units` times */
    MB_POINTER_CHASE,/* `units` dependent loads through a random cyclic permutation */
    MB_STRIDE,       /* `units` passes over a 64-load ring at a fixed word stride */
    MB_BRANCH,       /* `units` LCG steps each ending in a conditional branch */
    MB_INDIRECT,     /* `units` LCG steps each ending in an indirect jump to 1 of 8 targets */
    MB_FIRST_TOUCH,  /* one lazy page touched per trip; cold (fresh pages) or warm */
    MB_MIXED,        /* a seeded realistic loop of `size` blocks drawn from the guests' mix */
} mb_family;

typedef enum mb_shape {
    MB_LATENCY,    /* each instruction depends on the previous one */
    MB_THROUGHPUT, /* instructions independent of each other (4 rotating destinations) */
} mb_shape;

/* What a first-touch program does to each page (MB_FIRST_TOUCH), and what kind of page:
 * zero (rw data beyond the image: the VM zero-fills it) or data (initialised rw data: the
 * VM copies it from the program image). The VM charges one pvm_lazy_charges value per
 * fault (vm/memory/lazy.h): a first load (zero or image page), a first store, a store
 * after a load. The reference prices a first store as read + write (lazy_cost.h). */
typedef enum mb_touch_kind {
    MB_TOUCH_ZERO_WRITE,      /* store one byte: one fault, charged write_first */
    MB_TOUCH_ZERO_READ,       /* load one byte: one fault, charged read */
    MB_TOUCH_ZERO_READ_WRITE, /* load, then store: two faults (fill, then write upgrade), read + write */
    MB_TOUCH_DATA_WRITE,
    MB_TOUCH_DATA_READ,
    MB_TOUCH_DATA_READ_WRITE,
    MB_TOUCH_KINDS
} mb_touch_kind;
/* "zero_write", "zero_read", "zero_read_write", "data_write", ...; NULL out of range. */
const char *mb_touch_kind_name(mb_touch_kind k);
bool mb_touch_kind_writes(mb_touch_kind k);
bool mb_touch_kind_reads(mb_touch_kind k);
bool mb_touch_kind_data(mb_touch_kind k);

/* The lazy-page backend the first-touch programs run on, and the held-out fidelity runs
 * (fidelity_timing.c): the state whose first touch the lazy-page charges price. */
#define MB_TOUCH_LAZY_BACKEND "mprotect"

typedef struct mb_spec {
    char name[96];      /* unique, e.g. "op.add_64.lat.L16", "chase.4096.L16" */
    char series[80];    /* programs of one regression share it, e.g. "op.add_64.lat" */
    mb_family family;
    int op;             /* MB_OP_CHAIN: canonical PVM_OP_*; else -1 */
    mb_shape shape;     /* MB_OP_CHAIN */
    bool divisor_zero;  /* MB_OP_CHAIN, div/rem: divide by 0 instead of by 1 */
    bool random;        /* MB_BRANCH / MB_INDIRECT: random direction/target (else fixed) */
    bool cold;          /* MB_FIRST_TOUCH: memory reset before every run */
    mb_touch_kind touch;/* MB_FIRST_TOUCH: what each trip does to its page */
    bool huge_pages;    /* MB_POINTER_CHASE: guest memory backed by transparent huge pages */
    uint32_t units;     /* the regression's x */
    uint64_t size;      /* chase: working set bytes; stride: stride in words; touch: pages (a power of 2) */
    uint64_t trips;     /* loop trips per call (a0) */
    uint64_t seed;      /* MB_MIXED: the program's own seed */
    int mix_target;     /* MB_MIXED: whose distributions it draws from (MB_GUEST_MIX[], rv64 or rv32) */
} mb_spec;

typedef struct mb_program {
    uint8_t *blob;      /* .polkavm bytes, malloc'ed */
    size_t blob_len;
    uint8_t *image;     /* bytes the host writes at image_addr before running; NULL if none */
    size_t image_len;
    uint32_t image_addr;
    bool huge_pages;    /* the instance must back guest memory with huge pages (before the image) */
    const char *lazy_backend; /* the instance must have lazy pages on this backend (NULL: off) */
    bool has_expected;  /* whether the checksum is known in advance */
    uint64_t expected;  /* a0 at halt, when has_expected */
} mb_program;

/* The arguments of a call to "main": a0 = trips and, for the pointer chase, a1 = where the
 * walk starts. A chase call returns where it stopped, so passing the previous call's a0
 * (previous_a0) continues the walk: calls can stay short (one scheduler time slice) and
 * still touch a large working set cold. previous_a0 0 starts at the first line, where the
 * expected checksum holds. Writes up to 2 values; returns how many. */
size_t mb_call_args(const mb_spec *spec, uint64_t previous_a0, uint64_t args[2]);

/* Guest address of the read-write data of every generated program. */
#define MB_RW_ADDR 0x20000u

/* Builds spec into *out (zeroed first). Returns 0, or -1 with a one-line reason in err
 * (unsupported op, builder error, out of memory). Free with mb_program_free. */
int mb_build(const mb_spec *spec, mb_program *out, char *err, size_t err_len);
void mb_program_free(mb_program *p);

/* Whether an opcode gets chain programs (trap cannot loop; ops absent from Latest64 are
 * skipped), and whether it gets a throughput shape besides its latency chain. */
bool mb_op_measurable(int op);
bool mb_op_has_throughput(int op);
/* Is op's chain a 32-bit program (a 32-bit operation: pvm_op_is_32bit, op_chain.c)? */
bool mb_op_timed_narrow(int op);
bool mb_op_is_division(int op);

/* The op every unit of a chain runs besides s->op, whose own cost the fit subtracts from the
 * slope (a remainder chain re-widens its value with one xor per unit), or -1 for none. */
int mb_chain_extra_op(const mb_spec *s);
/* What a remainder chain xors into its value after each step: a large positive number as
 * a 64-bit value and in its low 32 bits. */
#define MB_REM_INFLATE 0x7FFFFFF07FFFFFF0ull
/* Bytes one unit of the memset series ("op.memset.bytes", spec size) fills; each unit is
 * load_imm a0, load_imm a2 and the memset. */
#define MB_MEMSET_BYTES 256

/* Mixed programs (mixed.c): `count` specs of seeded realistic loops, each of 6..24 blocks
 * whose lengths, opcodes and operand dependencies are drawn from the benchmark guests' own
 * distributions (guest_mix_data.h), the rv64 builds' for even and the rv32 builds' for odd
 * indices, about instructions_per_call instructions per call. The
 * same seed gives the same specs and, through mb_build, the same bytes on every machine.
 * The calibration fits on MB_MIXED_TRAINING_SEED; held-out validation uses another seed
 * (MB_MIXED_HELDOUT_SEED), never fitted. *out is malloc'ed (caller frees). Returns 0 or -1
 * (out of memory). */
#define MB_MIXED_TRAINING_SEED 0x7261696e696e6731ull
#define MB_MIXED_HELDOUT_SEED 0x68656c646f757432ull
int mb_mixed_specs(uint64_t seed, size_t count, uint64_t instructions_per_call, mb_spec **out);

/* How big the suite is. */
typedef struct mb_suite_config {
    uint32_t chain_units[4];   /* chain lengths (0 = unused slot); the empty loop is added */
    uint64_t chain_instructions; /* about this many body instructions per call */
    uint64_t chase_min_bytes, chase_max_bytes; /* powers of two */
    uint32_t chase_steps_per_octave; /* 1 = powers of two; 2 adds the 1.5x sizes */
    /* The sweep from the cache geometry (chase_sweep.c): with cache_bytes[0] set, each of
     * the known levels gets chase_points_per_level sizes inside it and the memory beyond
     * the last gets chase_dram_points (up to 4x its size); min/max/steps above are then
     * unused. chase_huge_every: also sweep every n-th size on huge pages (0 = none). */
    uint64_t cache_bytes[3];
    uint32_t chase_points_per_level, chase_dram_points, chase_huge_every;
    uint64_t chase_loads_per_call; /* short calls; successive calls continue the walk */
    uint64_t stride_trips;
    uint64_t branch_trips;
    uint32_t touch_pages;      /* pages per first-touch call (a power of 2); the cost per page grows with the pages touched */
    uint32_t mixed_programs;   /* mixed programs from MB_MIXED_TRAINING_SEED */
    uint64_t mixed_instructions; /* about this many instructions per mixed call */
} mb_suite_config;

/* The quick (about a minute), full (several minutes) and smoke (tests: seconds) suites. */
void mb_suite_config_quick(mb_suite_config *c);
void mb_suite_config_full(mb_suite_config *c);
void mb_suite_config_smoke(mb_suite_config *c);

/* The chase sweep's working-set sizes in increasing order (line-aligned, >= 4 KiB). Writes
 * up to capacity and returns how many there are. */
size_t mb_chase_sweep_sizes(const mb_suite_config *c, uint64_t *sizes, size_t capacity);

/* All specs of a suite, in run order. *out is malloc'ed (caller frees). Returns 0 or -1
 * (out of memory). */
int mb_suite_specs(const mb_suite_config *c, mb_spec **out, size_t *count);

#endif
