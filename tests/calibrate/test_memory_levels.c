/* The memory sweep: sizes from the cache geometry (>= 6 per level, DRAM beyond the last
 * level), plateaus named by the sizes they start at (DRAM is never called L3), the
 * huge-page twin and the TLB share, and the PMU misprediction rate stored as unknown
 * without a PMU. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "costmodel/counters/cache_geometry.h"
#include "costmodel/calibrate/calibration_fit.h"
#include "costmodel/calibrate/memory_levels.h"
#include "costmodel/microbench/microbench.h"
#include "costmodel/calibrate/measure.h"
#include "costmodel/calibrate/mispredict.h"

static cache_geometry zen5_like(void)
{
    cache_geometry g;
    char err[200];
    assert_int_equal(cache_geometry_parse("48K/12,1M/8,32M/16", &g, err, sizeof err), 0);
    return g;
}

static void test_sweep_sizes_follow_the_levels(void **state)
{
    (void)state;
    mb_suite_config c;
    mb_suite_config_quick(&c);
    cache_geometry g = zen5_like();
    for (int k = 0; k < 3; k++) c.cache_bytes[k] = g.level[k].size;
    uint64_t sizes[128];
    size_t n = mb_chase_sweep_sizes(&c, sizes, 128);
    size_t per_level[4] = {0};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(sizes[i] % 64, 0);
        assert_true(sizes[i] >= 4096);
        if (i) assert_true(sizes[i] > sizes[i - 1]);
        int level = 0;
        while (level < 3 && sizes[i] > c.cache_bytes[level]) level++;
        per_level[level]++;
    }
    for (int k = 0; k < 3; k++) assert_true(per_level[k] >= 6);
    assert_int_equal(per_level[3], c.chase_dram_points);
    assert_true(sizes[n - 1] <= 4 * c.cache_bytes[2]);
    /* Without a geometry: the fixed geometric sweep, two sizes per octave. */
    memset(c.cache_bytes, 0, sizeof c.cache_bytes);
    n = mb_chase_sweep_sizes(&c, sizes, 128);
    assert_int_equal(sizes[0], 4096);
    assert_int_equal(sizes[n - 1], c.chase_max_bytes);
    assert_int_equal(sizes[2], 8192);
}

static void add(cal_result *r, const char *prefix, uint64_t bytes, double ps)
{
    char key[64];
    snprintf(key, sizeof key, "%s.%llu", prefix, (unsigned long long)bytes);
    assert_int_equal(cal_result_add(r, key, ps, NAN, NAN, 5), 0);
}

static double value(const cal_result *r, const char *key)
{
    const cal_value *v = cal_result_find(r, key);
    return v ? v->ps : -1;
}

/* Four clear levels, a TLB step inside L3 on 4 KiB pages that huge pages do not have. */
static void test_plateaus_are_named_by_size(void **state)
{
    (void)state;
    cache_geometry g = zen5_like();
    cal_result r = {0};
    r.fit = json_object_new_object();
    static const uint64_t l1[] = {4096, 8192, 16384, 32768}, l2[] = {65536, 131072, 262144, 524288},
                          l3a[] = {1310720, 2621440, 4194304}, l3b[] = {8388608, 16777216, 25165824},
                          dram[] = {50331648, 83886080, 134217728};
    for (int i = 0; i < 4; i++) add(&r, "chase", l1[i], 1000), add(&r, "chase_huge", l1[i], 1000);
    for (int i = 0; i < 4; i++) add(&r, "chase", l2[i], 4000 + 10 * i), add(&r, "chase_huge", l2[i], 4000);
    for (int i = 0; i < 3; i++) add(&r, "chase", l3a[i], 15000), add(&r, "chase_huge", l3a[i], 14000);
    for (int i = 0; i < 3; i++) add(&r, "chase", l3b[i], 40000), add(&r, "chase_huge", l3b[i], 15000);
    for (int i = 0; i < 3; i++) add(&r, "chase", dram[i], 100000), add(&r, "chase_huge", dram[i], 80000);
    assert_int_equal(memory_levels_fit(&r, &g), 0);
    assert_float_equal(value(&r, "mem.l1"), 1000, 1e-9);
    assert_float_equal(value(&r, "mem.l2"), 4015, 1e-9);
    assert_float_equal(value(&r, "mem.l3"), 15000, 1e-9); /* the first plateau inside L3 */
    assert_float_equal(value(&r, "mem.dram"), 100000, 1e-9);
    assert_float_equal(value(&r, "mem.huge.l3"), 14500, 1e-9); /* one plateau: 14000 x3, 15000 x3 */
    assert_float_equal(value(&r, "tlb.dram"), 20000, 1e-9);
    /* at the sizes of the 4 KiB plateau used (l3a), not against the huge pages' one plateau */
    assert_float_equal(value(&r, "tlb.l3"), 1000, 1e-9);
    json_object *plateaus, *p, *v;
    assert_true(json_object_object_get_ex(r.fit, "plateaus", &plateaus));
    assert_int_equal(json_object_array_length(plateaus), 5);
    p = json_object_array_get_idx(plateaus, 3);
    assert_true(json_object_object_get_ex(p, "label", &v));
    assert_string_equal(json_object_get_string(v), "l3");
    assert_true(json_object_object_get_ex(p, "used", &v));
    assert_false(json_object_get_boolean(v));
    assert_true(json_object_object_get_ex(r.fit, "cache_geometry", &v));
    cal_result_free(&r);
}

