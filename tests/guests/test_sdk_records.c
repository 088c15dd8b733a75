/* Checks the records pvm_guest.h puts into a linked riscv ELF (sdk_example.c), the way
 * pvm-link will read them: every .polkavm_exports entry {u8 1, ptr meta, ptr fn}, every
 * V1 metadata record {u8 1, u32 0, u32 len, ptr symbol, u8 in, u8 out}, and every import
 * stub: word 0x0000000b, a pointer-sized slot with the record's address, then `ret`.
 * Pointers are read from the file (the ELF is linked with --apply-dynamic-relocs).
 *
 * Usage: test_sdk_records ELF   (ELF32 or ELF64, little-endian riscv) */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include "vm/util/file_read.h"

typedef struct {
    uint8_t *bytes;
    size_t size;
    int is64;
    unsigned pointer_size;
} elf_file_t;

static const char *elf_path; /* from argv; the only state the tests share */

static uint64_t read_le(const uint8_t *p, unsigned n)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < n; i++)
        value |= (uint64_t)p[i] << (8 * i);
    return value;
}

static elf_file_t load_elf(const char *path)
{
    elf_file_t elf = {0};
    elf.bytes = (uint8_t *)util_read_file(path, &elf.size);
    assert_non_null(elf.bytes);
    assert_memory_equal(elf.bytes, ELFMAG, SELFMAG);
    assert_int_equal(elf.bytes[EI_DATA], ELFDATA2LSB);
    elf.is64 = elf.bytes[EI_CLASS] == ELFCLASS64;
    elf.pointer_size = elf.is64 ? 8 : 4;
    return elf;
}

/* Section header fields, whichever the class. */
typedef struct {
    const char *name;
    uint64_t address, offset, size, link, entry_size;
    uint32_t type;
} section_t;

static section_t section_at(const elf_file_t *elf, unsigned index)
{
    section_t s;
    const uint8_t *e = elf->bytes;
    if (elf->is64) {
        const Elf64_Ehdr *h = (const Elf64_Ehdr *)e;
        const Elf64_Shdr *sh = (const Elf64_Shdr *)(e + h->e_shoff) + index;
        const Elf64_Shdr *names = (const Elf64_Shdr *)(e + h->e_shoff) + h->e_shstrndx;
        s = (section_t){(const char *)e + names->sh_offset + sh->sh_name, sh->sh_addr,
                        sh->sh_offset, sh->sh_size, sh->sh_link, sh->sh_entsize, sh->sh_type};
    } else {
        const Elf32_Ehdr *h = (const Elf32_Ehdr *)e;
        const Elf32_Shdr *sh = (const Elf32_Shdr *)(e + h->e_shoff) + index;
        const Elf32_Shdr *names = (const Elf32_Shdr *)(e + h->e_shoff) + h->e_shstrndx;
        s = (section_t){(const char *)e + names->sh_offset + sh->sh_name, sh->sh_addr,
                        sh->sh_offset, sh->sh_size, sh->sh_link, sh->sh_entsize, sh->sh_type};
    }
    return s;
}

static unsigned section_count(const elf_file_t *elf)
{
    return elf->is64 ? ((const Elf64_Ehdr *)elf->bytes)->e_shnum
                     : ((const Elf32_Ehdr *)elf->bytes)->e_shnum;
}

static section_t find_section(const elf_file_t *elf, const char *name)
{
    for (unsigned i = 0; i < section_count(elf); i++) {
        section_t s = section_at(elf, i);
        if (strcmp(s.name, name) == 0)
            return s;
    }
    fail_msg("no section %s", name);
    return (section_t){0};
}

/* The file bytes at a virtual address inside an allocated PROGBITS section. */
static const uint8_t *at_address(const elf_file_t *elf, uint64_t address, uint64_t length)
{
    for (unsigned i = 0; i < section_count(elf); i++) {
        section_t s = section_at(elf, i);
        if (s.type == SHT_PROGBITS && s.address && address >= s.address &&
            address + length <= s.address + s.size)
            return elf->bytes + s.offset + (address - s.address);
    }
    fail_msg("address 0x%llx is in no section", (unsigned long long)address);
    return NULL;
}

