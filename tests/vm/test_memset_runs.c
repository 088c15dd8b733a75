/* The memset instruction fills whole runs of writable pages at once (vm/memory/memset_runs.h)
 * and takes the bytes it stops at one by one. What the byte-by-byte loop leaves is the
 * reference: the interpreter's traced loop (a memory trace set) writes byte by byte and
 * never takes the runs. Every case, in both backends, every gas mode, 64- and 32-bit
 * programs, without lazy pages and with both lazy backends (mprotect; userfaultfd where the
 * kernel allows it, else said once), must end as that loop ends: exit, pc, fault
 * address, gas, registers and every byte of the region. The cases: a fill across pages
 * that ends (a0 and a2 moved by the count), a fill that runs into a read-only page (a panic
 * at its first byte, the bytes before written), sync and async gas that run out in
 * the middle (sync: exactly the bytes the gas pays for), a fill into an unmapped page (a
 * page fault), and a 32-bit program's fill across 2 GiB. */
#include <string.h>
#include "test_util.h"

#define REGION 0x00200000u   /* four writable pages, then a read-only one */
#define HIGH 0x7fffe000u     /* two writable pages up to 2 GiB, two after it */
#define REGION_BYTES (5 * 4096u)

/* main(a0, a1, a2): memset, then return (to the halt address). */
static uint8_t *build(pvm_isa isa, size_t *len)
{
    pvm_builder *b = test_polkavm_builder(isa);
    pvm_emit_none(b, PVM_OP_MEMSET);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return test_polkavm_finish(b, len);
}

static const char *const LAZY_BACKENDS[] = {"", "mprotect", "userfaultfd"};

/* Whether this kernel lets us use userfaultfd for lazy pages (said once when not: the
 * mprotect backend still runs every case). */
static bool userfaultfd_works(void)
{
    static int known = -1;
    if (known < 0) {
        pvm_error err = {{0}};
        pvm_engine *e;
        pvm_module *m;
        pvm_instance *in;
        size_t len;
        pvm_builder *b = test_polkavm_builder(PVM_ISA_LATEST64);
        pvm_emit_none(b, PVM_OP_TRAP);
        uint8_t *blob = test_polkavm_finish(b, &len);
        pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
        assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
        assert_int_equal(pvm_module_compile(e, blob, len, NULL, NULL, &m, &err), PVM_OK);
        assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
        known = pvm_instance_set_lazy_pages(in, "userfaultfd", &err) == PVM_OK;
        if (!known) printf("userfaultfd lazy pages skipped: %s\n", err.msg);
        pvm_instance_free(in);
        pvm_module_release(m);
        pvm_engine_free(e);
        free(blob);
    }
    return known;
}

typedef struct {
    pvm_backend backend;
    pvm_gas_mode mode;
    int lazy; /* 0: off, 1: mprotect, 2: userfaultfd */
    bool traced;
} config;

typedef struct {
    pvm_exit_kind kind;
    uint32_t pc, fault_address;
    int64_t gas;
    uint64_t regs[PVM_REG_COUNT];
    uint8_t mem[REGION_BYTES];
    uint64_t traced_bytes;
} outcome;

static void count_bytes(void *ctx, uint32_t address, uint32_t size, bool is_write)
{
    (void)address;
    if (is_write) *(uint64_t *)ctx += size;
}

static outcome run(const uint8_t *blob, size_t len, config c, uint32_t base, uint64_t a0, uint64_t count, int64_t gas)
{
    pvm_error err = {{0}};
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_engine_config cfg = {c.backend, c.mode, NULL};
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e, blob, len, NULL, NULL, &m, &err), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
    if (c.lazy && pvm_instance_set_lazy_pages(in, LAZY_BACKENDS[c.lazy], &err) != PVM_OK)
        fail_msg("lazy pages (%s): %s", LAZY_BACKENDS[c.lazy], err.msg);
    outcome o = {0};
    if (c.traced) assert_int_equal(pvm_instance_set_memory_trace(in, count_bytes, &o.traced_bytes, &err), PVM_OK);
    assert_int_equal(pvm_instance_map(in, base, 4 * 4096, PVM_ACCESS_WRITE, &err), PVM_OK);
    if (base == REGION) assert_int_equal(pvm_instance_map(in, base + 4 * 4096, 4096, PVM_ACCESS_READ, &err), PVM_OK);
    uint64_t args[3] = {a0, 0x1a5, count}; /* the byte is a1's low byte */
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, 3, &err), PVM_OK);
    pvm_instance_set_gas(in, gas);
    pvm_result res;
    assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK);
    o.kind = res.kind;
    o.pc = res.pc;
    o.fault_address = res.kind == PVM_EXIT_PAGE_FAULT ? res.fault_address : 0;
    o.gas = pvm_instance_gas(in);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) o.regs[r] = pvm_instance_reg(in, r);
    uint32_t mapped = base == REGION ? 5 * 4096 : 4 * 4096;
    assert_int_equal(pvm_instance_read(in, base, o.mem, mapped, &err), PVM_OK);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return o;
}

