/* JSON-like tokenizer: generates `size` KiB of JSON text (nested objects and arrays,
 * strings with escapes, integers, literals), then tokenizes it: byte classification,
 * string scanning, number parsing. Checksum: token kinds, string hashes and number values. */
#include "guest_common.h"

#define JSON_MAX (32u << 20)
static char text[JSON_MAX];

enum token { T_END, T_PUNCT, T_STRING, T_NUMBER, T_LITERAL, T_ERROR };

typedef struct {
    char *at, *end;
} writer_t;

static void put(writer_t *w, const char *s)
{
    while (*s && w->at < w->end)
        *w->at++ = *s++;
}

static void put_number(writer_t *w, uint64_t value)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n && w->at < w->end)
        *w->at++ = digits[--n];
}

/* One value of nesting depth <= depth, chosen by the generator. */
static void generate_value(writer_t *w, uint64_t *seed, int depth)
{
    static const char *const keys[] = {"\"id\"", "\"name\"", "\"gas\"", "\"pc\"",
                                       "\"regs\"", "\"note\"", "\"ok\"", "\"data\""};
    uint64_t r = rng_next(seed);
    switch (depth > 0 ? r % 6 : 2 + r % 4) {
    case 0:
    case 1: {
        int object = (r % 6) == 0, count = 1 + (int)((r >> 8) % 5);
        put(w, object ? "{" : "[");
        for (int i = 0; i < count; i++) {
            if (i)
                put(w, ", ");
            if (object) {
                put(w, keys[(r >> (16 + 3 * i)) & 7]);
                put(w, ": ");
            }
            generate_value(w, seed, depth - 1);
        }
        put(w, object ? "}" : "]");
        break;
    }
    case 2:
        put_number(w, r >> (r & 63));
        break;
    case 3:
        put(w, (r & 256) ? "\"a \\\"quoted\\\" word\"" : "\"plain text value\"");
        break;
    case 4:
        put(w, (r & 256) ? "true" : "null");
        break;
    default:
        put(w, "\"\\u00e9t\\u00e9\"");
        break;
    }
}

static uint32_t generate_text(uint32_t length)
{
    writer_t w = {text, text + length};
    uint64_t seed = 7;
    while (w.at < w.end) {
        generate_value(&w, &seed, 4);
        put(&w, "\n");
    }
    return (uint32_t)(w.at - text);
}

/* Scans one token at *cursor; stores its value (hash or number) and advances. */
static enum token next_token(const char **cursor, const char *end, uint64_t *value)
{
    const char *p = *cursor;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
        p++;
    if (p == end) {
        *cursor = p;
        return T_END;
    }
    char c = *p;
    enum token kind;
    if (c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',') {
        *value = (uint64_t)c;
        p++;
        kind = T_PUNCT;
    } else if (c == '"') {
        uint64_t hash = 0xcbf29ce484222325u;
        for (p++; p < end && *p != '"'; p++) {
            if (*p == '\\' && p + 1 < end)
                p++; /* the escaped byte is hashed as itself */
            hash = (hash ^ (uint8_t)*p) * 0x100000001b3u;
        }
        p += p < end;
        *value = hash;
        kind = T_STRING;
    } else if (c >= '0' && c <= '9') {
        uint64_t number = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            number = number * 10 + (uint64_t)(*p - '0');
        *value = number;
        kind = T_NUMBER;
    } else if (c == 't' || c == 'n' || c == 'f') {
        uint64_t letters = 0;
        for (; p < end && *p >= 'a' && *p <= 'z'; p++)
            letters = letters << 8 | (uint8_t)*p;
        *value = letters;
        kind = T_LITERAL;
    } else {
        *value = (uint8_t)c;
        p++;
        kind = T_ERROR;
    }
    *cursor = p;
    return kind;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint32_t length = generate_text(min_u32(size, JSON_MAX / 1024) * 1024u);
    const char *cursor = text, *end = text + length;
    uint64_t sum = 0, counts[T_ERROR + 1] = {0}, value = 0;
    for (;;) {
        enum token kind = next_token(&cursor, end, &value);
        if (kind == T_END)
            break;
        counts[kind]++;
        sum = checksum_mix(sum, value + kind);
    }
    for (int i = 0; i <= T_ERROR; i++)
        sum = checksum_mix(sum, counts[i]);
    return sum;
}
