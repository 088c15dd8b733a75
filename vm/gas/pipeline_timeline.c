/* Renders a block's pipeline timeline: one line per instruction, one column
 * per cycle, letters D = e E - R (see pipeline_sim.h), '.' when idle,
 * then two spaces and the mnemonic; a last line gives cycles and cost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gas.h"
#include "pipeline_sim.h"

#define MAX_CELLS (UINT64_C(1) << 26)

typedef struct {
    char *cells;
    uint64_t width; /* cycles */
} grid;

static void record(void *ctx, uint64_t cycle, uint32_t line, char ev)
{
    grid *g = ctx;
    if (cycle < g->width) g->cells[(uint64_t)line * g->width + cycle] = ev;
}

/* Fast-forwarded runs report only the first cycle of a skipped span;
 * a state lasts until the next event, except after D and R. */
static void fill_skipped(char *row, uint64_t width)
{
    char last = '.';
    for (uint64_t c = 0; c < width; c++) {
        if (row[c] != '.') last = row[c];
        else if (last != 'R' && last != 'D') row[c] = last;
    }
}

typedef struct {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static const char *line_name(const pvm_decoded *d, const pvm_block *b, uint32_t line)
{
    if (line >= b->count) return "invalid (implicit end of block)";
    return pvm_op_table[pvm_gas_charged_op(d, &d->instrs[b->first + line])].name;
}

size_t pvm_pipeline_timeline_mode(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block,
                                  bool fast_forward, char *buf, size_t cap)
{
    uint32_t lines = 0;
    uint64_t cycles = pvm_pipeline_run(p, d, block, NULL, &lines);
    if (cycles == 0 || lines == 0 || cycles > MAX_CELLS / lines) return 0;
    grid g = {calloc(1, (size_t)(cycles * lines)), cycles};
    if (!g.cells) return 0;
    memset(g.cells, '.', (size_t)(cycles * lines));
    pvm_pipeline_run_opts opts = {.fast_forward = fast_forward, .on_event = record, .ctx = &g};
    pvm_pipeline_run(p, d, block, &opts, NULL);

    out o = {buf, cap ? cap - 1 : 0, 0};
    const pvm_block *b = &d->blocks[block];
    for (uint32_t l = 0; l < lines; l++) {
        char *row = g.cells + (uint64_t)l * cycles;
        if (fast_forward) fill_skipped(row, cycles);
        put(&o, row, (size_t)cycles);
        put(&o, "  ", 2);
        const char *name = line_name(d, b, l);
        put(&o, name, strlen(name));
        put(&o, "\n", 1);
    }
    free(g.cells);
    char tail[64];
    int n = snprintf(tail, sizeof tail, "cycles %llu, cost %u\n", (unsigned long long)cycles,
                     pvm_pipeline_cost_from_cycles(p, cycles));
    put(&o, tail, (size_t)n);
    if (cap) buf[o.len < o.cap ? o.len : o.cap] = '\0';
    return o.len;
}

size_t pvm_pipeline_timeline(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block, char *buf,
                             size_t cap)
{
    return pvm_pipeline_timeline_mode(p, d, block, false, buf, cap);
}
