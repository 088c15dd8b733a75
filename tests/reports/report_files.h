/* The scratch folder of one test, and reading the files a report writes. */
#ifndef PVMLAB_REPORT_FILES_H
#define PVMLAB_REPORT_FILES_H

#include <stddef.h>

/* A fresh folder under /tmp with the paths a test uses in it. */
typedef struct report_test_dir {
    char dir[64];
    char db_path[160]; /* DIR/results.db (not created) */
    char out[160];     /* DIR/out (not created) */
} report_test_dir;

/* Creates the folder; 0 or -1. */
int report_test_dir_make(report_test_dir *d);
/* Removes the folder and everything in it. */
void report_test_dir_remove(const report_test_dir *d);

/* The whole file as a heap string (caller frees); fails the test when it cannot be read. */
char *report_file_text(const char *path);

/* report_file_text of DIR/NAME (the files a verb wrote into its --out folder). */
char *report_out_text(const char *dir, const char *name);

#endif
