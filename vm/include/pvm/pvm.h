/* libpvm public API: an embeddable PVM (interpreter and x86-64 recompiler).
 *
 * Conventions: every function that can fail returns pvm_status and, when the
 * caller passes a non-NULL pvm_error, writes a one-line message into it. The
 * library never calls abort() or exit(). Objects are owned by the caller that
 * created them and released with the matching *_free function; a module is
 * reference counted by its engine's cache (see pvm_module_compile).
 */
#ifndef PVM_PVM_H
#define PVM_PVM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PVM_REG_COUNT 13
/* Register numbers (the encoding; RISC-V names as pvm-link maps them). */
enum {
    PVM_REG_RA = 0, PVM_REG_SP = 1, PVM_REG_T0 = 2, PVM_REG_T1 = 3, PVM_REG_T2 = 4, PVM_REG_S0 = 5, PVM_REG_S1 = 6,
    PVM_REG_A0 = 7, PVM_REG_A1 = 8, PVM_REG_A2 = 9, PVM_REG_A3 = 10, PVM_REG_A4 = 11, PVM_REG_A5 = 12
};
#define PVM_ADDR_HALT 0xFFFF0000u /* dynamic jump here returns to the host */

typedef enum {
    PVM_OK = 0,
    PVM_ERR_INVALID_ARGUMENT, /* bad flag, NULL pointer, out-of-range value */
    PVM_ERR_BAD_PROGRAM,      /* blob failed structural validation */
    PVM_ERR_NO_MEMORY,
    PVM_ERR_NOT_FOUND,        /* unknown cache id or export */
    PVM_ERR_OUT_OF_BOUNDS,    /* guest memory access outside mapped pages */
    PVM_ERR_STATE,            /* call not valid in the instance's state */
    PVM_ERR_UNSUPPORTED,      /* feature not built or not available here */
    PVM_ERR_IO
} pvm_status;

typedef struct {
    char msg[256];
} pvm_error;

/* Instruction-set variants. GP07 = the numbering of the conformance vectors. */
typedef enum {
    PVM_ISA_GP07,
    PVM_ISA_LATEST32,
    PVM_ISA_LATEST64,
    PVM_ISA_JAMV1,
    PVM_ISA_REVIVEV1,
    PVM_ISA_COUNT
} pvm_isa;

typedef enum { PVM_BACKEND_INTERP, PVM_BACKEND_JIT } pvm_backend;

typedef enum {
    PVM_GAS_NONE,  /* no metering */
    PVM_GAS_SYNC,  /* out-of-gas leaves gas unchanged, pc at block start; resumable */
    PVM_GAS_ASYNC  /* gas may go negative; the run stops at the first block that does so */
} pvm_gas_mode;

typedef enum {
    PVM_FORMAT_AUTO,        /* .polkavm if the magic matches, GP standard program if its lengths add up exactly, else GP blob */
    PVM_FORMAT_GP_BLOB,     /* GP deblob: jump table, code, bitmask; empty memory */
    PVM_FORMAT_GP_STANDARD, /* GP standard program Y: ro/rw/heap/stack/args */
    PVM_FORMAT_POLKAVM      /* PolkaVM .polkavm container */
} pvm_format;

typedef enum {
    PVM_EXIT_HALT,       /* dynamic jump to PVM_ADDR_HALT */
    PVM_EXIT_PANIC,      /* trap, invalid instruction, bad jump, access below 64 KiB */
    PVM_EXIT_PAGE_FAULT, /* access to an inaccessible page (or a store to a read-only page in gp07/jamv1;
                          * Latest32/64 and ReviveV1 panic there, as PolkaVM does); fault_address = page base.
                          * Map the page and run again: the run continues at the faulting instruction
                          * without charging its block again. */
    PVM_EXIT_OUT_OF_GAS,
    PVM_EXIT_ECALLI      /* host call; resume with another pvm_instance_run */
} pvm_exit_kind;

