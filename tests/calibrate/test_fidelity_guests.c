/* Fidelity on guest builds: <build>/guests/<target>/NAME.polkavm and a guests.def with their
 * sizes; each guest is timed under a model (eager warm-up, then lazy pages) and kept with its
 * gas, its lazy-page charges and the data it touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "costmodel/calibrate/fidelity_guests.h"
#include "vm/isa/isa.h"
#include "pvm/builder.h"

/* run(n): n iterations of an empty loop, then halt. */
static void write_guest(const char *path)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b), loop = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, 8, 7);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH); /* the loop head must start a block */
    pvm_builder_bind(b, loop);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 8, 8, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 8, 0, loop);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    uint8_t *bytes;
    size_t len;
    pvm_error err;
    assert_int_equal(pvm_builder_finish_polkavm(b, &bytes, &len, &err), PVM_OK);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
    free(bytes);
    pvm_builder_free(b);
}

static void test_guest_fidelity(void **s)
{
    (void)s;
    char dir[] = "/tmp/pvmlab-fidelity-XXXXXX", path[300], def[256], sub[256];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/guests", dir);
    mkdir(sub, 0777);
    snprintf(sub, sizeof sub, "%s/guests/rv64", dir);
    mkdir(sub, 0777);
    snprintf(path, sizeof path, "%s/loop.polkavm", sub);
    snprintf(def, sizeof def, "%s/guests.def", dir);
    write_guest(path);
    FILE *f = fopen(def, "w");
    fprintf(f, "/* comment */\nGUEST(loop, loop.c, 20000, 40000, 0x1, 0x2)\nGUEST(absent, absent.c, 5, 5, 0x1, 0x2)\n");
    fclose(f);
    fidelity_measured *m = malloc(sizeof *m);
    char err[256], skipped[256];
    fidelity_guests_config c = {.guests_def = def, .build_dir = dir, .target = "rv64",
                                .model = "unit", .backend = PVM_BACKEND_INTERP};
    if (fidelity_guests_measure(&c, m, skipped, sizeof skipped, err, sizeof err) != 0) fail_msg("%s", err);
    assert_int_equal(m->count, 1); /* the absent guest has no build: skipped */
    assert_string_equal(skipped, "");
    assert_string_equal(m->programs[0].program, "loop");
    assert_true(m->programs[0].wall_ns > 0);
    assert_int_equal(m->programs[0].gas, 2 * 20000 + 3); /* unit: 2 per trip, 3 outside the loop */
    assert_non_null(strstr(m->memory_rule, "L2"));
    if (m->geometry.levels) { /* the replay: 3 + 2 per trip instructions, no data, one branch per trip */
        assert_int_equal(m->programs[0].instructions.value, 2 * 20000 + 3);
        assert_int_equal(m->programs[0].l1_misses.value, 0);
        assert_int_equal(m->programs[0].branches.value, 20000);
        /* a loop branch: learnt within the predictor's warm-up (its histories fill), then right */
        assert_true(m->programs[0].mispredicts.value < 100);
    } else {
        print_message("no cache geometry here: not replayed\n");
        assert_false(m->programs[0].instructions.present);
    }
    if (m->programs[0].lazy_gas.present) { /* the loop touches no data: no charge, nothing memory-bound */
        assert_int_equal(m->programs[0].lazy_gas.value, 0);
        assert_false(m->programs[0].memory_bound);
        assert_true(m->programs[0].footprint_bytes.present);
    } else {
        print_message("lazy pages unavailable here: %s\n", m->lazy_note);
    }
    /* A bad model is an error with its message; no build measures nothing and says why. */
    c.model = "nosuch";
    assert_int_equal(fidelity_guests_measure(&c, m, skipped, sizeof skipped, err, sizeof err), -1);
    assert_non_null(strstr(err, "nosuch"));
    c.model = "unit";
    unlink(path);
    assert_int_equal(fidelity_guests_measure(&c, m, skipped, sizeof skipped, err, sizeof err), 0);
    assert_int_equal(m->count, 0);
    assert_non_null(strstr(skipped, "no rv64 guest build"));
    unlink(def);
    free(m);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

enum { DATA = 8u << 20, RW = 0x20000 };

/* run(n): with scattered, one load per line over 8 MiB of data n times (each load a new
 * line far from the last: an L2 miss once the data exceed L2); without, one store per page
 * of the same 8 MiB, then n trips of a loop that touches no memory. */
static uint8_t *data_program(bool scattered, size_t *len)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b), touch = pvm_builder_label(b), loop = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, DATA);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 9, 0); /* a2: offset */
    if (!scattered) {
        pvm_emit_none(b, PVM_OP_FALLTHROUGH);
        pvm_builder_bind(b, touch);
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 10, 9, RW);
        pvm_emit_reg_imm_imm(b, PVM_OP_STORE_IMM_IND_U8, 10, 0, 1);
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 9, 9, 4096);
        pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_LT_U_IMM, 9, DATA, touch);
    }
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, loop);
    if (scattered) { /* a2 += 40503 lines, modulo the data */
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 9, 9, 40503 * 64);
        pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, 9, 9, DATA - 1);
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 10, 9, RW);
        pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U8, 11, 10, 0);
    }
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 7, 7, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 7, 0, loop);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    uint8_t *bytes;
    pvm_error err;
    assert_int_equal(pvm_builder_finish_polkavm(b, &bytes, len, &err), PVM_OK);
    pvm_builder_free(b);
    return bytes;
}

/* The memory-bound rule reads simulated L2 misses, not the data touched: both programs touch
 * 8 MiB, only the scattered walk misses L2 often. */
