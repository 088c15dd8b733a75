/* Golden blocks (see golden_blocks.h). Register names as in PolkaVM's
 * assembler; L64 = Latest64, L32 = Latest32. */
#include "golden_blocks.h"

#define L64 PVM_ISA_LATEST64
#define L32 PVM_ISA_LATEST32
#define N(list) list, (uint32_t)(sizeof list / sizeof list[0])

static const tb_instr parallel_simple[] = {I3(ADD_64, A0, A1, A2), I3(ADD_64, A1, A1, A2), I0(TRAP)};
static const tb_instr sequential_simple[] = {I3(ADD_64, A0, A1, A2), I3(ADD_64, A1, A0, A2), I0(TRAP)};
static const tb_instr sequential_decode_limits[] = {IR(LOAD_IMM_64, A0), IR(LOAD_IMM_64, A1), IR(LOAD_IMM_64, A2),
                                                    IR(LOAD_IMM_64, A3), I0(TRAP)};
static const tb_instr resource_limits_mul[] = {I3(MUL_64, A0, A1, A2), I3(MUL_64, A1, A3, A4), I0(TRAP)};
static const tb_instr mul_with_dep[] = {I3(ADD_64, A0, A1, A2), I3(MUL_64, A4, A0, A3), I0(TRAP)};
static const tb_instr register_move[] = {IR(LOAD_IMM, S0), I2(MOVE_REG, A0, S0), IRR(ADD_IMM_64, A1, A0), I0(TRAP)};
static const tb_instr memory_accesses[] = {I2(MOVE_REG, A0, S1),       IRR(LOAD_IND_U64, RA, SP),
                                           IRR(LOAD_IND_U64, S0, SP), IRR(LOAD_IND_U64, S1, SP),
                                           IRR(ADD_IMM_64, SP, SP),   IR(JUMP_IND, RA)};
static const tb_instr empty[] = {I0(FALLTHROUGH)};
static const tb_instr overwrite_register[] = {IRR(LOAD_IND_U64, S0, SP), I3(ADD_64, S0, A1, A2),
                                              IRR(LOAD_IND_U64, S0, S0), IR(JUMP_IND, S0)};
/* The branch targets its own block's first instruction and ends the code. */
static const tb_instr load_and_jump[] = {IRR(LOAD_IND_U8, A2, A0), IBR(BRANCH_EQ_IMM, A2, 0, 0)};
static const tb_instr complex_block[] = {IRR(LOAD_IND_I16, A2, A0), IRR(AND_IMM, A1, A1),     IR(LOAD_IMM, A3),
                                         IRR(SHLO_L_IMM_64, A1, A1), IRR(AND_IMM, A2, A2),    I3(OR, A1, A1, A2),
                                         I3(ADD_64, A2, A1, A3),     IRR(STORE_IND_U8, A3, A0), I0(TRAP)};
static const tb_instr even_more_complex[] = {
    I2(LEADING_ZERO_BITS_32, A1, A0), I3(SHLO_L_32, A0, A0, A1), IRR(SHLO_L_IMM_64, A1, A1), IRR(SHLO_R_IMM_32, A2, A0),
    IRR(SHLO_R_IMM_64, A3, A0),       I3(AND_INV, A3, A3, A2),   I3(SUB_32, A2, A2, A1),     IRR(SHLO_L_IMM_64, A0, A0),
    IRR(AND_IMM, A3, A3),             I3(SUB_32, A0, A0, A3),    IRR(SHLO_R_IMM_32, A0, A0), IRR(ADD_IMM_64, A1, A2),
    I3(ADD_32, A0, A0, A1),           IR(LOAD_IMM, A1),          IR(LOAD_IMM, RA),           I0(JUMP)};
/* Starts with `unlikely` (40 cycles at the ROB head), so the ROB fills up;
 * the branch goes back to that `unlikely`, which makes it cheap. */