/* The quick sweep measures huge pages at every 2nd size only, so the two sweeps' plateaus
 * can start at different sizes: the TLB share pairs the sizes both measured. A share that
 * comes out negative (huge pages slower: noise) is stored as 0, and fit_results says why. */
static void test_tlb_share_pairs_sizes_and_is_never_negative(void **state)
{
    (void)state;
    cache_geometry g = zen5_like();
    cal_result r = {0};
    r.fit = json_object_new_object();
    static const uint64_t l3[] = {1310720, 2621440, 4194304, 8388608, 16777216, 25165824};
    for (uint64_t b = 4096; b <= 32768; b *= 2) add(&r, "chase", b, 1000), add(&r, "chase_huge", b, 1000);
    for (uint64_t b = 65536; b <= 524288; b *= 2) add(&r, "chase", b, 4000), add(&r, "chase_huge", b, 4200);
    for (int i = 0; i < 6; i++) {
        add(&r, "chase", l3[i], 150000);
        if (i % 2 == 0) add(&r, "chase_huge", l3[i], i == 0 ? 120000 : 140000); /* every 2nd size */
    }
    assert_int_equal(memory_levels_fit(&r, &g), 0);
    assert_float_equal(value(&r, "tlb.l3"), 10000, 1e-9); /* median of 30000, 10000, 10000 */
    const cal_value *v = cal_result_find(&r, "tlb.l3");
    assert_true(v->se_ps > 0);
    assert_int_equal(v->n, 6); /* three pairs */
    assert_float_equal(value(&r, "tlb.l2"), 0, 0); /* -200 measured */
    json_object *notes, *note, *field;
    assert_true(json_object_object_get_ex(r.fit, "tlb", &notes));
    bool clamped = false;
    for (size_t i = 0; i < json_object_array_length(notes); i++) {
        note = json_object_array_get_idx(notes, i);
        assert_true(json_object_object_get_ex(note, "level", &field));
        if (strcmp(json_object_get_string(field), "l2") != 0) continue;
        assert_true(json_object_object_get_ex(note, "measured_ps", &field));
        assert_float_equal(json_object_get_double(field), -200, 1e-9);
        assert_true(json_object_object_get_ex(note, "clamped", &field));
        assert_non_null(strstr(json_object_get_string(field), "stored as 0"));
        clamped = true;
    }
    assert_true(clamped);
    for (size_t i = 0; i < r.count; i++) /* no fitted memory cost is negative */
        if (strncmp(r.values[i].key, "tlb.", 4) == 0 || strncmp(r.values[i].key, "mem.", 4) == 0)
            assert_true(r.values[i].ps >= 0);
    cal_result_free(&r);
}

/* Three plateaus: the old rule (the last of three is DRAM) would call an L3 plateau DRAM
 * when the sweep stops inside L3, and a DRAM plateau L3 when the L3 sizes are skipped. */
