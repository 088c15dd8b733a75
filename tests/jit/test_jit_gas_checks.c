/* Which block entries keep an out-of-gas check (vm/jit/gas_checks.c), on
 * random control-flow graphs: the recompiler's plan must be valid (no cycle of
 * unchecked blocks, none loops on itself, blocks ending in a dynamic jump are
 * checked, the bias covers every chain of unchecked blocks), must be the
 * greedy choice in program order, must drop checks at all, and the validity test
 * must reject plans that break each rule. Whether
 * the biased counter then stops exactly where the interpreter does is
 * test_jit_gas_exact's and the differential fuzzer's part. */
#include <string.h>
#include "tests/vm/test_util.h"
#include "vm/jit/gas_checks.h"
#include "vm/jit/jit.h"
#include "vm/state/vm_state.h"

enum { BLOCKS = 40 };

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next_rand(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* BLOCKS blocks of 1-4 additions, each ending in a branch, a jump, a
 * fall-through, a trap or a dynamic jump; about a fifth in the jump table;
 * block 7 loops on itself. */
static uint8_t *random_program(size_t *len)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label l[BLOCKS];
    for (int k = 0; k < BLOCKS; k++) l[k] = pvm_builder_label(b);
    pvm_builder_export(b, "run", l[0]);
    for (int k = 0; k < BLOCKS; k++)
        if (next_rand(5) == 0) pvm_builder_jump_table_add(b, l[k]);
    for (int k = 0; k < BLOCKS; k++) {
        pvm_builder_bind(b, l[k]);
        for (uint32_t n = 1 + next_rand(4); n--;) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 1 + next_rand(5), 1 + next_rand(5), 3);
        uint32_t to = k == 7 ? 7 : next_rand(BLOCKS);
        switch (k == 7 ? 0 : next_rand(5)) {
        case 0: pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 2, 0, l[to]); break;
        case 1: pvm_emit_jump(b, PVM_OP_JUMP, l[to]); break;
        case 2: pvm_emit_none(b, PVM_OP_FALLTHROUGH); break;
        case 3: pvm_emit_none(b, PVM_OP_TRAP); break;
        default: pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 3, 0); break;
        }
    }
    uint8_t *bytes;
    pvm_error err = {{0}};
    if (pvm_builder_finish_polkavm(b, &bytes, len, &err)) fail_msg("builder: %s", err.msg);
    pvm_builder_free(b);
    return bytes;
}

/* The plan is the greedy one in program order (what the generated code was built
 * with, so that a rewrite of the planner keeps the code): block b goes unchecked
 * exactly when it does not end in a dynamic jump, is no loop head (the target of
 * an edge from itself or a later block), and the dearest chain of unchecked
 * blocks ending in it costs at most the limit. Returns the dearest chain (the bias). */
static uint32_t assert_greedy(const pvm_decoded *d, const uint32_t *cost, const uint8_t *unchecked)
{
    uint32_t into[BLOCKS + 8] = {0}, dearest = 0; /* the dearest unchecked chain into a block */
    bool head[BLOCKS + 8] = {0};
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        pvm_op op = (pvm_op)d->blocks[b].term_op;
        if (pvm_kind_has_target((pvm_kind)pvm_op_table[op].kind) && d->blocks[b].target_block <= b)
            head[d->blocks[b].target_block] = true;
    }
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        pvm_op op = (pvm_op)d->blocks[b].term_op;
        uint32_t s[2], n = 0;
        if (pvm_kind_has_target((pvm_kind)pvm_op_table[op].kind) && d->blocks[b].target_block != PVM_NO_INDEX)
            s[n++] = d->blocks[b].target_block;
        if ((pvm_op_can_fall_through(op) || !pvm_op_is_terminator(op)) && b + 1 < d->n_blocks) s[n++] = b + 1;
        bool ok = pvm_op_group_of(op) != PVM_GROUP_JUMP_IND && cost[b] + into[b] <= JIT_GAS_UNCHECKED_MAX_COST && !head[b];
        assert_int_equal(unchecked[b] == 1, ok);
        if (!ok) continue;
        if (cost[b] + into[b] > dearest) dearest = cost[b] + into[b];
        for (uint32_t k = 0; k < n; k++)
            if (into[s[k]] < cost[b] + into[b]) into[s[k]] = cost[b] + into[b];
    }
    for (uint32_t b = 0; b < d->n_blocks; b++) { /* covered: checked, entered with its cost left */
        bool covered = unchecked[b] != 1 && cost[b] + into[b] <= JIT_GAS_UNCHECKED_MAX_COST;
        assert_int_equal(unchecked[b] == JIT_GAS_COVERED, covered);
        if (covered && cost[b] + into[b] > dearest) dearest = cost[b] + into[b];
    }
    return dearest;
}

