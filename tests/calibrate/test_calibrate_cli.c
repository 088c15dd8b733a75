/* End to end: pvmlab calibrate --smoke --counters sim into a temporary database, then
 * pvmlab tables twice -> identical bytes -> loadable by pvm_cost_model_new and by
 * `pvm run --model table:FILE` on a builder program; bad flags and a missing calibration
 * give one line and exit 2 / 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "tests/results/test_support.h"
#include "vm/gas/cost_table.h"
#include "vm/gas/pipeline_params.h"
#include "vm/util/file_read.h"

static char dir[64];

/* Runs a shell command with stdout/stderr in DIR/out and DIR/err; returns the exit code. */
static int run(const char *fmt, ...)
{
    char cmd[2048], full[2400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "%s >%s/out 2>%s/err", cmd, dir, dir);
    int status = system(full);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *slurp(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    *len = 0;
    return util_read_file(path, len);
}

static int line_count(const char *name)
{
    size_t len;
    char *text = slurp(name, &len);
    int lines = 0;
    for (size_t i = 0; text && i < len; i++) lines += text[i] == '\n';
    free(text);
    return lines;
}

static bool err_contains(const char *needle)
{
    size_t len;
    char *text = slurp("err", &len);
    bool found = text && strstr(text, needle);
    free(text);
    return found;
}

static int setup(void **unused)
{
    (void)unused;
    snprintf(dir, sizeof dir, "/tmp/pvmlab-calibrate-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **unused)
{
    (void)unused;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A 100-trip loop program: the builder with `reg` = value set and the loop's label bound,
 * its counter in r2 (the caller emits the body, the loop's end and the halt). */
static pvm_builder *loop_program_start(unsigned reg, uint64_t value, pvm_label *loop)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    *loop = pvm_builder_label(b);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 2, 100);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, reg, value);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, *loop);
    return b;
}

/* The builder's program as a .polkavm file at path (the builder freed). */
static void finish_and_write(pvm_builder *b, const char *path)
{
    uint8_t *bytes;
    size_t len;
    pvm_error err = {{0}};
    assert_int_equal(pvm_builder_finish_polkavm(b, &bytes, &len, &err), PVM_OK);
    pvm_builder_free(b);
    assert_int_equal(test_write_file(path, bytes, len), 0);
    free(bytes);
}

/* A builder program: a0 = 3 + 4 in a 100-trip loop, then halt. */
static void write_builder_program(const char *path)
{
    pvm_label loop;
    pvm_builder *b = loop_program_start(7, 3, &loop);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 8, 7, 4);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 2, 0, loop);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, 7, 8);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    finish_and_write(b, path);
}

/* A self-loop whose register chain (eight dependent multiplies of r8) is carried to the next
 * iteration: its recurrence floor is far above one simulated pass through it. */
static void write_chain_loop_program(const char *path)
{
    pvm_label loop;
    pvm_builder *b = loop_program_start(8, 3, &loop);
    for (int i = 0; i < 8; i++) pvm_emit_reg3(b, PVM_OP_MUL_64, 8, 8, 8);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 2, 0, loop);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    finish_and_write(b, path);
}

static void model_loads_and_meters(const char *spec)
{
    pvm_cost_model *model = NULL;
    pvm_error err = {{0}};
    if (pvm_cost_model_new(spec, &model, &err) != PVM_OK) fail_msg("%s: %s", spec, err.msg);
    pvm_engine_config ec = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC, .cost_model = model};
    pvm_engine *e;
    assert_int_equal(pvm_engine_new(&ec, &e, &err), PVM_OK);
    pvm_engine_free(e);
    pvm_cost_model_free(model);
}

