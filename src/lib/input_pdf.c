/* PDF files => their text layer in reading order, through poppler (glib
 * binding; poppler runs no JavaScript). Lines the page width broke are
 * joined back into paragraphs; running headers, footers and page numbers
 * are dropped; where each page starts in the text is kept (a metric's
 * `page`).
 *   "全县共有学校12所，在校学生3"  + "万人。"   => "全县共有学校12所，在校学生3万人。"
 *   "- 3 -", "第3页", "3/12" alone at a page's top or bottom => dropped
 *   a line at the same place on most pages (the report's running title) => dropped
 *   encrypted, or no text at all (a scan) => an error saying so
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "utf8.h"
#include "util.h"

typedef struct pline {
    char *s;        /* into the page's text (NUL-terminated in place) */
    double x0, x1, y0, y1;
    int has_box;
    int page;
    int drop;
} pline;

typedef struct pages {
    pline *l;
    size_t n, cap;
    double *right; /* per page: the right edge of its text */
    double *left;
    char **texts;  /* per page, g_free'd */
    int npages;
} pages;

/* A line's shape for comparing across pages: digits as '#', no spaces. */
static void shape(const char *s, char *out, size_t sz)
{
    size_t k = 0;
    for (; *s && k + 1 < sz; s++) {
        if (*s == ' ' || *s == '\t')
            continue;
        out[k++] = *s >= '0' && *s <= '9' ? '#' : *s;
    }
    out[k] = 0;
}

/* A page number alone: "3", "- 3 -", "— 3 —", "第3页", "第 3 页 共 12 页", "3/12", "Page 3". */
static int page_number(const char *s)
{
    char a[128];
    size_t k = 0;
    int digits = 0;
    const unsigned char *u = (const unsigned char *)s, *end = u + strlen(s);
    while (u < end) {
        int cp;
        int n = zm_utf8_next(u, end, &cp);
        u += n > 0 ? n : 1;
        if (cp == ' ' || cp == '-' || cp == 0x2014 || cp == 0x2013 || cp == 0xFF0D || cp == '_' || cp == 0x3000 ||
            cp == 0x2012 || cp == 0x2015 || cp == 0x2500)
            continue;
        if (cp >= '0' && cp <= '9')
            digits++;
        if (k + 4 >= sizeof a)
            return 0;
        k += (size_t)zm_utf8_encode(cp, a + k);
    }
    a[k] = 0;
    if (!digits)
        return 0;
    /* what is left besides digits: nothing, 第页共, /, Page of */
    for (size_t i = 0; i < k;) {
        if (a[i] >= '0' && a[i] <= '9') {
            i++;
        } else if (a[i] == '/') {
            i++;
        } else if (strncmp(a + i, "\xe7\xac\xac", 3) == 0 || strncmp(a + i, "\xe9\xa1\xb5", 3) == 0 ||
                   strncmp(a + i, "\xe5\x85\xb1", 3) == 0) { /* 第 页 共 */
            i += 3;
        } else if (strncmp(a + i, "Page", 4) == 0 || strncmp(a + i, "of", 2) == 0) {
            i += a[i] == 'P' ? 4 : 2;
        } else {
            return 0;
        }
    }
    return 1;
}

static int last_cp(const char *s)
{
    size_t n = strlen(s);
    int cp = 0;
    if (n)
        zm_utf8_prev(s, 0, n, &cp);
    return cp;
}

static int first_cp(const char *s)
{
    int cp = 0;
    if (*s)
        zm_utf8_next((const unsigned char *)s, (const unsigned char *)s + strlen(s), &cp);
    return cp;
}

/* Ends a sentence or a heading: the next line starts a paragraph. A '.'
 * after a digit is a decimal point cut by the line end (3.\n2个百分点). */
static int ends_sentence(const char *s)
{
    size_t n = strlen(s);
    int cp = 0, before = 0;
    if (!n)
        return 0;
    size_t k = (size_t)zm_utf8_prev(s, 0, n, &cp); /* its length */
    if (k < n)
        zm_utf8_prev(s, 0, n - k, &before);
    if (cp == '.' && before >= '0' && before <= '9')
        return 0;
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == 0xFF1A || cp == '.' || cp == '!' ||
           cp == '?' || cp == ';' || cp == ':' || cp == 0x2026;
}

