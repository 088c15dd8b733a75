/* Progress display: a one-line bar (stage, item, count, ETA) on a terminal, plain lines
 * (one per stage and one per tenth of the work) otherwise. */
#ifndef PVMLAB_CAL_PROGRESS_H
#define PVMLAB_CAL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct progress {
    FILE *out;
    bool tty;
    size_t total, done;
    double started_s;
    char stage[32];
    int last_tenth;
} progress;

void progress_begin(progress *p, FILE *out, size_t total);
/* Announces item (about to run) in stage. */
void progress_step(progress *p, const char *stage, const char *item);
/* Marks the current item done. */
void progress_done(progress *p);
/* Prints a message on its own line (clearing the bar first). */
void progress_note(progress *p, const char *fmt, ...);
void progress_end(progress *p);

#endif
