/* Cache geometry from sysfs or CPUID, checked, with defaults for what is missing. */
#include "cache_geometry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

static const cache_level DEFAULTS[CACHE_MAX_LEVELS] = {
    {32u << 10, 8, 64, true},
    {1u << 20, 8, 64, true},
    {32u << 20, 16, 64, true},
};
/* Largest believable size per level for one core's view (an L3 above this is a socket's
 * total over several L3 slices, as hypervisors report it). */
static const uint64_t MAX_SIZE[CACHE_MAX_LEVELS] = {1u << 20, 64u << 20, 256u << 20};

void cache_geometry_defaults(cache_geometry *out)
{
    memset(out, 0, sizeof *out);
    out->levels = CACHE_MAX_LEVELS;
    memcpy(out->level, DEFAULTS, sizeof DEFAULTS);
    snprintf(out->source, sizeof out->source, "defaults");
}

static void note(cache_geometry *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(cache_geometry *g, const char *fmt, ...)
{
    size_t used = strlen(g->notice);
    if (used + 3 >= sizeof g->notice) return;
    if (used) used += (size_t)snprintf(g->notice + used, sizeof g->notice - used, "; ");
    va_list args;
    va_start(args, fmt);
    vsnprintf(g->notice + used, sizeof g->notice - used, fmt, args);
    va_end(args);
}

static bool power_of_two(uint64_t x) { return x && !(x & (x - 1)); }

/* Whether level k (0-based) as reported can be used, given the levels below it. */
static const char *implausible(const cache_level *levels, size_t k)
{
    const cache_level *l = &levels[k];
    if (!l->size) return "not reported";
    if (!power_of_two(l->line) || l->line < 16 || l->line > 256) return "line size not a power of two in 16..256";
    if (l->size > MAX_SIZE[k]) return "larger than one core's slice can be (a socket total?)";
    if (k > 0 && l->size <= levels[k - 1].size) return "not larger than the level below";
    if (l->ways == 0 || l->size % ((uint64_t)l->ways * l->line)) return "size not a whole number of sets";
    return NULL;
}

static void size_text(uint64_t bytes, char *buf, size_t len)
{
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
    else if (bytes >= 1024 && bytes % 1024 == 0) snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
    else snprintf(buf, len, "%llu B", (unsigned long long)bytes);
}

/* Keeps the plausible levels of `found` (count levels), defaults for the others. */
static void settle(cache_geometry *g, const cache_level *found, size_t count, const char *source)
{
    cache_level levels[CACHE_MAX_LEVELS];
    memcpy(levels, DEFAULTS, sizeof levels);
    for (size_t k = 0; k < count && k < CACHE_MAX_LEVELS; k++) levels[k] = found[k];
    for (size_t k = 0; k < CACHE_MAX_LEVELS; k++) {
        const char *why = k < count ? implausible(levels, k) : "not reported";
        if (k < count && levels[k].size && levels[k].ways == 0 && !why) why = "associativity not reported";
        if (!why) {
            levels[k].assumed = false;
            continue;
        }
        char reported[32], assumed[32];
        size_text(k < count ? found[k].size : 0, reported, sizeof reported);
        levels[k] = DEFAULTS[k];
        /* A default must still sit above the level below it. */
        while (k > 0 && levels[k].size <= levels[k - 1].size) levels[k].size *= 2;
        size_text(levels[k].size, assumed, sizeof assumed);
        if (k < count && found[k].size)
            note(g, "%s reports L%zu %s: %s; assumed %s %u-way", source, k + 1, reported, why, assumed, levels[k].ways);
        else
            note(g, "%s reports no L%zu; assumed %s %u-way", source, k + 1, assumed, levels[k].ways);
    }
    g->levels = CACHE_MAX_LEVELS;
    memcpy(g->level, levels, sizeof levels);
    snprintf(g->source, sizeof g->source, "%s", source);
}

static bool read_text(const char *dir, const char *name, char *buf, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    bool ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (ok) buf[strcspn(buf, "\n")] = '\0';
    return ok;
}

/* "48K", "1024K", "32M", "65536" -> bytes; 0 when malformed. */
static uint64_t parse_size(const char *text, const char **end)
{
    char *e;
    if (end) *end = text;
    unsigned long long v = strtoull(text, &e, 10);
    if (e == text) return 0;
    uint64_t scale = 1;
    if (*e == 'K' || *e == 'k') scale = 1024, e++;
    else if (*e == 'M' || *e == 'm') scale = 1024 * 1024, e++;
    if (end) *end = e;
    return v * scale;
}

static bool detect_sysfs(cache_geometry *g, const char *root)
{
    cache_level found[CACHE_MAX_LEVELS] = {{0}};
    size_t count = 0;
    bool any = false;
    for (int index = 0; index < 16; index++) {
        char dir[400], text[64];
        snprintf(dir, sizeof dir, "%s/cpu0/cache/index%d", root, index);
        if (!read_text(dir, "level", text, sizeof text)) continue;
        any = true;
        int level = atoi(text);
        char type[32];
        if (level < 1 || level > CACHE_MAX_LEVELS || !read_text(dir, "type", type, sizeof type) ||
            strcmp(type, "Instruction") == 0)
            continue;
        cache_level *l = &found[level - 1];
        if (read_text(dir, "size", text, sizeof text)) l->size = parse_size(text, NULL);
        if (read_text(dir, "ways_of_associativity", text, sizeof text)) l->ways = (uint32_t)atoi(text);
        if (read_text(dir, "coherency_line_size", text, sizeof text)) l->line = (uint32_t)atoi(text);
        if ((size_t)level > count) count = (size_t)level;
    }
    if (!any) return false;
    settle(g, found, count, "sysfs");
    return true;
}

#if defined(__x86_64__)
/* The deterministic cache parameters leaf (4 on Intel, 0x8000001D on AMD). */
static size_t cpuid_cache_leaf(unsigned leaf, cache_level *found)
{
    size_t count = 0;
    for (unsigned i = 0; i < 16; i++) {
        unsigned a, b, c, d;
        __cpuid_count(leaf, i, a, b, c, d);
        unsigned type = a & 31, level = (a >> 5) & 7;
        if (type == 0) break;
        if (type == 2 || level < 1 || level > CACHE_MAX_LEVELS) continue; /* 2: instruction cache */
        cache_level *l = &found[level - 1];
        l->line = (b & 0xfff) + 1;
        l->ways = ((b >> 22) & 0x3ff) + 1;
        l->size = (uint64_t)l->line * (((b >> 12) & 0x3ff) + 1) * l->ways * ((uint64_t)c + 1);
        if (level > count) count = level;
    }
    return count;
}

/* AMD's associativity code in 0x80000006 (0 = unknown). */
static uint32_t amd_ways(unsigned code)
{
    static const uint32_t ways[16] = {0, 1, 2, 3, 4, 6, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0};
    return ways[code & 15];
}

static bool detect_cpuid(cache_geometry *g)
{
    unsigned a, b, c, d;
    char vendor[13] = {0};
    __cpuid(0, a, b, c, d);
    unsigned max_std = a;
    memcpy(vendor, &b, 4), memcpy(vendor + 4, &d, 4), memcpy(vendor + 8, &c, 4);
    unsigned max_ext = __get_cpuid_max(0x80000000, NULL);
    cache_level found[CACHE_MAX_LEVELS] = {{0}};
    size_t count;
    if (strcmp(vendor, "GenuineIntel") == 0 && max_std >= 4 && (count = cpuid_cache_leaf(4, found))) {
        settle(g, found, count, "CPUID leaf 4");
        return true;
    }
    bool topoext = false;
    if (max_ext >= 0x80000001) {
        __cpuid(0x80000001, a, b, c, d);
        topoext = (c >> 22) & 1;
    }
    if (topoext && max_ext >= 0x8000001D && (count = cpuid_cache_leaf(0x8000001D, found))) {
        settle(g, found, count, "CPUID 0x8000001D");
        return true;
    }
    if (strcmp(vendor, "AuthenticAMD") == 0 && max_ext >= 0x80000006) {
        __cpuid(0x80000005, a, b, c, d);
        found[0] = (cache_level){(uint64_t)(c >> 24) << 10, (c >> 16) & 0xff, c & 0xff, false};
        if (found[0].ways == 0xff) found[0].ways = (uint32_t)(found[0].size / (found[0].line ? found[0].line : 64));
        __cpuid(0x80000006, a, b, c, d);
        found[1] = (cache_level){(uint64_t)(c >> 16) << 10, amd_ways(c >> 12), c & 0xff, false};
        found[2] = (cache_level){(uint64_t)(d >> 18) * (512u << 10), amd_ways(d >> 12), d & 0xff, false};
        if (!topoext) note(g, "CPUID hides the topology extensions (no leaf 0x8000001D)");
        settle(g, found, found[2].size ? 3 : 2, "CPUID 0x80000005/6");
        return true;
    }
    return false;
}
#else
static bool detect_cpuid(cache_geometry *g)
{
    (void)g;
    return false;
}
#endif

void cache_geometry_detect(cache_geometry *out, const char *sysfs_root)
{
    cache_geometry_defaults(out);
    const char *root = sysfs_root ? sysfs_root : "/sys/devices/system/cpu";
    if (detect_sysfs(out, root)) return;
    char hidden[64];
    snprintf(hidden, sizeof hidden, "%s has no cache information", sysfs_root ? "the sysfs tree" : "sysfs");
    if (sysfs_root == NULL && detect_cpuid(out)) {
        /* The sysfs notice first, then what CPUID left out. */
        char rest[sizeof out->notice];
        memcpy(rest, out->notice, sizeof rest);
        size_t used = strlen(hidden), tail = strlen(rest);
        memcpy(out->notice, hidden, used + 1);
        if (tail && used + 2 + tail < sizeof out->notice) {
            memcpy(out->notice + used, "; ", 2);
            memcpy(out->notice + used + 2, rest, tail + 1);
        }
        return;
    }
    snprintf(out->notice, sizeof out->notice, "%s%s; fixed defaults used", hidden,
             sysfs_root ? "" : " and CPUID neither");
}

int cache_geometry_parse(const char *text, cache_geometry *out, char *err, size_t err_len)
{
    cache_geometry g;
    memset(&g, 0, sizeof g);
    const char *p = text;
    while (*p) {
        if (g.levels == CACHE_MAX_LEVELS) {
            snprintf(err, err_len, "cache geometry '%s': more than %d levels", text, CACHE_MAX_LEVELS);
            return -1;
        }
        cache_level l = {0, 8, 64, false};
        const char *e;
        l.size = parse_size(p, &e);
        if (*e == '/') {
            char *x;
            l.ways = (uint32_t)strtoul(e + 1, &x, 10);
            e = x;
            if (*e == '/') {
                l.line = (uint32_t)strtoul(e + 1, &x, 10);
                e = x;
            }
        }
        if (*e != ',' && *e != '\0') {
            snprintf(err, err_len, "cache geometry '%s': expected SIZE[/WAYS[/LINE]] separated by commas", text);
            return -1;
        }
        g.level[g.levels++] = l;
        const char *why = implausible(g.level, g.levels - 1);
        if (why) {
            snprintf(err, err_len, "cache geometry '%s': level %zu: %s", text, g.levels, why);
            return -1;
        }
        p = *e ? e + 1 : e;
    }
    if (g.levels == 0) {
        snprintf(err, err_len, "cache geometry '%s': no levels", text);
        return -1;
    }
    snprintf(g.source, sizeof g.source, "configured");
    *out = g;
    return 0;
}

void cache_geometry_describe(const cache_geometry *g, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < g->levels && used < len; k++) {
        char size[32];
        size_text(g->level[k].size, size, sizeof size);
        int w = snprintf(buf + used, len - used, "%sL%zu%s %s %u-way%s", k ? ", " : "", k + 1, k == 0 ? "d" : "",
                         size, g->level[k].ways, g->level[k].assumed ? " (default)" : "");
        if (w > 0) used += (size_t)w;
    }
    if (used < len && g->levels)
        snprintf(buf + used, len - used, ", %u B lines", g->level[0].line);
}
