/* Growing an array by doubling (see grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int util_grow(void *items_address, size_t *capacity, size_t needed, size_t element_size, size_t first)
{
    if (needed <= *capacity)
        return 0;
    size_t grown = *capacity ? *capacity : (first ? first : 1);
    while (grown < needed) {
        if (grown > SIZE_MAX / 2)
            return -1;
        grown *= 2;
    }
    if (element_size && grown > SIZE_MAX / element_size)
        return -1;
    void *items;
    memcpy(&items, items_address, sizeof items); /* the caller's T *, read without a cast */
    void *bigger = realloc(items, grown * element_size);
    if (!bigger)
        return -1;
    memcpy(items_address, &bigger, sizeof bigger);
    *capacity = grown;
    return 0;
}
