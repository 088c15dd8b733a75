/* Test-only hooks: make the worker misbehave on purpose. */
#ifndef PVM_SANDBOX_TESTING_H
#define PVM_SANDBOX_TESTING_H
#include "sandbox.h"

enum {
    PVM_SANDBOX_TEST_FORBIDDEN_SYSCALL = 100, /* = SANDBOX_CMD_TEST_FORBIDDEN_SYSCALL */
    PVM_SANDBOX_TEST_CRASH = 101,          /* = SANDBOX_CMD_TEST_CRASH */
    PVM_SANDBOX_TEST_HANG = 102,           /* the SANDBOX_CMD_TEST_* replies of sandbox_protocol.h */
    PVM_SANDBOX_TEST_BAD_STATUS = 103,
    PVM_SANDBOX_TEST_UNTERMINATED_ERROR = 104,
    PVM_SANDBOX_TEST_BAD_EXIT_KIND = 105,
    PVM_SANDBOX_TEST_BAD_PC = 106,
    PVM_SANDBOX_TEST_GAS_GAIN = 107
};
/* Arm a misbehaviour that the worker carries out at the start of the next pvm_sandbox_call. */
pvm_status pvm_sandbox_test_command(pvm_sandbox *sb, int cmd, pvm_error *err);
/* Move memory in chunks of chunk bytes (1..SANDBOX_DATA_CAP) instead of the full chunk, so
 * that a test can make an access span several chunks in a small guest. */
void pvm_sandbox_test_set_chunk(pvm_sandbox *sb, uint32_t chunk);
#endif
