/* UTF-8 decoding and validation.
 *   zm_utf8_next("万元", end, &cp) => 3, cp = 0x4E07
 *   zm_utf8_next("\xC0\x80", ...)  => 1, cp = -1 (overlong)
 */
#ifndef ZM_UTF8_H
#define ZM_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Decodes one code point at s (s < end). Returns its byte length (>= 1);
 * *cp is -1 for an invalid sequence (then 1 byte is consumed). */
static inline int zm_utf8_next(const unsigned char *s, const unsigned char *end, int *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int)c;
        return 1;
    }
    /* three bytes led by E1-EC or EE-EF (all of CJK and full-width
     * punctuation), tested at once (1110xxxx 10xxxxxx 10xxxxxx): neither
     * overlong (E0) nor a surrogate (ED) can be */
    if (end - s >= 3 && ((c | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16) & 0xC0C0F0u) == 0x8080E0u && c != 0xE0 &&
        c != 0xED) {
        *cp = (int)((c & 0x0F) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3F));
        return 3;
    }
    int n;
    unsigned v;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
    } else {
        *cp = -1;
        return 1;
    }
    if (end - s < n) {
        *cp = -1;
        return 1;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = -1;
        return 1;
    }
    *cp = (int)v;
    return n;
}

/* Length of the character led by byte b in valid UTF-8 (1 for a stray
 * continuation byte): stepping over text already checked. */
/* Does the text at `at` (ending by hi) start with s? */
static inline int zm_starts_with(const char *t, size_t at, size_t hi, const char *s)
{
    size_t n = strlen(s);
    return at + n <= hi && memcmp(t + at, s, n) == 0;
}

/* Start of the UTF-8 character holding byte at. */
static inline size_t zm_utf8_start(const char *t, size_t at)
{
    while (at > 0 && ((unsigned char)t[at] & 0xC0) == 0x80)
        at--;
    return at;
}

static inline int zm_utf8_len(unsigned char b)
{
    return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

/* Decodes the character at s in text known to be valid UTF-8 (the
 * normalised text): no checks, for the scans that visit every character. */
static inline int zm_utf8_dec(const unsigned char *s, int *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int)c;
        return 1;
    }
    if (c < 0xE0) {
        *cp = (int)((c & 0x1F) << 6 | (s[1] & 0x3F));
        return 2;
    }
    if (c < 0xF0) {
        *cp = (int)((c & 0x0F) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3F));
        return 3;
    }
    *cp = (int)((c & 0x07) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3F));
    return 4;
}

/* Sets of code points as bitmaps over the BMP (first characters of word
 * lists, numerals, time markers): a test is one load. Code points past
 * the BMP are never in a set. */
#define ZM_CPSET_BYTES (65536 / 8)
static inline int zm_cpset_has(const uint8_t *set, int cp)
{
    return cp >= 0 && cp < 65536 && (set[cp >> 3] >> (cp & 7) & 1);
}
static inline void zm_cpset_add(uint8_t *set, int cp)
{
    if (cp >= 0 && cp < 65536)
        set[cp >> 3] |= (uint8_t)(1u << (cp & 7));
}
/* Adds the first character of s[0..len) (nothing for an empty or invalid s). */
static inline void zm_cpset_add_first(uint8_t *set, const char *s, size_t len)
{
    int cp;
    if (len) {
        zm_utf8_next((const unsigned char *)s, (const unsigned char *)s + len, &cp);
        zm_cpset_add(set, cp);
    }
}

/* A set's filter on the first two bytes of a character (an 8 KB bitmap):
 * a scan that visits every character of a text asks it without decoding,
 * and decodes only where it says maybe (a member, or a character sharing
 * a member's first two bytes; an ASCII member passes whatever follows).
 * s[1] must be readable: the normalised text ends in a NUL. */
static inline int zm_cplead_may(const uint8_t *lead, const unsigned char *s)
{
    unsigned k = (unsigned)s[0] << 8 | s[1];
    return lead[k >> 3] >> (k & 7) & 1;
}
/* Fills lead (ZM_CPSET_BYTES) from the members of set. */
void zm_cplead_of(uint8_t *lead, const uint8_t *set);

/* Punctuation classes: the marks the scans split text at (sentences,
 * clauses, brackets), each class holding a mark's full-width and ASCII
 * forms alike. One table (zm_punct_tab, utf8.c) replaces the byte tests
 * each scan used to spell out (EF BC 8C for ，...).
 *   zm_punct_class(0xFF0C) => ZM_PU_COMMA       zm_punct_class(',') => ZM_PU_COMMA
 *   zm_punct_at("。x", 0, 4, &len) => ZM_PU_STOP, len = 3
 * '.' is in no class (a decimal point; 。 is the full stop), nor are the
 * quotes (find_quotes pairs them by text). */
