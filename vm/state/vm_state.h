/* Engine, module and instance state shared by the API (vm/api), the
 * interpreter and the recompiler: below all three, so that the backends do not
 * depend on the API that calls them. */
#ifndef PVM_STATE_VM_STATE_H
#define PVM_STATE_VM_STATE_H
#include <pthread.h>
#include <stdbool.h>
#include "vm/gas/gas.h"
#include "vm/memory/image.h"
#include "vm/memory/memory.h"
#include "vm/memory/memset_runs.h"
#include "vm/program/decode.h"
#include "vm/program/program.h"
#include "pvm/pvm.h"

#define PVM_MEMORY_POOL_MAX 4

typedef struct pvm_snapshot pvm_snapshot; /* vm/api/snapshots.h */

struct pvm_engine {
    pvm_engine_config cfg;
    pvm_cost_model *owned_model; /* default unit model when cfg.cost_model is NULL */
    bool copy_memory_image;      /* pvm_engine_set_copy_memory_image */
    bool interp_bounds_checks;   /* pvm_engine_set_interp_bounds_checks */
    bool fault_handler_once;     /* pvm_engine_set_fault_handler_once */
    bool interp_handler_taken;   /* (with fault_handler_once) the interpreter's handler went in front */
    bool jit_handler_taken;      /* (with fault_handler_once) the recompiler's went in front */
    struct pvm_module **modules;
    size_t n_modules, cap_modules;
    /* Guest windows of freed instances, cleared, for the next instance (saves
     * reserving 4 GiB and allocating the page table). */
    pvm_memory pool[PVM_MEMORY_POOL_MAX];
    unsigned n_pool;
    /* Data snapshots shared by modules with the same initial memory (vm/api/snapshots.h). */
    pvm_snapshot **snapshots;
    size_t n_snapshots, cap_snapshots;
    uint64_t snapshot_releases;
};

/* Whether a fresh run puts a backend's fault handler in front of the host's: every time, or
 * until it has once (pvm_engine_set_fault_handler_once; taken: that backend's record of it). */
static inline bool pvm_engine_fault_front_due(const pvm_engine *e, bool taken) { return !(e->fault_handler_once && taken); }

/* Memory layout of a module's instances. */
typedef struct {
    uint32_t ro_addr, ro_len;     /* mapped read-only */
    uint32_t rw_addr, rw_len;     /* mapped read-write (rw data + initial heap) */
    uint32_t stack_addr, stack_len;
    uint32_t args_addr, args_len;
    uint32_t aux_addr, aux_len;   /* .polkavm aux data: read-only for the guest */
    uint32_t heap_base, heap_limit; /* sbrk region: [heap_base, heap_limit) */
    uint64_t init_regs[PVM_REG_COUNT];
} pvm_layout;

struct pvm_module {
    pvm_engine *engine;
    int refs;
    char *id;       /* the caller's cache id (owned), derived_id, or NULL: not named yet */
    bool derived;   /* compiled without a cache id: named from its bytes when first asked */
    char derived_id[48];
    uint64_t quick_hash; /* derived: the hash a compile without an id compares first */
    bool quick_known;    /* quick_hash computed: only once a later compile compares against it */
    uint8_t *bytes; /* owned copy of the input, or the caller's bytes (bytes_borrowed) */
    bool bytes_borrowed;
    size_t len;
    uint8_t *args;  /* GP standard program argument bytes */
    uint32_t args_len;
    uint32_t page_size;
    uint32_t aux_size;
    pvm_program prog;
    pvm_decoded dec;
    uint32_t *block_cost; /* per block, from the engine's cost model */
    pvm_layout layout;
    void *jit;            /* backend-private compiled code */
    uint64_t compile_ns;
    pvm_module_timings timings;
    pvm_format cfg_format; /* the config it was compiled with (the cache compares it) */
    pvm_isa cfg_isa;
    pvm_snapshot *snapshot;  /* copy-on-write snapshot of the data (the engine's), taken at the first instance */
    int image_state;         /* 0 not tried, 1 made, -1 unavailable (instances copy) */
    int interp_ready;        /* dec has the interpreter's dispatch codes (pvm_module_interp_ready) */
    struct pvm_interp_op *interp_code; /* the interpreter's records (interp/interp.h), NULL until then */
    uint32_t *interp_jump_table;       /* per jump-table entry, its entry record's byte offset (interp.h) */
    util_thread_usage interp_second;   /* what pvm_interp_prepare's second thread used (zeros: none ran) */
    pthread_mutex_t interp_lock;
};