static void test_memory_bound_is_decided_by_simulated_misses(void **s)
{
    (void)s;
    fidelity_measured *m = calloc(1, sizeof *m);
    assert_non_null(m);
    fidelity_memory_rule(m);
    assert_non_null(strstr(m->memory_rule, "L2 misses per 1000 instructions"));
    if (m->memory_threshold_bytes >= DATA) {
        print_message("this machine's L2 (%llu KiB) holds the test's data: skipped\n",
                      (unsigned long long)(m->memory_threshold_bytes >> 10));
        free(m);
        return;
    }
    pvm_engine *e;
    pvm_error perr = {{0}};
    assert_int_equal(pvm_engine_new(&(pvm_engine_config){.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC},
                                    &e, &perr), PVM_OK);
    char err[256];
    for (int scattered = 1; scattered >= 0; scattered--) {
        size_t len;
        uint8_t *bytes = data_program(scattered, &len);
        uint64_t n = scattered ? 300000 : 2000000;
        if (fidelity_time_program(e, scattered ? "scattered" : "touch_then_compute", bytes, len, "run", &n, 1, m, err,
                                  sizeof err) != 0)
            fail_msg("%s", err);
        free(bytes);
    }
    assert_int_equal(m->count, 2);
    if (!m->programs[0].lazy_gas.present) {
        print_message("lazy pages unavailable here (%s): no footprint, nothing replayed\n", m->lazy_note);
    } else {
        for (int i = 0; i < 2; i++) assert_true(m->programs[i].footprint_bytes.value >= (int64_t)DATA);
        assert_true(pvmlab_fidelity_per_kilo(m->programs[0].l2_misses, m->programs[0].instructions) > 100); /* about one miss per 5 instructions */
        assert_true(m->programs[0].l1_misses.value > 250000); /* each of the 300000 scattered loads */
        assert_true(m->programs[1].l1_misses.value < 5000);   /* one per page touched */
        assert_true(m->programs[0].memory_bound);
        assert_true(pvmlab_fidelity_per_kilo(m->programs[1].l2_misses, m->programs[1].instructions) < 1); /* one miss per page touched, then none */
        assert_false(m->programs[1].memory_bound);
    }
    pvm_engine_free(e);
    free(m);
}

/* The guests' timed runs go in rounds (fidelity_program_*): two programs opened together,
 * one run of each per round, give the gas, lazy-page gas and footprint that timing each alone
 * gives; without a core probe each takes exactly 5 runs; a bad call is refused, named. */
static void test_rounds_give_what_one_program_at_a_time_gives(void **s)
{
    (void)s;
    fidelity_measured *alone = calloc(1, sizeof *alone), *rounds = calloc(1, sizeof *rounds);
    assert_true(alone && rounds);
    fidelity_memory_rule(alone);
    fidelity_memory_rule(rounds);
    pvm_engine *e;
    pvm_error perr = {{0}};
    assert_int_equal(pvm_engine_new(&(pvm_engine_config){.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC},
                                    &e, &perr), PVM_OK);
    char err[256];
    size_t len[2];
    uint8_t *bytes[2] = {data_program(1, &len[0]), data_program(0, &len[1])};
    uint64_t n[2] = {20000, 100000};
    const char *names[2] = {"scattered", "touch_then_compute"};
    fidelity_program_run *run[2];
    for (int i = 0; i < 2; i++) {
        if (fidelity_time_program(e, names[i], bytes[i], len[i], "run", &n[i], 1, alone, err, sizeof err) != 0)
            fail_msg("%s", err);
        if (fidelity_program_open(e, names[i], bytes[i], len[i], "run", &n[i], 1, rounds, &run[i], err, sizeof err) != 0)
            fail_msg("%s", err);
    }
    int taken[2] = {0, 0};
    for (bool more = true; more;) {
        more = false;
        for (int i = 0; i < 2; i++)
            if (fidelity_program_wants_more(rounds, run[i])) {
                assert_int_equal(fidelity_program_time_once(run[i], rounds, err, sizeof err), 0);
                taken[i]++, more = true;
            }
    }
    assert_int_equal(taken[0], 5);
    assert_int_equal(taken[1], 5);
    for (int i = 0; i < 2; i++) assert_int_equal(fidelity_program_finish(run[i], rounds, err, sizeof err), 0);
    assert_int_equal(rounds->count, 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(rounds->programs[i].program, names[i]);
        assert_int_equal(rounds->programs[i].gas, alone->programs[i].gas);
        assert_int_equal(rounds->programs[i].lazy_gas.present, alone->programs[i].lazy_gas.present);
        assert_int_equal(rounds->programs[i].lazy_gas.value, alone->programs[i].lazy_gas.value);
        assert_int_equal(rounds->programs[i].footprint_bytes.value, alone->programs[i].footprint_bytes.value);
        assert_true(rounds->programs[i].wall_ns > 0);
    }
    uint64_t many[7] = {0};
    assert_int_equal(fidelity_program_open(e, "many_args", bytes[0], len[0], "run", many, 7, rounds, &run[0], err,
                                           sizeof err), -1);
    assert_null(run[0]);
    assert_non_null(strstr(err, "many_args: more than 6 arguments"));
    for (int i = 0; i < 2; i++) free(bytes[i]);
    pvm_engine_free(e);
    free(alone), free(rounds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_guest_fidelity),
                                       cmocka_unit_test(test_memory_bound_is_decided_by_simulated_misses),
                                       cmocka_unit_test(test_rounds_give_what_one_program_at_a_time_gives)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
