/* Test-only hooks: make the worker misbehave on purpose. */
#ifndef PVM_SANDBOX_TESTING_H
#define PVM_SANDBOX_TESTING_H
#include "sandbox.h"

enum {
    PVM_SANDBOX_TEST_FORBIDDEN_SYSCALL = 100, /* = SANDBOX_CMD_TEST_FORBIDDEN_SYSCALL */
    PVM_SANDBOX_TEST_CRASH = 101           /* = SANDBOX_CMD_TEST_CRASH */
};
/* Arm a misbehaviour that the worker carries out at the start of the next pvm_sandbox_call. */
pvm_status pvm_sandbox_test_command(pvm_sandbox *sb, int cmd, pvm_error *err);
#endif