enum {
    ZM_PU_COMMA = 1 << 0, /* ，, */
    ZM_PU_SEMI = 1 << 1,  /* ；; */
    ZM_PU_COLON = 1 << 2, /* ：: */
    ZM_PU_ENUM = 1 << 3,  /* 、 (enumeration comma) */
    ZM_PU_STOP = 1 << 4,  /* 。 */
    ZM_PU_OPEN = 1 << 5,  /* （( */
    ZM_PU_CLOSE = 1 << 6, /* ）) */
    ZM_PU_EXCL = 1 << 7,  /* ！! */
    ZM_PU_QUEST = 1 << 8, /* ？? */
    /* the sets the scans ask for */
    ZM_PU_SENTENCE_END = ZM_PU_STOP | ZM_PU_EXCL | ZM_PU_QUEST | ZM_PU_SEMI,
    ZM_PU_CLAUSE_SEP = ZM_PU_COMMA | ZM_PU_SEMI | ZM_PU_COLON | ZM_PU_ENUM | ZM_PU_STOP | ZM_PU_OPEN |
                       ZM_PU_CLOSE | ZM_PU_EXCL | ZM_PU_QUEST,
};

/* The table, indexed by the code point's place in three blocks: ASCII
 * (0x00-0x7F at 0x00-0x7F), CJK symbols U+3000-U+303F (at 0x80-0xBF: the
 * last byte of E3 80 xx) and full-width forms U+FF00-U+FF3F (at 0xC0-0xFF:
 * the last byte of EF BC xx, plus 0x40). */
extern const uint16_t zm_punct_tab[256];

/* The classes of code point cp (0 for any other character). */
static inline unsigned zm_punct_class(int cp)
{
    if (cp >= 0 && cp < 0x80)
        return zm_punct_tab[cp];
    if (cp >= 0x3000 && cp < 0x3040)
        return zm_punct_tab[0x80 + (cp - 0x3000)];
    if (cp >= 0xFF00 && cp < 0xFF40)
        return zm_punct_tab[0xC0 + (cp - 0xFF00)];
    return 0;
}

/* The classes of the character at t[at] (at < hi; it ends by hi), and its
 * byte length in *len when it has one. On bytes, without decoding: the
 * scans call it at every character. */
static inline unsigned zm_punct_at(const char *t, size_t at, size_t hi, size_t *len)
{
    const unsigned char *u = (const unsigned char *)t + at;
    if (u[0] < 0x80) {
        *len = 1;
        return zm_punct_tab[u[0]];
    }
    /* byte by byte, each read only when the one before matched: a caller
     * may pass a text ending in a NUL as its bound */
    if (at + 3 > hi || (u[0] != 0xE3 && u[0] != 0xEF) || u[1] != (u[0] == 0xE3 ? 0x80 : 0xBC) ||
        (u[2] & 0xC0) != 0x80)
        return 0;
    unsigned k = zm_punct_tab[u[0] == 0xE3 ? u[2] : u[2] + 0x40]; /* 0x80-0xBF, 0xC0-0xFF */
    if (k)
        *len = 3;
    return k;
}

/* Offset of the first invalid byte, or len when s is valid UTF-8. */
size_t zm_utf8_check(const char *s, size_t len);
/* Encodes cp into out (>= 4 bytes); returns the length. */
int zm_utf8_encode(int cp, char *out);
/* Number of code points in s[0..len). */
size_t zm_utf8_count(const char *s, size_t len);
/* s[0..len) with its characters in reverse order into out (len bytes):
 * "增长" => "长增", for matching words backwards through a trie. */
void zm_utf8_reverse(const char *s, size_t len, char *out);
/* Decodes the character ending at s+at (lo < at). Returns its length, or
 * 1 with *cp = -1 when no valid character ends there (after lo). Inline
 * for a three-byte character led by E1-EC or EE-EF (the backward word
 * walks step over CJK text), a call for the rest. */
int zm_utf8_prev_any(const char *s, size_t lo, size_t at, int *cp);
static inline int zm_utf8_prev(const char *s, size_t lo, size_t at, int *cp)
{
    const unsigned char *u = (const unsigned char *)s + at;
    if (at - lo >= 3 && (u[-3] & 0xF0) == 0xE0 && u[-3] != 0xE0 && u[-3] != 0xED && (u[-2] & 0xC0) == 0x80 &&
        (u[-1] & 0xC0) == 0x80) {
        *cp = (int)((u[-3] & 0x0Fu) << 12 | (u[-2] & 0x3Fu) << 6 | (u[-1] & 0x3Fu));
        return 3;
    }
    return zm_utf8_prev_any(s, lo, at, cp);
}

#endif
