/* The temporary build tree of the adapter tests (see bench_test_env.h). */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "bench_test_env.h"
#include "tests/results/test_support.h"

int bench_test_env_setup(void **state)
{
    bench_test_env *t = calloc(1, sizeof *t);
    if (!t || test_make_temp_dir(t->dir, sizeof t->dir) != 0) {
        free(t);
        return -1;
    }
    test_path(t->cache, sizeof t->cache, t->dir, "cache");
    t->env = (bench_env){.build_dir = t->dir, .source_dir = t->dir, .cache_dir = t->cache, .path = t->dir,
                         .models = ""};
    *state = t;
    return 0;
}

int bench_test_env_teardown(void **state)
{
    bench_test_env *t = *state;
    test_remove_tree(t->dir);
    free(t);
    return 0;
}

int bench_test_write_script(const char *dir, const char *relative_path, const char *body)
{
    char path[256];
    test_path(path, sizeof path, dir, relative_path);
    FILE *file = fopen(path, "w");
    if (!file)
        return -1;
    fprintf(file, "#!/bin/sh\n%s\n", body);
    if (fclose(file) != 0)
        return -1;
    return chmod(path, 0755);
}

bench_engine *bench_test_find_engine(bench_engine_list *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->engines[i].name, name) == 0)
            return &list->engines[i];
    return NULL;
}

const bench_missing_engine *bench_test_find_missing(const bench_engine_list *list, const char *name)
{
    for (size_t i = 0; i < list->missing_count; i++)
        if (strcmp(list->missing[i].name, name) == 0)
            return &list->missing[i];
    return NULL;
}
