#include "unwrap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "utf8.h"

/* Lines narrower than this (display columns: a Chinese character 2, ASCII
 * 1) say nothing about the page width: headings, signatures, list items. */
#define MIN_BODY_WIDTH 24
/* A full line reaches within this many columns of the page width (digits
 * and Latin letters are narrower than their columns in a PDF). */
#define FULL_SLACK 4
/* A line longer than this (bytes) is no page-wide line of any report (80
 * Chinese characters are 240): a paragraph, not measured. */
#define MAX_WRAP_BYTES 400
#define WIDE ((unsigned)-1 / 2)

typedef struct span {
    size_t start, end; /* end before '\r\n' or '\n' */
    unsigned width;
} span;

static unsigned cols(const unsigned char *p, const unsigned char *end)
{
    unsigned w = 0;
    while (p < end) {
        int n = zm_utf8_len(*p);
        w += n == 1 ? 1u : 2u;
        p += n;
    }
    return w;
}

static int cp_at(const char *t, size_t at, size_t end)
{
    int cp = -1;
    if (at < end)
        zm_utf8_next((const unsigned char *)t + at, (const unsigned char *)t + end, &cp);
    return cp;
}

/* The last character of [start,end) before trailing spaces. */
static int last_cp(const char *t, size_t start, size_t end)
{
    while (end > start && (t[end - 1] == ' ' || t[end - 1] == '\t'))
        end--;
    if (end <= start)
        return -1;
    int cp = -1;
    zm_utf8_prev(t, start, end, &cp);
    return cp;
}

static int ends_sentence(const char *t, size_t start, size_t end)
{
    int cp = last_cp(t, start, end);
    /* 79. / 68%, 1: / 13.5: a decimal point or a ratio's colon wrapped */
    if (cp == '.' || cp == 0xFF0E || cp == ':' || cp == 0xFF1A) {
        size_t e = end;
        while (e > start && (t[e - 1] == ' ' || t[e - 1] == '\t'))
            e--;
        int dot, before = -1;
        size_t l = (size_t)zm_utf8_prev(t, start, e, &dot);
        if (e - start > l)
            zm_utf8_prev(t, start, e - l, &before);
        if ((before >= '0' && before <= '9') || (before >= 0xFF10 && before <= 0xFF19))
            return 0;
    }
    switch (cp) {
    case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF1B: case 0xFF1A: /* 。！？；： */
    case '.': case '!': case '?': case ';': case ':': case 0x2026:   /* … */
    case 0x201D: case 0x300B: /* ” 》: a quotation or title closing a line */
        return 1;
    default:
        return cp < 0;
    }
}

static int is_cn_digit(int cp)
{
    static const char digits[] = "〇零一二三四五六七八九十百";
    const unsigned char *p = (const unsigned char *)digits, *end = p + sizeof digits - 1;
    while (p < end) {
        int d;
        p += zm_utf8_next(p, end, &d);
        if (d == cp)
            return 1;
    }
    return 0;
}

/* Does a line start a new unit: a heading or list number (一、 （一） 1. 2、
 * 第三章), a bullet, or anything but text that can continue a sentence? */
static int starts_block(const char *t, size_t at, size_t end)
{
    int cp = cp_at(t, at, end);
    if (cp == ' ' || cp == '\t' || cp == 0x3000 || cp < 0)
        return 1; /* indented: a paragraph of its own */
    if (cp == 0xFF08 || cp == '(' || cp == 0x7B2C /* 第 */)
        return 1;
    size_t p = at;
    int cn = 0, ar = 0;
    for (int k = 0; k < 4 && p < end; k++) {
        int c = cp_at(t, p, end);
        if (c >= '0' && c <= '9')
            ar++;
        else if (is_cn_digit(c))
            cn++;
        else
            break;
        p += (size_t)zm_utf8_len((unsigned char)t[p]);
    }
    if (ar || cn) {
        int c = cp_at(t, p, end);
        /* 1、 1. 1） 一、 一． but not 1.5 */
        if (c == 0x3001 || c == 0xFF0E || c == 0xFF09 || c == ')' || (c == '.' && !(ar && p + 1 < end && t[p + 1] >= '0' && t[p + 1] <= '9')))
            return 1;
        return 0;
    }
    /* .68%: the decimal part of a wrapped number */
    if ((cp == '.' || cp == 0xFF0E) && ((t[at + (cp == '.' ? 1 : 3)] >= '0' && t[at + (cp == '.' ? 1 : 3)] <= '9')))
        return 0;
    /* text, or punctuation a wrap can leave at a line's start */
    if (cp >= 0x3400 && cp <= 0x9FFF)
        return 0;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '%' || cp == 0xFF05)
        return 0;
    switch (cp) {
    case 0xFF0C: case 0x3001: case 0x3002: case 0xFF1B: case 0xFF1A: /* ，、。；： */
    case 0xFF09: case ')': case 0x201D: case 0x201C: case 0x300A: case 0x300B: /* ）)”“《》 */
        return 0;
    default:
        return 1; /* bullets, dashes, page marks */
    }
}