static const tb_instr super_complex[] = {
    I0(UNLIKELY),              IRR(LOAD_IND_U8, T1, S0), IRR(LOAD_IND_U8, A1, S0),  IR(LOAD_IMM, A2),
    IRR(LOAD_IND_U8, A3, S0),  IRR(ADD_IMM_64, T0, SP),  IRR(SHLO_L_IMM_64, A1, A1), I3(ADD_64, A1, A1, A2),
    IRR(LOAD_IND_U8, A2, A1),  IRR(LOAD_IND_U8, A5, A1), IRR(LOAD_IND_U8, S1, A1),  IRR(LOAD_IND_U8, A4, A1),
    I3(ADD_64, A3, A3, T0),    IRR(SHLO_L_IMM_64, A5, A5), IRR(SHLO_L_IMM_64, S1, S1), IRR(SHLO_L_IMM_64, A4, A4),
    I3(OR, A2, A2, A5),        IRR(LOAD_IND_U8, A5, A1), IRR(LOAD_IND_U8, A0, A1),  I3(OR, A4, A4, S1),
    IRR(LOAD_IND_U8, S1, A1),  IRR(LOAD_IND_U8, A1, A1), IRR(SHLO_L_IMM_64, A0, A0), I3(OR, A0, A0, A5),
    IRR(SHLO_L_IMM_64, S1, S1), IRR(SHLO_L_IMM_64, A1, A1), I3(OR, A1, A1, S1),     I3(OR, A2, A2, A4),
    I3(OR, A0, A0, A1),        I3(SUB_64, A1, S0, T1),   IRR(SHLO_L_IMM_64, A0, A0), I3(OR, A0, A0, A2),
    IRR(STORE_IND_U64, A0, SP), IRR(LOAD_IND_U8, A0, A3), IRR(LOAD_IND_U8, A1, A1), I3(MUL_64, A0, A1, A0),
    IRR(LOAD_IND_U8, A1, S0),  IBR(BRANCH_NE_IMM, A1, 0, 0)};
static const tb_instr l3_loads[] = {IRR(LOAD_IND_U64, A0, A0), IRR(LOAD_IND_U64, A0, A0), IRR(LOAD_IND_U64, A0, A0),
                                    IRR(LOAD_IND_U64, A0, A0), IR(JUMP_IND, RA)};
static const tb_instr ecalli[] = {I0(ECALLI), IR(JUMP_IND, RA)};
static const tb_instr xor_and_shift[] = {IRR(XOR_IMM, A1, A1), I3(SHLO_R_64, A1, A0, A1), I0(FALLTHROUGH)};
static const tb_instr move_reg_decode_slots[] = {I2(MOVE_REG, S0, A1), I2(MOVE_REG, A0, A1), I2(MOVE_REG, A1, T0),
                                                 I2(MOVE_REG, A2, S1), I0(TRAP)};
/* Four load/shift/or/store groups; the block ends in a jump to a trap. */
static const tb_instr another_complex_block_1[] = {
    I0(UNLIKELY),
    IRR(LOAD_IND_U64, A4, SP), IRR(SHLO_L_IMM_64, A0, A4), IRR(SHLO_L_IMM_64, A1, A4), IRR(SHLO_R_IMM_64, A1, A1),
    I3(OR, A0, A0, A1),        IRR(STORE_IND_U16, A0, S1),
    IRR(LOAD_IND_U64, A1, SP), IRR(SHLO_L_IMM_64, A3, A1), IRR(SHLO_L_IMM_64, A2, A1), IRR(SHLO_R_IMM_64, A2, A2),
    I3(OR, T0, A3, A2),        IRR(STORE_IND_U16, T0, S1),
    IRR(LOAD_IND_U64, A3, SP), IRR(SHLO_L_IMM_64, A2, A3), IRR(SHLO_L_IMM_64, A3, A3), IRR(SHLO_R_IMM_64, A3, A3),
    I3(OR, A2, A2, A3),        IRR(STORE_IND_U16, A2, S1),
    IRR(LOAD_IND_U64, A3, SP), IRR(SHLO_L_IMM_64, A2, A3), IRR(SHLO_L_IMM_64, A3, A3), IRR(SHLO_R_IMM_64, A3, A3),
    I3(OR, A2, A2, A3),        IRR(STORE_IND_U16, A2, S1),
    IRR(SHLO_L_IMM_64, A2, A4), IRR(SHLO_R_IMM_64, A2, A2), I3(ADD_64, A0, A0, A2), IRR(SHLO_L_IMM_64, A0, A0),
    IRR(SHAR_R_IMM_64, A0, A0), IRR(SHLO_L_IMM_64, A2, A1), IRR(SHLO_R_IMM_64, A2, A2), I3(ADD_64, A1, T0, A2),
    IRR(SHLO_L_IMM_64, A1, A1), IRR(SHAR_R_IMM_64, A1, A1), I3(ADD_64, A0, A0, A1),
    {.op = PVM_OP_JUMP, .target = 37}, I0(TRAP)};