typedef enum {
    PVM_RUN_ENTER,  /* next run charges the block containing pc */
    PVM_RUN_RESUME, /* after ecalli or a page fault: continue at resume_index, block already paid */
    PVM_RUN_DONE    /* halted, trapped or async out-of-gas: needs prepare_call/set_pc */
} pvm_run_state;

/* Where an instance's register file sits within its 4 KiB page (vm/api/instance.c places it;
 * the interpreter's records keep their hot slots off it: interp_code.c). Mid-page: guests'
 * own accesses crowd page starts (data) and page ends (stack tops), and a guest load that
 * matches a register-file store modulo 4 KiB waits for it as a record load does. */
#define PVM_INSTANCE_REGS_PAGE_OFFSET 0x780u

struct pvm_instance {
    pvm_module *module;
    uint64_t regs[PVM_REG_COUNT];
    int64_t gas;
    uint32_t pc;
    uint32_t resume_index;
    pvm_run_state state;
    uint32_t heap_top;
    pvm_memory mem;
    bool layout_from_image; /* the layout's ranges are mem.ranges[0..layout_ranges) */
    bool guard_ready;       /* the interpreter's fault handler is installed (interp/interp_guard.h) */
    size_t layout_ranges;
    pvm_stats stats;
    uint64_t *profile_count, *profile_ticks; /* per block; NULL unless profiling (interpreter) */
    pvm_memory_trace_fn trace_fn;            /* NULL unless tracing memory (interpreter) */
    void *trace_ctx;
    pvm_branch_trace_fn branch_trace_fn;     /* NULL unless tracing branches (interpreter) */
    void *branch_trace_ctx;
    pvm_block_trace_fn block_trace_fn;       /* NULL unless tracing block entries (interpreter) */
    void *block_trace_ctx;
    void *jit_state;
};

/* Backends: run from the instance's state until an exit; fill res. */
void pvm_interp_run(pvm_instance *in, pvm_result *res);
/* The interpreter's compile step (after the block costs): every instruction's
 * dispatch code (xop), the interpreter's records (m->interp_code) and their handler
 * addresses in the guarded loop of the module's gas mode (direct threading); a large
 * program's on two threads, each a half of the blocks (m->interp_second).
 * Fails, with the reason in err, when out of memory or on a malformed
 * PVMLAB_INTERP_RECORDS_SHIFT (interp_code.c). */
pvm_status pvm_interp_prepare(pvm_module *m, pvm_error *err);
/* Makes m's decoded program runnable by the interpreter (pvm_interp_prepare, once,
 * thread-safe): at compile time for the interpreter backend, on the first run the
 * recompiler hands over for the recompiler (most of its modules never do). Fails
 * as pvm_interp_prepare. pvm_module_interp_free releases what it made. */
pvm_status pvm_module_interp_ready(pvm_module *m, pvm_error *err);
void pvm_module_interp_free(pvm_module *m);
#ifdef PVM_HAVE_JIT
/* *second: what the second code-generation thread used (left as it is when none ran). */
pvm_status pvm_jit_compile(pvm_module *m, util_thread_usage *second, pvm_error *err);
void pvm_jit_free(pvm_module *m);
pvm_status pvm_jit_run(pvm_instance *in, pvm_result *res, pvm_error *err);
void pvm_jit_instance_free(pvm_instance *in);
#endif
/* sbrk semantics shared by both backends (state/sbrk.c): returns the value for
 * the destination register. */
uint64_t pvm_instance_sbrk(pvm_instance *in, uint64_t size);
/* memset, likewise (state/memset.c): fills from the registers in regs (the instance's, or the
 * recompiler's context), charging *gas; traced: report every byte to the memory trace. */
pvm_memset_end pvm_instance_memset(pvm_instance *in, uint64_t *regs, int64_t *gas, uint32_t *fault_address,
                                   bool traced);
#endif
