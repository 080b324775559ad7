#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* The punctuation classes (utf8.h): one row a mark, its forms together. */
const uint16_t zm_punct_tab[256] = {
    [','] = ZM_PU_COMMA, [0xC0 + 0x0C] = ZM_PU_COMMA, /* ， U+FF0C */
    [';'] = ZM_PU_SEMI,  [0xC0 + 0x1B] = ZM_PU_SEMI,  /* ； U+FF1B */
    [':'] = ZM_PU_COLON, [0xC0 + 0x1A] = ZM_PU_COLON, /* ： U+FF1A */
    [0x80 + 0x01] = ZM_PU_ENUM,                       /* 、 U+3001 */
    [0x80 + 0x02] = ZM_PU_STOP,                       /* 。 U+3002 */
    ['('] = ZM_PU_OPEN,  [0xC0 + 0x08] = ZM_PU_OPEN,  /* （ U+FF08 */
    [')'] = ZM_PU_CLOSE, [0xC0 + 0x09] = ZM_PU_CLOSE, /* ） U+FF09 */
    ['!'] = ZM_PU_EXCL,  [0xC0 + 0x01] = ZM_PU_EXCL,  /* ！ U+FF01 */
    ['?'] = ZM_PU_QUEST, [0xC0 + 0x1F] = ZM_PU_QUEST, /* ？ U+FF1F */
};

size_t zm_utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        /* ASCII eight bytes at a time, then the three-byte characters led
         * by E1-EC or EE-EF (CJK, full-width punctuation: most of a
         * report) one test each; the rest through zm_utf8_next */
        if (end - p >= 8) {
            uint64_t x;
            memcpy(&x, p, 8);
            if (!(x & 0x8080808080808080ull)) {
                p += 8;
                continue;
            }
        }
        if (*p < 0x80) {
            p++;
            continue;
        }
        /* 1110xxxx 10xxxxxx 10xxxxxx, lead not E0 or ED: two at a time */
        for (uint64_t x; end - p >= 8; p += 6) {
            memcpy(&x, p, 8);
            if ((x & 0xC0C0F0C0C0F0ull) != 0x8080E08080E0ull || !(0xDFFEu >> (x & 15) & 1) ||
                !(0xDFFEu >> (x >> 24 & 15) & 1))
                break;
        }
        for (uint32_t x; end - p >= 4; p += 3) {
            memcpy(&x, p, 4);
            if ((x & 0xC0C0F0u) != 0x8080E0u || !(0xDFFEu >> (x & 15) & 1))
                break;
        }
        if (p == end || *p < 0x80)
            continue;
        int cp;
        int n = zm_utf8_next(p, end, &cp);
        if (cp < 0)
            return (size_t)(p - (const unsigned char *)s);
        p += n;
    }
    return len;
}

void zm_cplead_of(uint8_t *lead, const uint8_t *set)
{
    memset(lead, 0, ZM_CPSET_BYTES);
    for (int cp = 0; cp < 65536; cp++) {
        if (!zm_cpset_has(set, cp))
            continue;
        char b[4];
        if (zm_utf8_encode(cp, b) == 1) { /* ASCII: whatever byte follows */
            for (unsigned next = 0; next < 256; next++)
                zm_cpset_add(lead, (int)((unsigned)cp << 8 | next));
            continue;
        }
        zm_cpset_add(lead, (int)((unsigned)(unsigned char)b[0] << 8 | (unsigned char)b[1]));
    }
}

int zm_utf8_encode(int cp, char *out)
{
    unsigned c = (unsigned)cp;
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

size_t zm_utf8_count(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    /* eight bytes at a time: every byte but a continuation (10xxxxxx) starts a character */
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t cont = x & ~(x << 1) & 0x8080808080808080ull;
        n += 8 - (size_t)(((cont >> 7) * 0x0101010101010101ull) >> 56); /* sum of the bytes' bits */
    }
    for (; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

void zm_utf8_reverse(const char *s, size_t len, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = len;
    for (size_t k = 0; k < len;) {
        int cp, n = zm_utf8_next(u + k, u + len, &cp);
        o -= (size_t)n;
        memcpy(out + o, u + k, (size_t)n);
        k += (size_t)n;
    }
}

int zm_utf8_prev_any(const char *s, size_t lo, size_t at, int *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t b = at - 1;
    while (b > lo && (u[b] & 0xC0) == 0x80 && at - b < 4)
        b--;
    if (b + (size_t)zm_utf8_next(u + b, u + at, cp) != at) {
        *cp = -1;
        return 1;
    }
    return (int)(at - b);
}
