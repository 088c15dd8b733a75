/* userfaultfd backend of lazy pages. The descriptor runs in SIGBUS mode
 * (UFFD_FEATURE_SIGBUS): a guest access to a missing or write-protected page
 * raises SIGBUS in the faulting thread instead of waiting for a handler
 * thread, so the recompiler's fault handler can fill the page itself with one
 * ioctl and retry. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "lazy_internal.h"
#include "vm/util/error.h"

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static const uint8_t zero_page[PVM_PAGE];

/* Open and negotiate; on failure returns -1 with the reason in why (a static string or err). */
static int open_uffd(const char **why)
{
#ifndef SYS_userfaultfd
    *why = "this system has no userfaultfd system call";
    return -1;
#else
    /* Without privilege the kernel only allows faults from user mode (we need nothing else). */
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && (errno == EPERM || errno == EACCES))
        fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    if (fd < 0) {
        *why = errno == ENOSYS ? "the kernel has no userfaultfd (ENOSYS)"
               : errno == EPERM ? "userfaultfd refused (EPERM): not root and vm.unprivileged_userfaultfd=0"
                                : "userfaultfd failed";
        return -1;
    }
    struct uffdio_api api = {.api = UFFD_API, .features = UFFD_FEATURE_SIGBUS | UFFD_FEATURE_PAGEFAULT_FLAG_WP};
    if (ioctl(fd, UFFDIO_API, &api) != 0) {
        *why = "UFFDIO_API refused SIGBUS mode with write-protect faults (kernel too old?)";
        close(fd);
        return -1;
    }
    return fd;
#endif
}

bool pvm_lazy_userfaultfd_available(const char **why)
{
    const char *reason = NULL;
    int fd = open_uffd(&reason);
    if (fd < 0) {
        if (why) *why = reason;
        return false;
    }
    close(fd);
    if (why) *why = NULL;
    return true;
}

int pvm_lazy_uffd_open(pvm_error *err)
{
    const char *why = NULL;
    int fd = open_uffd(&why);
    if (fd < 0) pvm_fail(err, PVM_ERR_UNSUPPORTED, "lazy pages: %s", why);
    return fd;
}

bool pvm_lazy_uffd_register(int uffd, uint8_t *host, uint32_t len)
{
    struct uffdio_register reg = {
        .range = {.start = (uintptr_t)host, .len = len},
        .mode = UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP,
    };
    return ioctl(uffd, UFFDIO_REGISTER, &reg) == 0;
}

void pvm_lazy_uffd_unregister_all(int uffd, uint8_t *base, uint64_t len)
{
    struct uffdio_range r = {.start = (uintptr_t)base, .len = len};
    ioctl(uffd, UFFDIO_UNREGISTER, &r);
}

bool pvm_lazy_uffd_fill(int uffd, uint8_t *host_page, const uint8_t *src, bool wp)
{
    if (!src && !wp) {
        struct uffdio_zeropage z = {.range = {.start = (uintptr_t)host_page, .len = PVM_PAGE}};
        return ioctl(uffd, UFFDIO_ZEROPAGE, &z) == 0 || errno == EEXIST;
    }
    struct uffdio_copy c = {
        .dst = (uintptr_t)host_page,
        .src = (uintptr_t)(src ? src : zero_page),
        .len = PVM_PAGE,
        .mode = wp ? UFFDIO_COPY_MODE_WP : 0,
    };
    return ioctl(uffd, UFFDIO_COPY, &c) == 0 || errno == EEXIST;
}

bool pvm_lazy_uffd_allow_write(int uffd, uint8_t *host_page)
{
    struct uffdio_writeprotect wp = {.range = {.start = (uintptr_t)host_page, .len = PVM_PAGE}, .mode = 0};
    return ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) == 0;
}
