/* The checked loop without gas: every access against the page table (lazy pages, or no
 * fault handler). */
#include "interp_loop_env.h"

#define TRACE 0
#define PROFILE 0
#define GUARDED 0
#define GAS_MODE PVM_GAS_NONE
#define LOOP_NAME pvm_interp_loop_nogas_checked
#include "interp_loop.inc"
