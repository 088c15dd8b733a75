/* Writes the small programs that cli_host.sh runs through `pvm`: guests that use
 * the standard host calls (by import name and by number), a 32-bit guest with a
 * 64-bit result, hostile names and sizes, an opcode from another ISA variant.
 * Usage: make_cli_programs DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/hostcalls.h"

typedef pvm_status (*finish_fn)(pvm_builder *, uint8_t **, size_t *, pvm_error *);

static int write_file(const char *dir, const char *name, const uint8_t *bytes, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(bytes, 1, len, f) == len;
    if (f && fclose(f)) ok = 0;
    if (!ok) fprintf(stderr, "make_cli_programs: cannot write %s\n", path);
    return ok ? 0 : 1;
}

static int finish(pvm_builder *b, finish_fn fn, const char *dir, const char *name)
{
    uint8_t *bytes;
    size_t len;
    pvm_error err = {{0}};
    pvm_status st = fn(b, &bytes, &len, &err);
    pvm_builder_free(b);
    if (st) {
        fprintf(stderr, "make_cli_programs: %s: %s\n", name, err.msg);
        return 1;
    }
    int rc = write_file(dir, name, bytes, len);
    free(bytes);
    return rc;
}

static const char greeting[] = "hello, host\n";

/* pvm_write(fd, 0x20000 + off, len) via ecalli write_id, then pvm_exit(status) via ecalli exit_id. */
static pvm_builder *hello(pvm_isa isa, uint32_t write_id, uint32_t exit_id, uint32_t ptr, int status)
{
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, (const uint8_t *)greeting, sizeof greeting - 1, 4096);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A0, PVM_HOSTCALL_FD_STDOUT);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A1, ptr);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A2, sizeof greeting - 1);
    pvm_emit_imm(b, PVM_OP_ECALLI, write_id);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, PVM_REG_S0, PVM_REG_A0); /* bytes written, kept for the exit status */
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, PVM_REG_A0, PVM_REG_S0, status - (int)(sizeof greeting - 1));
    pvm_emit_imm(b, PVM_OP_ECALLI, exit_id);
    pvm_emit_none(b, PVM_OP_TRAP);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_cli_programs DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    int rc = 0;

    /* .polkavm: imports bound by name; pvm_exit is import 0, pvm_write import 1 (not the fixed numbers). */
    pvm_builder *b = hello(PVM_ISA_LATEST64, 1, 0, 0x20000, 7);
    pvm_builder_import(b, PVM_HOSTCALL_NAME_EXIT);
    pvm_builder_import(b, PVM_HOSTCALL_NAME_WRITE);
    rc |= finish(b, pvm_builder_finish_polkavm, dir, "hello.polkavm");

    /* The same with a buffer outside guest memory: the host call fails and traps the guest. */
    b = hello(PVM_ISA_LATEST64, 1, 0, 0x90000, 7);
    pvm_builder_import(b, PVM_HOSTCALL_NAME_EXIT);
    pvm_builder_import(b, PVM_HOSTCALL_NAME_WRITE);
    rc |= finish(b, pvm_builder_finish_polkavm, dir, "badwrite.polkavm");

    /* A host call pvm run does not provide. */
    b = hello(PVM_ISA_LATEST64, 0, 1, 0x20000, 7);
    pvm_builder_import(b, "frobnicate");
    pvm_builder_import(b, PVM_HOSTCALL_NAME_EXIT);
    rc |= finish(b, pvm_builder_finish_polkavm, dir, "unknown_host.polkavm");

    /* GP standard program (no import table): calls by number; `--format auto` must recognise it. */
    rc |= finish(hello(PVM_ISA_GP07, PVM_HOSTCALL_WRITE, PVM_HOSTCALL_EXIT, 0x20000, 5), pvm_builder_finish_gp_standard,
                 dir, "hello_std.gp");

    /* 32-bit guest returning a 64-bit value in a0 (low) : a1 (high). */
    b = pvm_builder_new(PVM_ISA_LATEST32);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A0, 1);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A1, 2);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    rc |= finish(b, pvm_builder_finish_polkavm, dir, "wide32.polkavm");

    /* a0 unchanged (argument parsing), an export name with a terminal escape, and an endless loop. */
    b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label id = pvm_builder_label(b), spin = pvm_builder_label(b);
    pvm_builder_export(b, "main", id);
    pvm_builder_export(b, "evil\x1b[2J\nname", id);
    pvm_builder_export(b, "spin", spin);
    pvm_builder_bind(b, id);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    pvm_builder_bind(b, spin);
    pvm_emit_jump(b, PVM_OP_JUMP, spin);
    rc |= finish(b, pvm_builder_finish_polkavm, dir, "identity.polkavm");

    /* read-only data of 0xFFFFF001 bytes: rounds up to 2^32 (must be rejected, not wrap to 0). */
    b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_builder_set_ro_data(b, (const uint8_t *)"x", 1, 0xFFFFF001u);
    pvm_emit_none(b, PVM_OP_TRAP);
    rc |= finish(b, pvm_builder_finish_polkavm, dir, "huge_ro.polkavm");

    /* A JamV1 GP blob: `unlikely` is opcode 2 there, not an instruction of gp07. */
    b = pvm_builder_new(PVM_ISA_JAMV1);
    pvm_emit_none(b, PVM_OP_UNLIKELY);
    pvm_emit_none(b, PVM_OP_TRAP);
    rc |= finish(b, pvm_builder_finish_gp, dir, "jamv1_unlikely.gp");

    /* GP blob with no code and a one-entry jump table (E(|j|)=1, z=1, E(|c|)=0, j0=0). */
    static const uint8_t empty_code_jt[] = {1, 1, 0, 0};
    rc |= write_file(dir, "empty_code_jt.gp", empty_code_jt, sizeof empty_code_jt);
    return rc;
}
