/* The bench session with fake adapters: correct checksums are stored sample by sample,
 * a wrong checksum fails the session naming engine and guest, a failing adapter is
 * reported without stopping the others, the engines of a guest take their samples
 * in interleaved rounds, and execution samples run on the one CPU asked for. */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/runner/bench_session.h"
#include "results/results.h"
#include "bench/runner/suites.h"
#include "tests/results/results_fixture.h"
#include "tests/results/test_support.h"

typedef enum { FAKE_CORRECT, FAKE_WRONG_CHECKSUM, FAKE_FAILS } fake_behaviour;

/* Every call of fake_measure, in order: which engine, which guest, how many runs. */
enum { MAX_CALLS = 512 };
static struct {
    const void *engine;
    const char *guest;
    unsigned count;
    bench_mode mode;
    cpu_set_t cpus; /* the process's affinity mask during the call */
} calls[MAX_CALLS];
static size_t call_count;

static int fake_measure(bench_engine *engine, const bench_guest *guest, bench_mode mode, unsigned count,
                        unsigned inner, bench_timing *out, char *err, size_t err_len)
{
    (void)inner;
    if (call_count < MAX_CALLS) {
        calls[call_count] = (typeof(calls[0])){engine->state, guest->name, count, mode, {{0}}};
        assert_int_equal(sched_getaffinity(0, sizeof calls[call_count].cpus, &calls[call_count].cpus), 0);
        call_count++;
    }
    fake_behaviour behaviour = *(const fake_behaviour *)engine->state;
    if (behaviour == FAKE_FAILS) {
        snprintf(err, err_len, "fake engine refuses %s", guest->name);
        return -1;
    }
    for (unsigned i = 0; i < count; i++)
        out[i] = (bench_timing){.wall_ns = 5000000 + i, .checksum_present = true, .checksum_bits = 64,
                                .checksum = guest->expected_checksum ^ (behaviour == FAKE_WRONG_CHECKSUM)};
    return 0;
}

static const bench_engine_ops FAKE_OPS = {fake_measure, NULL};

typedef struct fixture {
    char dir[64], path[160];
    pvmlab_db *db;
    pvmlab_id run;
    fake_behaviour behaviours[2];
    bench_engine_list list;
    FILE *out;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || test_make_temp_dir(f->dir, sizeof f->dir) != 0)
        return -1;
    test_path(f->path, sizeof f->path, f->dir, "bench.db");
    results_ids ids;
    f->db = results_open_with_run(f->path, "test", "test", &ids);
    f->run = ids.run;
    f->out = tmpfile();
    call_count = 0;
    *state = f;
    return f->out ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bench_engine_list_free(&f->list);
    pvmlab_db_close(f->db);
    fclose(f->out);
    test_remove_tree(f->dir);
    free(f);
    return 0;
}

static void add_fake_with(fixture *f, size_t slot, const char *name, fake_behaviour behaviour, unsigned capabilities)
{
    f->behaviours[slot] = behaviour;
    bench_engine engine = {.capabilities = capabilities, .ops = &FAKE_OPS, .state = &f->behaviours[slot]};
    snprintf(engine.name, sizeof engine.name, "%s", name);
    snprintf(engine.version, sizeof engine.version, "fake 1");
    assert_int_equal(bench_engine_list_add(&f->list, &engine), 0);
}

static void add_fake(fixture *f, size_t slot, const char *name, fake_behaviour behaviour)
{
    add_fake_with(f, slot, name, behaviour, BENCH_CAN_EXECUTE);
}

static int count_row(const pvmlab_sample_row *row, void *context)
{
    (void)row;
    (*(long long *)context)++;
    return 0;
}

static long long stored_samples(fixture *f)
{
    long long n = 0;
    assert_int_equal(pvmlab_db_foreach_sample(f->db, f->run, count_row, &n), 0);
    return n;
}

static void correct_checksums_are_stored(void **state)
{
    fixture *f = *state;
    add_fake(f, 0, "fake-good", FAKE_CORRECT);
    bench_session_options options = {.suite = bench_suite_find("quick"), .fixed_runs = 3, .out = f->out};
    bench_session_result result;
    assert_int_equal(bench_session_run(f->db, f->run, &f->list, &options, &result), 0);
    assert_int_equal(result.checksum_failures, 0);
    assert_int_equal(result.engines_measured, 1);
    assert_true(result.samples_stored >= 15); /* 5 quick guests x 3 runs */
    assert_int_equal(stored_samples(f), (long long)result.samples_stored);
}

static void wrong_checksum_fails_naming_engine_and_guest(void **state)
{
    fixture *f = *state;
    add_fake(f, 0, "fake-wrong", FAKE_WRONG_CHECKSUM);
    add_fake(f, 1, "fake-good", FAKE_CORRECT);
    bench_session_options options = {.suite = bench_suite_find("cache"), .fixed_runs = 2, .out = f->out};
    bench_session_result result;
    assert_int_equal(bench_session_run(f->db, f->run, &f->list, &options, &result), 1);
    assert_int_equal(result.checksum_failures, 5);
    assert_int_equal(result.engines_measured, 1); /* the good one still ran */
    char text[8192] = "";
    rewind(f->out);
    size_t got = fread(text, 1, sizeof text - 1, f->out);
    text[got] = '\0';
    assert_non_null(strstr(text, "fake-wrong"));
    assert_non_null(strstr(text, "gas_quiz_stride2048"));
    assert_non_null(strstr(text, "FAILED"));
}

