/* The schema as an ordered list of migrations; version N = the first N steps applied. */
#ifndef PVMLAB_SCHEMA_H
#define PVMLAB_SCHEMA_H

#include <sqlite3.h>
#include <stddef.h>

/* Number of migrations this build knows (the newest schema version). */
int schema_latest_version(void);

/* Reads PRAGMA user_version into *version. Returns an SQLite result code. */
int schema_read_version(sqlite3 *sqlite, int *version);

/* Writes "schema version V is newer than this tool knows (N); use a newer pvmlab". */
void schema_describe_newer(char *out, size_t len, int version);

/* Applies the migrations after the current version up to target_version, and sets
 * user_version. The caller holds the write transaction. Returns SQLITE_OK; an SQLite error
 * code with a message in err; or SQLITE_MISMATCH when the file's version is newer than
 * target_version (err names both versions). */
int schema_migrate(sqlite3 *sqlite, int target_version, char *err, size_t err_len);

#endif
