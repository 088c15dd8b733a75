/* Progress display (see progress.h). */
#include "progress.h"
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include "clock.h"

void util_progress_begin(util_progress *p, FILE *out, size_t total, const char *who)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->tty = isatty(fileno(out));
    p->who = who;
    p->total = total ? total : 1;
    p->started_ns = util_now_ns();
    p->last_tenth = -1;
}

static void format_eta(const util_progress *p, char *buf, size_t cap)
{
    if (p->done == 0) {
        snprintf(buf, cap, "--:--");
        return;
    }
    double elapsed = (double)(util_now_ns() - p->started_ns) * 1e-9;
    double left = elapsed / (double)p->done * (double)(p->total - p->done);
    snprintf(buf, cap, "%02d:%02d", (int)left / 60, (int)left % 60);
}

void util_progress_step(util_progress *p, const char *stage, const char *item)
{
    char eta[16];
    format_eta(p, eta, sizeof eta);
    bool new_stage = strcmp(stage, p->stage) != 0;
    snprintf(p->stage, sizeof p->stage, "%s", stage);
    if (p->tty) {
        enum { WIDTH = 30 };
        int filled = (int)((double)p->done / (double)p->total * WIDTH);
        fprintf(p->out, "\r\033[K[%.*s%*s] %zu/%zu %3d%% %s%s%-36.36s ETA %s", filled,
                "==============================", WIDTH - filled, "", p->done, p->total,
                (int)(100.0 * (double)p->done / (double)p->total), stage, *stage ? " " : "", item, eta);
        fflush(p->out);
        return;
    }
    if (!p->who) return;
    int tenth = (int)(10.0 * (double)p->done / (double)p->total);
    if (new_stage || tenth != p->last_tenth) {
        fprintf(p->out, "%s: %s: %zu/%zu (%s) ETA %s\n", p->who, stage, p->done, p->total, item, eta);
        p->last_tenth = tenth;
    }
}

void util_progress_done(util_progress *p)
{
    if (p->done < p->total) p->done++;
}

void util_progress_note(util_progress *p, const char *fmt, ...)
{
    util_progress_clear(p);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->out, fmt, ap);
    va_end(ap);
    fputc('\n', p->out);
    fflush(p->out);
}

void util_progress_clear(const util_progress *p)
{
    if (p->tty) fprintf(p->out, "\r\033[K");
    fflush(p->out);
}

void util_progress_end(util_progress *p) { util_progress_clear(p); }
