/* Golden blocks for the pipeline simulator. The blocks named after a
 * PolkaVM test are the same instruction sequence as that test in
 * crates/polkavm-common/src/simulator.rs (Latest64, fed as the first block),
 * and `cost` is the number that test asserts. The others are our own. */
#ifndef PVM_TEST_GAS_GOLDEN_BLOCKS_H
#define PVM_TEST_GAS_GOLDEN_BLOCKS_H
#include "test_block.h"

typedef struct {
    const char *name;
    pvm_isa isa;
    uint32_t cache_level;
    const tb_instr *list;
    uint32_t n;
    uint32_t cost;        /* expected cost of block 0 */
    const char *timeline; /* expected pvm_pipeline_timeline output, or NULL */
} golden_block;

extern const golden_block golden_blocks[];
extern const size_t golden_block_count;
#endif
