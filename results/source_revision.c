/* git rev-parse and git status of the source tree (see source_revision.h). */
#include <stdio.h>
#include <string.h>

#include "source_revision.h"
#include "vm/util/process.h"

void pvmlab_source_revision(const char *source_dir, char *out, size_t out_len)
{
    char git[4096], err[512];
    if (!source_dir || !*source_dir) {
        snprintf(out, out_len, "unknown: no source folder");
        return;
    }
    if (!util_find_program(NULL, "git", git, sizeof git)) {
        snprintf(out, out_len, "unknown: git not found on PATH");
        return;
    }
    char *rev_argv[] = {git, "-C", (char *)source_dir, "rev-parse", "--short=12", "HEAD", NULL};
    char *status_argv[] = {git, "-C", (char *)source_dir, "status", "--porcelain", "--untracked-files=no", NULL};
    util_process_result rev, status;
    if (util_process_run(rev_argv, &rev, err, sizeof err) != 0) {
        snprintf(out, out_len, "unknown: %s", err);
        return;
    }
    if (rev.exit_status != 0 || !rev.stdout_text[0]) {
        snprintf(out, out_len, "unknown: %s is not a git work tree", source_dir);
        util_process_result_free(&rev);
        return;
    }
    rev.stdout_text[strcspn(rev.stdout_text, "\n")] = '\0';
    if (util_process_run(status_argv, &status, err, sizeof err) != 0) {
        snprintf(out, out_len, "%s (clean or dirty unknown: %s)", rev.stdout_text, err);
    } else {
        bool dirty = status.exit_status != 0 || status.stdout_text[0] != '\0';
        snprintf(out, out_len, "%s%s", rev.stdout_text, dirty ? "-dirty" : "");
        util_process_result_free(&status);
    }
    util_process_result_free(&rev);
}
