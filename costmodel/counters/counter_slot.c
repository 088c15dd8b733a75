#include "counter_slot.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void counter_slot_init(counter_slot *slot, const char *name, pvmlab_counter_source source,
                       const char *detail_format, ...)
{
    memset(slot, 0, sizeof *slot);
    snprintf(slot->info.name, sizeof slot->info.name, "%s", name);
    slot->info.source = source;
    slot->info.available = true;
    if (detail_format) {
        va_list args;
        va_start(args, detail_format);
        vsnprintf(slot->info.detail, sizeof slot->info.detail, detail_format, args);
        va_end(args);
    }
    counter_slot_reset_interval(slot);
}

void counter_slot_unavailable(counter_slot *slot, const char *reason_format, ...)
{
    va_list args;
    va_start(args, reason_format);
    vsnprintf(slot->info.unavailable_reason, sizeof slot->info.unavailable_reason, reason_format, args);
    va_end(args);
    slot->info.available = false;
    slot->has_value = false;
}

void counter_slot_reset_interval(counter_slot *slot)
{
    slot->has_value = false;
    slot->value = 0;
    snprintf(slot->interval_reason, sizeof slot->interval_reason, "not measured: no interval was stopped");
}

void counter_slot_set_value(counter_slot *slot, int64_t value)
{
    slot->has_value = true;
    slot->value = value;
    slot->interval_reason[0] = '\0';
}

void counter_slot_fail_interval(counter_slot *slot, const char *reason_format, ...)
{
    va_list args;
    va_start(args, reason_format);
    vsnprintf(slot->interval_reason, sizeof slot->interval_reason, reason_format, args);
    va_end(args);
    slot->has_value = false;
}

void counter_slot_to_reading(const counter_slot *slot, pvmlab_counter_reading *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->name, slot->info.name, sizeof out->name);
    out->source = slot->info.source;
    if (!slot->info.available) {
        memcpy(out->unavailable_reason, slot->info.unavailable_reason, sizeof out->unavailable_reason);
    } else if (!slot->has_value) {
        memcpy(out->unavailable_reason, slot->interval_reason, sizeof out->unavailable_reason);
    } else {
        out->available = true;
        out->value = slot->value;
    }
}
