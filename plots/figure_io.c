/* Helpers every figure writer uses to write its data file and gnuplot settings. */
#include "figure.h"

#include <math.h>
#include <string.h>

static void append(figure_output *output, const char *text)
{
    size_t used = strlen(output->settings);
    snprintf(output->settings + used, sizeof output->settings - used, "%s", text);
}

void figure_set_number(figure_output *output, const char *name, double value)
{
    char assignment[128];
    if (isfinite(value))
        snprintf(assignment, sizeof assignment, "%s=%.17g; ", name, value);
    else
        snprintf(assignment, sizeof assignment, "%s=NaN; ", name);
    append(output, assignment);
}

void figure_set_string(figure_output *output, const char *name, const char *text)
{
    char assignment[600];
    size_t used = (size_t)snprintf(assignment, sizeof assignment, "%s='", name);
    for (const char *at = text; *at && used + 4 < sizeof assignment; at++) {
        if (*at == '\'')
            assignment[used++] = '\'';
        assignment[used++] = *at == '\n' ? ' ' : *at;
    }
    snprintf(assignment + used, sizeof assignment - used, "'; ");
    append(output, assignment);
}

void figure_write_field(FILE *data, const char *text)
{
    for (const char *at = text; *at; at++)
        fputc(*at == '\t' || *at == '\n' || *at == '\r' ? ' ' : *at == '"' ? '\'' : *at, data);
}

void figure_write_value(figure_output *output, double value)
{
    if (isfinite(value)) {
        fprintf(output->data, "\t%.9g", value);
        output->points++;
    } else
        fputs("\t?", output->data);
}

void figure_write_header(FILE *data, const char *first, char *const *names, size_t count)
{
    figure_write_field(data, first);
    for (size_t i = 0; i < count; i++) {
        fputc('\t', data);
        figure_write_field(data, names[i]);
    }
    fputc('\n', data);
}
