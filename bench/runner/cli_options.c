/* Option reading (see cli_options.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"

int bench_option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *arg = argv[*i];
    size_t length = strlen(name);
    if (strncmp(arg, name, length) != 0)
        return 0;
    if (arg[length] == '=') {
        *value = arg + length + 1;
        return 1;
    }
    if (arg[length] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

bool bench_parse_count(const char *text, unsigned max, unsigned *out)
{
    char *end;
    unsigned long value = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || value == 0 || value > max)
        return false;
    *out = (unsigned)value;
    return true;
}

int bench_usage_error(const char *verb, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "pvmlab %s: ", verb);
    vfprintf(stderr, format, args);
    fprintf(stderr, " (try pvmlab %s --help)\n", verb);
    va_end(args);
    return 2;
}
