/* The two renderings of a report document. Figure paths in the document are relative to
 * base_dir (the report's folder): Markdown links to them, HTML inlines the SVG files. */
#ifndef PVMLAB_REPORT_RENDER_H
#define PVMLAB_REPORT_RENDER_H

#include <stdio.h>

#include "document.h"

/* Both return 0, or -1 when writing to out failed. */
int report_render_markdown(const report_doc *doc, FILE *out);
int report_render_html(const report_doc *doc, const char *base_dir, FILE *out);

#endif