static void calibrate_then_tables(void **unused)
{
    (void)unused;
    assert_int_equal(run("%s calibrate --smoke --counters sim --db %s/t.db", PVMLAB_BIN, dir), 0);
    size_t len;
    char *out = slurp("out", &len);
    assert_non_null(out);
    assert_non_null(strstr(out, "\ncalibration 1\n"));
    assert_true(len > 14 && strcmp(out + len - 14, "calibration 1\n") == 0); /* the last line */
    free(out);
    /* The calibration run records its provenance as a bench run does: the source tree's git
     * revision at run time (this test runs in the source tree: a hex revision, maybe -dirty),
     * and the CPU and pinning state rows. */
    assert_int_equal(run("sqlite3 %s/t.db \"SELECT p.key || '=' || p.value FROM run_provenance p JOIN calibrations c"
                         " ON c.run_id = p.run_id WHERE c.id = 1 ORDER BY p.key\"", dir), 0);
    out = slurp("out", &len);
    assert_non_null(out);
    const char *rev = strstr(out, "git_rev=");
    assert_non_null(rev);
    rev += strlen("git_rev=");
    assert_true(strspn(rev, "0123456789abcdef") == 12 || strncmp(rev, "unknown: ", 9) == 0);
    assert_non_null(strstr(out, "cpu_governor="));
    assert_non_null(strstr(out, "pinned="));
    free(out);

    /* A pipeline table from an interpreter calibration is refused, in one line that says why. */
    assert_int_equal(run("%s tables --db %s/t.db --calibration 1 --model pipeline-l2hit --out %s/a --fidelity none "
                         "--max-rel-error 1e9", /* else the noise check may speak first */
                         PVMLAB_BIN, dir, dir), 1);
    assert_int_equal(line_count("err"), 1);
    assert_true(err_contains("recompiler calibrations only"));
    /* Smoke numbers are noise: either the table passes the error check, or it is refused
     * naming what to repeat; --allow-noisy writes it anyway. */
    int strict = run("%s tables --db %s/t.db --calibration 1 --model table --out %s/s --fidelity none", PVMLAB_BIN, dir,
                     dir);
    assert_true(strict == 0 || (strict == 1 && err_contains("repeat") && line_count("err") == 1));
    /* The pipeline table needs a recompiler calibration (calibration 2). */
    bool jit = pvm_backend_available(PVM_BACKEND_JIT);
    if (jit) assert_int_equal(run("%s calibrate --smoke --backend jit --counters sim --db %s/t.db", PVMLAB_BIN, dir), 0);
    const char *models[2][2] = {{"table", "table"}, {"pipeline-l2hit", "pipeline"}};
    char uuids[2][40] = {"", ""};
    for (int m = 0; m < (jit ? 2 : 1); m++) {
        /* The calibration's uuid names the files and the provenance, never the row id. */
        assert_int_equal(run("%s tables --db %s/t.db --calibration %d --model %s --out %s/a --fidelity %s --allow-noisy",
                             PVMLAB_BIN, dir, m + 1, models[m][0], dir, m == 0 ? "smoke" : "none"), 0);
        out = slurp("out", &len);
        assert_non_null(out);
        const char *from = strstr(out, "from calibration ");
        assert_non_null(from);
        assert_int_equal(sscanf(from, "from calibration %36[0-9a-f-]", uuids[m]), 1);
        assert_int_equal(strlen(uuids[m]), 36);
        if (m == 0) /* the calibration programs, stored as a training set and printed as read back */
        {
            assert_non_null(strstr(out, "fidelity table interp calibration (training), all programs, no lazy pages: "));
            /* The generated sets: the held-out seed's and, timed alike in the same run, the
             * training seed's as the control (not held out). */
            assert_non_null(strstr(out, "fidelity table interp generated seed=0x68656c646f757432 (held out), all programs"));
            assert_non_null(strstr(out, "fidelity table interp generated seed=0x7261696e696e6731 (training), all programs"));
        }
        free(out);
        const char *uuid = uuids[m];
        assert_int_equal(run("%s tables --db %s/t.db --calibration %.8s --model %s --out %s/b --fidelity none --allow-noisy",
                             PVMLAB_BIN, dir, uuid, models[m][0], dir), 0);
        char a[96], b[96];
        snprintf(a, sizeof a, "a/%s-%s.%s", models[m][0], uuid, models[m][1]);
        snprintf(b, sizeof b, "b/%s-%s.%s", models[m][0], uuid, models[m][1]);
        size_t la, lb;
        char *ta = slurp(a, &la), *tb = slurp(b, &lb);
        assert_non_null(ta);
        assert_non_null(tb);
        assert_int_equal(la, lb);
        assert_memory_equal(ta, tb, la);
        char provenance[64];
        snprintf(provenance, sizeof provenance, "calibration %s\n", uuid);
        assert_non_null(strstr(ta, provenance));
        free(ta);
        free(tb);
        char spec[256];
        snprintf(spec, sizeof spec, "%s:%s/%s", models[m][1], dir, a);
        model_loads_and_meters(spec);
    }
    {
        /* The per-op table is priced to the training programs' code when the calibration
         * measured its own unit (table.unit.ps_per_gas, at least 3 mixed programs) and it is
         * not the declared one, and says by how much. (On the interpreter every op may round
         * to 1 gas, the table's gas is then the instruction count and the two units are equal.) */
        assert_int_equal(run("sqlite3 %s/t.db \"SELECT count(*) FROM calibration_values t JOIN calibration_values u "
                             "ON u.calibration_id = t.calibration_id WHERE t.calibration_id = 1 AND "
                             "t.key = 'table.unit.ps_per_gas' AND u.key = 'unit.ps_per_gas' AND t.value_ps > 0 AND "
                             "u.value_ps > 0 AND t.value_ps <> u.value_ps\"", dir), 0);
        size_t unit_len;
        char *own = slurp("out", &unit_len);
        assert_non_null(own);
        char table_file[96];
        snprintf(table_file, sizeof table_file, "a/table-%s.table", uuids[0]);
        out = slurp(table_file, &len);
        assert_non_null(out);
        if (strcmp(own, "1\n") == 0) assert_non_null(strstr(out, "to the training code"));
        else assert_null(strstr(out, "to the training code"));
        free(own);
        free(out);
    }
    if (jit) {
        /* A recompiler calibration carries its pipeline fit (model cycles, not ps: no TSC
         * cycles), and --pipeline-params fitted writes it into the L2-hit table and names it. */
        assert_int_equal(run("sqlite3 %s/t.db \"SELECT count(*) FROM calibration_values WHERE calibration_id = 2 AND "
                             "key LIKE 'pipeline.l2hit.%%' AND value_ps IS NOT NULL AND value_cycles IS NULL AND key NOT LIKE "
                             "'%%unit.ps_per_gas'\"", dir), 0);
        out = slurp("out", &len);
        assert_non_null(out);
        assert_string_equal(out, "5\n"); /* latency.l2, latency.store, branch.miss, slack, objective */
        free(out);
        assert_int_equal(run("%s tables --db %s/t.db --calibration 2 --model pipeline-l2hit --out %s/f --fidelity none "
                             "--allow-noisy --pipeline-params fitted", PVMLAB_BIN, dir, dir), 0);
        char fitted[96];
        snprintf(fitted, sizeof fitted, "f/pipeline-l2hit-%s.pipeline", uuids[1]);
        out = slurp(fitted, &len);
        assert_non_null(out);
        /* Priced in the fitted model's own unit when the fit could set one (at least 3 mixed
         * programs left after the call overhead: a smoke run on a loaded machine may have
         * fewer), else in the declared unit, else at the cheapest ALU op; the fit is named. */
        assert_int_equal(run("sqlite3 %s/t.db \"SELECT count(*) FROM calibration_values WHERE calibration_id = 2 AND "
                             "key = 'pipeline.l2hit.unit.ps_per_gas'\"", dir), 0);
        size_t unit_len;
        char *unit = slurp("out", &unit_len);
        assert_non_null(unit);
        bool fitted_unit = strcmp(unit, "1\n") == 0;
        free(unit);
        /* Nor may the smoke run have a declared unit (the same 3 programs): then the cheapest
         * ALU op sets it. */
        assert_int_equal(run("sqlite3 %s/t.db \"SELECT count(*) FROM calibration_values WHERE calibration_id = 2 AND "
                             "key = 'unit.ps_per_gas'\"", dir), 0);
        unit = slurp("out", &unit_len);
        assert_non_null(unit);
        bool declared_unit = strcmp(unit, "1\n") == 0;
        free(unit);
        const char *expect_unit = fitted_unit ? "(fitted model); fitted l2,store,miss,slack ln(p95/p5)="
                                  : declared_unit ? "(declared); fitted l2,store,miss,slack ln(p95/p5)="
                                                  : "(cheapest ALU op); fitted l2,store,miss,slack ln(p95/p5)=";
        if (!strstr(out, expect_unit)) fail_msg("expected '%s' in the table:\n%.400s", expect_unit, out);
        free(out);
        /* The default (converted) L2-hit table is priced in its own unit when the calibration
         * measured one (the mixed programs under the converted table), and says so. */
        assert_int_equal(run("sqlite3 %s/t.db \"SELECT printf('%%.0f', value_ps) FROM calibration_values WHERE "
                             "calibration_id = 2 AND key = 'pipeline.l2hit.converted.unit.ps_per_gas'\"", dir), 0);
        char *converted_unit = slurp("out", &unit_len);
        assert_non_null(converted_unit);
        char converted[96], expect[64];
        snprintf(converted, sizeof converted, "a/pipeline-l2hit-%s.pipeline", uuids[1]);
        out = slurp(converted, &len);
        assert_non_null(out);
        if (converted_unit[0]) {
            converted_unit[strcspn(converted_unit, "\n")] = 0;
            snprintf(expect, sizeof expect, "1 gas=%sps (converted model)", converted_unit);
            assert_non_null(strstr(out, expect));
        } else {
            assert_non_null(strstr(out, declared_unit ? "ps (declared)" : "ps (cheapest ALU op)"));
        }
        free(converted_unit);
        free(out);
    }
    char program[128], table[200];
    snprintf(program, sizeof program, "%s/loop.polkavm", dir);
    write_builder_program(program);
    snprintf(table, sizeof table, "%s/a/table-%s.table", dir, uuids[0]);
    assert_int_equal(run("%s run %s --export main --gas 100000000 --model table:%s", PVM_BIN, program, table), 0);
    if (jit) {
        snprintf(table, sizeof table, "%s/a/pipeline-l2hit-%s.pipeline", dir, uuids[1]);
        assert_int_equal(run("%s run %s --export main --gas 100000000 --model pipeline:%s", PVM_BIN, program, table), 0);
        /* pvm gas says where a recurrence floor (format 6) lifts a self-loop's cost above the
         * simulated pass, and by how much: the converted table with a floor of 10,000 gas per cycle
         * (the smoke suite's add_64 chain is too short to be sure of a positive slope, so its
         * own table may have none; when it has one, the file is format 6). */
        size_t len;
        char *text = slurp(table + strlen(dir) + 1, &len);
        assert_non_null(text);
        assert_true(!strstr(text, "\nrecurrence.milligas_per_cycle ") || strncmp(text, "pvmlab-cost-table 6\n", 20) == 0);
        free(text);
        pvm_cost_table *floored = calloc(1, sizeof *floored);
        pvm_error perr = {{0}};
        assert_non_null(floored);
        if (pvm_cost_table_load(table, floored, &perr) != PVM_OK) fail_msg("%s", perr.msg);
        floored->host.recurrence_milligas = 10000000; /* 10,000 gas per cycle: above any simulated pass */
        char *bytes = pvm_cost_table_format(floored, &len);
        assert_non_null(bytes);
        assert_true(strncmp(bytes, "pvmlab-cost-table 6\n", 20) == 0);
        snprintf(table, sizeof table, "%s/floored.pipeline", dir);
        assert_int_equal(test_write_file(table, bytes, len), 0);
        free(bytes);
        /* the longest carried chain as recurrence.c counts it in a 64-bit program (latency plus
         * latency_b64 per op): r8's eight multiplies or r2's count-down, whichever the smoke
         * calibration made longer (a noisy fit can give either a large latency_b64) */
        const pvm_class_cost *mul = &floored->pipeline.cls[pvm_op_pipeline_class(PVM_OP_MUL_64)];
        const pvm_class_cost *count = &floored->pipeline.cls[pvm_op_pipeline_class(PVM_OP_ADD_IMM_64)];
        unsigned mul_chain = 8 * (mul->latency + mul->latency_b64), count_chain = count->latency + count->latency_b64;
        unsigned cycles = mul_chain > count_chain ? mul_chain : count_chain, floor_gas = cycles * 10000;
        free(floored);
        snprintf(program, sizeof program, "%s/chain.polkavm", dir);
        write_chain_loop_program(program);
        assert_int_equal(run("%s gas %s --model pipeline:%s", PVM_BIN, program, table), 0);
        char *gas = slurp("out", &len);
        assert_non_null(gas);
        const char *loop = strstr(gas, "block 1 @");
        char named[200];
        snprintf(named, sizeof named, "10 instructions, cost %u (recurrence floor: a %u-cycle register chain carried to "
                 "the next iteration, %u gas; simulated ", floor_gas, cycles, floor_gas);
        if (!loop || !strstr(loop, named)) fail_msg("expected '%s' in:\n%s", named, gas);
        free(gas);
    }
}