static void test_dram_is_never_called_l3(void **state)
{
    (void)state;
    cache_geometry g = zen5_like();
    cal_result r = {0};
    r.fit = json_object_new_object();
    for (uint64_t b = 4096; b <= 32768; b *= 2) add(&r, "chase", b, 1000);
    for (uint64_t b = 65536; b <= 524288; b *= 2) add(&r, "chase", b, 4000);
    /* One size inside L3 (too few for a level), then beyond the LLC: DRAM, and no L3. */
    add(&r, "chase", 2u << 20, 30000);
    add(&r, "chase", 64u << 20, 90000);
    add(&r, "chase", 128u << 20, 95000);
    assert_int_equal(memory_levels_fit(&r, &g), 0);
    assert_float_equal(value(&r, "mem.dram"), 92500, 1e-9);
    assert_float_equal(value(&r, "mem.l3"), -1, 0); /* absent: the table falls back to DRAM */
    cal_result_free(&r);

    r = (cal_result){0};
    r.fit = json_object_new_object();
    for (uint64_t b = 4096; b <= 32768; b *= 2) add(&r, "chase", b, 1000);
    for (uint64_t b = 65536; b <= 524288; b *= 2) add(&r, "chase", b, 4000);
    for (uint64_t b = 2u << 20; b <= 16u << 20; b *= 2) add(&r, "chase", b, 15000); /* sweep ends in L3 */
    assert_int_equal(memory_levels_fit(&r, &g), 0);
    assert_float_equal(value(&r, "mem.l3"), 15000, 1e-9);
    assert_float_equal(value(&r, "mem.dram"), -1, 0);
    cal_result_free(&r);
    /* A run of equal latencies across the LLC boundary is still cut there. */
    r = (cal_result){0};
    r.fit = json_object_new_object();
    for (uint64_t b = 4096; b <= 32768; b *= 2) add(&r, "chase", b, 1000);
    for (uint64_t b = 65536; b <= 524288; b *= 2) add(&r, "chase", b, 4000);
    for (uint64_t b = 2u << 20; b <= 128u << 20; b *= 2) add(&r, "chase", b, b <= (32u << 20) ? 50000 : 60000);
    assert_int_equal(memory_levels_fit(&r, &g), 0);
    assert_float_equal(value(&r, "mem.l3"), 50000, 1e-9);
    assert_float_equal(value(&r, "mem.dram"), 60000, 1e-9);
    cal_result_free(&r);
    assert_string_equal(memory_level_of(&g, 32u << 20), "l3");
    assert_string_equal(memory_level_of(&g, (32u << 20) + 64), "dram");
}

static void test_pmu_miss_rate(void **state)
{
    (void)state;
    mb_spec specs[4] = {0};
    measurement m[4] = {0};
    bool ok[4] = {true, true, true, true};
    for (int i = 0; i < 4; i++) {
        specs[i] = (mb_spec){.family = MB_BRANCH, .random = i >= 2, .units = i % 2 ? 16 : 4, .trips = 1000};
        m[i].branch_misses = NAN;
    }
    assert_true(isnan(mispredict_pmu_rate(specs, m, ok, 4, MB_BRANCH))); /* stored as NULL */
    /* With counts: (random - fixed) / (trips x units), the median over the pairs. */
    m[0].branch_misses = 10, m[1].branch_misses = 12;
    m[2].branch_misses = 10 + 0.5 * 4000, m[3].branch_misses = 12 + 0.46 * 16000;
    assert_float_equal(mispredict_pmu_rate(specs, m, ok, 4, MB_BRANCH), 0.48, 1e-9);
}

/* AnonHugePages of this process in KiB (smaps_rollup), or -1. */
static long anon_huge_kib(void)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "AnonHugePages: %ld kB", &kib) == 1) break;
    if (f) fclose(f);
    return kib;
}

/* The chase on huge pages really runs on huge pages when the kernel offers them: its
 * instance (made by calibrate's instantiate_program) holds 2 MiB pages after the image. */
static void test_huge_page_chase_is_backed_by_huge_pages(void **state)
{
    (void)state;
    char why[256];
    bool on = memory_thp_available(why, sizeof why);
    assert_non_null(strstr(why, "transparent huge pages"));
    print_message("%s -> %s\n", why, on ? "huge-page sweep" : "skipped");
    mb_spec s = {.family = MB_POINTER_CHASE, .op = -1, .units = 8, .size = 16u << 20, .trips = 64,
                 .huge_pages = true};
    snprintf(s.name, sizeof s.name, "chase_huge.16M");
    mb_program p;
    char err[256];
    assert_int_equal(mb_build(&s, &p, err, sizeof err), 0);
    assert_true(p.huge_pages);
    pvm_engine *e;
    pvm_error perr = {{0}};
    pvm_engine_config ec = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_NONE};
    assert_int_equal(pvm_engine_new(&ec, &e, &perr), PVM_OK);
    long before = anon_huge_kib();
    pvm_module *m;
    pvm_instance *in;
    assert_int_equal(instantiate_program(e, &p, &m, &in, err, sizeof err), 0);
    long after = anon_huge_kib();
    print_message("AnonHugePages %ld -> %ld KiB after a 16 MiB image\n", before, after);
    if (on && before >= 0) assert_true(after - before >= 2048);
    else print_message("not checked: %s\n", before < 0 ? "no /proc/self/smaps_rollup" : why);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    mb_program_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_sizes_follow_the_levels),
        cmocka_unit_test(test_plateaus_are_named_by_size),
        cmocka_unit_test(test_tlb_share_pairs_sizes_and_is_never_negative),
        cmocka_unit_test(test_dram_is_never_called_l3),
        cmocka_unit_test(test_pmu_miss_rate),
        cmocka_unit_test(test_huge_page_chase_is_backed_by_huge_pages),
    };
    return cmocka_run_group_tests_name("memory_levels", tests, NULL, NULL);
}