/* --- our own blocks ----------------------------------------------------- */

/* A dependent chain of four 1-cycle adds: one result per cycle. */
static const tb_instr dependent_chain[] = {IRR(ADD_IMM_64, A0, A0), IRR(ADD_IMM_64, A0, A0), IRR(ADD_IMM_64, A0, A0),
                                           IRR(ADD_IMM_64, A0, A0), I0(TRAP)};
/* Eight independent adds (d == s: 1 decode slot each): 4 decoded per cycle. */
static const tb_instr independent_adds[] = {IRR(ADD_IMM_64, A0, A0), IRR(ADD_IMM_64, A1, A1), IRR(ADD_IMM_64, A2, A2),
                                            IRR(ADD_IMM_64, A3, A3), IRR(ADD_IMM_64, A4, A4), IRR(ADD_IMM_64, A5, A5),
                                            IRR(ADD_IMM_64, S0, S0), IRR(ADD_IMM_64, S1, S1), I0(TRAP)};
/* The same four adds with d != s: 2 decode slots each. */
static const tb_instr independent_adds_2slot[] = {IRR(ADD_IMM_64, A0, T0), IRR(ADD_IMM_64, A1, T0),
                                                  IRR(ADD_IMM_64, A2, T0), IRR(ADD_IMM_64, A3, T0), I0(TRAP)};
/* ROB saturation: a 40-cycle `unlikely` at the head, then 36 adds; decode
 * stalls once 32 entries are in flight until the head retires. */
static const tb_instr rob_saturation[] = {
    I0(UNLIKELY),
#define ADD8 IRR(ADD_IMM_64, A0, A0), IRR(ADD_IMM_64, A1, A1), IRR(ADD_IMM_64, A2, A2), IRR(ADD_IMM_64, A3, A3), \
             IRR(ADD_IMM_64, A4, A4), IRR(ADD_IMM_64, A5, A5), IRR(ADD_IMM_64, S0, S0), IRR(ADD_IMM_64, S1, S1)
    ADD8, ADD8, ADD8, ADD8,
#undef ADD8
    IRR(ADD_IMM_64, T0, T0), IRR(ADD_IMM_64, T1, T1), IRR(ADD_IMM_64, T2, T2), IRR(ADD_IMM_64, RA, RA), I0(TRAP)};
/* A load feeding an add, under each cache model. */
static const tb_instr load_then_add[] = {IR(LOAD_U32, A0), IRR(ADD_IMM_64, A0, A0), I0(TRAP)};
/* Five independent stores: four store units, the fifth waits. */
static const tb_instr five_stores[] = {IRR(STORE_IND_U32, A0, SP), IRR(STORE_IND_U32, A1, SP), IR(STORE_U32, A2),
                                       I0(STORE_IMM_U8),           IRR(STORE_IMM_IND_U8, SP, 0), I0(TRAP)};
/* A store waits for the value it stores. */
static const tb_instr store_after_add[] = {IRR(ADD_IMM_64, A0, A0), IRR(STORE_IND_U64, A0, SP), I0(TRAP)};
/* One divider: the second division waits 60 cycles. */
static const tb_instr two_divs[] = {I3(DIV_U_64, A0, A1, A2), I3(REM_S_32, A3, A4, A5), I0(TRAP)};
static const tb_instr mul_upper[] = {I3(MUL_UPPER_S_U, A0, A1, A2), I0(TRAP)};
/* Branch whose fall-through and target are both ordinary code: 20. */
static const tb_instr branch_expensive[] = {IBR(BRANCH_EQ, A0, A1, 3), IRR(ADD_IMM_64, A0, A0), I0(TRAP),
                                            IRR(ADD_IMM_64, A1, A1), I0(TRAP)};
