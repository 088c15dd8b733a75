/* Progress display, the one every long verb uses: a one-line bar (count, percent,
 * stage, item, ETA) redrawn in place while the output is a terminal; when it is
 * not, either plain lines (one per stage and per tenth of the work, prefixed with
 * who) or nothing (who == NULL), so logs and pipes stay readable. */
#ifndef PVM_UTIL_PROGRESS_H
#define PVM_UTIL_PROGRESS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct util_progress {
    FILE *out;
    bool tty;
    const char *who; /* plain-line prefix; NULL: silent unless a terminal */
    size_t total, done;
    uint64_t started_ns;
    char stage[32];
    int last_tenth;
} util_progress;

void util_progress_begin(util_progress *p, FILE *out, size_t total, const char *who);
/* Announces item (about to run) in stage (either may be ""). */
void util_progress_step(util_progress *p, const char *stage, const char *item);
/* Marks the current item done. */
void util_progress_done(util_progress *p);
/* Prints a message on its own line (clearing the bar first). */
void util_progress_note(util_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Erases the bar so that a result line can be printed over it. */
void util_progress_clear(const util_progress *p);
void util_progress_end(util_progress *p);
#endif
