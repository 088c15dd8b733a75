#include "synthetic_db.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "results/results.h"
#include "results/results_fidelity.h"

typedef struct engine_spec {
    const char *name, *mode, *config;
    double slowdown; /* time relative to native */
    int meters;
} engine_spec;

/* Names and flags as pvmlab bench writes them (bench/engines). */
static const engine_spec ENGINES[] = {
    {"native", "execution", "clang-19 -O2", 1.0, 0},
    {"pvm-interp-gas-sync", "execution", "backend=interp gas=sync model=unit", 9.0, 1},
    {"pvm-jit-gas-sync", "execution", "backend=jit gas=sync model=unit", 1.8, 1},
    {"pvm-jit-gas-async-pipeline-l2hit", "execution", "backend=jit gas=async model=pipeline-l2hit", 1.7, 1},
    {"wasmtime", "execution", "", 1.4, 0},
};
enum { ENGINE_COUNT = sizeof ENGINES / sizeof ENGINES[0] };

typedef struct benchmark_spec {
    const char *name;
    double native_ms, gas_millions;
} benchmark_spec;

static const benchmark_spec BENCHMARKS[] = {
    {"sieve", 8, 30},       {"sha256", 12, 50},  {"keccak", 10, 40},   {"matmul", 15, 70},
    {"gas_quiz_stride1", 43, 90}, {"gas_quiz_stride2048", 134, 90}, {"gas_quiz_stride2053", 43, 90},
};
enum { BENCHMARK_COUNT = sizeof BENCHMARKS / sizeof BENCHMARKS[0], REPETITIONS = 3 };