/* Fall-through into a trap: 1. */
static const tb_instr branch_cheap_next[] = {IBR(BRANCH_EQ, A0, A1, 2), I0(TRAP), IRR(ADD_IMM_64, A1, A1), I0(TRAP)};
/* Target starts with `unlikely`: 1. */
static const tb_instr branch_cheap_target[] = {IBR(BRANCH_LT_U_IMM, A0, 0, 3), IRR(ADD_IMM_64, A0, A0), I0(TRAP),
                                               I0(UNLIKELY), I0(TRAP)};
/* Target outside the code: 1. */
static const tb_instr branch_cheap_out_of_range[] = {IBR(BRANCH_NE, A0, A1, TB_NO_TARGET), IRR(ADD_IMM_64, A0, A0),
                                                     I0(TRAP)};
/* move_reg costs no ROB entry: the add reads the load's result through it. */
static const tb_instr move_chain[] = {IR(LOAD_IMM, A0), I2(MOVE_REG, A1, A0), I2(MOVE_REG, A2, A1),
                                      IRR(ADD_IMM_64, A3, A2), I0(TRAP)};
/* 32-bit ops: one extra cycle and decode slot on a 64-bit program only. */
static const tb_instr add32_chain[] = {I3(ADD_32, A0, A0, A1), I3(ADD_32, A0, A0, A1), IRR(SHLO_L_IMM_32, A0, A0),
                                       I0(TRAP)};
/* A block without a terminator gets an implicit trap. */
static const tb_instr no_terminator[] = {IRR(ADD_IMM_64, A0, A0)};

/* Expected timelines of our own blocks: rendered by the simulator once,
 * then checked by hand against the rules in pipeline_sim.c and the comment
 * above each block; they pin the behaviour from now on. */
static const char TL_dependent_chain[] =
        "DeER...  add_imm_64\n"
        "D=eER..  add_imm_64\n"
        "D==eER.  add_imm_64\n"
        "D===eER  add_imm_64\n"
        ".DeeE-R  trap\n"
        "cycles 7, cost 4\n";
static const char TL_independent_adds[] =
        "DeER...  add_imm_64\n"
        "DeER...  add_imm_64\n"
        "DeER...  add_imm_64\n"
        "DeER...  add_imm_64\n"
        ".DeER..  add_imm_64\n"
        ".DeER..  add_imm_64\n"
        ".DeER..  add_imm_64\n"
        ".DeER..  add_imm_64\n"
        "..DeeER  trap\n"
        "cycles 7, cost 4\n";
static const char TL_independent_adds_2slot[] =
        "DeER...  add_imm_64\n"
        "DeER...  add_imm_64\n"
        ".DeER..  add_imm_64\n"
        ".DeER..  add_imm_64\n"
        "..DeeER  trap\n"
        "cycles 7, cost 4\n";
static const char TL_rob_saturation[] =
        "DeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeER......  unlikely\n"
        "DeE---------------------------------------R......  add_imm_64\n"
        "DeE---------------------------------------R......  add_imm_64\n"
        "DeE---------------------------------------R......  add_imm_64\n"
        ".DeE--------------------------------------R......  add_imm_64\n"
        ".DeE--------------------------------------R......  add_imm_64\n"
        ".DeE--------------------------------------R......  add_imm_64\n"
        ".DeE--------------------------------------R......  add_imm_64\n"
        "..DeE-------------------------------------R......  add_imm_64\n"
        "..DeE-------------------------------------R......  add_imm_64\n"
        "..DeE-------------------------------------R......  add_imm_64\n"
        "..DeE-------------------------------------R......  add_imm_64\n"
        "...DeE------------------------------------R......  add_imm_64\n"
        "...DeE------------------------------------R......  add_imm_64\n"
        "...DeE------------------------------------R......  add_imm_64\n"
        "...DeE------------------------------------R......  add_imm_64\n"
        "....DeE-----------------------------------R......  add_imm_64\n"
        "....DeE-----------------------------------R......  add_imm_64\n"
        "....DeE-----------------------------------R......  add_imm_64\n"
        "....DeE-----------------------------------R......  add_imm_64\n"
        ".....DeE----------------------------------R......  add_imm_64\n"
        ".....DeE----------------------------------R......  add_imm_64\n"
        ".....DeE----------------------------------R......  add_imm_64\n"
        ".....DeE----------------------------------R......  add_imm_64\n"
        "......DeE---------------------------------R......  add_imm_64\n"
        "......DeE---------------------------------R......  add_imm_64\n"
        "......DeE---------------------------------R......  add_imm_64\n"
        "......DeE---------------------------------R......  add_imm_64\n"
        ".......DeE--------------------------------R......  add_imm_64\n"
        ".......DeE--------------------------------R......  add_imm_64\n"
        ".......DeE--------------------------------R......  add_imm_64\n"
        ".......DeE--------------------------------R......  add_imm_64\n"
        "...........................................DeER..  add_imm_64\n"
        "...........................................DeER..  add_imm_64\n"
        "...........................................DeER..  add_imm_64\n"
        "...........................................DeER..  add_imm_64\n"
        "............................................DeER.  add_imm_64\n"
        "............................................DeeER  trap\n"
        "cycles 49, cost 46\n";
