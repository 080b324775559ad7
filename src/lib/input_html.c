/* HTML pages => their main text, through libxml2's HTML parser (tolerant
 * of broken markup; no network, no entity expansion from outside).
 *   <meta charset="gb2312"> ... <p>全县共有学校12所。</p>  => "全县共有学校12所。"
 *   <nav>首页 新闻</nav><div id="footer">访问量12345</div> => dropped
 *   <tr><td>学校</td><td>12</td></tr>                      => "学校\t12"
 * The charset: a BOM, else <meta charset> / http-equiv in the first 4 KB,
 * else as plain text (UTF-8 when valid, else GB18030). The main text: the
 * block with the most Chinese text outside links (docs/format.md, "HTML").
 * The tree is walked without recursion: 100,000 nested tags are a long
 * loop, not a deep stack.
 */
#define _GNU_SOURCE /* memmem */
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "input.h"
#include "utf8.h"
#include "util.h"

/* ---- charset ---- */

/* The charset a <meta> in the first 4 KB declares, into cs; 0 if none. */
static int meta_charset(const char *b, size_t len, char *cs, size_t cssz)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 8 < n; i++) {
        if (strncasecmp(b + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < n && (b[j] == ' ' || b[j] == '\t'))
            j++;
        if (j >= n || b[j] != '=')
            continue;
        j++;
        while (j < n && (b[j] == ' ' || b[j] == '"' || b[j] == '\''))
            j++;
        size_t k = 0;
        while (j < n && k + 1 < cssz &&
               ((b[j] >= 'a' && b[j] <= 'z') || (b[j] >= 'A' && b[j] <= 'Z') || (b[j] >= '0' && b[j] <= '9') ||
                b[j] == '-' || b[j] == '_'))
            cs[k++] = b[j++];
        cs[k] = 0;
        if (k)
            return 1;
    }
    return 0;
}

/* bytes in charset `from` => UTF-8 in out; 0 or -1 (not that charset, or
 * a NUL in the text). */
static int convert(const char *from, const char *bytes, size_t len, zm_buf *out)
{
    size_t bad;
    if (zm_iconv_utf8(from, bytes, len, out, &bad))
        return -1;
    return memchr(out->data ? out->data : "", 0, out->len) ? -1 : 0;
}