/* A heading or list item starts here: 一、 （一） (1) 1. 1、 第一章 ① */
static int starts_item(const char *s)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + strlen(s);
    int cp, n = zm_utf8_next(u, end, &cp);
    if (n <= 0)
        return 0;
    if (cp == 0xFF08 || cp == '(' || (cp >= 0x2460 && cp <= 0x2473) || cp == 0x7B2C) /* （ ( ① 第 */
        return 1;
    const unsigned char *p = u;
    int digits = 0;
    while (p < end) {
        int k = zm_utf8_next(p, end, &cp);
        if (k <= 0)
            break;
        if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19) ||
            cp == 0x4E00 || cp == 0x4E8C || cp == 0x4E09 || cp == 0x56DB || cp == 0x4E94 || cp == 0x516D ||
            cp == 0x4E03 || cp == 0x516B || cp == 0x4E5D || cp == 0x5341) { /* 一二三四五六七八九十 */
            digits++;
            p += k;
            if (digits > 3)
                return 0;
            continue;
        }
        if (digits == 0 || !(cp == 0x3001 || cp == '.' || cp == 0xFF0E || cp == 0xFF09 || cp == ')'))
            return 0;
        /* "1." starts an item, "120.4万元" does not */
        int nx = 0;
        if ((cp == '.' || cp == 0xFF0E) && p + k < end)
            zm_utf8_next(p + k, end, &nx);
        return !((nx >= '0' && nx <= '9') || (nx >= 0xFF10 && nx <= 0xFF19));
    }
    return 0;
}

/* Splits each page's text into lines with their boxes. */
static int collect(PopplerDocument *doc, pages *pg, size_t *visible)
{
    pg->npages = poppler_document_get_n_pages(doc);
    if (pg->npages < 0)
        pg->npages = 0;
    pg->texts = calloc((size_t)pg->npages + 1, sizeof *pg->texts);
    pg->right = calloc((size_t)pg->npages + 1, sizeof *pg->right);
    pg->left = calloc((size_t)pg->npages + 1, sizeof *pg->left);
    if (!pg->texts || !pg->right || !pg->left)
        return ZM_E_NOMEM;
    for (int p = 0; p < pg->npages; p++) {
        PopplerPage *page = poppler_document_get_page(doc, p);
        if (!page)
            continue;
        char *text = poppler_page_get_text(page);
        PopplerRectangle *r = NULL;
        guint nr = 0;
        if (text && !poppler_page_get_text_layout(page, &r, &nr))
            nr = 0;
        g_object_unref(page);
        if (!text)
            continue;
        pg->texts[p] = text;
        /* one box per character of text, when poppler gives them */
        glong nchars = g_utf8_strlen(text, -1);
        int boxes = r && (glong)nr == nchars;
        pg->left[p] = 1e9;
        char *s = text;
        glong ci = 0;
        while (*s) {
            char *e = strchr(s, '\n');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            glong cn = g_utf8_strlen(s, (gssize)len);
            /* trim */
            char *a = s, *b = s + len;
            glong ca = ci;
            while (a < b && (*a == ' ' || *a == '\r' || *a == '\t'))
                a++, ca++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\r' || b[-1] == '\t'))
                b--;
            if (b > a) {
                if (zm_grow((void **)&pg->l, pg->n, &pg->cap, sizeof *pg->l, 256)) {
                    g_free(r);
                    return ZM_E_NOMEM;
                }
                pline *l = &pg->l[pg->n++];
                memset(l, 0, sizeof *l);
                *b = 0;
                l->s = a;
                l->page = p;
                if (boxes) {
                    glong cb = ca + g_utf8_strlen(a, b - a) - 1;
                    l->has_box = 1;
                    l->x0 = r[ca].x1;
                    l->x1 = r[cb].x2;
                    l->y0 = r[ca].y1;
                    l->y1 = r[ca].y2;
                    for (glong k = ca; k <= cb; k++) {
                        l->y0 = fmin(l->y0, r[k].y1);
                        l->y1 = fmax(l->y1, r[k].y2);
                        l->x1 = fmax(l->x1, r[k].x2);
                    }
                    pg->right[p] = fmax(pg->right[p], l->x1);
                    pg->left[p] = fmin(pg->left[p], l->x0);
                }
                *visible += (size_t)(b - a);
            }
            ci += cn + (e ? 1 : 0);
            if (!e)
                break;
            *e = 0;
            s = e + 1;
        }
        g_free(r);
    }
    return 0;
}

/* Running headers and footers: among the first two and last two lines of
 * each page, a shape found at about the same height on half the pages or
 * more (at least two); and page numbers alone at a page's top or bottom. */
static int mark_furniture(pages *pg)
{
    typedef struct edge {
        size_t line;
        char shape[128];
    } edge;
    edge *e = NULL;
    size_t ne = 0, cap = 0;
    for (size_t i = 0; i < pg->n;) {
        size_t j = i;
        while (j < pg->n && pg->l[j].page == pg->l[i].page)
            j++;
        for (size_t k = i; k < j; k++) {
            if (!(k < i + 2 || k + 2 >= j))
                continue;
            if (page_number(pg->l[k].s)) {
                pg->l[k].drop = 1;
                continue;
            }
            if (zm_grow((void **)&e, ne, &cap, sizeof *e, 64)) {
                free(e);
                return ZM_E_NOMEM;
            }
            e[ne].line = k;
            shape(pg->l[k].s, e[ne++].shape, sizeof e->shape);
        }
        i = j;
    }
    for (size_t a = 0; a < ne && pg->npages >= 2; a++) {
        const pline *la = &pg->l[e[a].line];
        int same = 0, seen = -1;
        for (size_t b = 0; b < ne; b++) {
            const pline *lb = &pg->l[e[b].line];
            if (lb->page == seen || lb->page == la->page)
                continue;
            if (la->has_box && lb->has_box && fabs(la->y0 - lb->y0) > 3)
                continue;
            if (strcmp(e[a].shape, e[b].shape) == 0) {
                same++;
                seen = lb->page;
            }
        }
        if (same + 1 >= 2 && 2 * (same + 1) >= pg->npages)
            pg->l[e[a].line].drop = 1;
    }
    free(e);
    return 0;
}

