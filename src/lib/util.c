#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

int zm_buf_reserve(zm_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    /* doubling for appends a piece at a time; a large reserve (a whole
     * document) gets what it asks, not the next power of two */
    size_t cap = b->cap ? b->cap * 2 : 256;
    if (cap < need)
        cap = need;
    char *p = realloc(b->data, cap);
    if (!p)
        return ZM_E_NOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int zm_buf_adds(zm_buf *b, const char *s) { return zm_buf_add(b, s, strlen(s)); }

/* Does any of the 8 bytes in x need escaping (< 0x20, '"' or '\\')?
 * Bit tricks for "has a byte less than n / equal to c", exact for n <= 128. */
static int any_escape8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');
    return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((bs - ones) & ~bs)) & highs ? 1 : 0;
}

int zm_buf_add_json(zm_buf *b, const char *s, size_t len)
{
    if (zm_buf_reserve(b, 6 * len + 2)) /* \u00XX at most per byte, and the quotes */
        return ZM_E_NOMEM;
    b->len = (size_t)(zm_json_escape(b->data + b->len, s, len) - b->data);
    b->data[b->len] = 0;
    return 0;
}

#ifdef __SSE2__
/* The same test for 16 bytes: a mask with a bit per byte that needs it. */
static inline int any_escape16(const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x); /* x <= 0x1F, unsigned */
    __m128i q = _mm_cmpeq_epi8(x, _mm_set1_epi8('"')), bs = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
    return _mm_movemask_epi8(_mm_or_si128(ctl, _mm_or_si128(q, bs)));
}
#endif

char *zm_json_escape(char *o, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    *o++ = '"';
    while (p < end) {
#ifdef __SSE2__
        /* sixteen bytes at a time (o has room: it never falls behind p's
         * share of 6 * len); the clean bytes before one to escape are
         * copied with them */
        if (end - p >= 16) {
            int m = any_escape16(p);
            _mm_storeu_si128((__m128i *)(void *)o, _mm_loadu_si128((const __m128i *)(const void *)p));
            if (!m) {
                o += 16, p += 16;
                continue;
            }
            int clean = 0;
            while (!(m & 1 << clean))
                clean++;
            o += clean, p += clean;
        } else if (len >= 16) {
            /* the last sixteen bytes, overlapping those written: when none
             * needs escaping, each written byte stands for itself */
            const unsigned char *t = end - 16;
            if (!any_escape16(t)) {
                _mm_storeu_si128((__m128i *)(void *)(o - (p - t)), _mm_loadu_si128((const __m128i *)(const void *)t));
                o += end - p;
                p = end;
                break;
            }
        }
#endif
        /* eight bytes at a time while none needs escaping (almost all text) */
        if (end - p >= 8) {
            uint64_t x;
            memcpy(&x, p, 8);
            if (!any_escape8(x)) {
                memcpy(o, p, 8);
                o += 8;
                p += 8;
                continue;
            }
        } else if (len >= 8 && p < end) {
            uint64_t x;
            const unsigned char *t = end - 8;
            memcpy(&x, t, 8);
            if (!any_escape8(x)) {
                memcpy(o - (p - t), t, 8);
                o += end - p;
                p = end;
                break;
            }
        }
        unsigned char ch = *p++;
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            *o++ = (char)ch;
            continue;
        }
        *o++ = '\\';
        switch (ch) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = "0123456789abcdef"[ch >> 4];
            *o++ = "0123456789abcdef"[ch & 15];
        }
    }
    *o++ = '"';
    return o;
}
int zm_buf_addc(zm_buf *b, char c) { return zm_buf_add(b, &c, 1); }

