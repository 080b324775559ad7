/* The text the readers make: lines of visible text. White space inside a
 * paragraph is collapsed as a browser would, except next to Chinese,
 * where a line break of the source is no space at all:
 *   "全县共有\n  学校 12 所"  => "全县共有学校12所"
 *   "Hello \n world"          => "Hello world"
 * Text past max bytes is not kept (overflow set: the reader says limit).
 */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "utf8.h"
#include "zhmetrics.h"

int zm_is_cjk(int cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int put(zm_textout *t, const char *s, size_t n)
{
    if (t->overflow)
        return 0;
    if (t->len + n > t->max) {
        t->overflow = 1;
        return 0;
    }
    if (t->len + n + 1 > t->cap) {
        size_t nc = t->cap ? t->cap : 4096;
        while (nc < t->len + n + 1)
            nc *= 2;
        char *d = realloc(t->data, nc);
        if (!d)
            return ZM_E_NOMEM;
        t->data = d;
        t->cap = nc;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = 0;
    return 0;
}

/* Writes what is due before a visible character cp. */
static int before_visible(zm_textout *t, int cp)
{
    int rc = 0;
    if (t->pending_nl) {
        if (t->len && t->data[t->len - 1] != '\n')
            rc = put(t, "\n", 1);
        t->pending_nl = t->pending_sp = 0;
        t->last_cp = 0;
    }
    if (t->pending_sp) {
        if (t->last_cp && t->last_cp != '\t' && !zm_is_cjk(t->last_cp) && !zm_is_cjk(cp))
            rc = rc ? rc : put(t, " ", 1);
        t->pending_sp = 0;
    }
    return rc;
}

static int is_space(int cp) { return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\f' || cp == 0xA0 || cp == 0x3000; }

int zm_textout_add(zm_textout *t, const char *s, size_t n, int keep_space)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    while (u < end && !t->overflow) {
        int cp;
        int k = zm_utf8_next(u, end, &cp);
        if (k <= 0)
            k = 1;
        if (cp < 0) { /* invalid bytes never reach the text */
            u += k;
            continue;
        }
        if (cp == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F) {
            u += k;
            continue;
        }
        if (keep_space && cp == '\n') {
            int rc = zm_textout_nl(t);
            if (rc)
                return rc;
            u += k;
            continue;
        }
        if (!keep_space && is_space(cp)) {
            if (t->last_cp)
                t->pending_sp = 1;
            u += k;
            continue;
        }
        int rc = before_visible(t, cp);
        if (!rc)
            rc = put(t, (const char *)u, (size_t)k);
        if (rc)
            return rc;
        t->last_cp = cp;
        u += k;
    }
    return 0;
}

int zm_textout_raw(zm_textout *t, const char *s, size_t n) { return put(t, s, n); }

int zm_textout_nl(zm_textout *t)
{
    if (t->last_cp)
        t->pending_nl = 1;
    t->pending_sp = 0;
    return 0;
}

int zm_textout_tab(zm_textout *t)
{
    int rc = before_visible(t, '\t');
    if (!rc)
        rc = put(t, "\t", 1);
    t->last_cp = '\t';
    return rc;
}
