/* A large program: 2048 distinct handler functions reached through a function-pointer
 * table (a big dispatch, as in an interpreter or a codec with many paths), and a 12 MiB
 * initialised data image. It exists to measure what grows with program size: parsing,
 * decoding, block costs and code generation (well over 100k PVM instructions), instance
 * creation and reset (over 10 MiB of data in the image), and execution with a code working
 * set far beyond L1i.
 *
 * The program is written by the C preprocessor and the optimiser rather than by a
 * generator script: HANDLER(n, i) defines handler n with 16 steps, each step an
 * always-inlined call of step() whose selector and constant are compile-time functions of
 * (i, step), so that inlining folds every step into one of eight shapes with its own
 * constants. Every handler is therefore different code.
 *
 * size: dispatches (handler calls). Checksum: the final state. Each call starts from the
 * same state: the only data written is the 64 KiB window at the start of the table, which
 * run() re-initialises first. The rest of the table (never written, yet in .data because
 * the window is written) is read at pseudo-random places. */
#include "guest_common.h"

#define HANDLER_COUNT 2048u
#define TABLE_WORDS (3u << 19)     /* 12 MiB of uint64_t */
#define TABLE_STRIDE 384u          /* one initialised word every 3 KiB: every page is non-zero */
#define WINDOW_WORDS 8192u         /* the written part: the first 64 KiB */
#define READ_MASK ((1u << 20) - 1) /* reads reach the first 8 MiB ... */
#define TAIL_MASK 0xffffu          /* ... and the last 512 KiB */

/* A compile-time constant per (handler, step): a multiplicative hash of both. */
#define KEY(i, s) ((((uint64_t)(i) + 1) * 0x9e3779b97f4a7c15u) ^ (((uint64_t)(s) + 7) * 0xc2b2ae3d27d4eb4fu))

typedef struct {
    uint64_t x, y;
} state_t;

/* The initialised image: a sparse designated initialiser, one word every TABLE_STRIDE. */
#define INIT_WORD(n, v) [(v) * TABLE_STRIDE] = KEY(v, 1000) | 1,
#define INIT_WORD_HIGH(n, v) [((v) + HANDLER_COUNT) * TABLE_STRIDE] = KEY(v, 2000) | 1,
#define L1(M, n, v) M(n##0, (v) * 8 + 0) M(n##1, (v) * 8 + 1) M(n##2, (v) * 8 + 2) M(n##3, (v) * 8 + 3) \
                    M(n##4, (v) * 8 + 4) M(n##5, (v) * 8 + 5) M(n##6, (v) * 8 + 6) M(n##7, (v) * 8 + 7)
#define L2(M, n, v) L1(M, n##0, (v) * 8 + 0) L1(M, n##1, (v) * 8 + 1) L1(M, n##2, (v) * 8 + 2) \
                    L1(M, n##3, (v) * 8 + 3) L1(M, n##4, (v) * 8 + 4) L1(M, n##5, (v) * 8 + 5) \
                    L1(M, n##6, (v) * 8 + 6) L1(M, n##7, (v) * 8 + 7)
#define L3(M, n, v) L2(M, n##0, (v) * 8 + 0) L2(M, n##1, (v) * 8 + 1) L2(M, n##2, (v) * 8 + 2) \
                    L2(M, n##3, (v) * 8 + 3) L2(M, n##4, (v) * 8 + 4) L2(M, n##5, (v) * 8 + 5) \
                    L2(M, n##6, (v) * 8 + 6) L2(M, n##7, (v) * 8 + 7)
/* 4 x 8^3 = 2048 = HANDLER_COUNT; the image takes two passes (TABLE_WORDS / TABLE_STRIDE = 4096). */
#define ALL(M) L3(M, h0, 0) L3(M, h1, 1) L3(M, h2, 2) L3(M, h3, 3)

static uint64_t table[TABLE_WORDS] = {ALL(INIT_WORD) ALL(INIT_WORD_HIGH)};
#undef INIT_WORD
#undef INIT_WORD_HIGH

/* One step: sel (0..7) picks the shape, k is its constant. Inlined with constant
 * arguments, the switch folds away. */
static inline __attribute__((always_inline)) void step(state_t *s, unsigned sel, uint64_t k)
{
    uint64_t x = s->x, y = s->y;
    switch (sel) {
    case 0: x = x * (k | 1) + y; break;
    case 1: y ^= rotl64(x, (unsigned)(k & 63)); break;
    case 2: x += table[(y ^ k) & READ_MASK]; break;
    case 3:
        if ((x & k) > y) x -= y;
        else y += k >> 7;
        break;
    case 4: table[(x >> 7) & (WINDOW_WORDS - 1)] += y ^ k; break;
    case 5: y = (y >> (k & 31)) | (x << 3); break;
    case 6: x = (uint64_t)((uint32_t)x * (uint32_t)k) + (y >> 32); break;
    default: y += x < k ? x + table[TABLE_WORDS - 1 - (k & TAIL_MASK)] : ~x; break;
    }
    s->x = x;
    s->y = y;
}

#define STEP(i, s) step(st, (unsigned)(KEY(i, s) >> 61), KEY(i, s));
#define HANDLER(n, i)                                                                                  \
    static __attribute__((noinline)) void n(state_t *st)                                               \
    {                                                                                                  \
        STEP(i, 0) STEP(i, 1) STEP(i, 2) STEP(i, 3) STEP(i, 4) STEP(i, 5) STEP(i, 6) STEP(i, 7)        \
        STEP(i, 8) STEP(i, 9) STEP(i, 10) STEP(i, 11) STEP(i, 12) STEP(i, 13) STEP(i, 14) STEP(i, 15) \
    }
ALL(HANDLER)

#define HANDLER_ENTRY(n, i) n,
static void (*const handlers[HANDLER_COUNT])(state_t *) = {ALL(HANDLER_ENTRY)};

GUEST_ENTRY;

uint64_t run(uint32_t size)
{
    for (uint32_t i = 0; i < WINDOW_WORDS; i++) table[i] = (uint64_t)i * 0x9fb21c651e98df25u;
    state_t st = {0x243f6a8885a308d3u, 0x13198a2e03707344u};
    uint64_t sum = 0;
    for (uint32_t n = 0; n < size; n++) {
        uint32_t h = (uint32_t)(st.x ^ (st.x >> 29) ^ (st.y >> 41) ^ n) & (HANDLER_COUNT - 1);
        handlers[h](&st);
        if ((n & 255) == 0) sum = checksum_mix(sum, st.x ^ st.y);
    }
    return checksum_mix(checksum_mix(sum, st.x), st.y);
}
