#define _GNU_SOURCE /* vasprintf */
#include "document.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/text_util.h"
#include "vm/util/grow.h"

report_doc *report_doc_new(const char *title)
{
    report_doc *doc = calloc(1, sizeof *doc);
    if (doc && !(doc->title = pvmlab_strdup(title))) {
        free(doc);
        return NULL;
    }
    return doc;
}

static void free_block(report_block *block)
{
    for (size_t i = 0; block->cells && i < block->columns * block->rows; i++)
        free(block->cells[i]);
    free(block->cells);
    free(block->align);
    free(block->text);
    free(block->anchor);
    free(block->svg_path);
    free(block->png_path);
    free(block->figure_note);
}

void report_doc_free(report_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->count; i++)
        free_block(&doc->blocks[i]);
    free(doc->blocks);
    free(doc->title);
    free(doc);
}

bool report_doc_failed(const report_doc *doc)
{
    return doc->failed;
}

/* A zeroed block at the end, or NULL (and doc->failed) on out of memory. */
static report_block *add_block(report_doc *doc, report_block_kind kind)
{
    if (doc->failed)
        return NULL;
    if (UTIL_GROW(doc->blocks, doc->capacity, doc->count + 1, 64) != 0) {
        doc->failed = true;
        return NULL;
    }
    report_block *block = &doc->blocks[doc->count++];
    memset(block, 0, sizeof *block);
    block->kind = kind;
    return block;
}

/* Records a failed copy: true when copy is NULL. */
static bool lost(report_doc *doc, const void *copy)
{
    if (!copy)
        doc->failed = true;
    return !copy;
}

static char *anchor_of(const char *text)
{
    char *anchor = malloc(strlen(text) + 1);
    if (!anchor)
        return NULL;
    size_t used = 0;
    for (const char *at = text; *at; at++) {
        if (isalnum((unsigned char)*at))
            anchor[used++] = (char)tolower((unsigned char)*at);
        else if (used && anchor[used - 1] != '-')
            anchor[used++] = '-';
    }
    while (used && anchor[used - 1] == '-')
        used--;
    anchor[used] = '\0';
    return anchor;
}

void report_heading(report_doc *doc, int level, const char *text)
{
    report_block *block = add_block(doc, REPORT_HEADING);
    if (!block)
        return;
    block->level = level;
    block->text = pvmlab_strdup(text);
    block->anchor = anchor_of(text);
    lost(doc, block->text);
    lost(doc, block->anchor);
}

static void add_text(report_doc *doc, report_block_kind kind, const char *format, va_list args)
{
    report_block *block = add_block(doc, kind);
    if (!block)
        return;
    char *text = NULL;
    if (vasprintf(&text, format, args) < 0)
        text = NULL;
    block->text = text;
    lost(doc, text);
}

void report_paragraph(report_doc *doc, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    add_text(doc, REPORT_PARAGRAPH, format, args);
    va_end(args);
}

void report_note(report_doc *doc, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    add_text(doc, REPORT_NOTE, format, args);
    va_end(args);
}

void report_code(report_doc *doc, const char *text)
{
    report_block *block = add_block(doc, REPORT_CODE);
    if (block)
        lost(doc, block->text = pvmlab_strdup(text));
}

long report_table(report_doc *doc, const char *align, const char *const *header)
{
    report_block *block = add_block(doc, REPORT_TABLE);
    if (!block || lost(doc, block->align = pvmlab_strdup(align)))
        return -1;
    block->columns = strlen(align);
    long index = (long)(block - doc->blocks);
    report_table_row(doc, index, header);
    return doc->failed ? -1 : index;
}

void report_table_row(report_doc *doc, long table, const char *const *cells)
{
    if (doc->failed || table < 0)
        return;
    report_block *block = &doc->blocks[table];
    char **grown = realloc(block->cells, (block->rows + 1) * block->columns * sizeof *grown);
    if (lost(doc, grown))
        return;
    block->cells = grown;
    char **row = grown + block->rows * block->columns;
    for (size_t c = 0; c < block->columns; c++)
        row[c] = NULL;
    block->rows++; /* counted now so report_doc_free frees whatever was copied */
    for (size_t c = 0; c < block->columns; c++)
        if (lost(doc, row[c] = pvmlab_strdup(cells[c] ? cells[c] : "")))
            return;
}

void report_figure(report_doc *doc, const char *caption, const char *svg_path, const char *png_path,
                   const char *note)
{
    report_block *block = add_block(doc, REPORT_FIGURE);
    if (!block)
        return;
    block->text = pvmlab_strdup(caption);
    block->svg_path = pvmlab_strdup(svg_path ? svg_path : "");
    block->png_path = pvmlab_strdup(png_path ? png_path : "");
    block->figure_note = pvmlab_strdup(note ? note : "");
    lost(doc, block->text);
    lost(doc, block->svg_path);
    lost(doc, block->png_path);
    lost(doc, block->figure_note);
}
