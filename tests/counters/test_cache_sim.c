/* The simulated cache: geometry detection and parsing, exact miss counts for known access
 * patterns, and the pointer-chase sweep run on the interpreter through the VM's memory
 * trace, whose misses must step up exactly at the configured sizes. */
#include "costmodel/counters/cache_geometry.h"
#include "costmodel/counters/cache_sim.h"
#include "costmodel/counters/counters.h"
#include "costmodel/microbench/microbench.h"
#include "pvm/pvm.h"
#include "tests/results/test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A small hierarchy so the tests stay fast: 4 KiB 4-way, 32 KiB 8-way, 256 KiB 16-way. */
static void small_geometry(cache_geometry *g)
{
    char err[200];
    assert_int_equal(cache_geometry_parse("4K/4,32K/8,256K/16", g, err, sizeof err), 0);
}

static cache_sim_counts delta(cache_sim_counts a, cache_sim_counts b)
{
    cache_sim_counts d = {b.accesses - a.accesses, {0}};
    for (int k = 0; k < CACHE_MAX_LEVELS; k++) d.misses[k] = b.misses[k] - a.misses[k];
    return d;
}

static void test_parse_and_reject(void **state)
{
    (void)state;
    cache_geometry g;
    char err[200];
    assert_int_equal(cache_geometry_parse("48K/12,1M/8,32M/16/64", &g, err, sizeof err), 0);
    assert_int_equal(g.levels, 3);
    assert_int_equal(g.level[0].size, 48 * 1024);
    assert_int_equal(g.level[0].ways, 12);
    assert_int_equal(g.level[2].line, 64);
    assert_int_equal(cache_geometry_parse("1M,32K", &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "not larger than the level below"));
    assert_int_equal(cache_geometry_parse("48K/7", &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "whole number of sets"));
    assert_int_equal(cache_geometry_parse("32K;1M", &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "SIZE[/WAYS[/LINE]]"));
}

/* A sysfs tree laid out like the kernel's, and one that hides an L3 behind a socket total. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void make_index(const char *root, int index, const char *level, const char *type, const char *size,
                       const char *ways)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s/cpu0", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/cpu0/cache", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/cpu0/cache/index%d", root, index);
    assert_int_equal(mkdir(dir, 0755), 0);
    write_file(dir, "level", level);
    write_file(dir, "type", type);
    write_file(dir, "size", size);
    write_file(dir, "ways_of_associativity", ways);
    write_file(dir, "coherency_line_size", "64\n");
}

static void test_detect_from_sysfs_and_defaults(void **state)
{
    (void)state;
    char dir[64];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    make_index(dir, 0, "1\n", "Data\n", "48K\n", "12\n");
    make_index(dir, 1, "1\n", "Instruction\n", "32K\n", "8\n");
    make_index(dir, 2, "2\n", "Unified\n", "2048K\n", "16\n");
    make_index(dir, 3, "3\n", "Unified\n", "520192K\n", "16\n"); /* 508 MiB: a socket total */
    cache_geometry g;
    cache_geometry_detect(&g, dir);
    assert_string_equal(g.source, "sysfs");
    assert_int_equal(g.level[0].size, 48 * 1024);
    assert_false(g.level[0].assumed);
    assert_int_equal(g.level[1].size, 2 << 20);
    assert_int_equal(g.level[1].ways, 16);
    assert_true(g.level[2].assumed);
    assert_int_equal(g.level[2].size, 32 << 20);
    assert_non_null(strstr(g.notice, "L3 508 MiB"));
    test_remove_tree(dir);

    /* An empty tree: every level is a default, said once. */
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    cache_geometry_detect(&g, dir);
    assert_true(g.level[0].assumed && g.level[1].assumed && g.level[2].assumed);
    assert_non_null(strstr(g.notice, "no cache information"));
    test_remove_tree(dir);

    /* This machine: whatever it reports, the result is usable by the simulator. */
    cache_geometry_detect(&g, NULL);
    cache_sim *sim = cache_sim_new(&g);
    assert_non_null(sim);
    cache_sim_free(sim);
    char text[200];
    cache_geometry_describe(&g, text, sizeof text);
    print_message("this machine: %s (%s)%s%s\n", text, g.source, g.notice[0] ? "; " : "", g.notice);
}

/* Sequential 8-byte reads over 16 KiB: one miss per 64-byte line at every level the
 * buffer does not already sit in; the second pass hits in L2 (it fits) and misses L1
 * again (16 KiB > 4 KiB, streamed in LRU order). */