static void expect_same(const outcome *got, const outcome *want, config c)
{
    char what[96];
    snprintf(what, sizeof what, "%s gas %d %s", c.backend == PVM_BACKEND_JIT ? "jit" : "interp", (int)c.mode,
             c.lazy ? LAZY_BACKENDS[c.lazy] : "");
    if (got->kind != want->kind || got->pc != want->pc || got->fault_address != want->fault_address ||
        got->gas != want->gas)
        fail_msg("%s: exit %d pc %u fault %#x gas %lld, the byte loop: exit %d pc %u fault %#x gas %lld", what,
                 (int)got->kind, got->pc, got->fault_address, (long long)got->gas, (int)want->kind, want->pc,
                 want->fault_address, (long long)want->gas);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++)
        if (got->regs[r] != want->regs[r])
            fail_msg("%s: r%u %#llx, the byte loop %#llx", what, r, (unsigned long long)got->regs[r],
                     (unsigned long long)want->regs[r]);
    if (memcmp(got->mem, want->mem, REGION_BYTES) != 0) fail_msg("%s: memory differs from the byte loop's", what);
}

/* Every configuration against the traced interpreter (the byte loop) on one fill; returns
 * the reference outcome for the case's own checks. */
static outcome check_all(pvm_isa isa, uint32_t base, uint64_t a0, uint64_t count, int64_t gas, pvm_gas_mode only)
{
    size_t len;
    uint8_t *blob = build(isa, &len);
    outcome want = {0};
    for (int mode = 0; mode < 3; mode++) {
        if (only != (pvm_gas_mode)-1 && mode != (int)only) continue;
        for (int lazy = 0; lazy < 3; lazy++) {
            if (lazy == 2 && !userfaultfd_works()) continue;
            config ref = {PVM_BACKEND_INTERP, (pvm_gas_mode)mode, lazy, true};
            outcome w = run(blob, len, ref, base, a0, count, gas);
            assert_true(w.traced_bytes > 0 || count == 0 || w.kind != PVM_EXIT_HALT);
            for (int backend = 0; backend < 2; backend++) {
                if (backend == PVM_BACKEND_JIT && !pvm_backend_available(PVM_BACKEND_JIT)) continue;
                config c = {(pvm_backend)backend, (pvm_gas_mode)mode, lazy, false};
                outcome got = run(blob, len, c, base, a0, count, gas);
                expect_same(&got, &w, c);
            }
            if (mode == (only == (pvm_gas_mode)-1 ? PVM_GAS_SYNC : (int)only) && !lazy) want = w;
        }
    }
    free(blob);
    return want;
}

static void a_fill_across_pages_ends_with_a0_and_a2_moved(void **state)
{
    (void)state;
    for (int w = 0; w < 2; w++) {
        uint64_t start = REGION + 100, count = 3 * 4096 + 50;
        outcome o = check_all(w ? PVM_ISA_LATEST32 : PVM_ISA_LATEST64, REGION, start, count, 1000000, (pvm_gas_mode)-1);
        assert_int_equal(o.kind, PVM_EXIT_HALT);
        assert_int_equal(o.regs[7], start + count);
        assert_int_equal(o.regs[9], 0);
        for (uint32_t i = 0; i < REGION_BYTES; i++)
            assert_int_equal(o.mem[i], i >= 100 && i < 100 + count ? 0xa5 : 0);
        assert_int_equal(o.traced_bytes, count);
    }
}