typedef enum { PVM_ACCESS_NONE = 0, PVM_ACCESS_READ = 1, PVM_ACCESS_WRITE = 3 } pvm_access;

typedef struct pvm_cost_model pvm_cost_model;
typedef struct pvm_engine pvm_engine;
typedef struct pvm_module pvm_module;
typedef struct pvm_instance pvm_instance;

typedef struct {
    pvm_backend backend;
    pvm_gas_mode gas_mode;
    const pvm_cost_model *cost_model; /* NULL = unit (1 per instruction); borrowed, must outlive the engine */
} pvm_engine_config;

typedef struct {
    pvm_format format;
    pvm_isa isa;          /* for GP formats (a .polkavm container names its own): any variant */
    uint32_t page_size;   /* 4096 or 16384; 0 = 4096 */
    const uint8_t *args;  /* GP standard program: argument bytes (copied) */
    uint32_t args_len;
    uint32_t aux_size;    /* .polkavm: read-only aux region below 0xFFFF0000 (the host fills it); 0 = none */
    /* true: the caller keeps the bytes alive and unchanged until the module is
     * released (pvm_module_release or pvm_engine_free); the module reads them in
     * place instead of copying them (a large program's blob is mostly data, and
     * copying it into fresh memory cost more than decoding it). false: copied. */
    bool borrow_bytes;
    /* true: this module's block costs are computed afresh, neither read from nor kept in the
     * process-wide block-cost cache (which otherwise spares a program compiled again under the
     * same model its simulation): for timing cold compiles. false: the cache is used. */
    bool fresh_block_costs;
} pvm_module_config;

typedef struct {
    pvm_exit_kind kind;
    uint32_t pc;            /* pc of the instruction that exited (block start for out-of-gas) */
    uint32_t fault_address; /* PVM_EXIT_PAGE_FAULT */
    uint32_t ecalli;        /* PVM_EXIT_ECALLI: host function id */
} pvm_result;

/* Wall time of each compile stage of a module (CLOCK_MONOTONIC, ns); 0 for a stage that did not run. */
typedef struct {
    uint64_t parse_ns;   /* blob format: header, sections, jump table, bitmask */
    uint64_t decode_ns;  /* instructions, basic blocks, jump targets (and the interpreter's records) */
    uint64_t gas_ns;     /* metering pass: block costs from the cost model */
    uint64_t backend_ns; /* recompiler code generation (0 for the interpreter) */
    uint64_t total_ns;   /* the whole pvm_module_compile: module id, copy of the bytes and memory layout included */
    /* CPU time of the compile over all its threads: the stages run one after
     * another (parse + decode + gas + backend <= total), but a large program's
     * decoding, block costs (pipeline model) and code generation each use two threads. */
    uint64_t cpu_ns;
    /* Per stage, the CPU time of the calling thread ([0]) and of the stage's second
     * thread ([1]; 0 when the stage ran on one). A stage's wall time well above both
     * means a thread waited: descheduled (see preemptions) or for the other thread. */
    uint64_t decode_cpu_ns[2], gas_cpu_ns[2], backend_cpu_ns[2];
    /* Involuntary context switches of the compile's threads: how often the
     * scheduler took a core away from the compile (0 on a quiet machine). */
    uint64_t preemptions;
} pvm_module_timings;

typedef struct {
    bool counted;          /* instructions/blocks are real counts (the interpreter); false: unknown */
    uint64_t instructions; /* instructions executed, when counted */
    uint64_t blocks;       /* basic blocks entered, when counted */
    uint64_t compile_ns;   /* time spent in the backend's compile step */
} pvm_stats;

/* --- cost models ------------------------------------------------------- */
/* Parse a model name: "unit", "table:FILE", "pipeline-l1hit", "pipeline-l2hit",
 * "pipeline-l3hit", "pipeline:FILE". Caller frees with pvm_cost_model_free. */
pvm_status pvm_cost_model_new(const char *name, pvm_cost_model **out, pvm_error *err);
void pvm_cost_model_free(pvm_cost_model *m);
const char *pvm_cost_model_name(const pvm_cost_model *m);