/* The quick suite runs every guest of the manifest. */
#define GUEST(...) +1
enum { QUICK_GUEST_COUNT = 0
#include "bench/guests/guests.def"
};
#undef GUEST

static void failing_adapter_is_reported(void **state)
{
    fixture *f = *state;
    add_fake(f, 0, "fake-broken", FAKE_FAILS);
    bench_session_options options = {.suite = bench_suite_find("quick"), .fixed_runs = 1, .out = f->out};
    bench_session_result result;
    assert_int_equal(bench_session_run(f->db, f->run, &f->list, &options, &result), 1);
    assert_int_equal(result.measure_failures, QUICK_GUEST_COUNT);
    assert_int_equal(result.samples_stored, 0);
}

/* Two engines on the cache suite (1 s budget, at most 20 runs; a fake run takes 5 ms, so
 * 20 samples each): both are probed, then three rounds take 7, 7 and 6 samples of each in
 * turn, every batch after one warm-up; nothing is topped up or rerun. */
static void engines_take_samples_in_rounds(void **state)
{
    fixture *f = *state;
    add_fake(f, 0, "fake-a", FAKE_CORRECT);
    add_fake(f, 1, "fake-b", FAKE_CORRECT);
    bench_session_options options = {.suite = bench_suite_find("cache"), .out = f->out};
    bench_session_result result;
    assert_int_equal(bench_session_run(f->db, f->run, &f->list, &options, &result), 0);
    assert_int_equal(BENCH_ROUNDS, 3);
    const void *a = &f->behaviours[0], *b = &f->behaviours[1];
    const struct {
        const void *engine;
        unsigned count;
    } want[] = {{a, 1}, {b, 1}, {a, 8}, {b, 8}, {a, 8}, {b, 8}, {a, 7}, {b, 7}};
    size_t per_guest = sizeof want / sizeof want[0];
    assert_int_equal(call_count, 5 * per_guest);
    for (size_t i = 0; i < call_count; i++) {
        assert_ptr_equal(calls[i].engine, want[i % per_guest].engine);
        assert_int_equal(calls[i].count, want[i % per_guest].count);
        assert_string_equal(calls[i].guest, calls[i - i % per_guest].guest); /* one guest at a time */
    }
    assert_int_equal(result.samples_stored, 5 * 2 * 20);
    assert_int_equal(stored_samples(f), 200);
}

/* --cpu: the execution samples run with the process pinned to the CPU asked for (the
 * highest one it may use here: any machine has it), the compilation samples with the mask
 * the process had (a compile runs on two threads), and the session gives that mask back.
 * Unpinned, the execution samples see the whole mask. */
static void check_pinning(fixture *f, bool pinned)
{
    cpu_set_t before;
    assert_int_equal(sched_getaffinity(0, sizeof before, &before), 0);
    int cpu = -1;
    for (int i = CPU_SETSIZE - 1; i >= 0 && cpu < 0; i--)
        if (CPU_ISSET(i, &before))
            cpu = i;
    assert_true(cpu >= 0);
    add_fake_with(f, 0, "fake-both", FAKE_CORRECT, BENCH_CAN_EXECUTE | BENCH_CAN_COMPILE);
    bench_session_options options = {.suite = bench_suite_find("large"), .fixed_runs = 2, .out = f->out,
                                     .modes = 1u << BENCH_MODE_EXECUTION | 1u << BENCH_MODE_COMPILATION,
                                     .pin_execution = pinned, .execution_cpu = cpu};
    bench_session_result result;
    assert_int_equal(bench_session_run(f->db, f->run, &f->list, &options, &result), 0);
    size_t executions = 0, compilations = 0;
    for (size_t i = 0; i < call_count; i++) {
        if (calls[i].mode == BENCH_MODE_EXECUTION && pinned) {
            assert_int_equal(CPU_COUNT(&calls[i].cpus), 1);
            assert_true(CPU_ISSET(cpu, &calls[i].cpus));
        } else {
            assert_true(CPU_EQUAL(&calls[i].cpus, &before));
        }
        executions += calls[i].mode == BENCH_MODE_EXECUTION;
        compilations += calls[i].mode == BENCH_MODE_COMPILATION;
    }
    assert_true(executions > 0 && compilations > 0);
    cpu_set_t after;
    assert_int_equal(sched_getaffinity(0, sizeof after, &after), 0);
    assert_true(CPU_EQUAL(&after, &before));
}

static void execution_samples_run_on_one_cpu(void **state) { check_pinning(*state, true); }
static void unpinned_samples_run_anywhere(void **state) { check_pinning(*state, false); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(correct_checksums_are_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_checksum_fails_naming_engine_and_guest, setup, teardown),
        cmocka_unit_test_setup_teardown(failing_adapter_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(engines_take_samples_in_rounds, setup, teardown),
        cmocka_unit_test_setup_teardown(execution_samples_run_on_one_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(unpinned_samples_run_anywhere, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
