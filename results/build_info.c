/* The build of this binary, fixed when it was configured and compiled. */
#include "db_internal.h"

#ifndef PVMLAB_BUILD_FLAGS
#define PVMLAB_BUILD_FLAGS "unknown"
#endif
#ifndef PVMLAB_BUILD_GIT_REV
#define PVMLAB_BUILD_GIT_REV "unknown"
#endif
#ifndef PVMLAB_BUILD_VERSION
#define PVMLAB_BUILD_VERSION "unknown"
#endif

#if defined(__clang__)
#define PVMLAB_COMPILER_NAME "clang " __clang_version__
#elif defined(__GNUC__)
#define PVMLAB_COMPILER_NAME "gcc " __VERSION__
#else
#define PVMLAB_COMPILER_NAME "unknown compiler"
#endif

pvmlab_build_info pvmlab_build_current(void)
{
    return (pvmlab_build_info){
        .compiler = PVMLAB_COMPILER_NAME,
        .flags = PVMLAB_BUILD_FLAGS,
        .git_rev = PVMLAB_BUILD_GIT_REV,
        .tool_version = PVMLAB_BUILD_VERSION,
    };
}

int pvmlab_db_insert_build(pvmlab_db *db, const pvmlab_build_info *info, pvmlab_id *out)
{
    const db_value key[] = {
        DB_TEXT_VALUE(info->compiler),
        DB_TEXT_VALUE(info->flags),
        DB_TEXT_VALUE(info->git_rev),
        DB_TEXT_VALUE(info->tool_version),
    };
    return db_get_or_insert(db, STMT_BUILD_INSERT, STMT_BUILD_SELECT, key, sizeof key / sizeof key[0], out);
}
