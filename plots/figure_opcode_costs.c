/* Calibrated cost per opcode: the newest calibration of each side (interpreter, recompiler,
 * or unlabelled) that has opcode values, side by side. Rows are opcodes. When latencies
 * (op.X.lat) are stored, the figure shows those and leaves throughputs (op.X.tput) to the
 * report's tables: one bar per opcode and side keeps ~140 opcodes readable. */
#include "figure.h"

#include <math.h>
#include <string.h>

#include "calibration_keys.h"

enum { MAX_SERIES = 3 };

static const stored_value *find_entry(const pvmlab_calibration_record *record, const char *key)
{
    for (size_t i = 0; i < record->entry_count; i++)
        if (strcmp(record->entries[i].key, key) == 0)
            return &record->entries[i];
    return NULL;
}

/* Whether an earlier series or an earlier entry of the same series already has this key. */
static int key_seen(const pvmlab_calibration_record *const *chosen, size_t series, size_t entry_index)
{
    const char *key = chosen[series]->entries[entry_index].key;
    for (size_t s = 0; s < series; s++)
        if (find_entry(chosen[s], key))
            return 1;
    for (size_t i = 0; i < entry_index; i++)
        if (strcmp(chosen[series]->entries[i].key, key) == 0)
            return 1;
    return 0;
}

static size_t choose_series(const pvmlab_calibration_set *set, const pvmlab_calibration_record **chosen)
{
    size_t count = 0;
    for (size_t i = 0; i < set->count && count < MAX_SERIES; i++) {
        const pvmlab_calibration_record *record = &set->records[i];
        int side_taken = 0;
        for (size_t s = 0; s < count; s++)
            side_taken |= strcmp(chosen[s]->side, record->side) == 0;
        if (!side_taken && pvmlab_calibration_count_kind(record, PVMLAB_KEY_OPCODE) > 0)
            chosen[count++] = record;
    }
    /* Interpreter before recompiler (unlabelled first), whatever order they were stored in. */
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && strcmp(chosen[j - 1]->side, chosen[j]->side) > 0; j--) {
            const pvmlab_calibration_record *swap = chosen[j - 1];
            chosen[j - 1] = chosen[j];
            chosen[j] = swap;
        }
    return count;
}

static int is_throughput(const char *key)
{
    return strstr(key, ".tput") != NULL;
}

/* Whether any chosen calibration stores a latency key. */
static int has_latencies(const pvmlab_calibration_record *const *chosen, size_t series)
{
    for (size_t s = 0; s < series; s++)
        for (size_t i = 0; i < chosen[s]->entry_count; i++)
            if (strstr(chosen[s]->entries[i].key, ".lat"))
                return 1;
    return 0;
}

int figure_opcode_costs(const figure_input *input, figure_output *output, char *err, size_t err_len)
{
    const pvmlab_calibration_record *chosen[MAX_SERIES];
    size_t series = choose_series(input->calibrations, chosen);
    /* One unit for the whole figure: picoseconds when any chosen value has them. */
    int in_ps = 0;
    for (size_t s = 0; s < series; s++)
        for (size_t i = 0; i < chosen[s]->entry_count; i++)
            in_ps |= !isnan(chosen[s]->entries[i].ps);
    fputs("opcode", output->data);
    for (size_t s = 0; s < series; s++)
        fprintf(output->data, "\t%s (calibration %lld, %s)", *chosen[s]->side ? chosen[s]->side : "calibration",
                (long long)chosen[s]->id, chosen[s]->backend);
    fputc('\n', output->data);
    size_t rows = 0;
    int latencies_only = has_latencies(chosen, series);
    for (size_t s = 0; s < series; s++)
        for (size_t i = 0; i < chosen[s]->entry_count; i++) {
            const char *key = chosen[s]->entries[i].key;
            double number;
            if (pvmlab_classify_key(key, &number) != PVMLAB_KEY_OPCODE || key_seen(chosen, s, i) ||
                (latencies_only && is_throughput(key)))
                continue;
            /* The title names the variant; ".lat" on every bar would only repeat it. */
            char label[128];
            snprintf(label, sizeof label, "%s", pvmlab_opcode_label(key));
            size_t length = strlen(label);
            if (latencies_only && length > 4 && strcmp(label + length - 4, ".lat") == 0)
                label[length - 4] = '\0';
            figure_write_field(output->data, label);
            for (size_t t = 0; t < series; t++) {
                const stored_value *entry = find_entry(chosen[t], key);
                figure_write_value(output, !entry ? NAN : in_ps ? entry->ps : entry->cycles);
            }
            fputc('\n', output->data);
            rows++;
        }
    figure_set_number(output, "series", (double)series);
    figure_set_number(output, "rows", (double)rows);
    figure_set_string(output, "unit", in_ps ? "ps" : "cycles");
    figure_set_string(output, "variant", latencies_only ? "latency (op.X.lat)" : "");
    if (output->points == 0)
        snprintf(output->note, sizeof output->note, "no data: no per-opcode calibration (run pvmlab calibrate)");
    (void)err, (void)err_len;
    return 0;
}
