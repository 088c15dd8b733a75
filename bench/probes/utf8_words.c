/* Probe (not a benchmark guest): generated UTF-8 text (1-4 byte sequences, some invalid)
 * decoded and validated byte by byte, code points classified into letters, digits, spaces
 * and others, words counted. size: KiB of text. */
#include "guest_common.h"

static uint8_t buf[8192];

static uint32_t gen(uint64_t *seed, uint8_t *out, uint32_t cap)
{
    uint32_t n = 0;
    while (n + 4 <= cap) {
        uint32_t k = rng_below(seed, 20);
        if (k < 9) out[n++] = (uint8_t)("the quick brown fox 42 "[rng_below(seed, 23)]);
        else if (k < 14) { uint32_t c = 0x80 + rng_below(seed, 0x780); out[n++] = (uint8_t)(0xc0 | c >> 6); out[n++] = (uint8_t)(0x80 | (c & 63)); }
        else if (k < 18) { uint32_t c = 0x800 + rng_below(seed, 0xf000); out[n++] = (uint8_t)(0xe0 | c >> 12); out[n++] = (uint8_t)(0x80 | (c >> 6 & 63)); out[n++] = (uint8_t)(0x80 | (c & 63)); }
        else if (k < 19) { uint32_t c = 0x10000 + rng_below(seed, 0x100000); out[n++] = (uint8_t)(0xf0 | c >> 18); out[n++] = (uint8_t)(0x80 | (c >> 12 & 63)); out[n++] = (uint8_t)(0x80 | (c >> 6 & 63)); out[n++] = (uint8_t)(0x80 | (c & 63)); }
        else out[n++] = (uint8_t)(0x80 + rng_below(seed, 0x80)); /* a stray continuation byte */
    }
    return n;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 5, sum = 0;
    uint32_t words = 0, letters = 0, digits = 0, bad = 0, other = 0;
    for (uint32_t kb = 0; kb < size; kb += 8) {
        uint32_t n = gen(&seed, buf, sizeof buf);
        int in_word = 0;
        for (uint32_t i = 0; i < n;) {
            uint32_t c = buf[i], len;
            if (c < 0x80) len = 1;
            else if ((c & 0xe0) == 0xc0) { len = 2; c &= 0x1f; }
            else if ((c & 0xf0) == 0xe0) { len = 3; c &= 0x0f; }
            else if ((c & 0xf8) == 0xf0) { len = 4; c &= 0x07; }
            else { bad++; i++; in_word = 0; continue; }
            if (i + len > n) break;
            uint32_t j = 1;
            for (; j < len; j++) {
                if ((buf[i + j] & 0xc0) != 0x80) break;
                c = c << 6 | (buf[i + j] & 63);
            }
            if (j < len) { bad++; i += j; in_word = 0; continue; }
            i += len;
            int word_char;
            if ((c | 32) >= 'a' && (c | 32) <= 'z') { letters++; word_char = 1; }
            else if (c >= '0' && c <= '9') { digits++; word_char = 1; }
            else if (c == ' ' || c == '\n') word_char = 0;
            else if (c >= 0x370 && c < 0x3000) { letters++; word_char = 1; }
            else { other++; word_char = 0; }
            if (word_char && !in_word) words++;
            in_word = word_char;
        }
        sum = checksum_mix(sum, words ^ (uint64_t)letters << 20);
    }
    return checksum_mix(sum, (uint64_t)digits << 40 | (uint64_t)bad << 20 | other);
}
