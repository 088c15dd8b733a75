/* A report as a list of blocks (headings, paragraphs, tables, figures, code), built once and
 * rendered twice: as Markdown and as self-contained HTML. Text is plain; each renderer
 * escapes it for its format. Out of memory is sticky: the builder functions then do
 * nothing and report_doc_failed() says so, so section code need not check every call. */
#ifndef PVMLAB_REPORT_DOCUMENT_H
#define PVMLAB_REPORT_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum report_block_kind {
    REPORT_HEADING,   /* level 1..3 */
    REPORT_PARAGRAPH,
    REPORT_NOTE,      /* a paragraph that flags missing data or a problem */
    REPORT_CODE,      /* preformatted commands */
    REPORT_TABLE,
    REPORT_FIGURE,
} report_block_kind;

typedef struct report_block {
    report_block_kind kind;
    int level;            /* headings */
    char *text;           /* heading, paragraph, note, code; figure caption */
    char *anchor;         /* headings: id for links */
    /* tables: columns, alignment per column ('l' or 'r'), cells row-major incl. header row */
    size_t columns, rows;
    char *align;
    char **cells;
    /* figures: files (may be ""), and the note when the figure is a placeholder */
    char *svg_path, *png_path, *figure_note;
} report_block;

typedef struct report_doc {
    char *title;
    report_block *blocks;
    size_t count, capacity;
    bool failed; /* out of memory at some point: the document is incomplete */
} report_doc;

/* A new document; NULL on out of memory. Free with report_doc_free. */
report_doc *report_doc_new(const char *title);
void report_doc_free(report_doc *doc);
bool report_doc_failed(const report_doc *doc);

void report_heading(report_doc *doc, int level, const char *text);
void report_paragraph(report_doc *doc, const char *format, ...) __attribute__((format(printf, 2, 3)));
void report_note(report_doc *doc, const char *format, ...) __attribute__((format(printf, 2, 3)));
void report_code(report_doc *doc, const char *text);

/* Starts a table with a header row; align is one 'l'/'r' per column (copied). Returns the
 * block index for report_table_row, or -1 after a failure. */
long report_table(report_doc *doc, const char *align, const char *const *header);
/* Appends a row of as many cells as the table has columns (NULL cells become ""). */
void report_table_row(report_doc *doc, long table, const char *const *cells);

void report_figure(report_doc *doc, const char *caption, const char *svg_path, const char *png_path,
                   const char *note);

#endif