static int is_digitish(int cp) { return (cp >= '0' && cp <= '9') || cp == '.' || cp == '%' || cp == ','; }

int zm_input_pdf(const char *bytes, size_t len, size_t max, zm_input *out, char *msg, size_t msgsz)
{
    memset(out, 0, sizeof *out);
    GError *err = NULL;
    GBytes *gb = g_bytes_new_static(bytes, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(gb, NULL, &err);
    pages pg = {0};
    zm_textout t = {0};
    size_t *starts = NULL;
    int rc = 0;
    if (!doc) {
        if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
            snprintf(msg, msgsz, "not text: the PDF is encrypted (it needs a password to open); decrypt it first");
        else
            snprintf(msg, msgsz, "not text: corrupt PDF (%s)", err && err->message ? err->message : "unreadable");
        rc = ZM_E_INPUT;
        goto done;
    }
    size_t visible = 0;
    if ((rc = collect(doc, &pg, &visible)))
        goto nomem;
    if (visible == 0) {
        snprintf(msg, msgsz, "not text: the PDF has no text layer (%d page%s of images, a scan?): OCR is needed to read it",
                 pg.npages, pg.npages == 1 ? "" : "s");
        rc = ZM_E_INPUT;
        goto done;
    }
    if (mark_furniture(&pg))
        goto nomem;
    starts = calloc((size_t)pg.npages + 1, sizeof *starts);
    if (!starts)
        goto nomem;
    t.max = max;
    const pline *prev = NULL;
    int page_seen = -1;
    for (size_t k = 0; k < pg.n && !t.overflow; k++) {
        const pline *l = &pg.l[k];
        if (l->drop)
            continue;
        int join = 0;
        if (prev) {
            /* the previous line reached the right edge of its page's text */
            double h = prev->y1 - prev->y0;
            int full = !prev->has_box || prev->x1 >= pg.right[prev->page] - 1.5 * (h > 0 ? h : 10);
            int indented = l->has_box && l->x0 > pg.left[l->page] + 0.8 * (h > 0 ? h : 10);
            join = full && !indented && !ends_sentence(prev->s) && !starts_item(l->s);
        }
        if (prev && !join)
            rc = zm_textout_raw(&t, "\n", 1);
        else if (join) {
            int lc = last_cp(prev->s), fc = first_cp(l->s);
            if (!zm_is_cjk(lc) && !zm_is_cjk(fc) && !(is_digitish(lc) && is_digitish(fc)))
                rc = zm_textout_raw(&t, " ", 1);
        }
        while (page_seen < l->page) /* pages without kept text start here too */
            starts[++page_seen] = t.len;
        if (!rc)
            rc = zm_textout_raw(&t, l->s, strlen(l->s));
        if (rc)
            goto nomem;
        prev = l;
    }
    while (page_seen + 1 < pg.npages)
        starts[++page_seen] = t.len;
    if (t.overflow) {
        snprintf(msg, msgsz, "limit: text of the PDF over --max-bytes %zu", max);
        rc = ZM_E_LIMIT;
        goto done;
    }
    if (zm_textout_raw(&t, "\n", 1))
        goto nomem;
    /* poppler's text is UTF-8; a NUL inside would cut it, a stray byte
     * would break the pipeline's assumption */
    if (zm_utf8_check(t.data, t.len) != t.len) {
        snprintf(msg, msgsz, "not text: the PDF's text layer is not valid Unicode");
        rc = ZM_E_INPUT;
        goto done;
    }
    out->text = t.data;
    out->len = t.len;
    out->pages = starts;
    out->npages = (size_t)pg.npages;
    t.data = NULL;
    starts = NULL;
    goto done;
nomem:
    snprintf(msg, msgsz, "out of memory");
    rc = ZM_E_NOMEM;
done:
    free(starts);
    free(t.data);
    for (int p = 0; pg.texts && p < pg.npages; p++)
        g_free(pg.texts[p]);
    free(pg.texts);
    free(pg.right);
    free(pg.left);
    free(pg.l);
    if (doc)
        g_object_unref(doc);
    if (err)
        g_error_free(err);
    g_bytes_unref(gb);
    return rc;
}
