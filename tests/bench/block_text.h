/* The compare tests' one way to read a block of `pvmlab compare` as text (include after
 * cmocka.h): the rv32 blocks print to a FILE, with the same arguments. */
#ifndef PVMLAB_TESTS_BLOCK_TEXT_H
#define PVMLAB_TESTS_BLOCK_TEXT_H
#include <stdio.h>
#include <stdlib.h>
#include "bench/runner/compare_data.h"
#include "bench/runner/held_out_list.h"

typedef void block_printer(const compare_set *set, const char *mode, const bench_held_out *held, FILE *out);

/* What print writes for set in execution mode, in a malloc'ed string. */
static inline char *block_text(block_printer *print, const compare_set *set, const bench_held_out *held)
{
    FILE *out = tmpfile();
    assert_non_null(out);
    print(set, "execution", held, out);
    long length = ftell(out);
    assert_true(length >= 0);
    char *text = malloc((size_t)length + 1);
    assert_non_null(text);
    rewind(out);
    assert_int_equal(fread(text, 1, (size_t)length, out), (size_t)length);
    text[length] = '\0';
    fclose(out);
    return text;
}
#endif
