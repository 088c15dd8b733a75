/* pvm: run, disassemble, validate and conformance-test PVM programs. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} verbs[] = {
    {"run", cmd_run, "run FILE [--export NAME | --pc N] [--gas N] [--arg V]... [--stats] [--gas-profile]\n          [--lazy-pages mprotect|userfaultfd] [--huge-pages] [common options]"},
    {"disasm", cmd_disasm, "disasm FILE [common options]"},
    {"validate", cmd_validate, "validate FILE [common options]"},
    {"vectors", cmd_vectors, "vectors DIR [--backend interp|jit] [--verbose]"},
    {"example", cmd_example, "example loop OUT.polkavm"},
    {"gas", cmd_gas, "gas FILE [--model M] [--timeline] [common options]"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: pvm VERB ...\n");
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++) fprintf(f, "  pvm %s\n", verbs[i].help);
    fprintf(f, "common options: --backend interp|jit  --gas-mode none|sync|async  --model NAME\n"
               "                --format auto|gp|gp-standard|polkavm  --isa gp07|jamv1  --page-size 4096|16384\n"
               "cost models: unit, table:FILE, pipeline-l1hit, pipeline-l2hit, pipeline-l3hit, pipeline:FILE\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (!strcmp(argv[1], verbs[i].name)) return verbs[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "pvm: unknown verb '%s' (try pvm help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
