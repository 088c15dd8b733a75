/* The reference parameters of the pipeline model
 * (PolkaVM Full model / GP 0.8.0). */
#include <stdio.h>
#include "pipeline_params.h"

/* The reference class costs: latency, +b64, decode, +b64, +distinct, units
 * alu mul div (LOAD and STORE, the only users of the load/store pools, are
 * spelled out). */
#define R(lat_, lat64_, dec_, dec64_, dist_, alu_, mul_, div_)                            \
    {.latency = lat_, .latency_b64 = lat64_, .decode = dec_, .decode_b64 = dec64_,       \
     .decode_distinct = dist_, .alu = alu_, .mul = mul_, .div = div_}
static const pvm_class_cost reference_classes[PVM_CLASS_COUNT] = {
    [PVM_CLASS_ALU3] = R(1, 0, 1, 0, 1, 1, 0, 0),
    [PVM_CLASS_ALU3_32] = R(1, 1, 1, 1, 1, 1, 0, 0),
    [PVM_CLASS_ALU2] = R(1, 0, 1, 0, 1, 1, 0, 0),
    [PVM_CLASS_ALU2_32] = R(1, 1, 1, 1, 1, 1, 0, 0),
    [PVM_CLASS_BITS_1C] = R(1, 0, 1, 0, 0, 1, 0, 0),
    [PVM_CLASS_BITS_2C] = R(2, 0, 1, 0, 0, 2, 0, 0),
    [PVM_CLASS_SHIFT] = R(1, 0, 2, 0, 1, 1, 0, 0),
    [PVM_CLASS_SHIFT_32] = R(1, 1, 2, 1, 1, 1, 0, 0),
    [PVM_CLASS_SHIFT_ALT] = R(1, 0, 3, 0, 0, 1, 0, 0),
    [PVM_CLASS_SHIFT_ALT_32] = R(2, 0, 4, 0, 0, 1, 0, 0),
    [PVM_CLASS_COMPARE] = R(3, 0, 3, 0, 0, 1, 0, 0),
    [PVM_CLASS_COMPARE_IMM] = R(3, 0, 3, 0, 0, 1, 0, 0),
    [PVM_CLASS_CMOV] = R(2, 0, 2, 0, 0, 1, 0, 0),
    [PVM_CLASS_CMOV_IMM] = R(2, 0, 3, 0, 0, 1, 0, 0),
    [PVM_CLASS_MIN_MAX] = R(3, 0, 2, 0, 1, 1, 0, 0),
    [PVM_CLASS_LOGIC_INV] = R(2, 0, 3, 0, 0, 1, 0, 0),
    [PVM_CLASS_XNOR] = R(2, 0, 2, 0, 1, 1, 0, 0),
    [PVM_CLASS_NEG_ADD] = R(2, 0, 3, 0, 0, 1, 0, 0),
    [PVM_CLASS_NEG_ADD_32] = R(3, 0, 4, 0, 0, 1, 0, 0),
    [PVM_CLASS_MUL] = R(3, 0, 1, 0, 1, 1, 1, 0),
    [PVM_CLASS_MUL_IMM] = R(3, 0, 1, 0, 1, 1, 1, 0),
    [PVM_CLASS_MUL_32] = R(4, 0, 2, 0, 1, 1, 1, 0),
    [PVM_CLASS_MUL_IMM_32] = R(4, 0, 2, 0, 1, 1, 1, 0),
    [PVM_CLASS_MUL_UPPER] = R(4, 0, 4, 0, 0, 1, 1, 0),
    [PVM_CLASS_MUL_UPPER_SU] = R(6, 0, 4, 0, 0, 1, 1, 0),
    [PVM_CLASS_DIV] = R(60, 0, 4, 0, 0, 1, 0, 1),
    [PVM_CLASS_LOAD] = {.decode = 1, .alu = 1, .load = 1},
    [PVM_CLASS_STORE] = {.decode = 1, .alu = 1, .store = 1},
    [PVM_CLASS_LOAD_IMM] = R(1, 0, 1, 0, 0, 0, 0, 0),
    [PVM_CLASS_LOAD_IMM_64] = R(1, 0, 2, 0, 0, 0, 0, 0),
    [PVM_CLASS_UNLIKELY] = R(40, 0, 1, 0, 0, 0, 0, 0),
    [PVM_CLASS_HOST] = R(100, 0, 4, 0, 0, 1, 0, 0),
    [PVM_CLASS_END] = R(2, 0, 1, 0, 0, 0, 0, 0),
    [PVM_CLASS_JUMP] = R(15, 0, 1, 0, 0, 0, 0, 0),
    [PVM_CLASS_JUMP_IND] = R(22, 0, 1, 0, 0, 0, 0, 0),
    [PVM_CLASS_BRANCH] = {.decode = 1, .alu = 1},
    [PVM_CLASS_MOVE] = {.decode = 1},
};
#undef R

