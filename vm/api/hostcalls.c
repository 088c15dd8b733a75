/* The standard host calls of pvm/hostcalls.h, serviced for `pvm run` and for any
 * embedder that wants them. Bound by import name when the program has an import
 * table (.polkavm), by ecalli number otherwise (GP blobs). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "vm/state/vm_state.h"
#include "pvm/hostcalls.h"

/* Which standard call a PVM_EXIT_ECALLI result is: PVM_HOSTCALL_* or -1. */
static int standard_call(const pvm_instance *in, const pvm_result *res)
{
    const pvm_program *p = &in->module->prog;
    if (!res || res->kind != PVM_EXIT_ECALLI) return -1;
    if (p->n_imports) {
        if (res->ecalli >= p->n_imports) return -1;
        const char *name = p->imports[res->ecalli];
        if (!strcmp(name, PVM_HOSTCALL_NAME_WRITE)) return PVM_HOSTCALL_WRITE;
        if (!strcmp(name, PVM_HOSTCALL_NAME_EXIT)) return PVM_HOSTCALL_EXIT;
        return -1;
    }
    return res->ecalli < PVM_HOSTCALL_COUNT ? (int)res->ecalli : -1;
}

const char *pvm_hostcall_name(const pvm_instance *in, const pvm_result *res)
{
    switch (standard_call(in, res)) {
    case PVM_HOSTCALL_WRITE: return PVM_HOSTCALL_NAME_WRITE;
    case PVM_HOSTCALL_EXIT: return PVM_HOSTCALL_NAME_EXIT;
    default: return NULL;
    }
}

/* write(2) everything, retrying short writes and EINTR. */
static bool write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static pvm_hostcall_outcome service_write(pvm_instance *in, const pvm_result *res)
{
    uint64_t fd = pvm_instance_reg(in, PVM_REG_A0), ptr = pvm_instance_reg(in, PVM_REG_A1),
             len = pvm_instance_reg(in, PVM_REG_A2);
    uint64_t fail = in->module->dec.is_64bit ? UINT64_MAX : UINT32_MAX;
    if (fd != PVM_HOSTCALL_FD_STDOUT && fd != PVM_HOSTCALL_FD_STDERR) {
        pvm_instance_set_reg(in, PVM_REG_A0, fail, NULL);
        return PVM_HOSTCALL_RESUMABLE;
    }
    /* The whole buffer must be guest-readable: a bad pointer is the guest's fault. */
    if (ptr > UINT32_MAX || len > (1ull << 32) - ptr) {
        pvm_instance_trap(in, NULL, NULL);
        return PVM_HOSTCALL_TRAPPED;
    }
    uint8_t buf[4096];
    bool ok = true;
    for (uint64_t off = 0; off < len; off += sizeof buf) {
        size_t n = (size_t)(len - off < sizeof buf ? len - off : sizeof buf);
        if (pvm_instance_read(in, (uint32_t)(ptr + off), buf, n, NULL) != PVM_OK) {
            pvm_instance_trap(in, NULL, NULL);
            return PVM_HOSTCALL_TRAPPED;
        }
        if (ok) ok = write_all((int)fd, buf, n);
    }
    (void)res;
    pvm_instance_set_reg(in, PVM_REG_A0, ok ? len : fail, NULL);
    return PVM_HOSTCALL_RESUMABLE;
}

pvm_hostcall_outcome pvm_hostcalls_service(pvm_instance *in, const pvm_result *res, int *exit_status)
{
    switch (standard_call(in, res)) {
    case PVM_HOSTCALL_WRITE: return service_write(in, res);
    case PVM_HOSTCALL_EXIT:
        if (exit_status) *exit_status = (int)(pvm_instance_reg(in, PVM_REG_A0) & 0xFF);
        in->state = PVM_RUN_DONE; /* never returns to the guest */
        return PVM_HOSTCALL_EXITED;
    default: return PVM_HOSTCALL_NOT_STANDARD;
    }
}
