/* The guarded loop without gas: guest accesses unchecked under the guard window (interp_guard.h);
 * the fastest path. */
#include "interp_loop_env.h"

#define TRACE 0
#define PROFILE 0
#define GUARDED 1
#define LOOP_GAS_REG 0
#define GAS_MODE PVM_GAS_NONE
#define LOOP_NAME pvm_interp_loop_nogas
#include "interp_loop.inc"
