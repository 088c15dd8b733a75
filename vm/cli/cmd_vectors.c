/* pvm vectors DIR: run every JSON conformance vector and compare the whole
 * outcome (vector_run.c reads and checks each file). */
#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "vector_run.h"
#include "vm/util/grow.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int cmd_vectors(int argc, char **argv)
{
    cli_vm_opts o = {0};
    const char *dir = NULL;
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        int r = cli_parse_vm_opt(argc, argv, &i, &o);
        if (r < 0) return CLI_EXIT_USAGE;
        if (r) continue;
        if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) verbose = true;
        else if (argv[i][0] == '-' || dir) {
            fprintf(stderr, "pvm vectors: unexpected argument %s\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else dir = argv[i];
    }
    if (!dir) {
        fprintf(stderr, "pvm vectors: missing DIR\n");
        return CLI_EXIT_USAGE;
    }
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    size_t n = 0, cap = 0;
    char **names = NULL;
    bool out_of_memory = false;
    struct dirent *de;
    while (!out_of_memory && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json")) continue;
        if (UTIL_GROW(names, cap, n + 1, 64) != 0 || !(names[n] = strdup(de->d_name)))
            out_of_memory = true;
        else
            n++;
    }
    closedir(d);
    if (out_of_memory) {
        fprintf(stderr, "pvm vectors: %s: out of memory\n", dir);
        for (size_t i = 0; i < n; i++) free(names[i]);
        free(names);
        return 1;
    }
    qsort(names, n, sizeof *names, cmp_str);
    /* The vectors charge whole blocks up front and never go below zero: sync gas, unit costs. */
    pvm_engine_config cfg = {o.backend, PVM_GAS_SYNC, NULL};
    pvm_engine *e;
    pvm_error err = {{0}};
    if (pvm_engine_new(&cfg, &e, &err)) {
        fprintf(stderr, "pvm vectors: %s\n", err.msg);
        return 1;
    }
    unsigned passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        json_object *t = json_object_from_file(path);
        char why[256] = "not JSON (or unreadable)";
        vector_outcome ok = t ? vector_run(e, t, o.mcfg.isa, why, sizeof why) : VECTOR_MALFORMED;
        if (ok == VECTOR_PASS) {
            passed++;
            if (verbose) printf("pass %s\n", names[i]);
        } else {
            failed++;
            printf("FAIL %s: %s\n", names[i], why);
        }
        json_object_put(t);
        free(names[i]);
    }
    free(names);
    pvm_engine_free(e);
    printf("%u passed, %u failed\n", passed, failed);
    return failed || !passed ? 1 : 0;
}
