/* The one option parser of every pvmlab verb: getopt_long over a table of long options,
 * with --help/-h, positional arguments in order, and one-line usage errors. */
#ifndef PVM_UTIL_CLI_OPTIONS_H
#define PVM_UTIL_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One long option. Exactly one of value (the option takes a value: "--name V" or
 * "--name=V"; a repeated option keeps the last) and flag (a switch) is set. */
typedef struct cli_option {
    const char *name;   /* without the leading "--" */
    const char **value;
    bool *flag;
} cli_option;

#define CLI_VALUE(option_name, pointer) {.name = (option_name), .value = (pointer)}
#define CLI_FLAG(option_name, pointer) {.name = (option_name), .flag = (pointer)}

/* What cli_parse found besides the options. */
typedef struct cli_positionals {
    const char **items; /* caller-provided array of capacity entries; may be NULL if 0 */
    int capacity;
    int count;
} cli_positionals;

enum { CLI_PARSED = 0, CLI_HELP = 1, CLI_USAGE_ERROR = 2 };

/* Parses argv[1..argc) (argv[0] is the verb) with getopt_long. --help or -h prints usage to
 * stdout and returns CLI_HELP; an unknown option, a missing value, or more positional
 * arguments than positionals->capacity (positionals may be NULL: none allowed) prints
 * "pvmlab VERB: ... (try pvmlab VERB --help)" on stderr and returns CLI_USAGE_ERROR;
 * otherwise CLI_PARSED. "--" ends the options. argv is not reordered. */
int cli_parse(const char *verb, int argc, char **argv, const cli_option *options, size_t option_count,
              const char *usage, cli_positionals *positionals);

/* Prints "pvmlab VERB: <message> (try pvmlab VERB --help)" as one line on stderr and
 * returns 2, the exit code of bad usage. */
int cli_usage_error(const char *verb, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Parses a positive decimal count up to max; false when text is not one. */
bool cli_parse_count(const char *text, unsigned max, unsigned *out);

/* Parses a whole decimal integer in [min, max]; false when text is not one. */
bool cli_parse_integer(const char *text, long long min, long long max, long long *out);

/* Parses "ID" or "ID,ID,..." of positive integers (database ids: --run, --fit-runs) into
 * out[0..capacity); *count gets how many. false (count 0) for an empty item, a bad
 * number or more than capacity items. */
bool cli_parse_id_list(const char *text, int64_t *out, size_t capacity, size_t *count);

#endif