/* A store to a read-only page panics in these ISAs (as in PolkaVM). */
static void a_fill_into_a_read_only_page_panics_at_its_first_byte(void **state)
{
    (void)state;
    uint64_t start = REGION + 4 * 4096 - 300, count = 1000;
    outcome o = check_all(PVM_ISA_LATEST64, REGION, start, count, 1000000, (pvm_gas_mode)-1);
    assert_int_equal(o.kind, PVM_EXIT_PANIC);
    assert_int_equal(o.regs[7], REGION + 4 * 4096);
    assert_int_equal(o.regs[9], 700);
    assert_int_equal(o.mem[4 * 4096 - 301], 0);
    assert_int_equal(o.mem[4 * 4096 - 300], 0xa5);
    assert_int_equal(o.mem[4 * 4096 - 1], 0xa5);
    assert_int_equal(o.mem[4 * 4096], 0);
}

/* Past the four pages mapped at HIGH nothing is: a page fault at the first byte there. */
static void a_fill_into_an_unmapped_page_faults_at_its_first_byte(void **state)
{
    (void)state;
    uint64_t start = HIGH + 4 * 4096 - 300, count = 1000;
    outcome o = check_all(PVM_ISA_LATEST64, HIGH, start, count, 1000000, (pvm_gas_mode)-1);
    assert_int_equal(o.kind, PVM_EXIT_PAGE_FAULT);
    assert_int_equal(o.fault_address, HIGH + 4 * 4096);
    assert_int_equal(o.regs[7], HIGH + 4 * 4096);
    assert_int_equal(o.regs[9], 700);
    assert_int_equal(o.mem[4 * 4096 - 301], 0);
    assert_int_equal(o.mem[4 * 4096 - 1], 0xa5);
}

/* Gas for the block and some of the bytes: sync writes exactly the bytes it can pay for and
 * stops with a0 and a2 there; async writes them all and ends out of gas. */
static void gas_that_runs_out_in_the_middle_stops_where_the_byte_loop_does(void **state)
{
    (void)state;
    for (int64_t gas = 2000; gas <= 2003; gas++) {
        outcome s = check_all(PVM_ISA_LATEST64, REGION, REGION + 10, 3 * 4096, gas, PVM_GAS_SYNC);
        assert_int_equal(s.kind, PVM_EXIT_OUT_OF_GAS);
        assert_true(s.regs[9] > 0 && s.regs[9] < 3 * 4096);
        assert_int_equal(s.regs[7] + s.regs[9], REGION + 10 + 3 * 4096);
        outcome a = check_all(PVM_ISA_LATEST64, REGION, REGION + 10, 3 * 4096, gas, PVM_GAS_ASYNC);
        assert_int_equal(a.kind, PVM_EXIT_OUT_OF_GAS);
        assert_int_equal(a.regs[9], 0);
    }
}

/* (The API shows a 32-bit program's registers as their 32 bits.) */
static void a_32_bit_fill_across_2_gib(void **state)
{
    (void)state;
    uint64_t start = HIGH + 4096 - 8, count = 2 * 4096;
    outcome o = check_all(PVM_ISA_LATEST32, HIGH, start, count, 1000000, (pvm_gas_mode)-1);
    assert_int_equal(o.kind, PVM_EXIT_HALT);
    assert_int_equal(o.regs[7], (uint32_t)(start + count));
    assert_int_equal(o.regs[9], 0);
    assert_int_equal(o.mem[4095 - 8], 0);
    assert_int_equal(o.mem[4096 - 8], 0xa5);
    assert_int_equal(o.mem[3 * 4096 - 9], 0xa5);
    assert_int_equal(o.mem[3 * 4096 - 8], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_fill_across_pages_ends_with_a0_and_a2_moved),
        cmocka_unit_test(a_fill_into_a_read_only_page_panics_at_its_first_byte),
        cmocka_unit_test(a_fill_into_an_unmapped_page_faults_at_its_first_byte),
        cmocka_unit_test(gas_that_runs_out_in_the_middle_stops_where_the_byte_loop_does),
        cmocka_unit_test(a_32_bit_fill_across_2_gib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