static void plans_are_valid_and_drop_checks(void **s)
{
    (void)s;
    if (!pvm_backend_available(PVM_BACKEND_JIT)) {
        printf("# recompiler not built: nothing to plan\n");
        return;
    }
    pvm_engine *e;
    pvm_error err = {{0}};
    pvm_engine_config cfg = {PVM_BACKEND_JIT, PVM_GAS_SYNC, NULL};
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    unsigned dropped = 0, jt_targets = 0, deferred = 0;
    for (int round = 0; round < 200; round++) {
        size_t len;
        uint8_t *bytes = random_program(&len);
        pvm_module *m;
        if (pvm_module_compile(e, bytes, len, NULL, NULL, &m, &err)) fail_msg("compile: %s", err.msg);
        free(bytes);
        const pvm_decoded *d = &m->dec;
        uint8_t unchecked[BLOCKS + 8];
        assert_true(d->n_blocks <= sizeof unchecked);
        uint32_t bias = jit_gas_checks_plan(d, m->block_cost, unchecked);
        assert_int_equal(bias, ((const jit_module *)m->jit)->gas_bias); /* what the compile used */
        assert_true(jit_gas_checks_valid(d, m->block_cost, unchecked, bias));
        assert_int_equal(assert_greedy(d, m->block_cost, unchecked), bias);
        uint32_t self_loop = d->instrs[d->blocks[7].first].block;
        assert_int_not_equal(unchecked[self_loop], 1);
        uint32_t any = PVM_NO_INDEX;
        for (uint32_t b = 0; b < d->n_blocks; b++)
            if (unchecked[b] == 1) dropped++, any = b;
        if (any != PVM_NO_INDEX) { /* each rule broken on purpose is caught */
            assert_false(jit_gas_checks_valid(d, m->block_cost, unchecked, bias - 1));
            uint8_t all[BLOCKS + 8];
            memset(all, 1, sizeof all);
            assert_false(jit_gas_checks_valid(d, m->block_cost, all, UINT32_MAX));
        }
        uint8_t one[BLOCKS + 8]; /* a single unchecked block: only its own rule can fail */
        memset(one, 0, sizeof one);
        one[self_loop] = 1;
        assert_false(jit_gas_checks_valid(d, m->block_cost, one, UINT32_MAX));
        for (uint32_t b = 0; b < d->n_blocks; b++) { /* a dynamic jump may land on any table entry */
            const pvm_instr *t = &d->instrs[d->blocks[b].first + d->blocks[b].count - 1];
            if (t->op == PVM_OP_JUMP_IND) assert_int_not_equal(unchecked[b], 1);
        }
        for (uint32_t k = 0; k < d->jt_len; k++) {
            uint32_t t = d->jump_table_index[k];
            if (t != PVM_NO_INDEX) jt_targets += unchecked[d->instrs[t].block] == 1;
        }
        int64_t charge[BLOCKS + 8];
        int32_t pay[BLOCKS + 8];
        uint16_t owed[BLOCKS + 8];
        jit_gas_owed_plan(d, m->block_cost, unchecked, charge, pay, owed);
        for (uint32_t b = 0; b < d->n_blocks; b++) assert_int_equal(pay[b], jit_gas_pay_into(d, m->block_cost, charge, owed, b));
        assert_true(jit_gas_owed_valid(d, m->block_cost, unchecked, charge, owed));
        for (uint32_t b = 0; b < d->n_blocks; b++) {
            deferred += unchecked[b] == 1 && charge[b] == 0;
            if (unchecked[b] != 1) continue;
            charge[b]++; /* what the jumps into b owe no longer matches, or b owes one less than it does */
            bool jumped = false;
            for (uint32_t u = 0; u < d->n_blocks; u++) {
                pvm_op op = (pvm_op)d->blocks[u].term_op;
                jumped |= pvm_kind_has_target((pvm_kind)pvm_op_table[op].kind) && d->blocks[u].target_block == b;
            }
            for (uint32_t k = 0; k < d->jt_len; k++)
                jumped |= d->jump_table_index[k] != PVM_NO_INDEX && d->instrs[d->jump_table_index[k]].block == b;
            if (jumped) assert_false(jit_gas_owed_valid(d, m->block_cost, unchecked, charge, owed));
            charge[b]--;
        }
        for (uint32_t b = 0; b < d->n_blocks; b++)
            if (unchecked[b] != 1) { /* a checked block owing anything */
                owed[b]++, charge[b]++;
                assert_false(jit_gas_owed_valid(d, m->block_cost, unchecked, charge, owed));
                owed[b]--, charge[b]--;
            }
        pvm_module_release(m);
    }
    printf("# %u blocks without a check over 200 programs, %u of them jump-table targets, %u charging nothing (deferred)\n",
           dropped, jt_targets, deferred);
    assert_true(deferred > 200 * BLOCKS / 20);
    assert_true(dropped > 200 * BLOCKS / 5);
    assert_true(jt_targets > 0);
    pvm_engine_free(e);
}

/* entry: jump_ind (no static successor); target (a table entry): trap. Each
 * alone may go unchecked; both may not, though no static edge joins them. */
