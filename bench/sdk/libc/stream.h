/* The output streams behind stdio.h (libc/stdio.c), for the formatter in printf.c. */
#ifndef PVM_SDK_STREAM_H
#define PVM_SDK_STREAM_H
#include <stdio.h>

void pvm_stream_put(FILE *stream, char c); /* buffered; a full buffer (or '\n' on stdout) flushes */
int pvm_stream_flush(FILE *stream);        /* 0, or EOF when the host refused the write */

#endif
