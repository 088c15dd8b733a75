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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_guest_fidelity)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