static int has_table_mark(const char *t, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++)
        if (t[i] == '|' || t[i] == '\t')
            return 1;
    return 0;
}

static int by_width_desc(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The page width: the top of the widest window of FULL_SLACK columns that
 * holds most body lines, or 0 when the lines do not share one width. */
static unsigned page_width(const span *ln, size_t n)
{
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        nb += ln[i].width >= MIN_BODY_WIDTH;
    if (nb < 4)
        return 0;
    unsigned *w = malloc(nb * sizeof *w);
    if (!w)
        return 0; /* no unwrapping: the text stays as it is */
    for (size_t i = 0, k = 0; i < n; i++)
        if (ln[i].width >= MIN_BODY_WIDTH)
            w[k++] = ln[i].width;
    qsort(w, nb, sizeof *w, by_width_desc);
    size_t best = 0, best_i = 0;
    for (size_t i = 0, j = 0; i < nb; i++) {
        if (j < i)
            j = i;
        while (j < nb && w[j] + FULL_SLACK >= w[i])
            j++;
        if (j - i > best)
            best = j - i, best_i = i;
    }
    unsigned top = w[best_i];
    free(w);
    /* most body lines are full, and few are wider than the page */
    if (best < 4 || best * 5 < nb * 2 || best_i > 2 + nb / 10)
        return 0;
    return top;
}

int zm_unwrap_find(zm_unwrap *u, const char *src, size_t len)
{
    u->n = 0;
    size_t n = 0, cap = 0;
    span *ln = NULL;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(src + at, '\n', len - at);
        size_t e = nl ? (size_t)(nl - src) : len;
        size_t ce = e > at && src[e - 1] == '\r' ? e - 1 : e;
        if (n == cap && zm_grow((void **)&ln, n, &cap, sizeof *ln, 256)) {
            free(ln);
            return ZM_E_NOMEM;
        }
        unsigned w = ce - at > MAX_WRAP_BYTES ? WIDE : cols((const unsigned char *)src + at, (const unsigned char *)src + ce);
        ln[n++] = (span){at, ce, w};
        at = nl ? e + 1 : len;
    }
    unsigned page = page_width(ln, n);
    int rc = 0;
    for (size_t i = 0; page && i + 1 < n; i++) {
        const span *a = &ln[i], *b = &ln[i + 1];
        if (a->width + FULL_SLACK < page || b->end <= b->start || ends_sentence(src, a->start, a->end) ||
            starts_block(src, b->start, b->end) || has_table_mark(src, a->start, a->end) ||
            has_table_mark(src, b->start, b->end))
            continue;
        if (zm_grow((void **)&u->at, u->n, &u->cap, sizeof *u->at, 64)) {
            rc = ZM_E_NOMEM;
            break;
        }
        u->at[u->n++] = (uint32_t)a->end;
    }
    free(ln);
    if (rc)
        u->n = 0;
    return rc;
}

size_t zm_unwrap_before(const zm_unwrap *u, size_t orig)
{
    size_t lo = 0, hi = u->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (u->at[mid] < orig)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void zm_unwrap_free(zm_unwrap *u)
{
    free(u->at);
    memset(u, 0, sizeof *u);
}