static const char TL_load_l1[] =
        "DeeeeER.  load_u32\n"
        "D====eER  add_imm_64\n"
        "DeeE---R  trap\n"
        "cycles 8, cost 5\n";
static const char TL_load_l2[] =
        "DeeeeeeeeeeeeeeeeeeeeeeeeeER.  load_u32\n"
        "D=========================eER  add_imm_64\n"
        "DeeE------------------------R  trap\n"
        "cycles 29, cost 26\n";
static const char TL_load_l3[] =
        "DeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeER.  load_u32\n"
        "D=====================================eER  add_imm_64\n"
        "DeeE------------------------------------R  trap\n"
        "cycles 41, cost 38\n";
static const char TL_five_stores[] =
        "DeeeeeeeeeeeeeeeeeeeeeeeeeER.........................  store_ind_u32\n"
        "DeeeeeeeeeeeeeeeeeeeeeeeeeER.........................  store_ind_u32\n"
        "DeeeeeeeeeeeeeeeeeeeeeeeeeER.........................  store_u32\n"
        "DeeeeeeeeeeeeeeeeeeeeeeeeeER.........................  store_imm_u8\n"
        ".D========================eeeeeeeeeeeeeeeeeeeeeeeeeER  store_imm_ind_u8\n"
        ".DeeE-----------------------------------------------R  trap\n"
        "cycles 53, cost 50\n";
static const char TL_store_after_add[] =
        "DeER.........................  add_imm_64\n"
        "D=eeeeeeeeeeeeeeeeeeeeeeeeeER  store_ind_u64\n"
        "DeeE------------------------R  trap\n"
        "cycles 29, cost 26\n";
static const char TL_two_divs[] =
        "DeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeER............................................................  div_u_64\n"
        ".D===========================================================eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeER  rem_s_32\n"
        "..DeeE--------------------------------------------------------------------------------------------------------------------R  trap\n"
        "cycles 123, cost 120\n";
static const char TL_mul_upper[] =
        "DeeeeeeER  mul_upper_s_u\n"
        ".DeeE---R  trap\n"
        "cycles 9, cost 6\n";
static const char TL_branch_expensive[] =
        "DeeeeeeeeeeeeeeeeeeeeER  branch_eq\n"
        "cycles 23, cost 20\n";
static const char TL_branch_cheap_next[] =
        "DeER  branch_eq\n"
        "cycles 4, cost 1\n";
static const char TL_branch_cheap_target[] =
        "DeER  branch_lt_u_imm\n"
        "cycles 4, cost 1\n";
static const char TL_branch_cheap_out_of_range[] =
        "DeER  branch_ne\n"
        "cycles 4, cost 1\n";
static const char TL_move_chain[] =
        "DeER..  load_imm\n"
        "D.....  move_reg\n"
        "D.....  move_reg\n"
        ".DeER.  add_imm_64\n"
        ".DeeER  trap\n"
        "cycles 6, cost 3\n";
static const char TL_add32_chain_64bit[] =
        "DeeER....  add_32\n"
        "D==eeER..  add_32\n"
        ".D===eeER  shlo_l_imm_32\n"
        ".DeeE---R  trap\n"
        "cycles 9, cost 6\n";
static const char TL_add32_chain_32bit[] =
        "DeER..  add_32\n"
        "D=eER.  add_32\n"
        "D==eER  shlo_l_imm_32\n"
        "DeeE-R  trap\n"
        "cycles 6, cost 3\n";
