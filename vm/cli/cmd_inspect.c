/* pvm disasm / validate / gas: look at a program without running it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/state/vm_state.h"
#include "cli.h"
#include "vm/disasm/disasm.h"
#include "vm/gas/chase_loads.h"
#include "vm/gas/recurrence.h"
#include "vm/isa/isa.h"

typedef int (*inspect_fn)(pvm_module *m, bool flag);

static int inspect(int argc, char **argv, const char *verb, const char *flag_name, inspect_fn fn)
{
    cli_vm_opts o = {0};
    const char *file = NULL;
    bool flag = false;
    for (int i = 1; i < argc; i++) {
        int r = cli_parse_vm_opt(argc, argv, &i, &o);
        if (r < 0) return CLI_EXIT_USAGE;
        if (r) continue;
        if (flag_name && !strcmp(argv[i], flag_name)) flag = true;
        else if (argv[i][0] == '-' || file) {
            fprintf(stderr, "pvm %s: unexpected argument %s\n", verb, argv[i]);
            return CLI_EXIT_USAGE;
        } else file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "pvm %s: missing FILE\n", verb);
        return CLI_EXIT_USAGE;
    }
    pvm_engine *e;
    pvm_cost_model *model;
    pvm_module *m;
    uint8_t *bytes;
    int rc = cli_load(file, &o, &e, &model, &m, &bytes);
    if (!rc) rc = fn(m, flag);
    pvm_engine_free(e);
    pvm_cost_model_free(model);
    free(bytes);
    return rc;
}

static int do_disasm(pvm_module *m, bool unused)
{
    const pvm_decoded *d = &m->dec;
    char buf[160];
    printf("; isa %s, %u bytes of code, %u instructions, %u blocks, %u jump table entries\n", pvm_isa_name(d->isa),
           d->code_len, d->n_instrs, d->n_blocks, d->jt_len);
    char name[256];
    for (uint32_t i = 0; i < m->prog.n_exports; i++)
        printf("; export %s = @%u\n", pvm_sanitize_name(m->prog.exports[i].name, name, sizeof name), m->prog.exports[i].pc);
    for (uint32_t i = 0; i < m->prog.n_imports; i++)
        printf("; import %u = %s\n", i, pvm_sanitize_name(m->prog.imports[i], name, sizeof name));
    for (uint32_t i = 0; i < d->n_instrs; i++) {
        const pvm_instr *in = &d->instrs[i];
        if (in->block_start) printf("@%u: ; block %u, cost %u\n", in->pc, in->block, m->block_cost[in->block]);
        if (in->pc >= d->code_len) {
            printf("  %6u: (end of code: implicit trap)\n", in->pc);
            continue;
        }
        pvm_disasm_instr(in, buf, sizeof buf);
        printf("  %6u: %s\n", in->pc, buf);
    }
    return 0;
}

/* An opcode byte at an instruction start that the program's variant does not define: a
 * warning naming the variant (and the variants that do define it: the likely mix-up). */
static void warn_invalid_opcode(const pvm_decoded *d, uint32_t pc)
{
    uint8_t byte = d->code[pc];
    printf("warning: pc %u: opcode %u is not an instruction of %s (it traps when reached)", pc, byte, pvm_isa_name(d->isa));
    const char *sep = "; it is ";
    for (int v = 0; v < PVM_ISA_COUNT; v++) {
        pvm_op op = pvm_isa_decode_opcode((pvm_isa)v, byte);
        if (v == (int)d->isa || op == PVM_OP_INVALID) continue;
        printf("%s%s in %s", sep, pvm_op_table[op].name, pvm_isa_name((pvm_isa)v));
        sep = ", ";
    }
    printf("\n");
}

static int do_validate(pvm_module *m, bool unused)
{
    const pvm_decoded *d = &m->dec;
    uint32_t invalid = 0;
    enum { MAX_WARNINGS = 20 };
    for (uint32_t i = 0; i + 1 < d->n_instrs; i++) {
        const pvm_instr *in = &d->instrs[i];
        if (in->op != PVM_OP_INVALID) continue;
        invalid++;
        bool opcode_start = in->pc < d->code_len && (d->bitmask[in->pc / 8] >> (in->pc % 8) & 1);
        if (opcode_start && invalid <= MAX_WARNINGS) warn_invalid_opcode(d, in->pc);
    }
    if (invalid > MAX_WARNINGS) printf("warning: ... %u more invalid instructions\n", invalid - MAX_WARNINGS);
    printf("ok: %s program, isa %s, %u bytes of code, %u instructions, %u blocks", 
           m->prog.format == PVM_FORMAT_POLKAVM ? "polkavm" : m->prog.format == PVM_FORMAT_GP_STANDARD ? "gp-standard" : "gp",
           pvm_isa_name(d->isa), d->code_len, d->n_instrs - 1, d->n_blocks);
    if (invalid) printf(", %u invalid instructions (they trap when reached)", invalid);
    printf("\n");
    return 0;
}

/* What a pipeline block's cost holds besides the simulator's pass through it: a self-loop's
 * recurrence floor (when it is above the simulated cost) and a carried load chain's hops. */
static void print_cost_parts(const pvm_cost_model *cm, const pvm_decoded *d, uint32_t b)
{
    if (!cm || cm->kind == PVM_COST_UNIT) return;
    if (cm->kind == PVM_COST_PIPELINE && cm->host.recurrence_milligas) {
        uint32_t cycles = pvm_gas_recurrence_cycles(cm->pipeline, d, b); /* 0 unless a self-loop */
        uint32_t floor = pvm_gas_recurrence_floor(cycles, cm->host.recurrence_milligas);
        uint32_t simulated = cycles ? pvm_pipeline_block_cost(cm->pipeline, d, b) : 0; /* simulated again only here */
        if (cycles && floor > simulated)
            printf(" (recurrence floor: a %u-cycle register chain carried to the next iteration, %u gas; simulated %u)",
                   cycles, floor, simulated);
    }
    uint32_t hops = cm->host.chase_hop ? pvm_gas_chase_hops(d, b) : 0;
    if (hops) printf(" (carried load chain: %u hops x chase.hop %u)", hops, cm->host.chase_hop);
}

static int do_gas(pvm_module *m, bool timeline)
{
    const pvm_decoded *d = &m->dec;
    const pvm_cost_model *cm = m->engine->cfg.cost_model;
    printf("; model %s\n", cm ? pvm_cost_model_name(cm) : "unit");
    if (timeline && !(cm && cm->kind == PVM_COST_PIPELINE)) printf("; --timeline needs a pipeline model\n");
    uint64_t total = 0;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        printf("block %u @%u: %u instructions, cost %u", b, d->instrs[d->blocks[b].first].pc, d->blocks[b].count,
               m->block_cost[b]);
        print_cost_parts(cm, d, b);
        printf("\n");
        total += m->block_cost[b];
        if (timeline && cm && cm->kind == PVM_COST_PIPELINE) {
            static char buf[1 << 16];
            size_t n = pvm_pipeline_timeline(cm->pipeline, d, b, buf, sizeof buf);
            if (n) fputs(buf, stdout);
            if (n >= sizeof buf) printf("... (timeline truncated)\n");
        }
    }
    printf("total: %" PRIu64 " over %u blocks\n", total, d->n_blocks);
    return 0;
}

int cmd_disasm(int argc, char **argv) { return inspect(argc, argv, "disasm", NULL, do_disasm); }
int cmd_validate(int argc, char **argv) { return inspect(argc, argv, "validate", NULL, do_validate); }
int cmd_gas(int argc, char **argv) { return inspect(argc, argv, "gas", "--timeline", do_gas); }