/* The page as UTF-8 in buf; *enc the charset it was read in. */
static int page_utf8(const char *bytes, size_t len, zm_buf *buf, const char **enc, char *msg, size_t msgsz)
{
    const unsigned char *u = (const unsigned char *)bytes;
    int bom = (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
              (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF);
    char cs[40];
    if (!bom && meta_charset(bytes, len, cs, sizeof cs)) {
        const char *from = NULL;
        if (strcasecmp(cs, "gb2312") == 0 || strcasecmp(cs, "gbk") == 0 || strcasecmp(cs, "gb18030") == 0 ||
            strcasecmp(cs, "x-gbk") == 0 || strcasecmp(cs, "cp936") == 0) {
            from = "GB18030";
            *enc = "gb18030";
        } else if (strcasecmp(cs, "big5") == 0) {
            from = "BIG5-HKSCS";
            *enc = "big5";
        }
        /* utf-8 and the rest: as plain text (a page saved as UTF-8 often
         * keeps the gb2312 it was served with; see below) */
        if (from && convert(from, bytes, len, buf) == 0)
            return 0;
    }
    return zm_decode(bytes, len, buf, enc, msg, msgsz);
}

/* ---- the tree ---- */

typedef struct estat {
    double score;          /* text of its paragraphs, its children's, half its grandchildren's */
    size_t own, own_link;  /* Chinese characters and digits of its own text, and of links in it */
    size_t text, link;     /* the same for the whole subtree */
    int blocks;            /* block elements inside */
    int has_table;
    int data_row;          /* a <tr> written as one line (pass 2) */
    size_t up, blk;        /* index + 1 of the kept parent, of the nearest block (itself when one) */
} estat;

typedef struct walker {
    estat *st;
    size_t n, cap;
} walker;

static int name_is(const xmlNode *e, const char *n) { return e->name && strcasecmp((const char *)e->name, n) == 0; }

static int is_block(const xmlNode *e)
{
    static const char *const b[] = {"p",       "div",     "h1",       "h2",     "h3",     "h4",   "h5",
                                    "h6",      "li",      "ul",       "ol",     "dl",     "dt",   "dd",
                                    "table",   "tbody",   "thead",    "tfoot",  "tr",     "td",   "th",
                                    "caption", "section", "article",  "main",   "pre",    "blockquote",
                                    "address", "center",  "figure",   "figcaption", "body", "html", "hr"};
    for (size_t i = 0; i < sizeof b / sizeof *b; i++)
        if (name_is(e, b[i]))
            return 1;
    return 0;
}

static int tok_eq(const char *s, size_t n, const char *w) { return strlen(w) == n && strncasecmp(s, w, n) == 0; }

/* An id or class that names page furniture (navigation, footer, sidebar,
 * breadcrumbs, counters, share buttons). */
static int noise_name(const char *v)
{
    static const char *const sub[] = {"footer", "header", "navbar", "navigation", "sidebar", "breadcrumb",
                                      "copyright", "friendlink", "toolbar", "topbar", "menu", "counter", "banner"};
    static const char *const tok[] = {"nav", "foot", "side", "share", "top", "bottom", "links", "ad", "ads",
                                      "print", "position", "location", "search", "login", "crumb", "crumbs",
                                      "related", "comment", "comments", "visit", "weizhi", "dqwz"};
    char low[256];
    size_t n = 0;
    for (; v[n] && n < sizeof low - 1; n++)
        low[n] = (char)(v[n] >= 'A' && v[n] <= 'Z' ? v[n] + 32 : v[n]);
    low[n] = 0;
    /* a name that also says content ("content-top", "article-side") is
     * kept: dropping the main text by mistake loses everything */
    static const char *const keep[] = {"content", "article", "main", "zoom", "detail", "zhengwen"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        if (strstr(low, keep[i]))
            return 0;
    for (size_t i = 0; i < sizeof sub / sizeof *sub; i++)
        if (strstr(low, sub[i]))
            return 1;
    for (size_t i = 0; i < n;) {
        while (i < n && !((low[i] >= 'a' && low[i] <= 'z') || (low[i] >= '0' && low[i] <= '9')))
            i++;
        size_t s = i;
        while (i < n && ((low[i] >= 'a' && low[i] <= 'z') || (low[i] >= '0' && low[i] <= '9')))
            i++;
        for (size_t k = 0; k < sizeof tok / sizeof *tok && i > s; k++)
            if (tok_eq(low + s, i - s, tok[k]))
                return 1;
    }
    return 0;
}

static int attr_noise(const xmlNode *e, const char *attr)
{
    xmlChar *v = xmlGetProp(e, (const xmlChar *)attr);
    int r = 0;
    if (v) {
        if (strcmp(attr, "style") == 0) {
            char *s = (char *)v, *w = s;
            for (; *s; s++) /* "display: none" => "display:none" */
                if (*s != ' ')
                    *w++ = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
            *w = 0;
            r = strstr((char *)v, "display:none") || strstr((char *)v, "visibility:hidden");
        } else {
            r = noise_name((const char *)v);
        }
        xmlFree(v);
    }
    return r;
}

/* Elements never part of the main text. */
static int is_noise(const xmlNode *e)
{
    static const char *const t[] = {"script", "style",  "noscript", "nav",    "header", "footer", "aside",
                                    "form",   "select", "option",   "button", "iframe", "input",  "textarea",
                                    "template", "svg",  "head",     "object", "embed",  "map",    "menu", "title"};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (name_is(e, t[i]))
            return 1;
    if (name_is(e, "body") || name_is(e, "html"))
        return 0;
    return attr_noise(e, "id") || attr_noise(e, "class") || attr_noise(e, "style") ||
           xmlHasProp(e, (const xmlChar *)"hidden") != NULL;
}

static size_t idx_of(const xmlNode *e) { return (size_t)(uintptr_t)e->_private; } /* 0: none */

/* Chinese characters and digits of s: what a report's text is made of. */
static size_t weight(const char *s)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + strlen(s);
    size_t n = 0;
    while (u < end) {
        int cp;
        int k = zm_utf8_next(u, end, &cp);
        u += k > 0 ? k : 1;
        if ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= '0' && cp <= '9'))
            n++;
    }
    return n;
}

/* Pass 1: numbers the kept elements (_private = index + 1), adds up their
 * text and scores them. Noise subtrees are not entered. Each element
 * knows its nearest block, so a text node finds its paragraph in one step
 * however deep it lies. */
