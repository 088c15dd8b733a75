/* Cost table files: the generated, checked-in numbers of a cost model.
 *
 * Plain text, '\n' line ends, fixed line order, integers only:
 *   pvmlab-cost-table 2              magic and format version (1 still read)
 *   kind table|pipeline
 *   calibration TEXT                 provenance: calibration id,
 *   machine TEXT                     the machine it was measured on,
 *   counters TEXT                    the counter source,
 *   tool TEXT                        the generator and its version
 *   hash fnv1a64:XXXXXXXXXXXXXXXX    FNV-1a 64 of every byte except this line
 *   KEY VALUE                        one per line, every key once, in order
 * table keys: the mnemonic of every canonical op (ISA table order), the
 * last being "invalid"; pipeline keys: pvm_pipeline_key() order; then, in
 * both kinds (format 2), the host charges: host.lazy_page_read,
 * host.lazy_page_write, host.memset_byte. Format 1 files (no host keys) are
 * still read, with the reference charges (memory/lazy_cost.h).
 * Format 3 adds the numbers' provenance after the keys: "se KEY MILLIGAS",
 * the standard error of KEY's value in thousandths of a gas, for the keys
 * that have one, in key order, each at most once. A table without errors is
 * written as format 2 (same bytes as before).
 * Format 4 prices each kind of lazy-page fault: two more host keys after
 * host.memset_byte, host.lazy_page_read_image (a first load of a page with
 * image bytes) and host.lazy_page_write_first (a first access that stores);
 * host.lazy_page_read is then a zero page's first load and
 * host.lazy_page_write a store after a load. Formats 1-3 mean
 * read_image = read and write_first = read + write, and a table whose
 * numbers say exactly that is still written in the older format.
 * Format 5 adds one more key after them, chase.hop: the gas of one hop of a load chain
 * that a loop carries from one iteration to the next (chase_loads.h), on top
 * of the block's own cost. Formats 1-4 mean 0 (no such charge), and a table with 0 there
 * is still written in the older format.
 * Format 6 adds recurrence.milligas_per_cycle after chase.hop (pipeline tables only): a block
 * that loops on itself costs at least its longest loop-carried register chain
 * (recurrence.h), in model cycles, times this many thousandths of a gas per cycle, rounded
 * up; the chase charge comes on top. Formats 1-5 mean 0 (no floor), and a table with 0 there
 * is still written in the older format. */
#ifndef PVM_GAS_COST_TABLE_H
#define PVM_GAS_COST_TABLE_H
#include <stddef.h>
#include <stdint.h>
#include "pvm/pvm.h"
#include "vm/isa/isa.h"
#include "vm/memory/lazy.h"
#include "pipeline_params.h"

#define PVM_COST_TABLE_VERSION 6
#define PVM_COST_TABLE_MAX_BYTES (1u << 20)
#define PVM_COST_TABLE_MAX_KEYS 512 /* every kind's keys, host keys included (checked) */

typedef enum { PVM_TABLE_KIND_TABLE, PVM_TABLE_KIND_PIPELINE } pvm_table_kind;

/* Each provenance field holds less than this many bytes (all four the same size). */
#define PVM_TABLE_PROV_MAX 160
typedef struct {
    char calibration[PVM_TABLE_PROV_MAX];
    char machine[PVM_TABLE_PROV_MAX];
    char counters[PVM_TABLE_PROV_MAX];
    char tool[PVM_TABLE_PROV_MAX];
} pvm_table_provenance;

/* Charges that are not per instruction: a lazy page's first touch by kind (gas
 * per page; pvm_lazy_charges), memset's gas per byte filled, a hop of a
 * loop-carried load chain (gas per hop per iteration, added to the block's cost), and
 * the thousandths of a gas per model cycle of a self-loop's carried register chain (a
 * floor under the block's cost). */
typedef struct {
    uint32_t lazy_page_read, lazy_page_write, memset_byte;
    uint32_t lazy_page_read_image, lazy_page_write_first; /* format 4 */
    uint32_t chase_hop;                                    /* format 5 */
    uint32_t recurrence_milligas;                          /* format 6: per model cycle */
} pvm_host_costs;
#define PVM_HOST_KEY_COUNT 7
#define PVM_HOST_KEY_COUNT_V5 6 /* format 5 */
#define PVM_HOST_KEY_COUNT_V4 5 /* format 4 */
#define PVM_HOST_KEY_COUNT_V3 3 /* formats 2 and 3 */
/* The format-3 meaning of the format-4 keys: read_image = read, write_first = read + write
 * (saturating). */
void pvm_host_costs_derive_split(pvm_host_costs *h);
/* The reference charges (format 1 files and the built-in models): the lazy pages' from
 * pvm_lazy_charges_reference. */
pvm_host_costs pvm_host_costs_reference(void);
/* The lazy-page charges of h, as the memory takes them (pvm_lazy_set_charges). */
pvm_lazy_charges pvm_host_costs_lazy_charges(const pvm_host_costs *h);

typedef struct {
    pvm_table_kind kind;
    pvm_table_provenance prov;
    pvm_host_costs host;
    uint32_t op_cost[PVM_OP_COUNT]; /* kind table */
    pvm_pipeline_params pipeline;   /* kind pipeline */
    /* Provenance of the numbers (format 3): the standard error of key i (file order) in
     * thousandths of a gas, where se_known[i]; not used in metering. */
    bool se_known[PVM_COST_TABLE_MAX_KEYS];
    uint32_t se_milligas[PVM_COST_TABLE_MAX_KEYS];
} pvm_cost_table;

/* FNV-1a 64 of text with its hash line (line 7) left out. */
uint64_t pvm_cost_table_hash(const char *text, size_t len);

/* Parse table text; `name` (e.g. the path) prefixes error messages, which
 * read "NAME:LINE: problem". Fills *out only on success. Errors:
 * PVM_ERR_INVALID_ARGUMENT for any malformed, incomplete or tampered text. */
pvm_status pvm_cost_table_parse(const char *name, const char *text, size_t len, pvm_cost_table *out,
                                pvm_error *err);
/* Read and parse a file. PVM_ERR_IO if it cannot be read, else as parse. */
pvm_status pvm_cost_table_load(const char *path, pvm_cost_table *out, pvm_error *err);

/* The canonical text of t (parse(format(t)) == t, format(parse(x)) == x
 * for every accepted x). Returns a malloc'd NUL-terminated string the
 * caller frees, length in *len; NULL if memory ran out or a provenance
 * field is not printable one-line text. */
char *pvm_cost_table_format(const pvm_cost_table *t, size_t *len);
/* A C header that compiles the canonical text in as
 * `static const char SYMBOL[]` (load it with pvm_cost_table_parse) plus
 * SYMBOL_HASH. symbol must be a C identifier. Caller frees; NULL on no
 * memory or a bad symbol. */
char *pvm_cost_table_format_c_header(const pvm_cost_table *t, const char *symbol, size_t *len);
/* Write bytes to path (replacing it). PVM_ERR_IO on failure. */
pvm_status pvm_cost_table_write_file(const char *path, const char *bytes, size_t len, pvm_error *err);
#endif
