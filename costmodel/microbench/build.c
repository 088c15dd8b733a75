/* mb_build: a spec to program bytes, through the family's generator. */
#include <stdlib.h>
#include <string.h>

#include "generators.h"

int mb_build(const mb_spec *spec, mb_program *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    int rc;
    switch (spec->family) {
    case MB_OP_CHAIN: rc = mb_build_op_chain(spec, out, err, err_len); break;
    case MB_POINTER_CHASE: rc = mb_build_pointer_chase(spec, out, err, err_len); break;
    case MB_STRIDE: rc = mb_build_stride_ring(spec, out, err, err_len); break;
    case MB_BRANCH:
    case MB_INDIRECT: rc = mb_build_lcg_control(spec, out, err, err_len); break;
    case MB_FIRST_TOUCH: rc = mb_build_first_touch(spec, out, err, err_len); break;
    case MB_MIXED: rc = mb_build_mixed(spec, out, err, err_len); break;
    default: rc = -1; break;
    }
    if (rc != 0) mb_program_free(out);
    return rc;
}

void mb_program_free(mb_program *p)
{
    if (!p) return;
    free(p->blob);
    free(p->image);
    memset(p, 0, sizeof *p);
}

size_t mb_call_args(const mb_spec *spec, uint64_t previous_a0, uint64_t args[2])
{
    args[0] = spec->trips;
    if (spec->family != MB_POINTER_CHASE) return 1;
    args[1] = previous_a0 ? previous_a0 : MB_RW_ADDR;
    return 2;
}
