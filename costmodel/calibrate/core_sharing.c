/* The core-sharing probe (see core_sharing.h). */
#define _POSIX_C_SOURCE 200809L
#include "core_sharing.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vm/util/clock.h"

enum { CHAIN_TRIPS = 1000, BLOCK_TRIPS = 4000, ADDS_PER_TRIP = 8, RUNS = 3 };

#if defined(__x86_64__)
/* Eight adds into one register per trip: a dependent chain, one add latency each. */
static void dependent_adds(long trips)
{
    uint64_t a = 1, b = 2, c = 3, d = 4;
    __asm__ volatile("1:\n\t"
                     "add %[b], %[a]\n\tadd %[c], %[a]\n\tadd %[d], %[a]\n\tadd %[b], %[a]\n\t"
                     "add %[c], %[a]\n\tadd %[d], %[a]\n\tadd %[b], %[a]\n\tadd %[c], %[a]\n\t"
                     "dec %[n]\n\tjnz 1b"
                     : [a] "+r"(a), [n] "+r"(trips)
                     : [b] "r"(b), [c] "r"(c), [d] "r"(d)
                     : "cc");
}

/* Eight adds into eight registers per trip: independent, as many per cycle as the core has ALUs. */
static void independent_adds(long trips)
{
    uint64_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
    __asm__ volatile("1:\n\t"
                     "add $1, %[a]\n\tadd $1, %[b]\n\tadd $1, %[c]\n\tadd $1, %[d]\n\t"
                     "add $1, %[e]\n\tadd $1, %[f]\n\tadd $1, %[g]\n\tadd $1, %[h]\n\t"
                     "dec %[n]\n\tjnz 1b"
                     : [a] "+r"(a), [b] "+r"(b), [c] "+r"(c), [d] "+r"(d), [e] "+r"(e), [f] "+r"(f), [g] "+r"(g),
                       [h] "+r"(h), [n] "+r"(trips)
                     :
                     : "cc");
}

static double lowest_ns(void (*kernel)(long), long trips)
{
    double best = INFINITY;
    for (int r = 0; r < RUNS; r++) {
        uint64_t t0 = util_now_raw_ns();
        kernel(trips);
        double ns = (double)(util_now_raw_ns() - t0);
        if (ns > 0 && ns < best) best = ns;
    }
    return best;
}

double core_sharing_probe(void)
{
    double chain = lowest_ns(dependent_adds, CHAIN_TRIPS) / (double)(CHAIN_TRIPS * ADDS_PER_TRIP);
    double block = lowest_ns(independent_adds, BLOCK_TRIPS) / (double)(BLOCK_TRIPS * ADDS_PER_TRIP);
    return isfinite(chain) && isfinite(block) && chain > 0 ? block / chain : NAN;
}
#else
double core_sharing_probe(void) { return NAN; }
#endif

bool core_sharing_is_shared(double over_floor) { return over_floor > CORE_SHARED_FACTOR; }

static const double BIN_RATIO = 1.01, BIN_FLOOR = 0.001;

static int bin_of(double ratio)
{
    int b = (int)floor(log(ratio / BIN_FLOOR) / log(BIN_RATIO));
    return b < 0 ? 0 : b >= CORE_SHARING_BINS ? CORE_SHARING_BINS - 1 : b;
}

void core_sharing_observe(core_sharing *s, double ratio)
{
    if (!(ratio > 0) || !isfinite(ratio)) return;
    int b = bin_of(ratio);
    s->bins[b]++;
    /* The windows of three bins that hold this probe: the lowest with enough support, if it
     * lies below the floor, is the new floor (its middle bin's centre). */
    for (int mid = b - 1; mid <= b + 1; mid++) {
        if (mid < 1 || mid + 1 >= CORE_SHARING_BINS) continue;
        uint32_t support = s->bins[mid - 1] + s->bins[mid] + s->bins[mid + 1];
        double centre = BIN_FLOOR * pow(BIN_RATIO, mid + 0.5);
        if (support >= CORE_FLOOR_SUPPORT && !(centre >= s->floor)) {
            s->floor = centre;
            break;
        }
    }
}

void core_sharing_init(core_sharing *s, double reference, double budget_ms)
{
    memset(s, 0, sizeof *s);
    s->floor = reference > 0 && isfinite(reference) ? reference : NAN;
    uint64_t end = util_now_raw_ns() + (uint64_t)(budget_ms * 1e6);
    do {
        double r = core_sharing_probe();
        if (!(r > 0)) return; /* no probe here: available stays false */
        s->available = true;
        core_sharing_observe(s, r);
    } while (util_now_raw_ns() < end);
    s->floor_at_start = s->floor;
}

double core_sharing_check(core_sharing *s)
{
    if (!s || !s->available) return NAN;
    double r = core_sharing_probe();
    if (!(r > 0)) return NAN;
    s->probes++;
    core_sharing_observe(s, r);
    s->shared += core_sharing_is_shared(r / s->floor);
    return r;
}
