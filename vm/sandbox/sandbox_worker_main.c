/* pvm-sandbox-worker: the program a sandbox worker runs. It is exec'd, so
 * it starts with none of the host's memory, handlers or threads; the host
 * passes the shared block as descriptor SANDBOX_SHARED_FD. */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "sandbox_protocol.h"

int main(void)
{
    void *p = mmap(NULL, SANDBOX_SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, SANDBOX_SHARED_FD, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "pvm-sandbox-worker: no shared block at descriptor %d (run by the sandbox host only)\n",
                SANDBOX_SHARED_FD);
        return 2;
    }
    close(SANDBOX_SHARED_FD);
    sandbox_worker_run(p);
}
