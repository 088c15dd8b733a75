/* Disassembler: one decoded instruction to text, driven by the operand kind. */
#ifndef PVM_DISASM_H
#define PVM_DISASM_H
#include <stddef.h>
#include "vm/program/decode.h"

/* Writes e.g. "add_32 r9, r7, r8" into buf (always NUL-terminated). */
size_t pvm_disasm_instr(const pvm_instr *in, char *buf, size_t cap);
#endif
