/* pvm: run, disassemble, validate and conformance-test PVM programs. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} verbs[] = {
    {"run", cmd_run, "run FILE [--export NAME | --pc N] [--gas N] [--arg V]... [--quiet] [--stats] [--gas-profile]\n          [--lazy-pages mprotect|userfaultfd] [--huge-pages] [--repeat N] [common options]"},
    {"disasm", cmd_disasm, "disasm FILE [common options]"},
    {"validate", cmd_validate, "validate FILE [common options]"},
    {"vectors", cmd_vectors, "vectors DIR [--backend interp|jit] [--isa VARIANT] [--verbose]   (JSON conformance vectors)"},
    {"example", cmd_example, "example loop OUT.polkavm"},
    {"gas", cmd_gas, "gas FILE [--model M] [--timeline] [common options]"},
};

static const char common_help[] =
    "common options: --backend interp|jit  --gas-mode none|sync|async  --model NAME\n"
    "                --format auto|gp|gp-standard|polkavm  --page-size 4096|16384\n"
    "                --isa gp07|jamv1|latest32|latest64|revivev1 (GP formats; a .polkavm names its own)\n"
    "cost models: unit, table:FILE, pipeline-l1hit, pipeline-l2hit, pipeline-l3hit, pipeline:FILE\n"
    "numbers: decimal, or hexadecimal with 0x (a leading 0 is not octal)\n";

/* What pvm run does beyond running: the host calls it services and the gas it allows. */
static const char run_help[] =
    "run: services the standard host calls of pvm/hostcalls.h (pvm_write to stdout/stderr, pvm_exit);\n"
    "     any other host call stops the run. Gas: --gas N (default %lld, printed; --gas-mode none: no limit).\n"
    "     Prints the exit, a0 (and a1, a1:a0 for 32-bit programs); --quiet prints nothing but the guest's output.\n"
    "     Exit status: 0 halt, the guest's status after pvm_exit, 3 any other guest exit, 1 error, 2 usage.\n";

static void usage(FILE *f)
{
    fprintf(f, "usage: pvm VERB ...   (pvm VERB --help, pvm --version)\n");
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++) fprintf(f, "  pvm %s\n", verbs[i].help);
    fputs(common_help, f);
}

static bool is_help(const char *a) { return !strcmp(a, "--help") || !strcmp(a, "-h"); }

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "help") || is_help(argv[1])) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("pvm %s\n", pvm_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++) {
        if (strcmp(argv[1], verbs[i].name)) continue;
        for (int a = 2; a < argc; a++)
            if (is_help(argv[a])) {
                printf("usage: pvm %s\n", verbs[i].help);
                if (verbs[i].fn == cmd_run) printf(run_help, (long long)CLI_DEFAULT_GAS);
                if (verbs[i].fn != cmd_example) fputs(common_help, stdout);
                return 0;
            }
        return verbs[i].fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "pvm: unknown verb '%s' (try pvm help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