static void test_sequential(void **state)
{
    (void)state;
    cache_geometry g;
    small_geometry(&g);
    cache_sim *sim = cache_sim_new(&g);
    cache_sim_counts c0 = cache_sim_read(sim);
    for (uint64_t a = 0; a < 16384; a += 8) cache_sim_access(sim, 0x10000 + a, 8, false);
    cache_sim_counts c1 = cache_sim_read(sim), d = delta(c0, c1);
    assert_int_equal(d.accesses, 2048);
    assert_int_equal(d.misses[0], 256);
    assert_int_equal(d.misses[1], 256);
    assert_int_equal(d.misses[2], 256);
    for (uint64_t a = 0; a < 16384; a += 8) cache_sim_access(sim, 0x10000 + a, 8, true);
    d = delta(c1, cache_sim_read(sim));
    assert_int_equal(d.misses[0], 256);
    assert_int_equal(d.misses[1], 0);
    assert_int_equal(d.misses[2], 0);
    /* An access that spans two lines touches both. */
    c1 = cache_sim_read(sim);
    cache_sim_access(sim, 0x80000 + 60, 8, false);
    d = delta(c1, cache_sim_read(sim));
    assert_int_equal(d.accesses, 2);
    assert_int_equal(d.misses[0], 2);
    cache_sim_free(sim);
}

/* Lines one L1 way-stride apart (4 KiB / 4 ways = 1 KiB) share one L1 set. Four of them
 * (the associativity) stay after the first round; five thrash under LRU: every access
 * misses L1, while L2 (128 sets of 64 B: stride 8 KiB) holds them all. */
static void test_strided_over_one_set(void **state)
{
    (void)state;
    cache_geometry g;
    small_geometry(&g);
    for (uint32_t lines = 4; lines <= 5; lines++) {
        cache_sim *sim = cache_sim_new(&g);
        for (int round = 0; round < 10; round++)
            for (uint32_t j = 0; j < lines; j++) cache_sim_access(sim, 0x20000 + j * 1024, 8, false);
        cache_sim_counts c = cache_sim_read(sim);
        assert_int_equal(c.accesses, 10 * lines);
        assert_int_equal(c.misses[0], lines == 4 ? 4 : 10 * lines);
        assert_int_equal(c.misses[1], lines);
        assert_int_equal(c.misses[2], lines);
        cache_sim_free(sim);
    }
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A random cyclic order over a working set larger than L1, repeated: per set, the lines
 * come back in the same cyclic order, so under LRU a set that holds more lines than ways
 * misses on every access and one that holds fewer only on the first round. The expected
 * count comes from counting lines per set, not from running a cache. */
static void test_random_over_a_working_set(void **state)
{
    (void)state;
    cache_geometry g;
    small_geometry(&g);
    enum { LINES = 96, ROUNDS = 5 }; /* 6 KiB over a 4 KiB L1 with 16 sets */
    uint64_t addr[LINES], seed = 12345;
    for (int i = 0; i < LINES; i++) addr[i] = 0x40000 + (uint64_t)(xorshift(&seed) % 4096) * 64; /* any lines */
    for (int i = 0; i < LINES; i++) /* distinct lines: reroll collisions */
        for (int j = 0; j < i; j++)
            if (addr[j] == addr[i]) addr[i] = 0x40000 + (uint64_t)(xorshift(&seed) % 4096) * 64, j = -1;
    uint64_t per_set[16] = {0};
    for (int i = 0; i < LINES; i++) per_set[(addr[i] / 64) % 16]++;
    uint64_t expected = 0;
    for (int s = 0; s < 16; s++) expected += per_set[s] > 4 ? per_set[s] * ROUNDS : per_set[s];
    cache_sim *sim = cache_sim_new(&g);
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < LINES; i++) cache_sim_access(sim, addr[i], 8, false);
    cache_sim_counts c = cache_sim_read(sim);
    assert_int_equal(c.misses[0], expected);
    assert_true(expected > LINES); /* the pattern does overflow some sets */
    assert_int_equal(c.misses[1], LINES); /* 6 KiB fits L2 */
    cache_sim_free(sim);
}

/* The chase sweep on the interpreter, traced into the simulated cache: a first call walks
 * the whole cycle (cold), the second walks it again; its misses per load are exactly 0
 * while the working set fits a level and exactly 1 once it is larger (the lines are
 * contiguous, so every set holds the same number of them). */
