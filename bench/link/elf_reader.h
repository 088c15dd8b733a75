/* ELF reader for pvm-link: RISC-V ELF32/ELF64 little-endian, EXEC or DYN, with the
 * relocations lld keeps under --emit-relocs. Everything is checked against the file
 * size once, at load; afterwards the accessors can trust the tables. */
#ifndef PVM_LINK_ELF_READER_H
#define PVM_LINK_ELF_READER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    ELF_SHT_PROGBITS = 1,
    ELF_SHT_SYMTAB = 2,
    ELF_SHT_RELA = 4,
    ELF_SHT_NOBITS = 8,
    ELF_SHT_REL = 9,
    ELF_SHF_WRITE = 1,
    ELF_SHF_ALLOC = 2,
    ELF_SHF_EXECINSTR = 4,
    ELF_STT_FUNC = 2,
    ELF_STB_GLOBAL = 1,
    ELF_EF_RISCV_RVE = 8,
};

typedef struct {
    const char *name;
    uint32_t type;
    uint64_t flags, addr, offset, size, align;
    uint32_t link, info;
    const uint8_t *data; /* NULL for NOBITS */
} elf_section;

typedef struct {
    const char *name;
    uint64_t value, size;
    uint16_t shndx;
    uint8_t type, bind;
} elf_symbol;

typedef struct {
    uint64_t offset; /* r_offset: an address in the target section */
    uint32_t type;
    uint32_t sym;    /* index into the symbol table the section links to */
    int64_t addend;
} elf_reloc;

/* The relocations of one RELA section and the section they apply to. */
typedef struct {
    uint32_t target;      /* section index they patch (sh_info), 0 for .rela.dyn */
    uint32_t symtab;      /* section index of their symbol table */
    elf_reloc *relocs;    /* sorted by offset */
    size_t count;
} elf_reloc_set;

typedef struct {
    uint8_t *bytes;
    size_t size;
    bool is64;
    uint16_t type;        /* ET_EXEC 2, ET_DYN 3 */
    uint32_t flags;       /* e_flags */
    uint64_t entry;
    elf_section *sections;
    size_t n_sections;
    elf_symbol *symbols;  /* of the .symtab (static symbols) */
    size_t n_symbols;
    uint32_t symtab_index;
    elf_reloc_set *reloc_sets;
    size_t n_reloc_sets;
    bool has_static_relocs; /* any .rela.<section> kept by --emit-relocs */
} elf_file;

/* Loads and checks `path`; on failure returns false and writes one line to msg. The
 * elf_file owns its buffers; release with elf_free (safe on a failed load). */
bool elf_load(const char *path, elf_file *elf, char *msg, size_t msg_size);
void elf_free(elf_file *elf);

/* The index of the allocated section holding address addr (end-inclusive when
 * allow_end), or -1. */
int elf_section_at(const elf_file *elf, uint64_t addr, bool allow_end);
/* The relocations that patch section `index` (NULL if none). */
const elf_reloc_set *elf_relocs_for(const elf_file *elf, uint32_t index);
/* The first relocation at `offset` in set (or NULL); the next ones follow it. */
const elf_reloc *elf_reloc_at(const elf_reloc_set *set, uint64_t offset);
/* Value of symbol `sym` of set's symbol table (0 for index 0). */
uint64_t elf_reloc_symbol_value(const elf_file *elf, const elf_reloc_set *set, uint32_t sym);
const char *elf_reloc_symbol_name(const elf_file *elf, const elf_reloc_set *set, uint32_t sym);
/* Reads `n` (1..8) little-endian bytes at an allocated address; false if unmapped. */
bool elf_read_at(const elf_file *elf, uint64_t addr, unsigned n, uint64_t *out);
const char *elf_reloc_type_name(uint32_t type);
#endif
