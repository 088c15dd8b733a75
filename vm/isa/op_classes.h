/* The two class columns of the ISA table: the instruction group (what an
 * instruction does, for generators, fitting and the disassembler) and the
 * pipeline-model class (which latency/decode/unit record of the pipeline cost
 * model prices it; the records themselves live in vm/gas/pipeline_params.c). */
#ifndef PVM_ISA_OP_CLASSES_H
#define PVM_ISA_OP_CLASSES_H

#define PVM_GROUPS(X)                                                                  \
    X(ALU, "alu")   X(BITS, "bits")       X(SHIFT, "shift")   X(COMPARE, "compare")    \
    X(CMOV, "cmov") X(MUL, "mul")         X(DIV, "div")       X(LOAD, "load")          \
    X(STORE, "store") X(BRANCH, "branch") X(JUMP, "jump")     X(JUMP_IND, "jump_ind")  \
    X(MOVE, "move") X(LOAD_IMM, "load_imm") X(HOST, "host")   X(CONTROL, "control")

typedef enum {
#define X(id, name) PVM_GROUP_##id,
    PVM_GROUPS(X)
#undef X
    PVM_GROUP_COUNT
} pvm_op_group;

/* Pipeline classes. The class fixes the operand roles (which registers are
 * read and written) and the rule for the "destination differs from its
 * sources" decode slot; the numbers live in pvm_class_cost. */
#define PVM_PIPELINE_CLASSES(X)                                                      \
    X(ALU3, "alu3")                 /* and or xor add_64 sub_64 */                  \
    X(ALU3_32, "alu3_32")           /* add_32 sub_32 */                             \
    X(ALU2, "alu2")                 /* *_imm 64-bit, reverse_bytes */               \
    X(ALU2_32, "alu2_32")           /* *_imm 32-bit */                              \
    X(BITS_1C, "bits_1c")           /* clz cpop sign/zero extend */                 \
    X(BITS_2C, "bits_2c")           /* ctz */                                       \
    X(SHIFT, "shift")               /* shifts/rotates by register, 64-bit */        \
    X(SHIFT_32, "shift_32")         /* shifts/rotates by register, 32-bit */        \
    X(SHIFT_ALT, "shift_alt")       /* *_imm_alt 64-bit */                          \
    X(SHIFT_ALT_32, "shift_alt_32") /* *_imm_alt 32-bit */                          \
    X(COMPARE, "compare")           /* set_lt* by register */                       \
    X(COMPARE_IMM, "compare_imm")   /* set_lt*_imm, set_gt*_imm */                  \
    X(CMOV, "cmov")                                                                 \
    X(CMOV_IMM, "cmov_imm")                                                         \
    X(MIN_MAX, "min_max")                                                           \
    X(LOGIC_INV, "logic_inv") /* and_inv or_inv */                                  \
    X(XNOR, "xnor")                                                                 \
    X(NEG_ADD, "neg_add")       /* neg_add_imm_64 */                                \
    X(NEG_ADD_32, "neg_add_32") /* neg_add_imm_32 */                                \
    X(MUL, "mul")               /* mul_64 */                                        \
    X(MUL_IMM, "mul_imm")       /* mul_imm_64 */                                    \
    X(MUL_32, "mul_32")                                                             \
    X(MUL_IMM_32, "mul_imm_32")                                                     \
    X(MUL_UPPER, "mul_upper")       /* mul_upper_s_s, mul_upper_u_u */              \
    X(MUL_UPPER_SU, "mul_upper_su") /* mul_upper_s_u */                             \
    X(DIV, "div")                   /* div/rem, all eight */                        \
    X(LOAD, "load")                 /* latency from the cache model */              \
    X(STORE, "store")               /* latency from store_latency */                \
    X(LOAD_IMM, "load_imm")                                                         \
    X(LOAD_IMM_64, "load_imm_64")                                                   \
    X(UNLIKELY, "unlikely")                                                         \
    X(HOST, "host") /* ecalli memset sbrk */                                        \
    X(END, "end")   /* trap fallthrough invalid: then drain */                      \
    X(JUMP, "jump") /* jump load_imm_jump: then drain */                            \
    X(JUMP_IND, "jump_ind")                                                         \
    X(BRANCH, "branch") /* latency from branch_hit / branch_miss */                 \
    X(MOVE, "move")     /* move_reg: renamed away in the front end */

typedef enum {
#define X(id, name) PVM_CLASS_##id,
    PVM_PIPELINE_CLASSES(X)
#undef X
    PVM_CLASS_COUNT
} pvm_op_class;

const char *pvm_group_name(pvm_op_group g);
const char *pvm_pipeline_class_name(pvm_op_class c);
#endif