void zm_buf_free(zm_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int zm_resize(void **p, size_t count, size_t elem)
{
    if (elem && count > SIZE_MAX / elem)
        return ZM_E_NOMEM;
    void *q = realloc(*p, count * elem);
    if (!q)
        return ZM_E_NOMEM;
    *p = q;
    return 0;
}

int zm_grow(void **p, size_t n, size_t *cap, size_t elem, size_t first)
{
    if (n < *cap)
        return 0;
    /* doubling, so that one-at-a-time appends cost amortised O(1); at
     * least n + 1, so that a jump past the capacity (a whole text) fits */
    size_t c = *cap ? *cap * 2 : first;
    if (c <= n)
        c = n + 1;
    if (zm_resize(p, c, elem))
        return ZM_E_NOMEM;
    *cap = c;
    return 0;
}

struct zm_arena_block {
    zm_arena_block *next;
    size_t used, size;
    max_align_t data[];
};

void *zm_arena_alloc(zm_arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    zm_arena_block *b = a->head;
    if (!b || b->used + n > b->size) {
        size_t size = n > 16384 ? n : 16384;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *zm_arena_strndup(zm_arena *a, const char *s, size_t n)
{
    char *p = zm_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *zm_arena_strdup(zm_arena *a, const char *s)
{
    return s ? zm_arena_strndup(a, s, strlen(s)) : NULL;
}

void zm_arena_free(zm_arena *a)
{
    zm_arena_block *b = a->head;
    while (b) {
        zm_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

/* s cut at size - 1 bytes is cut before an incomplete UTF-8 sequence (a
 * message or a path cut mid-character was invalid UTF-8 on stderr). */
static void utf8_cut(char *s, size_t size)
{
    size_t n = strlen(s);
    if (n + 1 < size)
        return;
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && (unsigned char)s[i - 1] >= 0xC0) {
        unsigned char c = (unsigned char)s[i - 1];
        size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (n - (i - 1) < want)
            s[i - 1] = 0;
    }
}

int zm_set_error(zm_error *err, int code, const char *file, int line,
                 const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    file = file ? file : "";
    size_t fl = strlen(file);
    if (fl >= sizeof err->file) {
        /* a long path keeps its end (the file's name): "...tail" */
        const char *tail = file + fl - (sizeof err->file - 4);
        while (((unsigned char)*tail & 0xC0) == 0x80)
            tail++;
        snprintf(err->file, sizeof err->file, "...%s", tail);
    } else {
        memcpy(err->file, file, fl + 1);
    }
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    utf8_cut(err->msg, sizeof err->msg);
    return code;
}

int zm_read_file(const char *path, char **out, size_t *len, zm_error *err)
{
    return zm_read_file_max(path, (size_t)-1, out, len, err);
}

int zm_read_file_max(const char *path, size_t max, char **out, size_t *len, zm_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return zm_set_error(err, ZM_E_IO, path, 0, "%s", strerror(errno));
    int rc = zm_read_stream_max(f, path, max, out, len, err);
    fclose(f);
    return rc;
}

int zm_read_stream_max(FILE *f, const char *name, size_t max, char **out, size_t *len, zm_error *err)
{
    zm_buf b = {0};
    /* read straight into the buffer; a regular file's size known up front
     * (one more byte, so that the end is seen without growing) */
    struct stat st;
    size_t chunk = 65536;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 && (uint64_t)st.st_size < max)
        chunk = (size_t)st.st_size + 1;
    for (;;) {
        if (zm_buf_reserve(&b, chunk)) {
            zm_buf_free(&b);
            return zm_set_error(err, ZM_E_NOMEM, name, 0, "out of memory");
        }
        size_t room = b.cap - b.len - 1; /* a byte kept for the NUL */
        if (room > max - b.len)
            room = max - b.len + 1; /* a device or endless pipe must not fill the memory */
        size_t n = fread(b.data + b.len, 1, room, f);
        b.len += n;
        if (b.len > max) {
            zm_buf_free(&b);
            return zm_set_error(err, ZM_E_LIMIT, name, 0, "more than %zu bytes", max);
        }
        if (n < room)
            break;
        chunk = b.cap;
    }
    if (ferror(f)) {
        zm_buf_free(&b);
        return zm_set_error(err, ZM_E_IO, name, 0, "%s", strerror(errno ? errno : EIO));
    }
    b.data[b.len] = 0;
    *out = b.data;
    *len = b.len;
    return 0;
}
