/* pvm-link refuses bad input with one clear line on stderr, exit status 1 and no output
 * file: truncated ELFs, wrong magic, wrong machine, a section past the end, an ELF linked
 * without --emit-relocs, an untranslatable instruction, a 32-bit ELF for a 64-bit ISA, an
 * unreadable --unlikely-model table.
 * argv: PVM_LINK GOOD_ELF64 GOOD_ELF32 BAD_CSR_ELF64 OBJ_DIR CLANG LLD */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "vm/util/file_read.h"

static const char *pvm_link, *good64, *good32, *bad_csr, *obj_dir, *lld;
static char dir[] = "/tmp/pvm-link-bad-XXXXXX";

static uint8_t *read_all(const char *path, size_t *len)
{
    uint8_t *p = (uint8_t *)util_read_file(path, len);
    assert_non_null(p);
    return p;
}

static void write_all(const char *path, const uint8_t *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, len, f), len);
    fclose(f);
}

/* Runs pvm-link on `input` (with extra args) and checks the refusal: status 1, exactly
 * one stderr line "pvm-link: ...<want>...", no output file and no temporary left over. */
static void expect_refusal(const char *input, const char *extra, const char *want)
{
    char out[300], err[300], cmd[1400];
    snprintf(out, sizeof out, "%s/out.polkavm", dir);
    snprintf(err, sizeof err, "%s/stderr.txt", dir);
    snprintf(cmd, sizeof cmd, "'%s' '%s' -o '%s' %s 2>'%s'", pvm_link, input, out, extra, err);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    size_t len;
    uint8_t *text = read_all(err, &len);
    char msg[1024] = {0};
    memcpy(msg, text, len < sizeof msg - 1 ? len : sizeof msg - 1);
    free(text);
    printf("  %s -> %s", strrchr(input, '/') + 1, msg);
    assert_int_equal(WEXITSTATUS(st), 1);
    assert_true(len > 0 && msg[len - 1] == '\n' && memchr(msg, '\n', len - 1) == NULL);
    assert_true(strncmp(msg, "pvm-link: ", 10) == 0);
    if (!strstr(msg, want)) fail_msg("expected '%s' in: %s", want, msg);
    struct stat sb;
    assert_int_not_equal(stat(out, &sb), 0);
    char tmp_glob[400];
    snprintf(tmp_glob, sizeof tmp_glob, "ls '%s' | grep -q 'out.polkavm.tmp'", dir);
    assert_int_not_equal(system(tmp_glob), 0);
}

/* A copy of the good ELF64 with `edit` applied (or cut to `keep` bytes). */
static void mangled(const char *name, size_t keep, void (*edit)(uint8_t *, size_t), char *path, size_t path_size)
{
    size_t len;
    uint8_t *p = read_all(good64, &len);
    if (edit) edit(p, len);
    snprintf(path, path_size, "%s/%s", dir, name);
    write_all(path, p, keep && keep < len ? keep : len);
    free(p);
}

static void truncated(void **state)
{
    (void)state;
    static const struct { size_t keep; const char *want; } cuts[] = {
        {2, "bad magic"}, {10, "truncated ELF header"}, {40, "truncated ELF header"},
        {64, "past the end of the file"}, {200, "past the end of the file"},
    };
    char path[300];
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        char name[64];
        snprintf(name, sizeof name, "cut%zu.elf", cuts[i].keep);
        mangled(name, cuts[i].keep, NULL, path, sizeof path);
        expect_refusal(path, "", cuts[i].want);
    }
    size_t len;
    free(read_all(good64, &len));
    mangled("cut-half.elf", len / 2, NULL, path, sizeof path);
    expect_refusal(path, "", "past the end");
    mangled("cut-last.elf", len - 1, NULL, path, sizeof path);
    expect_refusal(path, "", "past the end");
}

static void zero_magic(uint8_t *p, size_t len) { (void)len; p[1] = 'X'; }
static void x86_machine(uint8_t *p, size_t len) { (void)len; p[18] = 62; p[19] = 0; }
/* Section 1's sh_offset (ELF64: headers at e_shoff, 64 bytes each, sh_offset at +24). */
static void section_past_end(uint8_t *p, size_t len)
{
    uint64_t shoff = 0;
    for (int i = 0; i < 8; i++) shoff |= (uint64_t)p[0x28 + i] << (8 * i);
    uint64_t far = len + 0x1000;
    for (int i = 0; i < 8; i++) p[shoff + 64 + 24 + i] = (uint8_t)(far >> (8 * i));
}

static void bad_headers(void **state)
{
    (void)state;
    char path[300];
    mangled("magic.elf", 0, zero_magic, path, sizeof path);
    expect_refusal(path, "", "bad magic");
    mangled("machine.elf", 0, x86_machine, path, sizeof path);
    expect_refusal(path, "", "wrong machine 62");
    mangled("section.elf", 0, section_past_end, path, sizeof path);
    expect_refusal(path, "", "runs past the end of the file");
    snprintf(path, sizeof path, "%s/does-not-exist.elf", dir);
    expect_refusal(path, "", "cannot open");
}

static void missing_relocations(void **state)
{
    (void)state;
    char path[300], cmd[1200];
    snprintf(path, sizeof path, "%s/norelocs.elf", dir);
    snprintf(cmd, sizeof cmd, "'%s' -pie -z notext -e test_main '%s/memory.rv64.o' -o '%s'", lld, obj_dir, path);
    assert_int_equal(system(cmd), 0);
    expect_refusal(path, "--export test_main", "no relocations kept (link with --emit-relocs)");
}

static void untranslatable(void **state)
{
    (void)state;
    expect_refusal(bad_csr, "--export test_main", ": cannot translate 'csrr a0, cycle'");
    char path[300]; /* PolkaVM's sbrk into x0 (bad_sbrk_x0.S) */
    snprintf(path, sizeof path, "%s/bad_sbrk_x0.rv64.elf", obj_dir);
    expect_refusal(path, "--export test_main", ": cannot translate 'pvm.sbrk zero, a4': its result must go to a register");
    expect_refusal(good32, "--isa latest64 --export test_main", "32-bit ELF translates only to the latest32 ISA");
    expect_refusal(good64, "--export no_such_function", "--export no_such_function: no global function");
    /* the hints' model must be a readable pipeline table */
    expect_refusal(good64, "--export test_main --unlikely-model pipeline:/nonexistent.pipeline",
                   "--unlikely-model pipeline:/nonexistent.pipeline: /nonexistent.pipeline: cannot open");
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: link-bad-input-test PVM_LINK GOOD64 GOOD32 BAD_CSR OBJ_DIR CLANG LLD\n");
        return 2;
    }
    pvm_link = argv[1];
    good64 = argv[2];
    good32 = argv[3];
    bad_csr = argv[4];
    obj_dir = argv[5];
    lld = argv[7];
    if (!mkdtemp(dir)) return 2;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncated),
        cmocka_unit_test(bad_headers),
        cmocka_unit_test(missing_relocations),
        cmocka_unit_test(untranslatable),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) rc = rc ? rc : 1;
    return rc;
}
