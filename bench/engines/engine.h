/* Engine adapters: one interface over every engine `pvmlab bench` can measure (libpvm in
 * process, native code, wasm engines as separate processes).
 *
 * An adapter family discovers its configurations (bench_discover_*), appending the ones it
 * can run to a bench_engine_list and the ones it cannot, each with the reason, to the
 * list's missing entries. Nothing here aborts or exits; errors are one line in err. */
#ifndef PVMLAB_BENCH_ENGINE_H
#define PVMLAB_BENCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    BENCH_NAME_MAX = 64,
    BENCH_TEXT_MAX = 256,
    BENCH_PATH_MAX = 1024,
};

/* The three modes of PolkaVM's benchtool. */
typedef enum {
    BENCH_MODE_EXECUTION,   /* compile + instantiate untimed, the run timed */
    BENCH_MODE_ONESHOT,     /* compile + instantiate + run, timed together, from cold */
    BENCH_MODE_COMPILATION, /* the compile step alone */
    BENCH_MODE_COUNT
} bench_mode;

/* What an engine configuration can measure (bit set). */
enum {
    BENCH_CAN_COMPILE = 1u << 0,
    BENCH_CAN_INSTANTIATE = 1u << 1,
    BENCH_CAN_EXECUTE = 1u << 2,
    BENCH_CAN_ONESHOT = 1u << 3,
};

/* How an adapter's numbers were taken (printed once per engine with the results). */
typedef enum {
    BENCH_TIMING_IN_PROCESS,      /* clock_gettime around the engine's own calls */
    BENCH_TIMING_REPORTED,        /* the engine's process measured itself and printed it */
    BENCH_TIMING_STARTUP_SUBTRACTED /* process wall time minus an empty module's start-up */
} bench_timing_method;

/* One benchmark program at one size. */
typedef struct bench_guest {
    const char *name;            /* as in bench/guests/guests.def */
    uint32_t size;               /* the argument of run() */
    uint64_t expected_checksum;  /* computed by the native build */
} bench_guest;

/* Where adapters find artefacts and tools. Borrowed by every engine; must outlive them. */
typedef struct bench_env {
    const char *build_dir;  /* the CMake build tree: bin/guest-*, guests/<target>/ */
    const char *source_dir; /* the repository (bench/engines/node_runner.mjs, node_modules) */
    const char *cache_dir;  /* writable; generated drivers, wasm2c output, linked blobs */
    const char *path;       /* PATH searched for tools; NULL = the process's PATH */
    const char *models;     /* extra pvm cost models, comma separated ("" = unit only) */
    bool pvm_rv32;          /* also the guests' rv32 builds on libpvm (pvm-<backend>-rv32-gas-<mode>) */
} bench_env;

/* A part of one sample timed on its own (a compile stage, instantiation, reset), stored
 * with the sample as a "clock" counter reading named name. A name that does not end in
 * "_ns" is a count, not a time: BENCH_PREEMPTIONS_STAGE, the compile threads' involuntary
 * context switches, and BENCH_INSTRUCTIONS_STAGE, the compiled program's instructions. */
enum { BENCH_STAGES_MAX = 24 };
#define BENCH_PREEMPTIONS_STAGE "compile_preemptions"
#define BENCH_INSTRUCTIONS_STAGE "instructions"
typedef struct bench_stage {
    const char *name; /* static string, e.g. "parse_ns" */
    int64_t ns;
} bench_stage;

/* One timed sample. */
typedef struct bench_timing {
    int64_t wall_ns;        /* the mode's timed quantity for one run (inner runs averaged) */
    bool checksum_present;
    uint64_t checksum;
    unsigned checksum_bits; /* 64, or fewer when the engine cannot return all of them */
    bool gas_present;
    int64_t gas;            /* gas consumed by one run */
    unsigned stage_count;   /* engines that time their stages (libpvm); 0 otherwise */
    bench_stage stages[BENCH_STAGES_MAX];
} bench_timing;

typedef struct bench_engine bench_engine;

typedef struct bench_engine_ops {
    /* Takes `count` samples of guest in mode into out[0..count). In execution mode each
     * sample is the mean of `inner` back-to-back runs on one instance; other modes ignore
     * inner. Returns 0, or -1 with one line in err. */
    int (*measure)(bench_engine *engine, const bench_guest *guest, bench_mode mode, unsigned count,
                   unsigned inner, bench_timing *out, char *err, size_t err_len);
    /* Releases engine->state (may be NULL). */
    void (*destroy)(bench_engine *engine);
} bench_engine_ops;

struct bench_engine {
    char name[BENCH_NAME_MAX];    /* configuration name, e.g. "pvm-jit-gas-sync" */
    char version[BENCH_NAME_MAX]; /* engine version as the engine reports it */
    char flags[BENCH_TEXT_MAX];   /* the flags that make this configuration */
    unsigned capabilities;        /* BENCH_CAN_* */
    bench_timing_method timing;
    const bench_engine_ops *ops;
    void *state;                  /* adapter-owned */
    const bench_env *env;         /* borrowed */
};

typedef struct bench_missing_engine {
    char name[BENCH_NAME_MAX];
    char reason[BENCH_TEXT_MAX];
} bench_missing_engine;

typedef struct bench_engine_list {
    bench_engine *engines;
    size_t count, capacity;
    bench_missing_engine *missing;
    size_t missing_count, missing_capacity;
} bench_engine_list;

/* Appends a copy of engine (the list takes over engine->state). -1 on out of memory. */
int bench_engine_list_add(bench_engine_list *list, const bench_engine *engine);
/* Records a configuration that cannot run here, with the reason (printf-style). */
int bench_engine_list_add_missing(bench_engine_list *list, const char *name, const char *reason_format, ...)
    __attribute__((format(printf, 3, 4)));
/* Destroys every engine and frees the list's memory; the list is empty afterwards. */
void bench_engine_list_free(bench_engine_list *list);

/* A destroy operation for adapters whose state is one malloc'ed block. */
void bench_engine_free_state(bench_engine *engine);

/* Appends engine to list; when that fails, destroys the engine (and its state). */
int bench_engine_list_adopt(bench_engine_list *list, bench_engine *engine);

/* Joins the NULL-terminated words with single spaces into out (truncating). */
void bench_join_words(const char *const *words, char *out, size_t out_len);

/* Whether the capability set allows mode. */
bool bench_engine_supports(const bench_engine *engine, bench_mode mode);

const char *bench_mode_name(bench_mode mode);
/* Parses "execution", "oneshot" or "compilation"; false when unknown. */
bool bench_mode_parse(const char *text, bench_mode *out);
const char *bench_timing_method_description(bench_timing_method method);

#endif
