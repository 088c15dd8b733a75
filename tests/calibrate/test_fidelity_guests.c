/* Fidelity on guest builds: a folder of NAME.polkavm files and a guests.def with
 * their sizes; each guest is timed under a model and its ns/gas reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "fidelity_guests.h"
#include "isa/isa.h"
#include "pvm/builder.h"

/* run(n): n iterations of a small loop, then halt with a0 = n. */
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
    char dir[] = "/tmp/pvmlab-fidelity-XXXXXX", path[256], def[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/loop.polkavm", dir);
    snprintf(def, sizeof def, "%s/guests.def", dir);
    write_guest(path);
    FILE *f = fopen(def, "w");
    fprintf(f, "/* comment */\nGUEST(loop, loop.c, 20000, 40000, 0x1, 0x2)\nGUEST(absent, absent.c, 5, 5, 0x1, 0x2)\n");
    fclose(f);
    fidelity_guests_summary g;
    char err[256];
    if (fidelity_guests_measure(dir, def, "unit", PVM_BACKEND_INTERP, &g, err, sizeof err) != 0) fail_msg("%s", err);
    assert_int_equal(g.guests, 1); /* the absent guest has no build: skipped */
    assert_true(g.median_ns_per_gas > 0);
    assert_true(g.max_over_median == 1.0);
    assert_string_equal(g.worst_guest, "loop");
    /* A bad model is an error with its message; an empty folder measures nothing. */
    assert_int_equal(fidelity_guests_measure(dir, def, "nosuch", PVM_BACKEND_INTERP, &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "nosuch"));
    unlink(path);
    assert_int_equal(fidelity_guests_measure(dir, def, "unit", PVM_BACKEND_INTERP, &g, err, sizeof err), 0);
    assert_int_equal(g.guests, 0);
    unlink(def);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_guest_fidelity)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
