/* make_synthetic_db PATH [empty]: writes a synthetic results database (for trying the
 * plot and report verbs by hand, and for the shell-level tests). */
#include <stdio.h>
#include <string.h>

#include "synthetic_db.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: make_synthetic_db PATH [empty]\n");
        return 2;
    }
    synthetic_kind kind = argc == 3 && strcmp(argv[2], "empty") == 0 ? SYNTHETIC_EMPTY : SYNTHETIC_FULL;
    return synthetic_db_create(argv[1], kind) == 0 ? 0 : 1;
}
