/* Opening the results database for plots and reports: an existing file only, read-only
 * (SQLITE_OPEN_READONLY: a report never creates, migrates or writes a database), checked
 * (quick_check) so that a damaged file is one line now, not a half report later. */
#ifndef PVMLAB_RESULTS_OPEN_RESULTS_H
#define PVMLAB_RESULTS_OPEN_RESULTS_H

#include <stddef.h>

#include "results/results.h"

/* Opens the existing database at path. 0, or -1 with one line in err naming the path and
 * what is wrong (missing, not a database, corrupt, newer schema...). */
int pvmlab_open_results(const char *path, pvmlab_db **out, char *err, size_t err_len);

#endif
