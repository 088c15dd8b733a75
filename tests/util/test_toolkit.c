/* The toolkit's contracts: whole-file reading (files, empty files, pipes,
 * folders, missing files), growing arrays, progress output when not on a terminal, CPU
 * masks as text (ranges) and counted, and the
 * statistics at their edges (the common cases are in tests/calibrate/test_fit.c). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm/util/cli_options.h"
#include "vm/util/cpu_pin.h"
#include "vm/util/file_read.h"
#include "vm/util/grow.h"
#include "vm/util/guest_manifest.h"
#include "vm/util/process.h"
#include "vm/util/progress.h"
#include "vm/util/stats.h"

static void reads_files_of_any_size(void **state)
{
    (void)state;
    char path[] = "/tmp/pvm-toolkit-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t big = 200000; /* more than the reader's first chunk */
    char *data = malloc(big);
    for (size_t i = 0; i < big; i++) data[i] = (char)('a' + i % 26);
    assert_int_equal(write(fd, data, big), (ssize_t)big);
    close(fd);
    size_t len = 0;
    char *got = util_read_file(path, &len);
    assert_non_null(got);
    assert_int_equal(len, big);
    assert_memory_equal(got, data, big);
    assert_int_equal(got[big], '\0');
    free(got);
    assert_int_equal(truncate(path, 0), 0);
    got = util_read_file(path, &len);
    assert_non_null(got);
    assert_int_equal(len, 0);
    assert_string_equal(got, "");
    free(got);
    unlink(path);
    free(data);
    /* A file whose stat size is 0 but which has content (the size only sizes the first chunk). */
    got = util_read_file("/proc/self/status", &len);
    assert_non_null(got);
    assert_true(len > 0);
    assert_non_null(strstr(got, "Name:"));
    free(got);
}

static void read_errors_set_errno(void **state)
{
    (void)state;
    errno = 0;
    assert_null(util_read_file("/nonexistent/pvm-toolkit", NULL));
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_null(util_read_file("/tmp", NULL));
    assert_int_equal(errno, EISDIR);
    size_t len = 0; /* a pseudo-file whose size stat cannot tell */
    char *self = util_read_file("/proc/self/status", &len);
    assert_non_null(self);
    assert_true(len > 0 && strstr(self, "Name:") != NULL);
    free(self);
}

