/* The guard windows' signal handler chain (vm/memory/fault_chain.h): a fault
 * that is not ours reaches the handler installed before us, through any number
 * of our chains; and when two of ours displace each other, a fault that is
 * nobody's ends in the default action (the process dies of SIGSEGV) instead of
 * circling between them forever. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "vm/memory/fault_chain.h"

static void first_handler(int sig, siginfo_t *si, void *uctx);
static void second_handler(int sig, siginfo_t *si, void *uctx);
static pvm_fault_chain first = {.handler = first_handler, .id = 1};
static pvm_fault_chain second = {.handler = second_handler, .id = 2};
static int first_seen, second_seen, host_seen;
static sigjmp_buf host_jump;

static void first_handler(int sig, siginfo_t *si, void *uctx)
{
    first_seen++;
    pvm_fault_chain_pass_on(&first, sig, si, uctx);
}

static void second_handler(int sig, siginfo_t *si, void *uctx)
{
    second_seen++;
    pvm_fault_chain_pass_on(&second, sig, si, uctx);
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

static void test_a_foreign_fault_reaches_the_host(void **state)
{
    (void)state;
    struct sigaction host = {0}, saved;
    host.sa_sigaction = host_handler;
    host.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &host, &saved);
    assert_int_equal(pvm_fault_chain_take(&first, SIGSEGV), 0);
    assert_int_equal(pvm_fault_chain_take(&second, SIGSEGV), 0);
    assert_int_equal(pvm_fault_chain_take(&second, SIGSEGV), 0); /* already in front: no change */
    volatile uint8_t *page = no_access_page();
    first_seen = second_seen = host_seen = 0;
    if (sigsetjmp(host_jump, 1) == 0)
        (void)page[7];
    sigaction(SIGSEGV, &saved, NULL);
    munmap((void *)page, 4096);
    assert_int_equal(second_seen, 1); /* in front */
    assert_int_equal(first_seen, 1);  /* displaced by the second, handed the fault */
    assert_int_equal(host_seen, 1);   /* displaced by the first */
}

static void test_two_chains_displacing_each_other_do_not_loop(void **state)
{
    (void)state;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        alarm(10); /* a loop between the two handlers would end here, by SIGALRM */
        signal(SIGSEGV, SIG_DFL);
        pvm_fault_chain_take(&first, SIGSEGV);
        pvm_fault_chain_take(&second, SIGSEGV); /* second -> first -> default */
        pvm_fault_chain_take(&first, SIGSEGV);  /* first -> second -> first: a circle */
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
        cmocka_unit_test(test_a_foreign_fault_reaches_the_host),
        cmocka_unit_test(test_two_chains_displacing_each_other_do_not_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