static uint64_t symbol_address(const elf_file_t *elf, const char *name)
{
    section_t symtab = find_section(elf, ".symtab");
    section_t strtab = section_at(elf, (unsigned)symtab.link);
    for (uint64_t off = 0; off < symtab.size; off += symtab.entry_size) {
        const uint8_t *sym = elf->bytes + symtab.offset + off;
        uint32_t name_offset = (uint32_t)read_le(sym, 4);
        uint64_t value = elf->is64 ? read_le(sym + 8, 8) : read_le(sym + 4, 4);
        if (strcmp((const char *)elf->bytes + strtab.offset + name_offset, name) == 0)
            return value;
    }
    fail_msg("no symbol %s", name);
    return 0;
}

/* Checks the V1 metadata record at `address` against the expected name and counts. */
static void check_metadata(const elf_file_t *elf, uint64_t address, const char *name,
                           unsigned input_regs, unsigned output_regs)
{
    unsigned ptr = elf->pointer_size;
    const uint8_t *record = at_address(elf, address, 9 + ptr + 2);
    assert_int_equal(record[0], 1);
    assert_int_equal(read_le(record + 1, 4), 0);
    uint64_t length = read_le(record + 5, 4);
    assert_int_equal(length, strlen(name));
    assert_memory_equal(at_address(elf, read_le(record + 9, ptr), length), name, length);
    assert_int_equal(record[9 + ptr], input_regs);
    assert_int_equal(record[10 + ptr], output_regs);
}

typedef struct {
    const char *name;
    unsigned input_regs_64, input_regs_32, output_regs_64, output_regs_32;
} expected_t;

static const expected_t expected_exports[] = {
    {"run", 1, 1, 1, 2}, /* uint64_t run(uint32_t): the result takes a0+a1 on rv32 */
    {"add3", 3, 3, 1, 1},
};

static const expected_t expected_imports[] = {
    {"host_add", 2, 3, 1, 1}, /* uint32_t host_add(uint32_t, uint64_t) */
    {"host_tick", 0, 0, 0, 0},
};

static void test_exports(void **state)
{
    (void)state;
    elf_file_t elf = load_elf(elf_path);
    section_t exports = find_section(&elf, ".polkavm_exports");
    unsigned ptr = elf.pointer_size, entry_size = 1 + 2 * ptr;
    assert_int_equal(exports.size, 2 * entry_size);
    for (unsigned i = 0; i < 2; i++) {
        const uint8_t *entry = elf.bytes + exports.offset + i * entry_size;
        uint64_t metadata = read_le(entry + 1, ptr), function = read_le(entry + 1 + ptr, ptr);
        const uint8_t *record = at_address(&elf, metadata, 9 + ptr);
        const char *name = (const char *)at_address(&elf, read_le(record + 9, ptr), 1);
        const expected_t *want = strncmp(name, "run", 3) == 0 ? &expected_exports[0]
                                                               : &expected_exports[1];
        assert_int_equal(entry[0], 1);
        check_metadata(&elf, metadata, want->name, elf.is64 ? want->input_regs_64 : want->input_regs_32,
                       elf.is64 ? want->output_regs_64 : want->output_regs_32);
        assert_int_equal(function, symbol_address(&elf, want->name));
    }
    free(elf.bytes);
}

static void test_import_stubs(void **state)
{
    (void)state;
    elf_file_t elf = load_elf(elf_path);
    unsigned ptr = elf.pointer_size;
    for (unsigned i = 0; i < 2; i++) {
        const expected_t *want = &expected_imports[i];
        const uint8_t *stub = at_address(&elf, symbol_address(&elf, want->name), 4 + ptr + 2);
        assert_int_equal(read_le(stub, 4), 0x0000000b);
        check_metadata(&elf, read_le(stub + 4, ptr), want->name,
                       elf.is64 ? want->input_regs_64 : want->input_regs_32,
                       elf.is64 ? want->output_regs_64 : want->output_regs_32);
        assert_int_equal(read_le(stub + 4 + ptr, 2), 0x8082); /* c.ret */
    }
    free(elf.bytes);
}

static void test_min_stack_size(void **state)
{
    (void)state;
    elf_file_t elf = load_elf(elf_path);
    section_t s = find_section(&elf, ".polkavm_min_stack_size");
    assert_int_equal(s.size, 4);
    assert_int_equal(read_le(elf.bytes + s.offset, 4), 65536);
    free(elf.bytes);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s ELF\n", argv[0]);
        return 2;
    }
    elf_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exports),
        cmocka_unit_test(test_import_stubs),
        cmocka_unit_test(test_min_stack_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