int pvm_pipeline_reference(uint32_t cache_level, pvm_pipeline_params *out)
{
    if (cache_level < 1 || cache_level > 3) return -1;
    *out = (pvm_pipeline_params){
        .decode_width = 4,
        .rob_size = 32,
        .max_starts = 5,
        .slack = 3,
        .units = {[PVM_UNIT_ALU] = 4, [PVM_UNIT_LOAD] = 4, [PVM_UNIT_STORE] = 4, [PVM_UNIT_MUL] = 1, [PVM_UNIT_DIV] = 1},
        .cache_level = cache_level,
        .cache_latency = {4, 25, 37},
        .store_latency = 25,
        .branch_hit = 1,
        .branch_miss = 20,
    };
    for (int c = 0; c < PVM_CLASS_COUNT; c++) out->cls[c] = reference_classes[c];
    return 0;
}

/* Scalar keys in file order, then per class the fields below. */
static const struct {
    const char *name;
    size_t offset;
} scalar_keys[] = {
#define K(name, field) {name, offsetof(pvm_pipeline_params, field)}
    K("decode_width", decode_width),
    K("rob_size", rob_size),
    K("max_starts", max_starts),
    K("slack", slack),
    K("units.alu", units[PVM_UNIT_ALU]),
    K("units.load", units[PVM_UNIT_LOAD]),
    K("units.store", units[PVM_UNIT_STORE]),
    K("units.mul", units[PVM_UNIT_MUL]),
    K("units.div", units[PVM_UNIT_DIV]),
    K("cache_level", cache_level),
    K("latency.l1", cache_latency[0]),
    K("latency.l2", cache_latency[1]),
    K("latency.l3", cache_latency[2]),
    K("latency.store", store_latency),
    K("branch.hit", branch_hit),
    K("branch.miss", branch_miss),
#undef K
};
static const struct {
    const char *name;
    size_t offset;
} class_fields[] = {
#define F(field) {#field, offsetof(pvm_class_cost, field)}
    F(latency), F(latency_b64), F(decode), F(decode_b64), F(decode_distinct),
    F(alu), F(load), F(store), F(mul), F(div),
#undef F
};
#define N_SCALARS (sizeof scalar_keys / sizeof scalar_keys[0])
#define N_FIELDS (sizeof class_fields / sizeof class_fields[0])

size_t pvm_pipeline_key_count(void) { return N_SCALARS + (size_t)PVM_CLASS_COUNT * N_FIELDS; }

uint32_t *pvm_pipeline_key(pvm_pipeline_params *p, size_t i, char *name, size_t cap)
{
    if (i < N_SCALARS) {
        snprintf(name, cap, "%s", scalar_keys[i].name);
        return (uint32_t *)((char *)p + scalar_keys[i].offset);
    }
    i -= N_SCALARS;
    if (i >= (size_t)PVM_CLASS_COUNT * N_FIELDS) return NULL;
    size_t c = i / N_FIELDS, f = i % N_FIELDS;
    snprintf(name, cap, "class.%s.%s", pvm_pipeline_class_name((pvm_op_class)c), class_fields[f].name);
    return (uint32_t *)((char *)&p->cls[c] + class_fields[f].offset);
}

