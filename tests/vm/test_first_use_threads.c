/* The tables libpvm builds on first use (the ISA's opcode decode tables, vm/isa/isa.c),
 * first used by eight threads at once: every thread must read the finished table. Until
 * 2026-12-07 the decode tables were built by whichever threads found them missing, each
 * marking every byte invalid before filling in the valid ones, so a thread could read
 * "invalid" for a valid opcode while another rebuilt them: in fuzz_threads the
 * interpreter's module of a program decoded as invalid instructions in about one run of
 * twenty. A first use happens once per process, so the test forks CHILDREN processes (the
 * parent never decodes), and in each eight threads compare the table with one made from
 * pvm_isa_encode_opcode (no shared state), then compile a program and check its ops. The
 * race is a matter of timing: with the old build one child in about fifty saw it here. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "vm/isa/isa.h"
#include "vm/state/vm_state.h"

enum { THREADS = 8, ROUNDS = 4, CHILDREN = 100 };

static pthread_barrier_t start;
static uint8_t expected[PVM_ISA_COUNT][256];

typedef struct {
    unsigned wrong_entries; /* table entries that differed from expected, over all rounds */
    unsigned wrong_ops;     /* decoded instructions whose op was not the one emitted */
    int compile_status;
} result;

static void make_expected(void)
{
    for (int v = 0; v < PVM_ISA_COUNT; v++) {
        memset(expected[v], PVM_OP_INVALID, sizeof expected[v]);
        for (int op = 0; op < PVM_OP_INVALID; op++) {
            int n = pvm_isa_encode_opcode((pvm_isa)v, (pvm_op)op);
            if (n >= 0) expected[v][n] = (uint8_t)op;
        }
    }
}

/* A straight-line latest64 program of add_64 and xor, then trap. */
static uint8_t *program(size_t *len)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    for (int i = 0; i < 64; i++) pvm_emit_reg3(b, i % 2 ? PVM_OP_XOR : PVM_OP_ADD_64, 2 + i % 5, 3, 4);
    pvm_emit_none(b, PVM_OP_TRAP);
    uint8_t *blob = NULL;
    pvm_error err = {{0}};
    if (pvm_builder_finish_polkavm(b, &blob, len, &err) != PVM_OK) blob = NULL;
    pvm_builder_free(b);
    return blob;
}

static void *first_use(void *arg)
{
    result *r = arg;
    pthread_barrier_wait(&start);
    for (int round = 0; round < ROUNDS; round++)
        for (int v = 0; v < PVM_ISA_COUNT; v++) {
            const uint8_t *t = pvm_isa_decode_table((pvm_isa)v);
            for (int byte = 0; byte < 256; byte++) r->wrong_entries += t[byte] != expected[v][byte];
        }
    size_t len = 0;
    uint8_t *blob = program(&len);
    pvm_engine *e = NULL;
    pvm_module *m = NULL;
    pvm_error err = {{0}};
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
    r->compile_status = !blob ? -1 : (int)pvm_engine_new(&cfg, &e, &err);
    if (!r->compile_status) {
        pvm_module_config mc = {.format = PVM_FORMAT_POLKAVM};
        r->compile_status = (int)pvm_module_compile(e, blob, len, &mc, NULL, &m, &err);
    }
    if (!r->compile_status) {
        const pvm_decoded *d = &m->dec;
        for (uint32_t i = 0; i < 64 && i < d->n_instrs; i++)
            r->wrong_ops += d->instrs[i].op != (i % 2 ? PVM_OP_XOR : PVM_OP_ADD_64);
        r->wrong_ops += d->n_instrs < 65 || d->instrs[64].op != PVM_OP_TRAP;
        pvm_module_release(m);
    }
    pvm_engine_free(e);
    free(blob);
    return NULL;
}

/* One process's first use: 0 when every thread read and decoded right. */
static int first_use_in_threads(void)
{
    pthread_t t[THREADS];
    result r[THREADS];
    memset(r, 0, sizeof r);
    if (pthread_barrier_init(&start, NULL, THREADS) != 0) return 2;
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, first_use, &r[i]) != 0) return 2;
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++)
        if (r[i].compile_status || r[i].wrong_entries || r[i].wrong_ops) return 1;
    return 0;
}

static void test_tables_first_used_by_eight_threads(void **state)
{
    (void)state;
    make_expected(); /* (encodes only: the decode tables stay unbuilt for the children) */
    unsigned wrong = 0, broken = 0;
    for (int c = 0; c < CHILDREN; c++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) _exit(first_use_in_threads());
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) == 2) broken++;
        else wrong += WEXITSTATUS(status) == 1;
    }
    assert_int_equal(broken, 0);
    assert_int_equal(wrong, 0); /* children whose threads read an unfinished table */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_tables_first_used_by_eight_threads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
