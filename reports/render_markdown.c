#include <string.h>

#include "render.h"

/* Table cells must not break the row: '|' is escaped, newlines become spaces. */
static void write_cell(FILE *out, const char *text)
{
    for (const char *at = text; *at; at++) {
        if (*at == '|')
            fputs("\\|", out);
        else
            fputc(*at == '\n' ? ' ' : *at, out);
    }
}

static void write_table(FILE *out, const report_block *block)
{
    for (size_t r = 0; r < block->rows; r++) {
        fputc('|', out);
        for (size_t c = 0; c < block->columns; c++) {
            fputc(' ', out);
            write_cell(out, block->cells[r * block->columns + c]);
            fputs(" |", out);
        }
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (size_t c = 0; c < block->columns; c++)
                fputs(block->align[c] == 'r' ? " ---: |" : " --- |", out);
            fputc('\n', out);
        }
    }
    fputc('\n', out);
}

static void write_figure(FILE *out, const report_block *block)
{
    const char *file = *block->svg_path ? block->svg_path : block->png_path;
    if (*file)
        fprintf(out, "![%s](%s)\n\n", block->text, file);
    if (*block->figure_note)
        fprintf(out, "*%s: %s*\n\n", block->text, block->figure_note);
}

int report_render_markdown(const report_doc *doc, FILE *out)
{
    for (size_t i = 0; i < doc->count; i++) {
        const report_block *block = &doc->blocks[i];
        switch (block->kind) {
        case REPORT_HEADING:
            fprintf(out, "%.*s %s\n\n", block->level, "######", block->text);
            break;
        case REPORT_PARAGRAPH:
            fprintf(out, "%s\n\n", block->text);
            break;
        case REPORT_NOTE:
            fprintf(out, "> **Note:** %s\n\n", block->text);
            break;
        case REPORT_CODE:
            fprintf(out, "```sh\n%s\n```\n\n", block->text);
            break;
        case REPORT_TABLE:
            write_table(out, block);
            break;
        case REPORT_FIGURE:
            write_figure(out, block);
            break;
        }
    }
    return ferror(out) ? -1 : 0;
}
