/* The checked loop with asynchronous gas: every access against the page table. */
#include "interp_loop_env.h"

#define TRACE 0
#define PROFILE 0
#define GUARDED 0
#define GAS_MODE PVM_GAS_ASYNC
#define LOOP_NAME pvm_interp_loop_async_checked
#include "interp_loop.inc"