/* Classes whose latency comes from a scalar parameter (or, for MOVE, that
 * never execute). */
static int latency_is_external(int c)
{
    return c == PVM_CLASS_LOAD || c == PVM_CLASS_STORE || c == PVM_CLASS_BRANCH || c == PVM_CLASS_MOVE;
}

int pvm_pipeline_params_check(const pvm_pipeline_params *p, char *why, size_t cap)
{
#define FAIL(...) return (snprintf(why, cap, __VA_ARGS__), -1)
    if (p->decode_width < 1 || p->decode_width > PVM_PIPELINE_MAX_WIDTH)
        FAIL("decode_width: must be 1..%d", PVM_PIPELINE_MAX_WIDTH);
    if (p->rob_size < 1 || p->rob_size > PVM_PIPELINE_MAX_ROB) FAIL("rob_size: must be 1..%d", PVM_PIPELINE_MAX_ROB);
    if (p->max_starts < 1 || p->max_starts > PVM_PIPELINE_MAX_WIDTH)
        FAIL("max_starts: must be 1..%d", PVM_PIPELINE_MAX_WIDTH);
    if (p->slack > PVM_PIPELINE_MAX_LATENCY) FAIL("slack: must be 0..%d", PVM_PIPELINE_MAX_LATENCY);
    for (int u = 0; u < PVM_UNIT_COUNT; u++)
        if (p->units[u] > PVM_PIPELINE_MAX_WIDTH)
            FAIL("units.%s: must be 0..%d", class_fields[5 + u].name, PVM_PIPELINE_MAX_WIDTH);
    if (p->cache_level < 1 || p->cache_level > 3) FAIL("cache_level: must be 1, 2 or 3");
    /* Keys 10..15: the memory and branch latencies. */
    char name[64];
    pvm_pipeline_params *mp = (pvm_pipeline_params *)p; /* pvm_pipeline_key only reads through it here */
    for (size_t i = 10; i < N_SCALARS; i++) {
        uint32_t v = *pvm_pipeline_key(mp, i, name, sizeof name);
        if (v < 1 || v > PVM_PIPELINE_MAX_LATENCY) FAIL("%s: must be 1..%d", name, PVM_PIPELINE_MAX_LATENCY);
    }
    for (int c = 0; c < PVM_CLASS_COUNT; c++) {
        const pvm_class_cost *k = &p->cls[c];
        const char *n = pvm_pipeline_class_name((pvm_op_class)c);
        uint64_t lat_max = (uint64_t)k->latency + k->latency_b64;
        if (latency_is_external(c) && lat_max != 0)
            FAIL("class.%s.latency: must be 0 with latency_b64 0 (this class's latency is set elsewhere)", n);
        if (!latency_is_external(c) && (k->latency < 1 || lat_max > PVM_PIPELINE_MAX_LATENCY))
            FAIL("class.%s.latency: latency (+ latency_b64) must be 1..%d", n, PVM_PIPELINE_MAX_LATENCY);
        uint64_t dec_max = (uint64_t)k->decode + k->decode_b64 + k->decode_distinct;
        if (k->decode < 1 || dec_max > p->decode_width)
            FAIL("class.%s.decode: decode slots (+ b64 + distinct) must be >= 1 and fit decode_width %u", n,
                 p->decode_width);
        const uint32_t need[PVM_UNIT_COUNT] = {k->alu, k->load, k->store, k->mul, k->div};
        for (int u = 0; u < PVM_UNIT_COUNT; u++)
            if (need[u] > p->units[u])
                FAIL("class.%s.%s: needs %u units, the pool holds %u", n, class_fields[5 + u].name, need[u],
                     p->units[u]);
    }
    return 0;
#undef FAIL
}
