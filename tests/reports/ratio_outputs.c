/* Reading the ratios compare, plot and report print (see ratio_outputs.h). */
#include "ratio_outputs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FIELDS_MAX = 64, FIELD_MAX = 400 };

typedef struct line_list {
    char **lines;
    size_t count;
} line_list;

static void add_line(line_list *list, const char *engine, const char *guest, const char *value)
{
    char *end;
    double ratio = strtod(value, &end);
    if (end == value)
        return; /* "-", "?", "—": no ratio */
    char line[2 * FIELD_MAX];
    snprintf(line, sizeof line, "%s\t%s\t%.2f\n", engine, guest, ratio);
    list->lines = realloc(list->lines, (list->count + 1) * sizeof *list->lines);
    list->lines[list->count++] = strdup(line);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted lines joined (frees the list). */
static char *joined(line_list *list)
{
    qsort(list->lines, list->count, sizeof *list->lines, by_text);
    size_t length = 1;
    for (size_t i = 0; i < list->count; i++)
        length += strlen(list->lines[i]);
    char *text = calloc(1, length);
    for (size_t i = 0; i < list->count; i++) {
        strcat(text, list->lines[i]);
        free(list->lines[i]);
    }
    free(list->lines);
    return text;
}

static void trim(char *text)
{
    size_t length = strlen(text);
    while (length && isspace((unsigned char)text[length - 1]))
        text[--length] = '\0';
    size_t start = strspn(text, " \t");
    memmove(text, text + start, strlen(text + start) + 1);
}

/* Splits line (up to its newline) at separator into trimmed fields; the count. */
static size_t split(const char *line, char separator, char fields[][FIELD_MAX])
{
    size_t count = 0;
    const char *end = strchr(line, '\n');
    if (!end)
        end = line + strlen(line);
    while (line <= end && count < FIELDS_MAX) {
        const char *stop = memchr(line, separator, (size_t)(end - line));
        if (!stop)
            stop = end;
        snprintf(fields[count], FIELD_MAX, "%.*s", (int)(stop - line), line);
        trim(fields[count++]);
        line = stop + 1;
    }
    return count;
}

/* Splits at runs of spaces (compare's columns). */
static size_t split_words(const char *line, char fields[][FIELD_MAX])
{
    size_t count = 0;
    while (*line && *line != '\n' && count < FIELDS_MAX) {
        line += strspn(line, " ");
        size_t length = strcspn(line, " \n");
        if (length)
            snprintf(fields[count++], FIELD_MAX, "%.*s", (int)length, line);
        line += length;
    }
    return count;
}

static const char *next_line(const char *line)
{
    const char *end = strchr(line, '\n');
    return end ? end + 1 : NULL;
}

char *ratios_from_figure_data(const char *tsv)
{
    static char header[FIELDS_MAX][FIELD_MAX], row[FIELDS_MAX][FIELD_MAX];
    size_t columns = split(tsv, '\t', header);
    if (columns < 2 || strcmp(header[0], "guest") != 0)
        return NULL;
    line_list list = {0};
    for (const char *line = next_line(tsv); line && *line; line = next_line(line)) {
        size_t count = split(line, '\t', row);
        for (size_t c = 1; c < count && c < columns; c++)
            add_line(&list, header[c], row[0], row[c]);
    }
    return joined(&list);
}

char *ratios_from_report(const char *markdown)
{
    static char header[FIELDS_MAX][FIELD_MAX], row[FIELDS_MAX][FIELD_MAX];
    const char *section = strstr(markdown, "## Engine ratios");
    const char *table = section ? strstr(section, "\n| guest |") : NULL;
    if (!table)
        return NULL;
    table++;
    /* "| a | b |" splits into "", "a", "b", "" */
    size_t columns = split(table, '|', header);
    line_list list = {0};
    const char *line = next_line(next_line(table)); /* past the |---| line */
    for (; line && line[0] == '|'; line = next_line(line)) {
        size_t count = split(line, '|', row);
        for (size_t c = 2; c + 1 < count && c + 1 < columns; c++)
            if (strcmp(header[c], "native") != 0)
                add_line(&list, header[c], row[1], row[c]);
    }
    return joined(&list);
}

char *ratios_from_compare(const char *output)
{
    static char row[FIELDS_MAX][FIELD_MAX], labels[FIELDS_MAX][FIELD_MAX];
    const char *title = strstr(output, "ratio to native");
    const char *head = title ? next_line(title) : NULL;
    if (!head || strncmp(head, "guest", 5) != 0)
        return NULL;
    /* The engine labels follow "guest native", right-aligned, separated by spaces; a label
     * "name [config]" holds spaces, so it is read up to its "]". */
    const char *at = strstr(head, " native") + strlen(" native");
    size_t engines = 0;
    while (*at && *at != '\n') {
        at += strspn(at, " ");
        if (*at == '\n' || !*at)
            break;
        size_t length = strcspn(at, " \n");
        if (at[length] == ' ' && at[length + 1] == '[')
            length += strcspn(at + length, "]\n") + 1;
        snprintf(labels[engines++], FIELD_MAX, "%.*s", (int)length, at);
        at += length;
    }
    line_list list = {0};
    for (const char *line = next_line(head); line && *line; line = next_line(line)) {
        size_t count = split_words(line, row);
        if (count < engines + 1)
            break;
        for (size_t e = 0; e < engines; e++)
            add_line(&list, labels[e], row[0], row[count - engines + e]);
        if (strcmp(row[0], "geomean") == 0)
            break;
    }
    return joined(&list);
}

char *ratios_without_geomean(const char *ratios)
{
    char *kept = calloc(1, strlen(ratios) + 1);
    for (const char *line = ratios; line && *line; line = next_line(line)) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) + 1 : strlen(line);
        if (!strstr(line, "\tgeomean\t") || strstr(line, "\tgeomean\t") > line + length)
            strncat(kept, line, length);
    }
    return kept;
}
