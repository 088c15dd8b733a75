/* Ownership of work items by shard (see work_shard.h). */
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "hash.h"
#include "work_shard.h"

enum { SHARDS_MAX = 65536 };

bool work_shard_parse(const char *text, work_shard *out)
{
    const char *slash = strchr(text, '/');
    if (!slash || slash - text >= 16)
        return false;
    char index_text[16];
    memcpy(index_text, text, (size_t)(slash - text));
    index_text[slash - text] = '\0';
    long long index, count;
    if (!cli_parse_integer(index_text, 1, SHARDS_MAX, &index) || !cli_parse_integer(slash + 1, 1, SHARDS_MAX, &count) ||
        index > count)
        return false;
    *out = (work_shard){(unsigned)index, (unsigned)count};
    return true;
}

bool work_shard_owns(const work_shard *shard, const char *key)
{
    if (!shard || shard->count == 0)
        return true;
    return pvm_hash64(key, strlen(key), 0) % shard->count == shard->index - 1;
}