static const char TL_no_terminator[] =
        "DeER.  add_imm_64\n"
        "DeeER  invalid (implicit end of block)\n"
        "cycles 5, cost 2\n";

const golden_block golden_blocks[] = {
    /* Costs from PolkaVM's simulator.rs tests of the same name (its timeline
     * width minus the slack of 3); the cells of our timelines for these
     * blocks were also compared with that file's, one by one, when this
     * table was written. */
    {"test_parallel_simple", L64, 1, N(parallel_simple), 2, NULL},
    {"test_sequential_simple", L64, 1, N(sequential_simple), 3, NULL},
    {"test_sequential_decode_limits", L64, 1, N(sequential_decode_limits), 4, NULL},
    {"test_resource_limits_mul", L64, 1, N(resource_limits_mul), 6, NULL},
    {"test_mul_with_dep", L64, 1, N(mul_with_dep), 4, NULL},
    {"test_register_move", L64, 1, N(register_move), 3, NULL},
    {"test_memory_accesses", L64, 1, N(memory_accesses), 26, NULL},
    {"test_empty", L64, 1, N(empty), 2, NULL},
    {"test_overwrite_register", L64, 1, N(overwrite_register), 27, NULL},
    {"test_load_and_jump", L64, 1, N(load_and_jump), 5, NULL},
    {"test_complex", L64, 1, N(complex_block), 27, NULL},
    {"test_even_more_complex", L64, 1, N(even_more_complex), 22, NULL},
    {"test_super_complex_l1", L64, 1, N(super_complex), 68, NULL},
    {"test_super_complex_l2", L64, 2, N(super_complex), 109, NULL},
    {"test_l3_loads", L64, 3, N(l3_loads), 148, NULL},
    {"test_ecalli", L64, 1, N(ecalli), 100, NULL},
    {"test_xor_and_shift", L64, 1, N(xor_and_shift), 3, NULL},
    {"test_move_reg_decode_slots", L64, 1, N(move_reg_decode_slots), 3, NULL},
    {"test_another_complex_block_1", L64, 2, N(another_complex_block_1), 62, NULL},
    /* Our own blocks (see the timelines above). */
    {"dependent_chain", L64, 2, N(dependent_chain), 4, TL_dependent_chain},
    {"independent_adds", L64, 2, N(independent_adds), 4, TL_independent_adds},
    {"independent_adds_2slot", L64, 2, N(independent_adds_2slot), 4, TL_independent_adds_2slot},
    {"rob_saturation", L64, 2, N(rob_saturation), 46, TL_rob_saturation},
    {"load_l1", L64, 1, N(load_then_add), 5, TL_load_l1},
    {"load_l2", L64, 2, N(load_then_add), 26, TL_load_l2},
    {"load_l3", L64, 3, N(load_then_add), 38, TL_load_l3},
    {"five_stores", L64, 2, N(five_stores), 50, TL_five_stores},
    {"store_after_add", L64, 2, N(store_after_add), 26, TL_store_after_add},
    {"two_divs", L64, 2, N(two_divs), 120, TL_two_divs},
    {"mul_upper", L64, 2, N(mul_upper), 6, TL_mul_upper},
    {"branch_expensive", L64, 2, N(branch_expensive), 20, TL_branch_expensive},
    {"branch_cheap_next", L64, 2, N(branch_cheap_next), 1, TL_branch_cheap_next},
    {"branch_cheap_target", L64, 2, N(branch_cheap_target), 1, TL_branch_cheap_target},
    {"branch_cheap_out_of_range", L64, 2, N(branch_cheap_out_of_range), 1, TL_branch_cheap_out_of_range},
    {"move_chain", L64, 2, N(move_chain), 3, TL_move_chain},
    {"add32_chain_64bit", L64, 2, N(add32_chain), 6, TL_add32_chain_64bit},
    {"add32_chain_32bit", L32, 2, N(add32_chain), 3, TL_add32_chain_32bit},
    {"no_terminator", L64, 2, N(no_terminator), 2, TL_no_terminator},
};
const size_t golden_block_count = sizeof golden_blocks / sizeof golden_blocks[0];