static void test_chase_sweep_steps_at_the_configured_sizes(void **state)
{
    (void)state;
    cache_geometry g;
    small_geometry(&g);
    cache_sim *sim = cache_sim_new(&g);
    pvm_engine *engine;
    pvm_error perr = {{0}};
    pvm_engine_config ec = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_NONE};
    assert_int_equal(pvm_engine_new(&ec, &engine, &perr), PVM_OK);
    static const uint64_t sizes[] = {4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint64_t lines = sizes[i] / 64;
        mb_spec s = {.family = MB_POINTER_CHASE, .op = -1, .units = 8, .size = sizes[i], .trips = lines / 8};
        snprintf(s.name, sizeof s.name, "chase.%llu", (unsigned long long)sizes[i]);
        mb_program p;
        char err[200];
        assert_int_equal(mb_build(&s, &p, err, sizeof err), 0);
        pvm_module_config mc = {.format = PVM_FORMAT_POLKAVM};
        pvm_module *m;
        pvm_instance *in;
        assert_int_equal(pvm_module_compile(engine, p.blob, p.blob_len, &mc, NULL, &m, &perr), PVM_OK);
        assert_int_equal(pvm_instance_new(m, &in, &perr), PVM_OK);
        assert_int_equal(pvm_instance_write(in, p.image_addr, p.image, p.image_len, &perr), PVM_OK);
        assert_int_equal(pvm_instance_set_memory_trace(in, cache_sim_trace, sim, &perr), PVM_OK);
        cache_sim_flush(sim);
        cache_sim_counts before = {0};
        uint64_t at = 0;
        for (int call = 0; call < 2; call++) {
            uint64_t args[2];
            size_t nargs = mb_call_args(&s, at, args);
            before = cache_sim_read(sim);
            assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr), PVM_OK);
            pvm_result res;
            assert_int_equal(pvm_instance_run(in, &res, &perr), PVM_OK);
            assert_int_equal(res.kind, PVM_EXIT_HALT);
            at = pvm_instance_reg(in, 7);
            assert_int_equal(at, p.expected); /* a whole cycle: back at the start */
        }
        cache_sim_counts d = delta(before, cache_sim_read(sim));
        assert_int_equal(d.accesses, lines);
        for (size_t k = 0; k < g.levels; k++)
            assert_int_equal(d.misses[k], sizes[i] > g.level[k].size ? lines : 0);
        print_message("chase %6llu B: misses per load L1 %.2f L2 %.2f L3 %.2f\n", (unsigned long long)sizes[i],
                      (double)d.misses[0] / lines, (double)d.misses[1] / lines, (double)d.misses[2] / lines);
        pvm_instance_free(in);
        pvm_module_release(m);
        mb_program_free(&p);
    }
    pvm_engine_free(engine);
    cache_sim_free(sim);
}

typedef struct seen_log { uint32_t address[16], size[16]; bool write[16]; int count; } seen_log;
static void record_access(void *ctx, uint32_t address, uint32_t size, bool is_write)
{
    seen_log *log = ctx;
    if (log->count < 16) {
        log->address[log->count] = address;
        log->size[log->count] = size;
        log->write[log->count] = is_write;
    }
    log->count++;
}

/* The exact trace of a known program (one byte stored per page, pages in a scattered order), and the recompiler's
 * refusal. */
