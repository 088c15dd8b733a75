/* One builder per family (each in its own file); mb_build dispatches on spec->family. */
#ifndef PVMLAB_MB_GENERATORS_H
#define PVMLAB_MB_GENERATORS_H

#include "microbench.h"

int mb_build_op_chain(const mb_spec *s, mb_program *out, char *err, size_t err_len);
int mb_build_pointer_chase(const mb_spec *s, mb_program *out, char *err, size_t err_len);
int mb_build_stride_ring(const mb_spec *s, mb_program *out, char *err, size_t err_len);
int mb_build_lcg_control(const mb_spec *s, mb_program *out, char *err, size_t err_len);
int mb_build_mixed(const mb_spec *s, mb_program *out, char *err, size_t err_len);
int mb_build_first_touch(const mb_spec *s, mb_program *out, char *err, size_t err_len);

#endif