#define CHECK(call)                                                                                \
    do {                                                                                           \
        if ((call) != 0) {                                                                         \
            fprintf(stderr, "synthetic db: %s: %s\n", #call, pvmlab_db_error(db));                 \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

static void fill_readings(pvmlab_counter_reading *readings, int64_t wall_ns, int64_t instructions)
{
    memset(readings, 0, 3 * sizeof *readings);
    strcpy(readings[0].name, "cycles");
    readings[0].source = PVMLAB_SOURCE_PMU;
    strcpy(readings[0].unavailable_reason, SYNTHETIC_PMU_REASON);
    strcpy(readings[1].name, "task-clock");
    readings[1].source = PVMLAB_SOURCE_SOFTWARE;
    readings[1].available = true;
    readings[1].value = wall_ns - wall_ns / 50;
    strcpy(readings[2].name, "instructions");
    readings[2].source = PVMLAB_SOURCE_SIMULATED;
    readings[2].available = true;
    readings[2].value = instructions;
}

static int write_run(pvmlab_db *db, pvmlab_id machine, pvmlab_id build, int newest)
{
    pvmlab_id run, engines[ENGINE_COUNT], benchmarks[BENCHMARK_COUNT];
    CHECK(pvmlab_db_run_begin(db, machine, build, "pvmlab bench --suite quick", &run, NULL));
    CHECK(pvmlab_db_batch_begin(db));
    for (size_t e = 0; e < ENGINE_COUNT; e++)
        CHECK(pvmlab_db_insert_engine(db, ENGINES[e].name, "0.1.0", ENGINES[e].config, &engines[e]));
    for (size_t b = 0; b < BENCHMARK_COUNT; b++)
        CHECK(pvmlab_db_insert_benchmark(db, "guests", BENCHMARKS[b].name, 1000, &benchmarks[b]));
    for (size_t e = 0; e < ENGINE_COUNT; e++)
        for (size_t b = 0; b < BENCHMARK_COUNT; b++)
            for (int r = 0; r < REPETITIONS; r++) {
                double ms = BENCHMARKS[b].native_ms * ENGINES[e].slowdown * (1.0 + 0.01 * r);
                if (newest && e == 1 && strcmp(BENCHMARKS[b].name, SYNTHETIC_REGRESSED_BENCHMARK) == 0)
                    ms *= 1.25;
                int64_t gas = (int64_t)(BENCHMARKS[b].gas_millions * 1e6);
                pvmlab_sample sample = {
                    .run = run, .engine = engines[e], .benchmark = benchmarks[b], .mode = ENGINES[e].mode,
                    .repetition = r, .wall_ns = (int64_t)(ms * 1e6),
                    .gas = {.present = ENGINES[e].meters, .value = gas},
                    .instructions = {.present = true, .value = gas},
                    .checksum = {.present = true, .value = 0x1234},
                };
                pvmlab_counter_reading readings[3];
                fill_readings(readings, sample.wall_ns, gas);
                CHECK(pvmlab_db_insert_sample(db, &sample, readings, 3, NULL));
            }
    /* Compilation-mode samples: another measurement, which must not mix with execution. */
    for (size_t e = 0; e < ENGINE_COUNT; e++) {
        pvmlab_sample sample = {.run = run, .engine = engines[e], .benchmark = benchmarks[0], .mode = "compilation",
                                .wall_ns = 1000 + (int64_t)e};
        CHECK(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL));
    }
    CHECK(pvmlab_db_batch_commit(db));
    CHECK(pvmlab_db_run_end(db, run, "ok"));
    return 0;
}

/* Keys and parameters as pvmlab calibrate writes them (costmodel/calibrate): picoseconds
 * only (cycles NULL), "vm_backend" in the parameters JSON; one value that is not ps (a fitted
 * pipeline parameter, in model cycles). */
static int write_opcode_calibration(pvmlab_db *db, pvmlab_id run, const char *backend, double scale)
{
    static const char *const keys[] = {"op.add_64.lat", "op.sub_64.lat", "op.mul_64.lat", "op.div_u_64.lat",
                                       "op.load_u64.lat", "op.store_u64.tput", "op.branch_eq.lat", "op.jump.lat",
                                       "op.shlo_l_64.lat", "op.xor.lat", "loop.overhead", "branch.mispredict",
                                       "pipeline.l2hit.latency.l2"};
    enum { KEYS = sizeof keys / sizeof keys[0] };
    pvmlab_calibration_value values[KEYS];
    for (size_t i = 0; i < KEYS; i++)
        values[i] = (pvmlab_calibration_value){.key = keys[i], .value_ps = scale * (250.0 + 90.0 * (double)(i % 4)),
                                               .value_cycles = NAN, .mad = 4.0, .n = 31};
    char parameters[96];
    snprintf(parameters, sizeof parameters, "{\"vm_backend\":\"%s\",\"suite\":\"quick\"}", backend);
    pvmlab_calibration calibration = {.run = run, .backend = "tsc", .model_kind = "table", .parameters = parameters,
                                      .fit_results = "{\"r2\":0.98}"};
    pvmlab_id id, engine, benchmark;
    CHECK(pvmlab_db_store_calibration(db, &calibration, values, KEYS, &id));
    CHECK(pvmlab_db_store_cost_table(db, id, "table", "# synthetic table\nadd_64 1\n", &id, NULL));
    /* calibrate also stores its microbenchmark samples (mode = the backend): they are not a
     * bench run and must not become the report's newest run. */
    CHECK(pvmlab_db_insert_engine(db, backend, "0.1.0", "", &engine));
    CHECK(pvmlab_db_insert_benchmark(db, "calibrate", "op.add_64.lat.L4", 4, &benchmark));
    pvmlab_sample sample = {.run = run, .engine = engine, .benchmark = benchmark, .mode = backend, .wall_ns = 900};
    CHECK(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL));
    return 0;
}

/* The load-latency sweep in the older spellings the plots also accept (ws:, l1_hit), with
 * cycles as well as picoseconds. */
static int write_latency_calibration(pvmlab_db *db, pvmlab_id run)
{
    static const char *const keys[] = {"ws:4K", "ws:16K", "ws:32K", "ws:128K", "ws:512K", "ws:2M", "ws:8M", "ws:32M",
                                       "ws:128M", "l1_hit", "l2_hit", "l3_hit", "mem.dram", "stride:1", "stride:2048",
                                       "stride:2053"};
    static const double cycles[] = {4, 4, 5, 14, 15, 42, 48, 190, 240, 4, 14, 45, 230, 4, 14, 4};
    enum { KEYS = sizeof keys / sizeof keys[0] };
    pvmlab_calibration_value values[KEYS];
    for (size_t i = 0; i < KEYS; i++)
        values[i] = (pvmlab_calibration_value){.key = keys[i], .value_ps = cycles[i] * 250.0, .value_cycles = cycles[i],
                                               .mad = NAN, .n = 15};
    pvmlab_calibration calibration = {.run = run, .backend = "tsc", .model_kind = "pipeline",
                                      .parameters = "{\"sweep\":\"pointer chase\"}", .fit_results = ""};
    pvmlab_id id;
    CHECK(pvmlab_db_store_calibration(db, &calibration, values, KEYS, &id));
    CHECK(pvmlab_db_store_cost_table(db, id, "pipeline", "# synthetic pipeline\nl1_hit 4\n", &id, NULL));
    return 0;
}

static int write_fidelity_set(pvmlab_db *db, pvmlab_id run);

/* A fidelity run as pvmlab tables writes it: calibration programs timed under a generated
 * table, mode "fidelity". The stride-2048 program runs 3x longer for the same gas. */
static int write_fidelity_run(pvmlab_db *db, pvmlab_id machine, pvmlab_id build)
{
    static const char *const programs[] = {"op.add_64.lat.L16", "op.mul_64.lat.L16", "chase.32768.L64",
                                           "stride.1.L64", "stride.2048.L64", "stride.2053.L64"};
    static const double ns_per_gas[] = {0.30, 0.32, 0.35, 0.30, 0.90, 0.31};
    pvmlab_id run, engine, benchmark;
    CHECK(pvmlab_db_run_begin(db, machine, build, "pvmlab tables --model table --fidelity quick", &run, NULL));
    CHECK(pvmlab_db_insert_engine(db, "pvm-interp table:cal-1", "0.1.0", "backend=interp gas=sync model=table:cal-1",
                                  &engine));
    for (size_t p = 0; p < sizeof programs / sizeof programs[0]; p++) {
        CHECK(pvmlab_db_insert_benchmark(db, "fidelity", programs[p], 64, &benchmark));
        for (int r = 0; r < REPETITIONS; r++) {
            int64_t gas = 1000000;
            pvmlab_sample sample = {.run = run, .engine = engine, .benchmark = benchmark, .mode = "fidelity",
                                    .repetition = r, .wall_ns = (int64_t)(ns_per_gas[p] * (double)gas) + r,
                                    .gas = {.present = true, .value = gas}};
            CHECK(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL));
        }
    }
    CHECK(write_fidelity_set(db, run));
    CHECK(pvmlab_db_run_end(db, run, "ok"));
    return 0;
}

