/* Reading "--name VALUE" and "--name=VALUE" options of the bench and compare verbs. */
#ifndef PVMLAB_BENCH_CLI_OPTIONS_H
#define PVMLAB_BENCH_CLI_OPTIONS_H

#include <stdbool.h>

/* When argv[*i] is the option name (with its value attached by '=' or in the next
 * argument), sets *value, advances *i past it and returns 1; returns 0 when argv[*i] is
 * another option; returns -1 when the value is missing. */
int bench_option_value(int argc, char **argv, int *i, const char *name, const char **value);

/* Prints "pvmlab VERB: <message> (try pvmlab VERB --help)" as one line on stderr and
 * returns 2, the exit code of bad usage. */
int bench_usage_error(const char *verb, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Parses a positive decimal count up to max; false when text is not one. */
bool bench_parse_count(const char *text, unsigned max, unsigned *out);

#endif
