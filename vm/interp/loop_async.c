/* The guarded loop with asynchronous gas (gas in a register). */
#include "interp_loop_env.h"

#define TRACE 0
#define PROFILE 0
#define GUARDED 1
#define LOOP_GAS_REG 1 /* (the guarded loops with gas keep it in a register: interp_loop.inc) */
#define GAS_MODE PVM_GAS_ASYNC
#define LOOP_NAME pvm_interp_loop_async
#include "interp_loop.inc"