static char *capture(void (*draw)(FILE *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    draw(f);
    fclose(f);
    return text;
}

static void draw_lines(FILE *f)
{
    util_progress p;
    util_progress_begin(&p, f, 20, "calibrate");
    for (int i = 0; i < 20; i++) {
        util_progress_step(&p, i < 10 ? "chains" : "memory", "item");
        util_progress_done(&p);
    }
    util_progress_note(&p, "a note %d", 7);
    util_progress_end(&p);
}

static void draw_silent(FILE *f)
{
    util_progress p;
    util_progress_begin(&p, f, 3, NULL);
    util_progress_step(&p, "", "label");
    util_progress_done(&p);
    util_progress_clear(&p);
}

static void progress_off_a_terminal(void **state)
{
    (void)state;
    char *lines = capture(draw_lines);
    /* one line per tenth of the work (and per stage), no escape codes */
    assert_non_null(strstr(lines, "calibrate: chains: 0/20 (item) ETA --:--\n"));
    assert_non_null(strstr(lines, "calibrate: memory: 10/20 (item)"));
    assert_non_null(strstr(lines, "a note 7\n"));
    assert_null(strchr(lines, '\033'));
    size_t count = 0;
    for (const char *c = lines; *c; c++) count += *c == '\n';
    assert_int_equal(count, 11); /* 10 tenths + the note */
    free(lines);
    char *silent = capture(draw_silent);
    assert_string_equal(silent, "");
    free(silent);
}

/* The guests manifest reader: fields of each GUEST line, comments skipped; a broken
 * line and a missing file are errors naming the file (and the line). */
static void reads_the_guest_manifest(void **state)
{
    (void)state;
    char path[] = "/tmp/pvmlab-manifest-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("/* GUEST(name, ...) in a comment is no entry */\n"
          "GUEST(alpha, alpha.c, 100, 2000, 0x00ff, 0xDEADbeef00000001)\n"
          "GUEST(b_2,b_2.c,  7 , 8, 0x1, 0x2)\n",
          f);
    fclose(f);
    util_guest *g = NULL;
    size_t n = 0;
    char err[512] = "";
    assert_int_equal(util_guest_manifest_read(path, &g, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(g[0].name, "alpha");
    assert_string_equal(g[0].source, "alpha.c");
    assert_int_equal(g[0].quick_size, 100);
    assert_int_equal(g[0].full_size, 2000);
    assert_int_equal(g[0].quick_checksum, 0xff);
    assert_int_equal(g[0].full_checksum, 0xdeadbeef00000001ull);
    assert_string_equal(g[1].name, "b_2");
    assert_int_equal(g[1].quick_size, 7);
    assert_ptr_equal(util_guest_find(g, n, "b_2"), &g[1]);
    assert_null(util_guest_find(g, n, "gamma"));
    free(g);

    static const char *const broken[] = {
        "GUEST(short, short.c, 1, 2, 0x1)\n",          /* a field missing */
        "GUEST(noparen, noparen.c, 1, 2, 0x1, 0x2\n",  /* no closing parenthesis */
        "GUEST(src, src.cpp, 1, 2, 0x1, 0x2)\n",       /* not a .c source */
        "GUEST(Upper, upper.c, 1, 2, 0x1, 0x2)\n",     /* names are lower case */
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        f = fopen(path, "w");
        fprintf(f, "/* ok */\nGUEST(fine, fine.c, 1, 2, 0x1, 0x2)\n%s", broken[i]);
        fclose(f);
        g = (util_guest *)path; /* must be reset to NULL on failure */
        assert_int_equal(util_guest_manifest_read(path, &g, &n, err, sizeof err), -1);
        assert_null(g);
        assert_int_equal(n, 0);
        assert_non_null(strstr(err, path));
        assert_non_null(strstr(err, ":3: cannot parse: GUEST("));
    }
    unlink(path);
    assert_int_equal(util_guest_manifest_read(path, &g, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "No such file"));
}

/* Run-id lists of --run / --fit-runs: "ID" or "ID,ID,...", positive, within capacity. */
static void parses_id_lists(void **state)
{
    (void)state;
    int64_t ids[3];
    size_t n = 99;
    assert_true(cli_parse_id_list("7", ids, 3, &n));
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 7);
    assert_true(cli_parse_id_list("1,22,9223372036854775807", ids, 3, &n));
    assert_int_equal(n, 3);
    assert_int_equal(ids[1], 22);
    assert_int_equal(ids[2], INT64_MAX);
    static const char *const bad[] = {"", ",", ",1", "1,,2", "0", "-1", "x", "1,2,3,4", "1 ,2", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = 99;
        assert_false(cli_parse_id_list(bad[i], ids, 3, &n));
        assert_int_equal(n, 0);
    }
}

static void statistics_edges(void **state)
{
    (void)state;
    double one[] = {7};
    assert_float_equal(util_median(one, 1), 7, 0);
    assert_float_equal(util_mad(one, 1), 0, 0);
    assert_float_equal(util_quantile_sorted(one, 1, 0.95), 7, 0);
    assert_true(isnan(util_quantile_sorted(one, 1, 1.5)));
    assert_true(isnan(util_mad(one, 0)));
    double mean, se;
    util_mean_stderr(one, 0, &mean, &se);
    assert_true(isnan(mean) && isnan(se));
    util_geomean g = {0};
    assert_true(isnan(util_geomean_value(&g)));
    assert_false(util_geomean_add(&g, -1));
    assert_false(util_geomean_add(&g, INFINITY));
    double v[] = {3, 1, 2};
    assert_float_equal(util_median_inplace(v, 3), 2, 0);
    assert_float_equal(v[0], 1, 0); /* sorted in place */
}

/* Growing doubles from the first capacity, keeps what is there, and refuses sizes that overflow. */
static void grows_arrays_by_doubling(void **state)
{
    (void)state;
    int *items = NULL;
    size_t capacity = 0;
    assert_int_equal(UTIL_GROW(items, capacity, 1, 4), 0);
    assert_non_null(items);
    assert_int_equal(capacity, 4);
    for (int i = 0; i < 4; i++) items[i] = i * 7;
    assert_int_equal(UTIL_GROW(items, capacity, 4, 4), 0); /* fits: nothing changes */
    assert_int_equal(capacity, 4);
    assert_int_equal(UTIL_GROW(items, capacity, 5, 4), 0);
    assert_int_equal(capacity, 8);
    assert_int_equal(UTIL_GROW(items, capacity, 33, 4), 0);
    assert_int_equal(capacity, 64);
    for (int i = 0; i < 4; i++) assert_int_equal(items[i], i * 7);
    int *before = items;
    assert_int_equal(util_grow(&items, &capacity, SIZE_MAX / 2, sizeof *items, 4), -1);
    assert_ptr_equal(items, before);
    assert_int_equal(capacity, 64);
    free(items);
}

static void runs_processes_with_a_deadline(void **state)
{
    (void)state;
    char sh[4096], err[256];
    assert_true(util_find_program(NULL, "sh", sh, sizeof sh));
    char *quick[] = {sh, "-c", "echo out; echo err >&2; exit 3", NULL};
    util_process_result r;
    assert_int_equal(util_process_run(quick, &r, err, sizeof err), 0);
    assert_int_equal(r.exit_status, 3);
    assert_string_equal(r.stdout_text, "out\n");
    assert_string_equal(r.stderr_text, "err\n");
    assert_false(r.timed_out);
    util_process_result_free(&r);
    /* a child that outlives its deadline is killed; what it printed before is kept */
    char *slow[] = {sh, "-c", "echo started; exec sleep 30", NULL};
    assert_int_equal(util_process_run_timeout(slow, 200, &r, err, sizeof err), 0);
    assert_true(r.timed_out);
    assert_int_equal(r.exit_status, 128 + 9);
    assert_string_equal(r.stdout_text, "started\n");
    assert_true(r.wall_ns < 10 * 1000000000ll);
    util_process_result_free(&r);
    char *missing[] = {"/nonexistent/program", NULL};
    assert_int_equal(util_process_run(missing, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/program"));
    assert_false(util_find_program(NULL, "no-such-program-pvmlab", sh, sizeof sh));
}

/* A mask's CPUs as ranges ("0-3,6,8-9"), counted; an empty mask is "none"; the thread's own
 * mask holds a CPU at least. */
static void describes_cpu_masks(void **state)
{
    (void)state;
    util_cpu_mask m;
    memset(&m, 0, sizeof m);
    char text[64];
    util_cpu_mask_describe(&m, text, sizeof text);
    assert_string_equal(text, "none");
    assert_int_equal(util_cpu_mask_count(&m), 0);
    const unsigned long per = 8 * sizeof(unsigned long);
    const int cpus[] = {0, 1, 2, 3, 6, 8, 9, 200};
    for (size_t i = 0; i < sizeof cpus / sizeof cpus[0]; i++) m.bits[cpus[i] / per] |= 1ul << (cpus[i] % per);
    util_cpu_mask_describe(&m, text, sizeof text);
    assert_string_equal(text, "0-3,6,8-9,200");
    assert_int_equal(util_cpu_mask_count(&m), 8);
    util_cpu_mask own;
    assert_true(util_cpu_mask_save(&own));
    assert_true(util_cpu_mask_count(&own) >= 1);
    util_cpu_mask_describe(&own, text, sizeof text);
    assert_string_not_equal(text, "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_files_of_any_size),
        cmocka_unit_test(read_errors_set_errno),
        cmocka_unit_test(progress_off_a_terminal),
        cmocka_unit_test(reads_the_guest_manifest),
        cmocka_unit_test(parses_id_lists),
        cmocka_unit_test(statistics_edges),
        cmocka_unit_test(runs_processes_with_a_deadline),
        cmocka_unit_test(grows_arrays_by_doubling),
        cmocka_unit_test(describes_cpu_masks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
