/* One JSON conformance vector (the w3f/jamtestvectors PVM schema, see
 * ../shared/testvectors/pvm/README.md) run on an engine and compared in full.
 * Shared by `pvm vectors` and the vector-reader fuzz target: hostile input
 * (wrong types, null fields, out-of-range numbers) is reported, never trusted. */
#ifndef PVM_CLI_VECTOR_RUN_H
#define PVM_CLI_VECTOR_RUN_H
#include <stddef.h>
#include <json-c/json.h>
#include "pvm/pvm.h"

typedef enum { VECTOR_MALFORMED = -1, VECTOR_FAIL = 0, VECTOR_PASS = 1 } vector_outcome;

/* Run vector t (its program a GP blob of variant isa) on engine e (sync gas, unit
 * costs expected). why gets the first difference or the malformed field; why_len > 0. */
vector_outcome vector_run(pvm_engine *e, json_object *t, pvm_isa isa, char *why, size_t why_len);
#endif
