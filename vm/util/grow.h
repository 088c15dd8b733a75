/* Growing an array: the one realloc-doubling loop every part uses. */
#ifndef PVM_UTIL_GROW_H
#define PVM_UTIL_GROW_H
#include <stddef.h>

/* Makes room for at least `needed` elements of element_size bytes in the array whose
 * pointer is at items_address (a T ** passed as void *; the array may be NULL) and whose
 * capacity is *capacity: the capacity doubles from `first` (when it is 0) until it holds
 * `needed`. Returns 0, or -1 with the array and *capacity unchanged when out of memory or
 * when the size would overflow. Nothing is done when the capacity already suffices. */
int util_grow(void *items_address, size_t *capacity, size_t needed, size_t element_size, size_t first);

/* util_grow for an array expression and its capacity field: UTIL_GROW(set->cells,
 * set->capacity, set->count + 1, 32). */
#define UTIL_GROW(items, capacity, needed, first) \
    util_grow(&(items), &(capacity), (needed), sizeof *(items), (first))
#endif
