#include "report_files.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/results/test_support.h"
#include "vm/util/file_read.h"

char *report_file_text(const char *path)
{
    char *text = util_read_file(path, NULL);
    if (!text)
        print_error("cannot read %s\n", path);
    assert_non_null(text);
    return text;
}

char *report_out_text(const char *dir, const char *name)
{
    char path[512];
    return report_file_text(test_path(path, sizeof path, dir, name));
}

