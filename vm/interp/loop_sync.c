/* The guarded loop with synchronous gas (charged at block entries, gas in a register). */
#include "interp_loop_env.h"

#define TRACE 0
#define PROFILE 0
#define GUARDED 1
#define LOOP_GAS_REG 1 /* (the guarded loops with gas keep it in a register: interp_loop.inc) */
#define GAS_MODE PVM_GAS_SYNC
#define LOOP_NAME pvm_interp_loop_sync
#include "interp_loop.inc"
