/* Copy-on-write snapshots of a program's initial memory (see image.h). */
#define _GNU_SOURCE
#include "image.h"
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "access_table.h"
#include "vm/util/error.h"

/* Write len bytes at offset; false on an error (errno says which) or a short write. */
static bool write_all(int fd, const uint8_t *data, uint64_t len, uint64_t offset)
{
    for (uint64_t done = 0; done < len;) {
        ssize_t w = pwrite(fd, data + done, len - done, (off_t)(offset + done));
        if (w <= 0) {
            if (w < 0 && errno == EINTR) continue;
            if (w == 0) errno = EIO;
            return false;
        }
        done += (uint64_t)w;
    }
    return true;
}

/* The table entries of [addr, addr+len) set to access, at table_offset in fd. */
static bool write_access(int fd, uint64_t table_offset, const pvm_image_access *a)
{
    uint8_t chunk[4096];
    memset(chunk, a->access, sizeof chunk);
    uint64_t first = a->addr >> 12, n = a->len >> 12;
    for (uint64_t done = 0; done < n;) {
        uint64_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
        if (!write_all(fd, chunk, k, table_offset + first + done)) return false;
        done += k;
    }
    return true;
}

pvm_status pvm_memory_image_create(pvm_memory_image *out, const pvm_image_part *parts, unsigned n,
                                   const pvm_image_access *access, unsigned n_access, pvm_error *err)
{
    out->fd = -1;
    out->size = out->table_offset = out->id = 0;
    out->data = out->table = NULL;
    uint64_t size = 0;
    for (unsigned i = 0; i < n; i++) size += parts[i].len;
    uint64_t table_offset = (size + 4095) & ~(uint64_t)4095; /* the parts are page-sized: size already */
    int fd = memfd_create("pvm-image", MFD_CLOEXEC);
    if (fd < 0) return pvm_fail(err, PVM_ERR_UNSUPPORTED, "memory image: memfd_create: %s", strerror(errno));
    if (ftruncate(fd, (off_t)(table_offset + PVM_ACCESS_TABLE_BYTES)) != 0) {
        close(fd);
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "memory image: ftruncate %llu: %s", (unsigned long long)size,
                        strerror(errno));
    }
    uint64_t at = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t len = parts[i].data_len < parts[i].len ? parts[i].data_len : parts[i].len;
        if (!write_all(fd, parts[i].data, len, at)) {
            close(fd);
            return pvm_fail(err, PVM_ERR_UNSUPPORTED, "memory image: write: %s", strerror(errno));
        }
        at += parts[i].len;
    }
    for (unsigned i = 0; i < n_access; i++)
        if (!write_access(fd, table_offset, &access[i])) {
            close(fd);
            return pvm_fail(err, PVM_ERR_UNSUPPORTED, "memory image: write the access table: %s", strerror(errno));
        }
    void *file = mmap(NULL, table_offset + PVM_ACCESS_TABLE_BYTES, PROT_READ, MAP_SHARED, fd, 0);
    if (file == MAP_FAILED) {
        close(fd);
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "memory image: map the snapshot: %s", strerror(errno));
    }
    out->data = file;
    out->table = (const uint8_t *)file + table_offset;
    out->fd = fd;
    out->size = size;
    out->table_offset = table_offset;
    static atomic_uint_fast64_t next_id;
    out->id = atomic_fetch_add(&next_id, 1) + 1;
    return PVM_OK;
}

void pvm_memory_image_free(pvm_memory_image *img)
{
    if (img->data) munmap((void *)img->data, img->table_offset + PVM_ACCESS_TABLE_BYTES);
    if (img->fd >= 0) close(img->fd);
    img->fd = -1;
    img->size = img->table_offset = img->id = 0;
    img->data = img->table = NULL;
}
