/* The worker's system-call allow list as a classic BPF program. Anything
 * not listed kills the whole worker (SECCOMP_RET_KILL_PROCESS, seen by the
 * host as death by SIGSYS). Guest memory management needs mmap, mprotect,
 * madvise and munmap; the host link needs futex; write is allowed on
 * stderr only, getrusage on the calling thread only. Executable memory is
 * refused unless the recompiler runs in the worker (then also
 * memfd_create/ftruncate/close for its code arena and rt_sigaction/sigaltstack
 * for its fault handler). */
#define _GNU_SOURCE
#include <errno.h>
#include <asm/prctl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "sandbox_protocol.h"

#define MAX_INSNS 96
#ifdef SANDBOX_SECCOMP_DEBUG /* refuse with ENOSYS instead of killing, to find what a build needs with strace */
#define KILL (SECCOMP_RET_ERRNO | 38)
#else
#define KILL SECCOMP_RET_KILL_PROCESS
#endif

typedef struct {
    struct sock_filter insn[MAX_INSNS];
    unsigned n;
} bpf_prog;

static void emit(bpf_prog *p, struct sock_filter f)
{
    if (p->n < MAX_INSNS) p->insn[p->n] = f;
    p->n++;
}

/* if (nr == x) return ALLOW; A holds nr. */
static void allow(bpf_prog *p, unsigned nr)
{
    emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
    emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

/* if (nr == x) { A = low 32 bits of args[arg]; return (A jump_op k) == allow_when ? ALLOW : KILL; }
 * A no longer holds nr afterwards: the caller reloads it. */
static void allow_if_arg(bpf_prog *p, unsigned nr, unsigned arg, uint16_t jump_op, uint32_t k, bool allow_when)
{
    emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 4));
    emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[arg])));
    emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | jump_op | BPF_K, k, 0, 1));
    emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, allow_when ? SECCOMP_RET_ALLOW : KILL));
    emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, allow_when ? KILL : SECCOMP_RET_ALLOW));
}

static void reload_nr(bpf_prog *p)
{
    emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
}

bool sandbox_seccomp_install(bool allow_jit)
{
    bpf_prog p = {.n = 0};
    /* Only the x86-64 system call table, and not its x32 aliases. */
    emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
    emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, KILL));
    reload_nr(&p);
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
    emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, KILL));

    static const unsigned always[] = {SYS_futex, SYS_munmap, SYS_madvise, SYS_brk, SYS_mremap, SYS_exit,
                                      SYS_exit_group, SYS_rt_sigreturn, SYS_rt_sigprocmask, SYS_sched_yield,
                                      SYS_clock_gettime, SYS_gettid, SYS_getpid};
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++) allow(&p, always[i]);
    /* the compile's per-thread preemption count (vm/util/thread_usage.c): the calling thread's own only */
    allow_if_arg(&p, SYS_getrusage, 0, BPF_JEQ, RUSAGE_THREAD, true);
    reload_nr(&p);
#ifdef PVMLAB_SANITIZE
    /* ASan asks for the current alternate signal stack before noreturn calls (it only reads it). */
    if (!allow_jit) allow(&p, SYS_sigaltstack);
#endif
    if (allow_jit) {
        static const unsigned jit[] = {SYS_mmap, SYS_mprotect, SYS_memfd_create, SYS_ftruncate, SYS_close,
                                       SYS_rt_sigaction, SYS_sigaltstack};
        for (size_t i = 0; i < sizeof jit / sizeof jit[0]; i++) allow(&p, jit[i]);
        allow_if_arg(&p, SYS_arch_prctl, 0, BPF_JEQ, ARCH_SET_GS, true); /* the guest window as GS base (vm/jit/gs_base.c) */
        reload_nr(&p);
    } else {
        allow_if_arg(&p, SYS_mmap, 2, BPF_JSET, PROT_EXEC, false);
        reload_nr(&p);
        allow_if_arg(&p, SYS_mprotect, 2, BPF_JSET, PROT_EXEC, false);
        reload_nr(&p);
    }
    allow_if_arg(&p, SYS_write, 0, BPF_JEQ, 2, true); /* stderr only */
    emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, KILL));
    if (p.n > MAX_INSNS) {
        errno = E2BIG;
        return false;
    }
    struct sock_fprog prog = {.len = (unsigned short)p.n, .filter = p.insn};
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0;
}
