/* Lazy-page state shared by the page logic (lazy.c) and the userfaultfd
 * backend (lazy_userfaultfd.c). */
#ifndef PVM_LAZY_INTERNAL_H
#define PVM_LAZY_INTERNAL_H
#include "lazy.h"

#define PVM_LAZY_MAX_REGIONS 16 /* regions with image bytes; zero-filled ranges are unlimited */

typedef struct {
    uint32_t start, len;
    const uint8_t *data; /* first data_len bytes of the region; the rest is zero */
    uint32_t data_len;
} pvm_lazy_region;

struct pvm_lazy {
    pvm_lazy_backend backend;
    int uffd; /* USERFAULTFD backend, else -1 */
    uint8_t *want; /* per page: final pvm_access of a lazy page, 0 = not lazy */
    pvm_lazy_region regions[PVM_LAZY_MAX_REGIONS]; /* the ones with image bytes */
    unsigned n_regions;
    pvm_range *ranges; /* every lazy range, to forget them at clear */
    size_t n_ranges, cap_ranges;
    pvm_lazy_stats stats;
    pvm_lazy_charges charges; /* per page: the engine's cost model's host charges */
};

/* userfaultfd backend (lazy_userfaultfd.c). */
int pvm_lazy_uffd_open(pvm_error *err);
bool pvm_lazy_uffd_register(int uffd, uint8_t *host, uint32_t len);
void pvm_lazy_uffd_unregister_all(int uffd, uint8_t *base, uint64_t len);
/* Fill a missing page with src (NULL = zero); wp = keep it write-protected. */
bool pvm_lazy_uffd_fill(int uffd, uint8_t *host_page, const uint8_t *src, bool wp);
bool pvm_lazy_uffd_allow_write(int uffd, uint8_t *host_page);
#endif
