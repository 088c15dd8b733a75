/* Copy-on-write snapshots of a program's initial memory (see image.h). */
#define _GNU_SOURCE
#include "image.h"
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vm/util/error.h"

pvm_status pvm_memory_image_create(pvm_memory_image *out, const pvm_image_part *parts, unsigned n, pvm_error *err)
{
    out->fd = -1;
    out->size = 0;
    uint64_t size = 0;
    for (unsigned i = 0; i < n; i++) size += parts[i].len;
    int fd = memfd_create("pvm-image", MFD_CLOEXEC);
    if (fd < 0) return pvm_fail(err, PVM_ERR_UNSUPPORTED, "memory image: memfd_create: %s", strerror(errno));
    if (ftruncate(fd, (off_t)size) != 0) {
        close(fd);
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "memory image: ftruncate %llu: %s", (unsigned long long)size,
                        strerror(errno));
    }
    uint64_t at = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t len = parts[i].data_len < parts[i].len ? parts[i].data_len : parts[i].len;
        for (uint32_t done = 0; done < len;) {
            ssize_t w = pwrite(fd, parts[i].data + done, len - done, (off_t)(at + done));
            if (w <= 0) {
                if (w < 0 && errno == EINTR) continue;
                close(fd);
                return pvm_fail(err, PVM_ERR_UNSUPPORTED, "memory image: write: %s", w < 0 ? strerror(errno) : "short");
            }
            done += (uint32_t)w;
        }
        at += parts[i].len;
    }
    out->fd = fd;
    out->size = size;
    return PVM_OK;
}

void pvm_memory_image_free(pvm_memory_image *img)
{
    if (img->fd >= 0) close(img->fd);
    img->fd = -1;
    img->size = 0;
}
