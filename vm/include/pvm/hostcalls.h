/* The standard host calls: the small set that `pvm run` services and that the
 * guest SDK's stdio (printf, puts, exit) is built on. Any embedder may service
 * the same set with pvm_hostcalls_service() (vm/include/pvm/pvm.h).
 *
 * Binding. A .polkavm program names its imports; `ecalli k` calls import k
 * (pvm-link numbers imports by sorted name), so a host binds these calls BY
 * NAME (PVM_HOSTCALL_NAME_*), whatever k the linker chose. A program without
 * an import table (GP blob, GP standard program) uses the fixed NUMBERS
 * (PVM_HOSTCALL_*) as its ecalli immediates.
 *
 * Calling convention (the PVM's: arguments a0..a5, result a0; registers are
 * 64-bit on rv64 guests, 32-bit on rv32 guests):
 *
 *   pvm_write(fd, ptr, len) -> a0
 *       Write len bytes of guest memory at ptr to fd: 1 = stdout, 2 = stderr.
 *       a0 = len on success, (uint64_t)-1 (rv32: 0xFFFFFFFF) on a bad fd or
 *       when the host cannot write. Bytes outside accessible guest memory make
 *       the call fail: the guest is stopped with a trap (PVM_EXIT_PANIC).
 *
 *   pvm_exit(status)
 *       Stop the program; status (low 8 bits of a0) is its exit status.
 *       Never returns to the guest.
 *
 * Guest side (C, with bench/sdk/pvm_guest.h):
 *   PVM_IMPORT(long, pvm_write, unsigned long, const void *, unsigned long);
 *   PVM_IMPORT(void, pvm_exit, unsigned long);
 */
#ifndef PVM_HOSTCALLS_H
#define PVM_HOSTCALLS_H

#define PVM_HOSTCALL_WRITE 0u
#define PVM_HOSTCALL_EXIT 1u
#define PVM_HOSTCALL_COUNT 2u

#define PVM_HOSTCALL_NAME_WRITE "pvm_write"
#define PVM_HOSTCALL_NAME_EXIT "pvm_exit"

#define PVM_HOSTCALL_FD_STDOUT 1u
#define PVM_HOSTCALL_FD_STDERR 2u

#endif