static int score_tree(walker *w, xmlNode *root)
{
    xmlNode *n = root;
    int in_link = 0;
    while (n) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE && !is_noise(n)) {
            if (zm_grow((void **)&w->st, w->n, &w->cap, sizeof *w->st, 256))
                return ZM_E_NOMEM;
            estat *s = &w->st[w->n];
            memset(s, 0, sizeof *s);
            s->up = n == root ? 0 : idx_of(n->parent);
            s->blk = is_block(n) ? w->n + 1 : s->up ? w->st[s->up - 1].blk : 0;
            n->_private = (void *)(uintptr_t)(++w->n);
            if (name_is(n, "a"))
                in_link++;
            descend = 1;
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->parent &&
                   n->parent->type == XML_ELEMENT_NODE && idx_of(n->parent)) {
            size_t k = n->content ? weight((const char *)n->content) : 0;
            size_t b = w->st[idx_of(n->parent) - 1].blk;
            if (k && b) {
                w->st[b - 1].own += k;
                if (in_link)
                    w->st[b - 1].own_link += k;
            }
        }
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        /* leave n and the ancestors it closes */
        for (;;) {
            if (n->type == XML_ELEMENT_NODE && idx_of(n)) {
                estat *s = &w->st[idx_of(n) - 1];
                if (name_is(n, "a"))
                    in_link--;
                s->text += s->own;
                s->link += s->own_link;
                double para = (double)s->own - 2.0 * (double)s->own_link;
                size_t p = s->up ? w->st[s->up - 1].blk : 0;
                size_t g = p && w->st[p - 1].up ? w->st[w->st[p - 1].up - 1].blk : 0;
                if (para > 0) {
                    s->score += para;
                    if (p)
                        w->st[p - 1].score += para;
                    if (g)
                        w->st[g - 1].score += para / 2;
                }
                if (s->up) {
                    estat *u = &w->st[s->up - 1];
                    u->text += s->text;
                    u->link += s->link;
                    u->blocks += s->blocks + (is_block(n) && !name_is(n, "td") && !name_is(n, "th"));
                    u->has_table |= s->has_table || name_is(n, "table");
                }
            }
            if (n == root)
                return 0;
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
        }
    }
    return 0;
}

/* A cell holding paragraphs of its own (a page laid out with a table):
 * its row is not one line. */
static int layout_cell(const walker *w, const xmlNode *td)
{
    const estat *s = &w->st[idx_of(td) - 1];
    return s->has_table || s->blocks > 3 || s->text > 200;
}

static int layout_row(const walker *w, const xmlNode *tr)
{
    for (const xmlNode *c = tr->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && idx_of(c) && (name_is(c, "td") || name_is(c, "th")) && layout_cell(w, c))
            return 1;
    return 0;
}

/* Pass 2: the text of root's kept elements, as lines. */
static int emit_tree(walker *w, xmlNode *root, zm_textout *t)
{
    xmlNode *n = root;
    int pre = 0, row_depth = 0; /* inside a data row: blocks are spaces, cells tabs */
    int rc = 0;
    while (n && !rc && !t->overflow) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE && idx_of(n)) {
            const estat *s = &w->st[idx_of(n) - 1];
            /* a list or block of links inside the text: related links, pagers */
            int linky = s->text > 0 && s->link * 10 > s->text * 7 && n != root &&
                        (name_is(n, "ul") || name_is(n, "ol") || name_is(n, "div") || name_is(n, "p") || name_is(n, "table"));
            if (!linky) {
                descend = 1;
                if (name_is(n, "tr") && !layout_row(w, n)) {
                    zm_textout_nl(t);
                    row_depth++;
                    w->st[idx_of(n) - 1].data_row = 1;
                } else if ((name_is(n, "td") || name_is(n, "th")) && row_depth) {
                    const xmlNode *prev = n->prev;
                    while (prev && !(prev->type == XML_ELEMENT_NODE && (name_is(prev, "td") || name_is(prev, "th"))))
                        prev = prev->prev;
                    if (prev)
                        rc = zm_textout_tab(t);
                } else if (name_is(n, "br")) {
                    if (row_depth)
                        t->pending_sp = t->last_cp != 0;
                    else
                        zm_textout_nl(t);
                } else if (is_block(n)) {
                    if (row_depth)
                        t->pending_sp = t->last_cp != 0;
                    else
                        zm_textout_nl(t);
                }
                if (name_is(n, "pre"))
                    pre++;
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            rc = zm_textout_add(t, (const char *)n->content, strlen((const char *)n->content), pre > 0 && !row_depth);
        }
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        for (;;) {
            if (n->type == XML_ELEMENT_NODE && idx_of(n) && descend) {
                if (w->st[idx_of(n) - 1].data_row) {
                    row_depth--;
                    w->st[idx_of(n) - 1].data_row = 0;
                    zm_textout_nl(t);
                } else if (is_block(n) && !row_depth) {
                    zm_textout_nl(t);
                }
                if (name_is(n, "pre"))
                    pre--;
            }
            if (n == root)
                return rc;
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            descend = 1; /* an ancestor: it was entered */
        }
    }
    return rc;
}

/* First element named name outside noise (pre-order, no recursion). */
static xmlNode *find_kept(xmlNode *root, const char *name, int kept_only)
{
    xmlNode *n = root;
    while (n) {
        int descend = n->type == XML_ELEMENT_NODE && (!kept_only || idx_of(n) || name_is(n, "head"));
        if (descend && n != root && name_is(n, name))
            return n;
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        if (!n || n == root)
            return NULL;
        n = n->next;
    }
    return NULL;
}

