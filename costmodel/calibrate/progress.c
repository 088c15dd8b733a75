/* Progress display for long calibrations. */
#include "progress.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "util/clock.h"

void progress_begin(progress *p, FILE *out, size_t total)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->tty = isatty(fileno(out));
    p->total = total ? total : 1;
    p->started_s = (util_now_ns() * 1e-9);
    p->last_tenth = -1;
}

static void format_eta(const progress *p, char *buf, size_t cap)
{
    if (p->done == 0) {
        snprintf(buf, cap, "--:--");
        return;
    }
    double elapsed = (util_now_ns() * 1e-9) - p->started_s;
    double left = elapsed / (double)p->done * (double)(p->total - p->done);
    snprintf(buf, cap, "%02d:%02d", (int)left / 60, (int)left % 60);
}

void progress_step(progress *p, const char *stage, const char *item)
{
    char eta[16];
    format_eta(p, eta, sizeof eta);
    bool new_stage = strcmp(stage, p->stage) != 0;
    snprintf(p->stage, sizeof p->stage, "%s", stage);
    if (p->tty) {
        int width = 30, filled = (int)((double)p->done / (double)p->total * width);
        fprintf(p->out, "\r\033[K[%.*s%*s] %3d%% %-8s %-36.36s ETA %s", filled, "==============================",
                width - filled, "", (int)(100.0 * (double)p->done / (double)p->total), stage, item, eta);
        fflush(p->out);
        return;
    }
    int tenth = (int)(10.0 * (double)p->done / (double)p->total);
    if (new_stage || tenth != p->last_tenth) {
        fprintf(p->out, "calibrate: %s: %zu/%zu (%s) ETA %s\n", stage, p->done, p->total, item, eta);
        p->last_tenth = tenth;
    }
}

void progress_done(progress *p)
{
    if (p->done < p->total) p->done++;
}

void progress_note(progress *p, const char *fmt, ...)
{
    if (p->tty) fprintf(p->out, "\r\033[K");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->out, fmt, ap);
    va_end(ap);
    fputc('\n', p->out);
    fflush(p->out);
}

void progress_end(progress *p)
{
    if (p->tty) fprintf(p->out, "\r\033[K");
    fflush(p->out);
}
