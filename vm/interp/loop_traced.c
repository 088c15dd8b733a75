/* The trace loop: every load and store calls the instance's memory trace hook, every
 * conditional branch its branch trace hook, every block entry its block trace hook, whichever
 * is set (checked accesses, gas mode read at run time: a measuring aid, not the fast path). */
#include "interp_loop_env.h"

#define TRACE 1
#define PROFILE 0
#define GUARDED 0
#define GAS_MODE (inst->module->engine->cfg.gas_mode)
#define LOOP_NAME pvm_interp_loop_traced
#include "interp_loop.inc"