/* The page's title: its first <h1> outside noise, else <title> up to a
 * site-name separator ("…工作总结_某县人民政府"). */
static char *page_title(xmlNode *root)
{
    xmlNode *h = find_kept(root, "h1", 1);
    int from_title = 0;
    if (!h) {
        h = find_kept(root, "title", 0);
        from_title = 1;
    }
    if (!h)
        return NULL;
    xmlChar *c = xmlNodeGetContent(h);
    if (!c)
        return NULL;
    zm_textout t = {0};
    t.max = 4096;
    zm_textout_add(&t, (const char *)c, strlen((const char *)c), 0);
    xmlFree(c);
    if (t.data && from_title) {
        static const char *const seps[] = {"_", "|", " - ", "——", "－"};
        for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
            char *p = strstr(t.data, seps[i]);
            if (p && p > t.data)
                *p = 0;
        }
    }
    return t.data;
}

int zm_input_html(const char *bytes, size_t len, size_t max, zm_input *out, char *msg, size_t msgsz)
{
    memset(out, 0, sizeof *out);
    zm_buf u = {0};
    walker w = {0};
    zm_textout t = {0};
    htmlDocPtr doc = NULL;
    char *title = NULL;
    const char *enc = "utf-8";
    int rc = page_utf8(bytes, len, &u, &enc, msg, msgsz);
    if (rc)
        goto done;
    if (u.len > INT32_MAX) {
        snprintf(msg, msgsz, "limit: HTML page over 2 GiB");
        rc = ZM_E_LIMIT;
        goto done;
    }
    /* no HTML_PARSE_HUGE: libxml2 keeps its limits (nesting depth 256,
     * name and text lengths) */
    htmlParserCtxtPtr px = htmlNewParserCtxt();
    if (!px)
        goto nomem;
    doc = htmlCtxtReadMemory(px, u.data ? u.data : "", (int)u.len, NULL, "UTF-8",
                             HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                 HTML_PARSE_IGNORE_ENC);
    /* past the depth limit libxml2 stops reading: the rest of the page
     * would be lost without a word */
    int too_deep = px->lastError.message && strstr(px->lastError.message, "Excessive depth");
    htmlFreeParserCtxt(px);
    zm_buf_free(&u);
    if (too_deep) {
        snprintf(msg, msgsz, "limit: HTML elements nested deeper than 256 levels (the parser's limit); the page is not read");
        rc = ZM_E_LIMIT;
        goto done;
    }
    t.max = max;
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root) {
        if ((rc = score_tree(&w, root)))
            goto nomem;
        /* the main block: the highest score; the outermost of equals */
        size_t best = 0;
        for (size_t i = 1; i < w.n; i++)
            if (w.st[i].score > w.st[best].score)
                best = i;
        xmlNode *main_el = NULL;
        if (w.n && w.st[best].score >= 6) {
            for (xmlNode *n = root; n && !main_el;) { /* find element best+1 */
                if (n->type == XML_ELEMENT_NODE && idx_of(n) == best + 1) {
                    main_el = n;
                    break;
                }
                int d = n->type == XML_ELEMENT_NODE && idx_of(n);
                if (d && n->children) {
                    n = n->children;
                    continue;
                }
                while (n && n != root && !n->next)
                    n = n->parent;
                n = n && n != root ? n->next : NULL;
            }
        }
        if (main_el) {
            if ((rc = emit_tree(&w, main_el, &t)))
                goto nomem;
            title = page_title(root);
            /* the title stands outside the text block on most pages */
            size_t tl = title ? strlen(title) : 0;
            if (tl && !t.overflow && weight(title) > 0 &&
                !(t.data && memmem(t.data, t.len < 1024 ? t.len : 1024, title, tl))) {
                zm_textout h = {0};
                h.max = max;
                if (zm_textout_add(&h, title, tl, 0) || zm_textout_raw(&h, "\n", 1) ||
                    zm_textout_raw(&h, t.data ? t.data : "", t.len)) {
                    free(h.data);
                    goto nomem;
                }
                free(t.data);
                t = h;
            }
        }
    }
    if (t.overflow) {
        snprintf(msg, msgsz, "limit: text of the HTML page over --max-bytes %zu", max);
        rc = ZM_E_LIMIT;
        goto done;
    }
    if (zm_textout_raw(&t, "\n", t.len ? 1 : 0) || (!t.data && !(t.data = calloc(1, 1))))
        goto nomem;
    out->text = t.data;
    out->len = t.len;
    out->encoding = enc;
    t.data = NULL;
    rc = 0;
    goto done;
nomem:
    snprintf(msg, msgsz, "out of memory");
    rc = ZM_E_NOMEM;
done:
    free(title);
    free(t.data);
    free(w.st);
    zm_buf_free(&u);
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}
