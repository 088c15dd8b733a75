/* Option reading for every pvmlab verb (see cli_options.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"

enum { FIRST_LONG_OPTION = 256 };

/* The name of the option getopt_long just rejected, as the user wrote it (without "=..."). */
static void rejected_option(char **argv, char *out, size_t out_len)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (optopt && strncmp(arg, "--", 2) != 0)
        snprintf(out, out_len, "-%c", optopt);
    else
        snprintf(out, out_len, "%.*s", (int)strcspn(arg, "="), arg);
}

int cli_parse(const char *verb, int argc, char **argv, const cli_option *options, size_t option_count,
              const char *usage, cli_positionals *positionals)
{
    struct option *table = calloc(option_count + 2, sizeof *table);
    if (!table) {
        fprintf(stderr, "pvmlab %s: out of memory\n", verb);
        return CLI_USAGE_ERROR;
    }
    for (size_t i = 0; i < option_count; i++)
        table[i] = (struct option){options[i].name, options[i].value ? required_argument : no_argument, NULL,
                                   FIRST_LONG_OPTION + (int)i};
    table[option_count] = (struct option){"help", no_argument, NULL, 'h'};
    if (positionals)
        positionals->count = 0;
    int status = CLI_PARSED, code;
    char name[128];
    /* '-': positional arguments come back in order as code 1 (argv is not permuted);
     * ':': a missing value is reported as ':' rather than '?'. optind 0 re-initialises
     * getopt for each verb call (tests call several in one process). */
    optind = 0;
    opterr = 0;
    while (status == CLI_PARSED && (code = getopt_long(argc, argv, "-:h", table, NULL)) != -1) {
        if (code == 'h') {
            fputs(usage, stdout);
            status = CLI_HELP;
        } else if (code == 1) {
            if (!positionals || positionals->count >= positionals->capacity)
                status = cli_usage_error(verb, "unexpected argument '%s'", optarg);
            else
                positionals->items[positionals->count++] = optarg;
        } else if (code == ':') {
            rejected_option(argv, name, sizeof name);
            status = cli_usage_error(verb, "%s needs a value", name);
        } else if (code == '?') {
            rejected_option(argv, name, sizeof name);
            const struct option *known = NULL;
            for (size_t i = 0; i < option_count && !known; i++)
                if (strcmp(name + 2, options[i].name) == 0)
                    known = &table[i];
            if (known)
                status = cli_usage_error(verb, "%s takes no value", name);
            else
                status = cli_usage_error(verb, "unknown option '%s'", name);
        } else {
            const cli_option *option = &options[code - FIRST_LONG_OPTION];
            if (option->value)
                *option->value = optarg;
            else
                *option->flag = true;
        }
    }
    /* Whatever follows "--" is positional. */
    for (; status == CLI_PARSED && optind < argc; optind++) {
        if (!positionals || positionals->count >= positionals->capacity)
            status = cli_usage_error(verb, "unexpected argument '%s'", argv[optind]);
        else
            positionals->items[positionals->count++] = argv[optind];
    }
    free(table);
    return status;
}

bool cli_parse_count(const char *text, unsigned max, unsigned *out)
{
    long long value;
    if (!cli_parse_integer(text, 1, max, &value))
        return false;
    *out = (unsigned)value;
    return true;
}

bool cli_parse_integer(const char *text, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (!((*text >= '0' && *text <= '9') || (*text == '-' && text[1] >= '0' && text[1] <= '9')) || *end != '\0' ||
        errno == ERANGE || value < min || value > max)
        return false;
    *out = value;
    return true;
}

bool cli_parse_id_list(const char *text, int64_t *out, size_t capacity, size_t *count)
{
    *count = 0;
    while (*text) {
        size_t length = strcspn(text, ",");
        char one[24];
        long long value;
        if (length == 0 || length >= sizeof one || *count == capacity) {
            *count = 0;
            return false;
        }
        memcpy(one, text, length);
        one[length] = '\0';
        if (!cli_parse_integer(one, 1, INT64_MAX, &value)) {
            *count = 0;
            return false;
        }
        out[(*count)++] = value;
        text += length + (text[length] == ',');
    }
    return *count > 0;
}

int cli_usage_error(const char *verb, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "pvmlab %s: ", verb);
    vfprintf(stderr, format, args);
    fprintf(stderr, " (try pvmlab %s --help)\n", verb);
    va_end(args);
    return CLI_USAGE_ERROR;
}
