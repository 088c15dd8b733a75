/* Reading the files a report writes (a test's scratch folder is test_support.h's test_cli_folder). */
#ifndef PVMLAB_REPORT_FILES_H
#define PVMLAB_REPORT_FILES_H

#include <stddef.h>

/* The whole file as a heap string (caller frees); fails the test when it cannot be read. */
char *report_file_text(const char *path);

/* report_file_text of DIR/NAME (the files a verb wrote into its --out folder). */
char *report_out_text(const char *dir, const char *name);

#endif
