/* What a calibration value's key names. The calibrate verb stores opcode costs under the
 * opcode mnemonic, load latencies under a working-set size, cache-level latencies under
 * "l1_hit".."l3_hit" and stride programs under their stride. Accepted spellings:
 *   working set: "ws:32768", "ws_32K", "working_set:1M", "load_latency:4096" (bytes, K/M/G
 *                suffixes are binary);
 *   cache level: "l1_hit", "l2", "L3_latency" (an 'l' and the level digit first);
 *   stride:      "stride:2048", "stride_2053", "stride1";
 *   anything else is an opcode mnemonic. */
#ifndef PVMLAB_CALIBRATION_KEYS_H
#define PVMLAB_CALIBRATION_KEYS_H

typedef enum pvmlab_key_kind {
    PVMLAB_KEY_OPCODE,
    PVMLAB_KEY_WORKING_SET, /* number: bytes */
    PVMLAB_KEY_CACHE_LEVEL, /* number: 1, 2 or 3 */
    PVMLAB_KEY_STRIDE,      /* number: stride */
} pvmlab_key_kind;

/* Classifies key; *number receives the size, level or stride (0 for an opcode). */
pvmlab_key_kind pvmlab_classify_key(const char *key, double *number);

#endif
