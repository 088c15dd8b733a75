/* The gas-profile loop (per-block entries and ticks); reads the gas mode at run time: it is
 * not the fast path. */
#include "interp_loop_env.h"

#define TRACE 0
#define PROFILE 1
#define GUARDED 0
#define GAS_MODE (inst->module->engine->cfg.gas_mode)
#define LOOP_NAME pvm_interp_loop_profiled
#include "interp_loop.inc"
