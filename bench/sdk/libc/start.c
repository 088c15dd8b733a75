/* The export "main" for a program with a C main(): calls main(0, NULL), flushes stdout and
 * stderr, and returns main's result in a0. pvm-cc links this object (by asking for
 * __pvm_start) only when one of the program's objects defines main. */
#include <stdio.h>

#include "pvm_guest.h"

int main(int argc, char **argv);

int __pvm_start(void);
int __pvm_start(void)
{
    int status = main(0, NULL);
    fflush(NULL);
    return status;
}

static const char start_symbol[4] PVM__SECTION_METADATA = "main";
static const struct pvm_metadata_v1 start_metadata PVM__SECTION_METADATA = {1, 0, 4, start_symbol, 0, 1};
static const struct pvm_export_v1 start_export __attribute__((section(".polkavm_exports"), used)) = {
    1, &start_metadata, (void *)__pvm_start};
