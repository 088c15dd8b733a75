/* What a calibration value's key names. pvmlab calibrate (costmodel/calibrate) writes:
 *   op.MNEMONIC.lat|tput[.div0]   per-opcode cost          -> opcode
 *   chase.BYTES                   one dependent load at a working-set size -> working set
 *   mem.l1 mem.l2 mem.l3 mem.dram plateau levels of that sweep -> cache level 1..4
 *   stride.1|2048|2053            one access of the stride ring -> stride
 *   loop.overhead, branch.*, indirect.*, touch.first_page -> other
 * Also accepted: a bare mnemonic (opcode), "ws:32K"/"working_set:1M" (working set, binary
 * K/M/G), "l1_hit".."l3_hit" (cache level), "stride:2048". */
#ifndef PVMLAB_CALIBRATION_KEYS_H
#define PVMLAB_CALIBRATION_KEYS_H

#include <stddef.h>

#include "results/calibration_list.h"

typedef enum pvmlab_key_kind {
    PVMLAB_KEY_OPCODE,
    PVMLAB_KEY_WORKING_SET, /* number: bytes */
    PVMLAB_KEY_CACHE_LEVEL, /* number: 1, 2, 3, or 4 for DRAM */
    PVMLAB_KEY_STRIDE,      /* number: stride */
    PVMLAB_KEY_OTHER,
} pvmlab_key_kind;

/* Classifies key; *number receives the size, level or stride (0 otherwise). */
pvmlab_key_kind pvmlab_classify_key(const char *key, double *number);

/* The label of an opcode key in figures: "op.add_64.lat" -> "add_64.lat"; other keys as is. */
const char *pvmlab_opcode_label(const char *key);

/* The number of entries of record whose key is of kind. */
size_t pvmlab_calibration_count_kind(const pvmlab_calibration_record *record, pvmlab_key_kind kind);

#endif