static void bad_usage_and_missing_calibration(void **unused)
{
    (void)unused;
    assert_int_equal(run("%s calibrate --frobnicate", PVMLAB_BIN), 2);
    assert_int_equal(line_count("err"), 1);
    assert_int_equal(run("%s calibrate --backend vax", PVMLAB_BIN), 2);
    assert_int_equal(line_count("err"), 1);
    assert_int_equal(run("%s calibrate --counters", PVMLAB_BIN), 2);
    assert_int_equal(line_count("err"), 1);
    assert_int_equal(run("%s tables --calibration 1 --out %s/x", PVMLAB_BIN, dir), 2); /* no --model */
    assert_int_equal(line_count("err"), 1);
    assert_int_equal(run("%s tables --calibration one --model table --out %s/x", PVMLAB_BIN, dir), 2);
    assert_int_equal(run("%s tables --calibration 1 --model pipeline-l2hit --out %s/x --pipeline-params best", PVMLAB_BIN,
                         dir), 2);
    assert_true(err_contains("--pipeline-params must be converted, reference-core or fitted"));
    assert_int_equal(run("%s tables --calibration 'a b' --model table --out %s/x", PVMLAB_BIN, dir), 2);
    assert_int_equal(line_count("err"), 1);
    assert_int_equal(run("%s tables --db %s/t.db --calibration 99 --model table --out %s/x", PVMLAB_BIN, dir, dir),
                     1);
    assert_int_equal(line_count("err"), 1);
    assert_true(err_contains("no calibration with uuid or id 99"));
    assert_int_equal(run("%s tables --db %s/missing.db --calibration 1 --model table --out %s/x", PVMLAB_BIN, dir,
                         dir), 1);
    assert_int_equal(line_count("err"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calibrate_then_tables),
        cmocka_unit_test(bad_usage_and_missing_calibration),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
