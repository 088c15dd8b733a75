/* pvmlab: a dispatcher over the verb table in verbs.h. */
#include <stdio.h>
#include <string.h>

#include "verbs.h"

#ifndef PVMLAB_VERSION
#define PVMLAB_VERSION "unknown"
#endif

typedef struct verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} verb;

#define PVMLAB_VERB_ENTRY(name, function, summary) {name, function, summary},
static const verb VERBS[] = {PVMLAB_VERBS(PVMLAB_VERB_ENTRY)};
#undef PVMLAB_VERB_ENTRY
enum { VERB_COUNT = sizeof VERBS / sizeof VERBS[0] };

static void print_help(FILE *out)
{
    fprintf(out, "usage: pvmlab VERB [ARGS...]   (pvmlab VERB --help for a verb's usage)\n\nverbs:\n");
    for (size_t i = 0; i < VERB_COUNT; i++)
        fprintf(out, "  %-10s %s\n", VERBS[i].name, VERBS[i].summary);
    fprintf(out, "  %-10s %s\n  %-10s %s\n", "help", "show this list", "--version", "print the version");
}

static const verb *find_verb(const char *name)
{
    for (size_t i = 0; i < VERB_COUNT; i++)
        if (strcmp(VERBS[i].name, name) == 0)
            return &VERBS[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (argc > 2 && find_verb(argv[2])) {
            char help_flag[] = "--help";
            char *help_argv[] = {argv[2], help_flag, NULL};
            return find_verb(argv[2])->run(2, help_argv);
        }
        print_help(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("pvmlab %s\n", PVMLAB_VERSION);
        return 0;
    }
    if (name[0] == '-') {
        fprintf(stderr, "pvmlab: unknown option '%s' (try pvmlab help)\n", name);
        return 2;
    }
    const verb *chosen = find_verb(name);
    if (!chosen) {
        fprintf(stderr, "pvmlab: unknown verb '%s' (try pvmlab help)\n", name);
        return 2;
    }
    /* Flush our buffered output even when a verb's output is piped. */
    int status = chosen->run(argc - 1, argv + 1);
    fflush(stdout);
    return status;
}