static void a_dynamic_jump_reaches_every_table_entry(void **s)
{
    (void)s;
    if (!pvm_backend_available(PVM_BACKEND_JIT)) return;
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b), target = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_jump_table_add(b, target);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 7, 0);
    pvm_builder_bind(b, target);
    pvm_emit_none(b, PVM_OP_TRAP);
    test_vm t;
    test_vm_open(&t, b, PVM_BACKEND_JIT, PVM_GAS_SYNC, NULL);
    const pvm_decoded *d = &t.module->dec;
    assert_true(d->n_blocks >= 2);
    uint8_t plan[8] = {0};
    plan[0] = 1;
    assert_true(jit_gas_checks_valid(d, t.module->block_cost, plan, UINT32_MAX));
    plan[0] = 0, plan[1] = 1;
    assert_true(jit_gas_checks_valid(d, t.module->block_cost, plan, UINT32_MAX));
    plan[0] = 1;
    assert_false(jit_gas_checks_valid(d, t.module->block_cost, plan, UINT32_MAX));
    test_vm_close(&t);
}

/* head (falls through) -> body (falls through) -> latch (branches back to body,
 * falls through to a trap): body, the loop's head, keeps the loop's only check;
 * head, and latch with the trap after it, go unchecked, the bias is the dearer
 * chain; one gas short, or body unchecked too (a cycle), is rejected. */
static void a_chain_of_unchecked_blocks_and_one_check_per_loop(void **s)
{
    (void)s;
    if (!pvm_backend_available(PVM_BACKEND_JIT)) return;
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label head = pvm_builder_label(b), body = pvm_builder_label(b), latch = pvm_builder_label(b);
    pvm_builder_export(b, "run", head);
    pvm_builder_bind(b, head);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 3, 3, 1);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, body);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 4, 4, 1);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, -1);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, latch);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 5, 5, 1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 2, 0, body);
    pvm_emit_none(b, PVM_OP_TRAP);
    test_vm t;
    test_vm_open(&t, b, PVM_BACKEND_JIT, PVM_GAS_SYNC, NULL);
    const pvm_decoded *d = &t.module->dec;
    const uint32_t *cost = t.module->block_cost;
    assert_true(d->n_blocks >= 4 && d->n_blocks <= 8);
    uint8_t plan[8] = {0};
    uint32_t bias = jit_gas_checks_plan(d, cost, plan);
    assert_int_equal(bias, ((const jit_module *)t.module->jit)->gas_bias);
    assert_int_equal(plan[0], 1);
    assert_int_equal(plan[1], JIT_GAS_COVERED); /* entered from head or latch with their chains' bias left */
    assert_int_equal(plan[2], 1);
    assert_int_equal(plan[3], 1);
    uint32_t into_body = cost[0] > cost[2] ? cost[0] : cost[2];
    uint32_t want = cost[2] + cost[3] > into_body + cost[1] ? cost[2] + cost[3] : into_body + cost[1];
    assert_int_equal(bias, want);
    assert_true(cost[2] && cost[3] && bias > cost[0]);
    assert_true(jit_gas_checks_valid(d, cost, plan, bias));
    assert_false(jit_gas_checks_valid(d, cost, plan, bias - 1));
    plan[1] = 0; /* not covered: the bias need only cover the chains */
    assert_true(jit_gas_checks_valid(d, cost, plan, cost[2] + cost[3] > cost[0] ? cost[2] + cost[3] : cost[0]));
    plan[1] = 1; /* body and latch unchecked: a cycle */
    assert_false(jit_gas_checks_valid(d, cost, plan, UINT32_MAX));
    /* deferred charges: head, latch and the trap charge nothing; body's check charges body and
     * latch (what the latch's jump owes); head's fall-through into body pays head less latch */
    uint8_t planned[8] = {0}; /* the plan as made (plan[] is broken on purpose above) */
    jit_gas_checks_plan(d, cost, planned);
    int64_t charge[8];
    int32_t pay[8];
    uint16_t owed[8];
    jit_gas_owed_plan(d, cost, planned, charge, pay, owed);
    assert_int_equal(pay[1], (int64_t)cost[0] - cost[2]);
    assert_true(jit_gas_owed_valid(d, cost, planned, charge, owed));
    assert_int_equal(charge[0], 0);
    assert_int_equal(charge[1], cost[1] + cost[2]);
    assert_int_equal(charge[2], 0);
    assert_int_equal(charge[3], 0);
    assert_int_equal(owed[1], 0);
    assert_int_equal(owed[3], cost[2] + cost[3]);
    assert_int_equal(jit_gas_pay_into(d, cost, charge, owed, 1), (int64_t)cost[0] - cost[2]);
    assert_int_equal(jit_gas_pay_into(d, cost, charge, owed, 2), 0);
    charge[1]--; /* the latch's jump would owe more than body's entry takes */
    assert_false(jit_gas_owed_valid(d, cost, planned, charge, owed));
    charge[1]++;
    plan[2] = 0; /* the latch checked instead: valid too, with head and body as one chain */
    assert_true(jit_gas_checks_valid(d, cost, plan, UINT32_MAX));
    assert_false(jit_gas_checks_valid(d, cost, plan, cost[0] + cost[1] - 1));
    test_vm_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(plans_are_valid_and_drop_checks),
                                       cmocka_unit_test(a_dynamic_jump_reaches_every_table_entry),
                                       cmocka_unit_test(a_chain_of_unchecked_blocks_and_one_check_per_loop)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