/* --- engine -------------------------------------------------------------- */
pvm_status pvm_engine_new(const pvm_engine_config *cfg, pvm_engine **out, pvm_error *err);
void pvm_engine_free(pvm_engine *e); /* frees every cached module */
/* By default instances map a program's data copy-on-write from a memfd snapshot
 * made at its first instance (instantiate and reset then cost microseconds
 * whatever the data size). copy = true: every instance copies the data instead
 * (for a sandbox that forbids memfd or file sizes). Set before instantiating. */
void pvm_engine_set_copy_memory_image(pvm_engine *e, bool copy);
/* By default the interpreter does not check guest accesses: like the recompiler
 * it relies on the 4 GiB guard window and a SIGSEGV/SIGBUS handler, which it
 * puts in front (chaining to the previous one) at every fresh run. on = true:
 * check every access against the page table instead, and install no handler
 * (for a host that forbids signal handlers, e.g. a seccomp sandbox). */
void pvm_engine_set_interp_bounds_checks(pvm_engine *e, bool on);
/* By default every fresh run (after pvm_instance_prepare_call, set_pc or a reset; not a
 * resume after a host call) puts the VM's SIGSEGV/SIGBUS handler back in front of any the
 * host installed since, chaining to it: two sigaction calls, about 1 us each in a virtual
 * machine, most of what a short call costs. once = true: each backend takes the front place
 * at the engine's first fresh run and not again; for a host that installs its own handlers
 * before that (or chains to the one it displaces) and makes many short calls. Set before
 * running. */
void pvm_engine_set_fault_handler_once(pvm_engine *e, bool once);
bool pvm_backend_available(pvm_backend b);

/* --- modules ------------------------------------------------------------- */
/* Compile bytes into a module cached under cache_id. If the engine already
 * holds a module with that id and the same bytes and config (compared byte for
 * byte, never by hash alone), that module is returned and nothing is parsed
 * again; the same explicit id with other bytes or config is PVM_ERR_INVALID_ARGUMENT.
 * cache_id NULL = derive a deterministic id from the bytes and the config
 * (pvm_module_id gives it, computed when first asked for; a hash collision gets
 * a suffixed id, not the other program); the same bytes and config compiled
 * again without an id give the same module. The bytes are copied unless
 * cfg->borrow_bytes. The engine owns the module; release it with
 * pvm_module_release or let pvm_engine_free do it. */
pvm_status pvm_module_compile(pvm_engine *e, const uint8_t *bytes, size_t len, const pvm_module_config *cfg,
                              const char *cache_id, pvm_module **out, pvm_error *err);
pvm_status pvm_module_lookup(pvm_engine *e, const char *cache_id, pvm_module **out, pvm_error *err);
void pvm_module_release(pvm_module *m);
const char *pvm_module_id(const pvm_module *m);
pvm_isa pvm_module_isa(const pvm_module *m);
uint32_t pvm_module_code_size(const pvm_module *m);
uint32_t pvm_module_instruction_count(const pvm_module *m);
uint32_t pvm_module_block_count(const pvm_module *m);
pvm_module_timings pvm_module_compile_timings(const pvm_module *m);
/* Exports (.polkavm only). Names are the blob's bytes (NUL-terminated, may hold any
 * byte): pass them through pvm_sanitize_name before printing. */
size_t pvm_module_export_count(const pvm_module *m);
const char *pvm_module_export_name(const pvm_module *m, size_t i, uint32_t *pc);
pvm_status pvm_module_find_export(const pvm_module *m, const char *name, uint32_t *pc, pvm_error *err);
/* Imports (.polkavm only): `ecalli i` calls import i, so a host binds its functions
 * by name: pvm_module_find_import gives the index a name has in this program.
 * Names are raw blob bytes, as for exports. */
