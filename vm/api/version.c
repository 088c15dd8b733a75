/* The library version, from the CMake project version. */
#include "pvm/pvm.h"

const char *pvm_version(void) { return PVM_VERSION_STRING; }
