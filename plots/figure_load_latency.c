/* Load latency vs working-set size from the newest calibration that has working-set values;
 * its cache-level values (l1/l2/l3) become horizontal reference lines. */
#include "figure.h"

#include <math.h>
#include <stdlib.h>

#include "calibration_keys.h"

typedef struct latency_point {
    double bytes, value;
} latency_point;

static int compare_points(const void *a, const void *b)
{
    double x = ((const latency_point *)a)->bytes, y = ((const latency_point *)b)->bytes;
    return (x > y) - (x < y);
}

static const pvmlab_calibration_record *newest_with_working_sets(const pvmlab_calibration_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        if (pvmlab_calibration_count_kind(&set->records[i], PVMLAB_KEY_WORKING_SET) > 0)
            return &set->records[i];
    return NULL;
}

/* Cycles when every working-set value has them (latency is a cycle count by nature), else
 * nanoseconds from picoseconds. */
static int all_in_cycles(const pvmlab_calibration_record *record)
{
    double number;
    for (size_t i = 0; i < record->entry_count; i++)
        if (pvmlab_classify_key(record->entries[i].key, &number) == PVMLAB_KEY_WORKING_SET &&
            isnan(record->entries[i].cycles))
            return 0;
    return 1;
}

int figure_load_latency(const figure_input *input, figure_output *output, char *err, size_t err_len)
{
    const pvmlab_calibration_record *record = newest_with_working_sets(input->calibrations);
    double levels[5] = {NAN, NAN, NAN, NAN, NAN}; /* [1..3] caches, [4] DRAM */
    size_t count = 0;
    int cycles = record ? all_in_cycles(record) : 1;
    latency_point *points = malloc(((record ? record->entry_count : 0) + 1) * sizeof *points);
    if (!points) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    for (size_t i = 0; record && i < record->entry_count; i++) {
        const stored_value *entry = &record->entries[i];
        double number, value = cycles ? entry->cycles : entry->ps / 1000.0;
        pvmlab_key_kind kind = pvmlab_classify_key(entry->key, &number);
        if (kind == PVMLAB_KEY_WORKING_SET)
            points[count++] = (latency_point){number, value};
        else if (kind == PVMLAB_KEY_CACHE_LEVEL)
            levels[(int)number] = value;
    }
    qsort(points, count, sizeof *points, compare_points);
    fputs("bytes\tlatency\n", output->data);
    for (size_t i = 0; i < count; i++) {
        fprintf(output->data, "%.0f", points[i].bytes);
        figure_write_value(output, points[i].value);
        fputc('\n', output->data);
    }
    free(points);
    figure_set_number(output, "l1", levels[1]);
    figure_set_number(output, "l2", levels[2]);
    figure_set_number(output, "l3", levels[3]);
    figure_set_number(output, "dram", levels[4]);
    figure_set_string(output, "unit", cycles ? "cycles" : "ns");
    if (record) {
        char source[160];
        snprintf(source, sizeof source, "calibration %lld, %s", (long long)record->id, record->backend);
        figure_set_string(output, "source", source);
    }
    if (output->points == 0)
        snprintf(output->note, sizeof output->note, "no data: no working-set sweep (run pvmlab calibrate)");
    return 0;
}
