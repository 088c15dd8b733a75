/* The host charges a cost table carries (host.memset_byte and the lazy-page kinds:
 * host.lazy_page_read, host.lazy_page_read_image, host.lazy_page_write_first,
 * host.lazy_page_write) are what both backends charge: a memset of N bytes and each kind of
 * a lazy page's first touch cost the table's numbers, not the reference constants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm/gas/cost_table.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"

enum { RW = 0x20000, BYTES = 100, GAS = 1000000 };

/* How the program first touches its one rw page. */
typedef enum { STORE_FIRST, LOAD_THEN_STORE, IMAGE_LOAD_THEN_STORE } first_touch;

/* [a load of RW,] memset(RW, 0, BYTES), then halt; the rw page is zero, or (IMAGE_...) holds
 * bytes from the program image. */
static uint8_t *program(first_touch touch, size_t *len)
{
    static const uint8_t image[16] = {1, 2, 3};
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    if (touch == IMAGE_LOAD_THEN_STORE) pvm_builder_set_rw_data(b, image, sizeof image, 4096);
    else pvm_builder_set_rw_data(b, NULL, 0, 4096);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 7, RW);
    if (touch != STORE_FIRST) pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U8, 10, 7, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 8, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 9, BYTES);
    pvm_emit_none(b, PVM_OP_MEMSET);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    uint8_t *bytes;
    pvm_error err = {{0}};
    assert_int_equal(pvm_builder_finish_polkavm(b, &bytes, len, &err), PVM_OK);
    pvm_builder_free(b);
    return bytes;
}

/* unit.table with other host charges, written to a temporary file; returns its path. */
static void table_with(const pvm_host_costs *h, char *path, size_t cap)
{
    pvm_cost_table t;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_table_load(PVMLAB_TABLES_DIR "/unit.table", &t, &err), PVM_OK);
    t.host = *h;
    size_t len;
    char *text = pvm_cost_table_format(&t, &len);
    assert_non_null(text);
    snprintf(path, cap, "/tmp/pvmlab-host-charges-%d.table", (int)getpid());
    assert_int_equal(pvm_cost_table_write_file(path, text, len, &err), PVM_OK);
    free(text);
}

static int64_t gas_used(pvm_backend backend, const char *model_name, bool lazy, first_touch touch)
{
    pvm_cost_model *model;
    pvm_error err = {{0}};
    if (pvm_cost_model_new(model_name, &model, &err) != PVM_OK) fail_msg("%s", err.msg);
    pvm_engine_config c = {.backend = backend, .gas_mode = PVM_GAS_SYNC, .cost_model = model};
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    size_t len;
    uint8_t *bytes = program(touch, &len);
    assert_int_equal(pvm_engine_new(&c, &e, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e, bytes, len, NULL, NULL, &m, &err), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
    if (lazy && pvm_instance_set_lazy_pages(in, "mprotect", &err) != PVM_OK) fail_msg("%s", err.msg);
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, NULL, 0, &err), PVM_OK);
    pvm_instance_set_gas(in, GAS);
    pvm_result res;
    assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK);
    assert_int_equal(res.kind, PVM_EXIT_HALT);
    int64_t used = GAS - pvm_instance_gas(in);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    pvm_cost_model_free(model);
    free(bytes);
    return used;
}

static void charges_come_from_the_table(void **unused)
{
    (void)unused;
    pvm_host_costs ref = pvm_host_costs_reference(), mine = {.lazy_page_read = 11, .lazy_page_write = 5,
                                                             .memset_byte = 7, .lazy_page_read_image = 13,
                                                             .lazy_page_write_first = 17};
    char path[256], name[300];
    table_with(&mine, path, sizeof path);
    snprintf(name, sizeof name, "table:%s", path);
    pvm_backend backends[2] = {PVM_BACKEND_INTERP, PVM_BACKEND_JIT};
    /* Per kind of first touch: the reference's charge, the table's. */
    const struct {
        first_touch touch;
        int64_t ref, mine;
    } kinds[] = {
        {STORE_FIRST, ref.lazy_page_write_first, mine.lazy_page_write_first},
        {LOAD_THEN_STORE, ref.lazy_page_read + ref.lazy_page_write, mine.lazy_page_read + mine.lazy_page_write},
        {IMAGE_LOAD_THEN_STORE, ref.lazy_page_read_image + ref.lazy_page_write,
         mine.lazy_page_read_image + mine.lazy_page_write},
    };
    assert_int_equal(ref.lazy_page_write_first, ref.lazy_page_read + ref.lazy_page_write);
    for (int k = 0; k < 2; k++) {
        if (!pvm_backend_available(backends[k])) continue;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            first_touch t = kinds[i].touch;
            int64_t unit = gas_used(backends[k], "unit", false, t), table = gas_used(backends[k], name, false, t);
            assert_int_equal(table - unit, (int64_t)BYTES * (mine.memset_byte - ref.memset_byte));
            int64_t unit_lazy = gas_used(backends[k], "unit", true, t), table_lazy = gas_used(backends[k], name, true, t);
            assert_int_equal(unit_lazy - unit, kinds[i].ref);
            assert_int_equal(table_lazy - table, kinds[i].mine);
        }
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(charges_come_from_the_table)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