size_t pvm_module_import_count(const pvm_module *m);
const char *pvm_module_import_name(const pvm_module *m, size_t i); /* NULL if i is out of range */
pvm_status pvm_module_find_import(const pvm_module *m, const char *name, uint32_t *index, pvm_error *err);
/* Gas cost of the basic block containing pc under the engine's cost model. */
pvm_status pvm_module_block_cost(const pvm_module *m, uint32_t pc, int64_t *cost, pvm_error *err);

/* --- instances ----------------------------------------------------------- */
pvm_status pvm_instance_new(pvm_module *m, pvm_instance **out, pvm_error *err);
void pvm_instance_free(pvm_instance *in);
/* Reset registers, memory and gas to the module's initial state. */
pvm_status pvm_instance_reset(pvm_instance *in, pvm_error *err);
/* Prepare a call: pc = the export's entry (or pc), a0..a5 = args, ra = PVM_ADDR_HALT. */
pvm_status pvm_instance_prepare_call(pvm_instance *in, const char *export_name, uint32_t pc, const uint64_t *args,
                                     size_t nargs, pvm_error *err);
/* Run until an exit. Gas is the instance's gas (pvm_instance_set_gas). */
pvm_status pvm_instance_run(pvm_instance *in, pvm_result *res, pvm_error *err);
/* A host call that fails: after a PVM_EXIT_ECALLI (or PVM_EXIT_PAGE_FAULT) exit,
 * end the guest as if it had trapped at that instruction. res (if not NULL) gets
 * a PVM_EXIT_PANIC at that pc. Defined state afterwards: registers, memory and gas
 * as they are now (host writes kept), pc = that instruction, and pvm_instance_run
 * fails with PVM_ERR_STATE until pvm_instance_prepare_call, _set_pc or _reset.
 * PVM_ERR_STATE if the instance is not stopped at a host call or page fault. */
pvm_status pvm_instance_trap(pvm_instance *in, pvm_result *res, pvm_error *err);
uint64_t pvm_instance_reg(const pvm_instance *in, unsigned r);
pvm_status pvm_instance_set_reg(pvm_instance *in, unsigned r, uint64_t v, pvm_error *err);
uint32_t pvm_instance_pc(const pvm_instance *in);
/* Set the next pc: the containing block is charged again on the next run. */
pvm_status pvm_instance_set_pc(pvm_instance *in, uint32_t pc, pvm_error *err);
int64_t pvm_instance_gas(const pvm_instance *in);
void pvm_instance_set_gas(pvm_instance *in, int64_t gas);
pvm_stats pvm_instance_stats(const pvm_instance *in);
/* Map [addr, addr+len) (page aligned) with the given access, zero-filled. */
pvm_status pvm_instance_map(pvm_instance *in, uint32_t addr, uint32_t len, pvm_access access, pvm_error *err);
/* Host access to guest memory; PVM_ERR_OUT_OF_BOUNDS names the first unmapped page. */
pvm_status pvm_instance_read(const pvm_instance *in, uint32_t addr, void *dst, size_t len, pvm_error *err);
pvm_status pvm_instance_write(pvm_instance *in, uint32_t addr, const void *src, size_t len, pvm_error *err);
pvm_access pvm_instance_page_access(const pvm_instance *in, uint32_t addr);

/* Memory options of an instance; each resets the instance (memory, registers, gas).
 * Lazy pages: data pages start inaccessible; the first read and the first write of
 * a page are caught, the page is filled from the image or zeroed and charged (see
 * vm/memory/lazy_cost.h), identically in both backends. backend: "mprotect" or
 * "userfaultfd"; PVM_ERR_UNSUPPORTED with the kernel's reason when unavailable. */
pvm_status pvm_instance_set_lazy_pages(pvm_instance *in, const char *backend, pvm_error *err);
/* Back guest memory with transparent huge pages: far cheaper reset and first
 * touch of large regions, more zeroing for sparse ones. */
pvm_status pvm_instance_set_huge_pages(pvm_instance *in, bool on, pvm_error *err);

/* Gas profile (interpreter only): count block entries and attribute TSC ticks
 * to the running block. Enabling resets the counters. */
