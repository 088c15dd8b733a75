/* The guard windows' signal handler (vm/memory/fault_chain.h): every fault is
 * offered to each registered claim; an unclaimed one reaches the handler that was
 * installed before ours; re-taking the front place after a host replaced our
 * handler keeps both; a claim that leaves by siglongjmp leaves nothing behind
 * (the next foreign fault still reaches the host: a per-thread "passing on" flag
 * left set by such a jump once turned every later guest fault into a crash); and
 * with nothing installed before us, a foreign fault ends in the default action. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "vm/memory/fault_chain.h"

static volatile sig_atomic_t first_seen, second_seen, host_seen; /* written by the handlers */
static volatile uint8_t *fixable_page, *jump_page;
static sigjmp_buf host_jump, claim_jump;

/* Claims a fault on fixable_page by making it writable (the access is retried). */
static bool first_claim(int sig, siginfo_t *si, void *uctx)
{
    (void)sig, (void)uctx;
    first_seen++;
    if (fixable_page && (uint8_t *)si->si_addr >= fixable_page && (uint8_t *)si->si_addr < fixable_page + 4096) {
        mprotect((void *)fixable_page, 4096, PROT_READ | PROT_WRITE);
        return true;
    }
    return false;
}

/* Claims a fault on jump_page by leaving with siglongjmp, as the interpreter does. */
static bool second_claim(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    second_seen++;
    if (jump_page && (uint8_t *)si->si_addr >= jump_page && (uint8_t *)si->si_addr < jump_page + 4096) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        siglongjmp(claim_jump, 1);
    }
    return false;
}

static void host_handler(int sig, siginfo_t *si, void *uctx)
{
    (void)sig, (void)si, (void)uctx;
    host_seen++;
    siglongjmp(host_jump, 1);
}

static volatile uint8_t *no_access_page(void)
{
    void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    return p;
}

static void install_host(struct sigaction *saved)
{
    struct sigaction host = {0};
    host.sa_sigaction = host_handler;
    host.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &host, saved);
}

/* A fault on a page nobody claims: the host's handler gets it. */
static void foreign_fault(volatile uint8_t *page)
{
    if (sigsetjmp(host_jump, 1) == 0) (void)page[7];
}

static void test_claims_then_the_host(void **state)
{
    (void)state;
    struct sigaction saved;
    install_host(&saved);
    assert_int_equal(pvm_fault_chain_take(first_claim), 0);
    assert_int_equal(pvm_fault_chain_take(second_claim), 0);
    assert_int_equal(pvm_fault_chain_take(second_claim), 0); /* registered once */
    volatile uint8_t *foreign = no_access_page();
    fixable_page = no_access_page();
    jump_page = no_access_page();
    first_seen = second_seen = host_seen = 0;

    foreign_fault(foreign); /* unclaimed: each claim asked once, then the host */
    assert_int_equal(first_seen, 1);
    assert_int_equal(second_seen, 1);
    assert_int_equal(host_seen, 1);

    fixable_page[3] = 42; /* claimed by the first: fixed and retried */
    assert_int_equal(fixable_page[3], 42);
    assert_int_equal(host_seen, 1);

    if (sigsetjmp(claim_jump, 1) == 0) (void)jump_page[5]; /* claimed by the second, by a jump */
    foreign_fault(foreign);                                /* nothing left behind by the jump */
    assert_int_equal(host_seen, 2);

    struct sigaction again;
    install_host(&again); /* the host takes the front place back ... */
    assert_int_equal(pvm_fault_chain_take(first_claim), 0); /* ... and we take it again */
    foreign_fault(foreign);
    assert_int_equal(host_seen, 3); /* once, not in a circle */
    first_seen = 0;
    mprotect((void *)fixable_page, 4096, PROT_NONE);
    fixable_page[9] = 7;
    assert_int_equal(first_seen, 1);

    sigaction(SIGSEGV, &saved, NULL);
    munmap((void *)foreign, 4096);
    munmap((void *)fixable_page, 4096);
    munmap((void *)jump_page, 4096);
    fixable_page = jump_page = NULL;
}

static void test_nobody_before_us_means_the_default_action(void **state)
{
    (void)state;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        alarm(10); /* a loop would end here, by SIGALRM */
        signal(SIGSEGV, SIG_DFL);
        pvm_fault_chain_take(first_claim);
        volatile uint8_t *page = no_access_page();
        (void)page[1];
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGSEGV);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claims_then_the_host),
        cmocka_unit_test(test_nobody_before_us_means_the_default_action),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