static void test_trace_hook_sees_each_access(void **state)
{
    (void)state;
    seen_log log = {0};
    mb_spec s = {.family = MB_FIRST_TOUCH, .op = -1, .units = 1, .size = 4, .trips = 4};
    snprintf(s.name, sizeof s.name, "touch");
    mb_program p;
    char err[200];
    assert_int_equal(mb_build(&s, &p, err, sizeof err), 0);
    pvm_engine *engine;
    pvm_error perr = {{0}};
    pvm_engine_config ec = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC};
    assert_int_equal(pvm_engine_new(&ec, &engine, &perr), PVM_OK);
    pvm_module_config mc = {.format = PVM_FORMAT_POLKAVM};
    pvm_module *m;
    pvm_instance *in;
    assert_int_equal(pvm_module_compile(engine, p.blob, p.blob_len, &mc, NULL, &m, &perr), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &in, &perr), PVM_OK);
    assert_int_equal(pvm_instance_set_memory_trace(in, record_access, &log, &perr), PVM_OK);
    uint64_t args[2];
    size_t nargs = mb_call_args(&s, 0, args);
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr), PVM_OK);
    pvm_instance_set_gas(in, 1000000);
    pvm_result res;
    assert_int_equal(pvm_instance_run(in, &res, &perr), PVM_OK);
    assert_int_equal(res.kind, PVM_EXIT_HALT);
    assert_int_equal(log.count, 4);
    for (int i = 0; i < 4; i++) {
        /* scattered order: the page index steps by 3 modulo 4 (first_touch.c) */
        assert_int_equal(log.address[i], MB_RW_ADDR + 4096u * (uint32_t)((3 * i) & 3));
        assert_int_equal(log.size[i], 1);
        assert_true(log.write[i]);
    }
    /* Off again: the next run is not traced. */
    assert_int_equal(pvm_instance_set_memory_trace(in, NULL, NULL, &perr), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr), PVM_OK);
    assert_int_equal(pvm_instance_run(in, &res, &perr), PVM_OK);
    assert_int_equal(log.count, 4);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(engine);
    if (pvm_backend_available(PVM_BACKEND_JIT)) {
        ec.backend = PVM_BACKEND_JIT;
        assert_int_equal(pvm_engine_new(&ec, &engine, &perr), PVM_OK);
        assert_int_equal(pvm_module_compile(engine, p.blob, p.blob_len, &mc, NULL, &m, &perr), PVM_OK);
        assert_int_equal(pvm_instance_new(m, &in, &perr), PVM_OK);
        assert_int_equal(pvm_instance_set_memory_trace(in, record_access, &log, &perr), PVM_ERR_UNSUPPORTED);
        assert_non_null(strstr(perr.msg, "interpreter"));
        pvm_instance_free(in);
        pvm_module_release(m);
        pvm_engine_free(engine);
    }
    mb_program_free(&p);
}

/* The sim backend lists the cache counters and reports a traced interval's counts. */
static void test_backend_reports_cache_counts(void **state)
{
    (void)state;
    setenv("PVMLAB_SIM_CACHE", "4K/4,32K/8,256K/16", 1);
    char err[256];
    pvmlab_counters *counters;
    assert_int_equal(pvmlab_counters_open(PVMLAB_BACKEND_SIMULATED, &counters, err, sizeof err), 0);
    cache_sim *sim = pvmlab_counters_cache_sim(counters);
    assert_non_null(sim);
    assert_int_equal(cache_sim_geometry(sim)->level[0].size, 4096);
    assert_int_equal(pvmlab_counters_start(counters), 0);
    cache_sim_counts c0 = cache_sim_read(sim);
    for (uint64_t a = 0; a < 8192; a += 64) cache_sim_access(sim, a, 8, false);
    cache_sim_counts d = delta(c0, cache_sim_read(sim));
    pvmlab_counters_report_cache(counters, &d);
    assert_int_equal(pvmlab_counters_stop(counters), 0);
    pvmlab_counter_reading r[8];
    assert_int_equal(pvmlab_counters_read(counters, r, 8), 6);
    assert_string_equal(r[2].name, "sim_mem_accesses");
    assert_true(r[2].available && r[2].value == 128);
    assert_true(r[3].available && r[3].value == 128);
    assert_true(r[5].available && r[5].value == 128);
    pvmlab_counters_close(counters);
    /* A bad configuration: the counters are listed as unavailable with the reason. */
    setenv("PVMLAB_SIM_CACHE", "1M,32K", 1);
    assert_int_equal(pvmlab_counters_open(PVMLAB_BACKEND_SIMULATED, &counters, err, sizeof err), 0);
    assert_null(pvmlab_counters_cache_sim(counters));
    pvmlab_counter_info info;
    assert_int_equal(pvmlab_counters_describe(counters, 3, &info), 0);
    assert_false(info.available);
    assert_non_null(strstr(info.unavailable_reason, "not larger"));
    pvmlab_counters_close(counters);
    unsetenv("PVMLAB_SIM_CACHE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_reject),
        cmocka_unit_test(test_detect_from_sysfs_and_defaults),
        cmocka_unit_test(test_sequential),
        cmocka_unit_test(test_strided_over_one_set),
        cmocka_unit_test(test_random_over_a_working_set),
        cmocka_unit_test(test_chase_sweep_steps_at_the_configured_sizes),
        cmocka_unit_test(test_trace_hook_sees_each_access),
        cmocka_unit_test(test_backend_reports_cache_counts),
    };
    return cmocka_run_group_tests_name("cache_sim", tests, NULL, NULL);
}