pvm_status pvm_instance_profile_enable(pvm_instance *in, bool on, pvm_error *err);
/* Entries and ticks of block i (0..pvm_module_block_count-1); false if out of range or not profiling. */
bool pvm_instance_profile_block(const pvm_instance *in, uint32_t block, uint64_t *entries, uint64_t *ticks,
                                uint32_t *pc, uint32_t *cost);

/* Memory trace (interpreter only, off by default): once set, every guest load and store
 * (memset byte by byte) calls fn(ctx, address, size, is_write) before it is done; runs
 * then take a separate instrumented loop, so untraced runs pay nothing. fn NULL turns it
 * off. PVM_ERR_UNSUPPORTED on the recompiler. */
typedef void (*pvm_memory_trace_fn)(void *ctx, uint32_t address, uint32_t size, bool is_write);
pvm_status pvm_instance_set_memory_trace(pvm_instance *in, pvm_memory_trace_fn fn, void *ctx, pvm_error *err);

/* Branch trace (interpreter only, off by default): every conditional branch calls
 * fn(ctx, pc, taken) as it resolves (pc: the branch's code offset), in the same
 * instrumented loop as the memory trace. For measuring how predictable a program's branches
 * are; fn NULL turns it off. PVM_ERR_UNSUPPORTED on the recompiler. */
typedef void (*pvm_branch_trace_fn)(void *ctx, uint32_t pc, bool taken);
pvm_status pvm_instance_set_branch_trace(pvm_instance *in, pvm_branch_trace_fn fn, void *ctx, pvm_error *err);

/* Block trace (interpreter only, off by default): every block entered calls fn(ctx, pc)
 * with the pc of the block's first instruction, in the same instrumented loop (a resume
 * inside a block after ecalli or a page fault is no entry). With the decoded program it
 * gives the exact path, for dataflow measured across blocks; fn NULL turns it off.
 * PVM_ERR_UNSUPPORTED on the recompiler. */
typedef void (*pvm_block_trace_fn)(void *ctx, uint32_t pc);
pvm_status pvm_instance_set_block_trace(pvm_instance *in, pvm_block_trace_fn fn, void *ctx, pvm_error *err);

/* --- standard host calls (pvm/hostcalls.h) -------------------------------- */
typedef enum {
    PVM_HOSTCALL_NOT_STANDARD, /* not one of the standard calls: the host's own (instance untouched) */
    PVM_HOSTCALL_RESUMABLE,    /* serviced: run the instance again to continue */
    PVM_HOSTCALL_EXITED,       /* the guest called pvm_exit: *exit_status is its status */
    PVM_HOSTCALL_TRAPPED       /* the call failed (bad guest buffer): the guest was trapped (pvm_instance_trap) */
} pvm_hostcall_outcome;
/* Service the standard host call behind a PVM_EXIT_ECALLI result: bound by import
 * name for programs with an import table, by number (PVM_HOSTCALL_*) otherwise.
 * pvm_write goes to the process's file descriptors 1 and 2. */
pvm_hostcall_outcome pvm_hostcalls_service(pvm_instance *in, const pvm_result *res, int *exit_status);
/* Name of the standard host call behind a PVM_EXIT_ECALLI result, or NULL. */
const char *pvm_hostcall_name(const pvm_instance *in, const pvm_result *res);

/* Copy name into out (out_len > 0, always NUL-terminated) with every byte that is
 * not printable ASCII written as \xNN, so blob-supplied names cannot inject
 * terminal escapes or newlines. Returns out. */
const char *pvm_sanitize_name(const char *name, char *out, size_t out_len);

/* The library's version, "MAJOR.MINOR.PATCH" (the shared library's SONAME carries MAJOR.MINOR while below 1.0). */
const char *pvm_version(void);

const char *pvm_exit_name(pvm_exit_kind k);
const char *pvm_status_name(pvm_status s);

#ifdef __cplusplus
}
#endif
#endif