/* A held-out fidelity set as pvmlab tables stores it, in the fidelity run: ns/gas 1, 2, 3
 * (compute-bound) and 6 (memory-bound, half of its gas lazy-page charges). All programs:
 * median 2.5, max/median 2.4, p95/median (3 + 0.85 x 3) / 2.5 = 2.22. */
static int write_fidelity_set(pvmlab_db *db, pvmlab_id run)
{
    const pvmlab_fidelity_set set = {.run = run, .calibration_uuid = SYNTHETIC_CALIBRATION_UUID,
                                     .cost_table_hash = "xxh3-64:5e5e5e5e5e5e5e5e", .model = "pipeline-l2hit",
                                     .backend = "jit", .program_set = "guests-rv64", .held_out = true,
                                     .memory_rule = "memory-bound: touches more than 512 KiB (synthetic)",
                                     .ps_per_gas = 2000};
    const pvmlab_fidelity_program programs[] = {
        {.program = "sha256", .wall_ns = 1000, .gas = 1000, .lazy_gas = {true, 0}, .footprint_bytes = {true, 65536}},
        {.program = "keccak", .wall_ns = 2000, .gas = 1000, .lazy_gas = {true, 0}, .footprint_bytes = {true, 65536}},
        {.program = "crc32", .wall_ns = 3000, .gas = 1000, .lazy_gas = {true, 0}, .footprint_bytes = {true, 65536},
         .instructions = {true, 4000}, .l1_misses = {true, 0}, .l2_misses = {true, 0}, .branches = {true, 500},
         .mispredicts = {true, 40}},
        {.program = "linked_list", .wall_ns = 12000, .gas = 2000, .lazy_gas = {true, 1000},
         .footprint_bytes = {true, 8 << 20}, .memory_bound = true, .instructions = {true, 2000},
         .l1_misses = {true, 100}, .l2_misses = {true, 60}, .branches = {true, 200}, .mispredicts = {true, 1}},
    };
    if (pvmlab_db_store_fidelity(db, &set, programs, 4, NULL) != 0)
        return -1;
    /* The training seed's generated programs, timed alike as the held-out set's control (not
     * held out): the report shows it beside the held-out sets, a "calibration" set it does not. */
    pvmlab_fidelity_set control = set, calibration = set;
    control.program_set = "generated seed=0x7261696e696e6731";
    control.held_out = false;
    calibration.program_set = "calibration";
    calibration.held_out = false;
    return pvmlab_db_store_fidelity(db, &control, programs, 3, NULL) || pvmlab_db_store_fidelity(db, &calibration, programs, 3, NULL);
}

int synthetic_db_create(const char *path, synthetic_kind kind)
{
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    remove(path);
    if (pvmlab_db_open(path, NULL, &db, err, sizeof err) != 0) {
        fprintf(stderr, "synthetic db: %s\n", err);
        return -1;
    }
    int rc = 0;
    if (kind == SYNTHETIC_FULL) {
        pvmlab_machine_info machine = {.cores = 2, .pmu_available = false};
        strcpy(machine.hostname, "synthetic-host");
        strcpy(machine.cpu_model, "Synthetic CPU @ 4.0GHz");
        strcpy(machine.kernel, "Linux 6.1.0 #1 SMP x86_64");
        strcpy(machine.pmu_reason, SYNTHETIC_PMU_REASON);
        pvmlab_build_info build = {.compiler = "gcc 12.2.0", .flags = "Release -O2", .git_rev = "0123456789ab",
                                   .tool_version = "0.1.0"};
        pvmlab_id machine_id, build_id, calibration_run;
        rc = pvmlab_db_insert_machine(db, &machine, &machine_id) || pvmlab_db_insert_build(db, &build, &build_id) ||
             write_run(db, machine_id, build_id, 0) || write_run(db, machine_id, build_id, 1) ||
             pvmlab_db_run_begin(db, machine_id, build_id, "pvmlab calibrate", &calibration_run, NULL) ||
             write_opcode_calibration(db, calibration_run, "interp", 4.0) ||
             write_opcode_calibration(db, calibration_run, "jit", 1.0) ||
             write_latency_calibration(db, calibration_run) || pvmlab_db_run_end(db, calibration_run, "ok") ||
             write_fidelity_run(db, machine_id, build_id);
        if (rc)
            fprintf(stderr, "synthetic db: %s\n", pvmlab_db_error(db));
    }
    pvmlab_db_close(db);
    return rc ? -1 : 0;
}
