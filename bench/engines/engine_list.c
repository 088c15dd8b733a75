/* The list of discovered engine configurations, and the names of modes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "vm/util/grow.h"

int bench_engine_list_add(bench_engine_list *list, const bench_engine *engine)
{
    if (UTIL_GROW(list->engines, list->capacity, list->count + 1, 8) != 0)
        return -1;
    list->engines[list->count++] = *engine;
    return 0;
}

int bench_engine_list_add_missing(bench_engine_list *list, const char *name, const char *reason_format, ...)
{
    if (UTIL_GROW(list->missing, list->missing_capacity, list->missing_count + 1, 8) != 0)
        return -1;
    bench_missing_engine *entry = &list->missing[list->missing_count++];
    snprintf(entry->name, sizeof entry->name, "%s", name);
    va_list args;
    va_start(args, reason_format);
    vsnprintf(entry->reason, sizeof entry->reason, reason_format, args);
    va_end(args);
    return 0;
}

void bench_engine_list_free(bench_engine_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->engines[i].ops && list->engines[i].ops->destroy)
            list->engines[i].ops->destroy(&list->engines[i]);
    free(list->engines);
    free(list->missing);
    memset(list, 0, sizeof *list);
}

void bench_engine_free_state(bench_engine *engine)
{
    free(engine->state);
    engine->state = NULL;
}

int bench_engine_list_adopt(bench_engine_list *list, bench_engine *engine)
{
    if (bench_engine_list_add(list, engine) == 0)
        return 0;
    if (engine->ops && engine->ops->destroy)
        engine->ops->destroy(engine);
    return -1;
}

void bench_join_words(const char *const *words, char *out, size_t out_len)
{
    size_t used = 0;
    out[0] = '\0';
    for (; *words && used < out_len; words++) {
        int written = snprintf(out + used, out_len - used, "%s%s", used ? " " : "", *words);
        if (written < 0)
            break;
        used += (size_t)written;
    }
}

bool bench_engine_supports(const bench_engine *engine, bench_mode mode)
{
    switch (mode) {
    case BENCH_MODE_EXECUTION:
        return engine->capabilities & BENCH_CAN_EXECUTE;
    case BENCH_MODE_ONESHOT:
        return engine->capabilities & BENCH_CAN_ONESHOT;
    case BENCH_MODE_COMPILATION:
        return engine->capabilities & BENCH_CAN_COMPILE;
    default:
        return false;
    }
}

static const char *const MODE_NAMES[BENCH_MODE_COUNT] = {"execution", "oneshot", "compilation"};

const char *bench_mode_name(bench_mode mode)
{
    return (unsigned)mode < BENCH_MODE_COUNT ? MODE_NAMES[mode] : "unknown";
}

bool bench_mode_parse(const char *text, bench_mode *out)
{
    for (int i = 0; i < BENCH_MODE_COUNT; i++)
        if (strcmp(text, MODE_NAMES[i]) == 0) {
            *out = (bench_mode)i;
            return true;
        }
    return false;
}

const char *bench_timing_method_description(bench_timing_method method)
{
    switch (method) {
    case BENCH_TIMING_IN_PROCESS:
        return "timed in process around the engine's calls";
    case BENCH_TIMING_REPORTED:
        return "timed inside the engine's process, which reports its own run time";
    case BENCH_TIMING_STARTUP_SUBTRACTED:
        return "process wall time minus the start-up of an empty module (the engine cannot time itself)";
    }
    return "unknown";
}
