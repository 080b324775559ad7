/* Word documents (.docx) => paragraphs as lines, through libzip and
 * libxml2's XML parser (no network, entities not substituted, default
 * depth limits).
 *   <w:p><w:r><w:t>全县共有学校12所。</w:t></w:r></w:p>  => "全县共有学校12所。"
 *   <w:tr><w:tc>..学校..</w:tc><w:tc>..12..</w:tc></w:tr> => "学校\t12"
 *   a document.xml declared or found over max bytes unpacked => limit error
 * Headings (w:pStyle Heading1 / 标题1, w:outlineLvl) are paragraphs like
 * the others: one line each; the numbers Word generates for them
 * (numbering.xml: "一、", "（一）") are written in front again.
 */
#define _POSIX_C_SOURCE 200809L
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "input.h"
#include "util.h"

static int is_w(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* Unpacks entry name, held to max bytes (declared and as read). */
static int read_entry(zip_t *z, const char *name, size_t max, zm_buf *out, char *msg, size_t msgsz)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0) {
        snprintf(msg, msgsz, "not text: .docx without %s (not a Word document)", name);
        return ZM_E_INPUT;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > max) {
        snprintf(msg, msgsz, "limit: %s unpacks to %llu bytes, over --max-bytes %zu (a zip bomb?)", name,
                 (unsigned long long)st.size, max);
        return ZM_E_LIMIT;
    }
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) {
        snprintf(msg, msgsz, "not text: corrupt .docx: cannot open %s (%s)", name, zip_strerror(z));
        return ZM_E_INPUT;
    }
    int rc = 0;
    for (;;) {
        if (zm_buf_reserve(out, 65536)) {
            rc = ZM_E_NOMEM;
            snprintf(msg, msgsz, "out of memory");
            break;
        }
        zip_int64_t k = zip_fread(f, out->data + out->len, 65536);
        if (k < 0) {
            snprintf(msg, msgsz, "not text: corrupt .docx: %s: %s", name, zip_file_strerror(f));
            rc = ZM_E_INPUT;
            break;
        }
        if (k == 0)
            break;
        out->len += (size_t)k;
        /* the declared size may lie: what comes out is counted too */
        if (out->len > max) {
            snprintf(msg, msgsz, "limit: %s unpacks to more than --max-bytes %zu (a zip bomb?)", name, max);
            rc = ZM_E_LIMIT;
            break;
        }
    }
    zip_fclose(f);
    return rc;
}

/* ---- list numbering Word generates (word/numbering.xml) ----
 * A heading numbered by Word has no "一、" in its text: the label is made
 * again from the level's format and text ("%1、", chineseCounting), so the
 * pipeline sees the heading as written on paper. Counters are kept per
 * list (numId); a level resets the levels below it. */
#define NUM_LEVELS 9
#define NUM_MAX 64

typedef struct numlvl {
    char fmt[32];
    char text[32];
    int start;
} numlvl;

typedef struct numbering {
    struct {
        int num_id, abstract_id;
        int count[NUM_LEVELS];
    } num[NUM_MAX];
    int nnum;
    struct {
        int id;
        numlvl lvl[NUM_LEVELS];
    } abs[NUM_MAX];
    int nabs;
} numbering;

static int w_int(const xmlNode *n, const char *attr, int dflt)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    int r = v ? atoi((const char *)v) : dflt;
    xmlFree(v);
    return r;
}

static void w_str(const xmlNode *n, char *out, size_t sz)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)"val");
    snprintf(out, sz, "%s", v ? (const char *)v : "");
    xmlFree(v);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_w(c, name))
            return c;
    return NULL;
}

static void numbering_load(numbering *nb, const char *xml, size_t len)
{
    memset(nb, 0, sizeof *nb);
    xmlDocPtr doc = len < 0x7FFFFFFF ? xmlReadMemory(xml, (int)len, "numbering.xml", NULL,
                                                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                                     : NULL;
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (is_w(c, "abstractNum") && nb->nabs < NUM_MAX) {
            nb->abs[nb->nabs].id = w_int(c, "abstractNumId", -1);
            for (xmlNode *l = c->children; l; l = l->next) {
                int il = is_w(l, "lvl") ? w_int(l, "ilvl", -1) : -1;
                if (il < 0 || il >= NUM_LEVELS)
                    continue;
                numlvl *v = &nb->abs[nb->nabs].lvl[il];
                const xmlNode *x;
                v->start = (x = child(l, "start")) ? w_int(x, "val", 1) : 1;
                if ((x = child(l, "numFmt")))
                    w_str(x, v->fmt, sizeof v->fmt);
                if ((x = child(l, "lvlText")))
                    w_str(x, v->text, sizeof v->text);
            }
            nb->nabs++;
        } else if (is_w(c, "num") && nb->nnum < NUM_MAX) {
            const xmlNode *a = child(c, "abstractNumId");
            nb->num[nb->nnum].num_id = w_int(c, "numId", -1);
            nb->num[nb->nnum].abstract_id = a ? w_int(a, "val", -1) : -1;
            nb->nnum++;
        }
    }
    if (doc)
        xmlFreeDoc(doc);
}

/* n (1..99 and beyond) in Chinese numerals: 1 一, 10 十, 12 十二, 20 二十. */
static void chinese_number(int n, char *out, size_t sz)
{
    static const char *const d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n <= 0 || n >= 100) {
        snprintf(out, sz, "%d", n);
        return;
    }
    if (n < 10)
        snprintf(out, sz, "%s", d[n]);
    else
        snprintf(out, sz, "%s十%s", n / 10 == 1 ? "" : d[n / 10], n % 10 ? d[n % 10] : "");
}

static void format_number(const char *fmt, int n, char *out, size_t sz)
{
    if (strncmp(fmt, "chineseCounting", 15) == 0 || strcmp(fmt, "ideographTraditional") == 0 ||
        strcmp(fmt, "japaneseCounting") == 0 || strcmp(fmt, "taiwaneseCounting") == 0)
        chinese_number(n, out, sz);
    else if (strcmp(fmt, "decimalEnclosedCircle") == 0 && n >= 1 && n <= 20)
        snprintf(out, sz, "%c%c%c", 0xE2, 0x91, 0x9F + n); /* ① U+2460 */
    else if ((strcmp(fmt, "upperLetter") == 0 || strcmp(fmt, "lowerLetter") == 0) && n >= 1 && n <= 26)
        snprintf(out, sz, "%c", (fmt[0] == 'u' ? 'A' : 'a') + n - 1);
    else if (strcmp(fmt, "bullet") == 0 || strcmp(fmt, "none") == 0)
        out[0] = 0;
    else
        snprintf(out, sz, "%d", n);
}

/* The label of a paragraph numbered (numId, ilvl), counted; "" if none. */
static void number_label(numbering *nb, int num_id, int ilvl, char *out, size_t sz)
{
    out[0] = 0;
    if (ilvl < 0 || ilvl >= NUM_LEVELS)
        return;
    for (int i = 0; i < nb->nnum; i++) {
        if (nb->num[i].num_id != num_id)
            continue;
        for (int a = 0; a < nb->nabs; a++) {
            if (nb->abs[a].id != nb->num[i].abstract_id)
                continue;
            const numlvl *lv = nb->abs[a].lvl;
            int *cnt = nb->num[i].count;
            cnt[ilvl] = cnt[ilvl] ? cnt[ilvl] + 1 : lv[ilvl].start;
            for (int k = ilvl + 1; k < NUM_LEVELS; k++)
                cnt[k] = 0;
            if (strcmp(lv[ilvl].fmt, "bullet") == 0)
                return;
            size_t o = 0;
            for (const char *p = lv[ilvl].text; *p && o + 16 < sz; p++) {
                if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
                    int l = p[1] - '1';
                    char num[32];
                    format_number(lv[l].fmt, cnt[l] ? cnt[l] : lv[l].start, num, sizeof num);
                    o += (size_t)snprintf(out + o, sz - o, "%s", num);
                    p++;
                } else {
                    out[o++] = *p;
                }
            }
            out[o] = 0;
            return;
        }
    }
}

/* Text of body as lines: a paragraph a line, a table row a line of cells
 * separated by tabs (a cell's paragraphs joined by spaces). Walked without
 * recursion. */
static int emit_body(xmlNode *body, zm_textout *t, numbering *nb)
{
    xmlNode *n = body;
    int row_depth = 0, rc = 0;
    while (n && !rc && !t->overflow) {
        int descend = n->type == XML_ELEMENT_NODE;
        if (is_w(n, "p") && nb) {
            const xmlNode *np = child(child(n, "pPr"), "numPr");
            const xmlNode *id = child(np, "numId"), *lv = child(np, "ilvl");
            char label[128];
            if (id) {
                number_label(nb, w_int(id, "val", -1), lv ? w_int(lv, "val", 0) : 0, label, sizeof label);
                rc = zm_textout_add(t, label, strlen(label), 0);
            }
        } else if (is_w(n, "t") || is_w(n, "delText")) {
            descend = 0;
            if (is_w(n, "t")) {
                xmlChar *c = xmlNodeGetContent(n);
                if (c)
                    rc = zm_textout_add(t, (const char *)c, strlen((const char *)c), 0);
                xmlFree(c);
            }
        } else if (is_w(n, "tab")) {
            rc = row_depth ? 0 : zm_textout_tab(t);
        } else if (is_w(n, "br") || is_w(n, "cr")) {
            if (row_depth)
                t->pending_sp = t->last_cp != 0;
            else
                zm_textout_nl(t);
        } else if (is_w(n, "tr")) {
            zm_textout_nl(t);
            row_depth++;
        } else if (is_w(n, "tc")) {
            const xmlNode *p = n->prev;
            while (p && !is_w(p, "tc"))
                p = p->prev;
            if (p)
                rc = zm_textout_tab(t);
        } else if (is_w(n, "instrText") || is_w(n, "pPr") || is_w(n, "rPr") || is_w(n, "sectPr") ||
                   is_w(n, "tblPr") || is_w(n, "tcPr") || is_w(n, "trPr") || is_w(n, "Fallback")) {
            descend = 0; /* field codes and formatting */
        }
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        for (;;) {
            if (is_w(n, "p")) {
                if (row_depth)
                    t->pending_sp = t->last_cp != 0;
                else
                    zm_textout_nl(t);
            } else if (is_w(n, "tr")) {
                row_depth--;
                zm_textout_nl(t);
            }
            if (n == body)
                return rc;
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
        }
    }
    return rc;
}

int zm_input_docx(const char *bytes, size_t len, size_t max, zm_input *out, char *msg, size_t msgsz)
{
    memset(out, 0, sizeof *out);
    zip_error_t ze;
    zip_error_init(&ze);
    zm_buf xml = {0};
    zm_textout t = {0};
    xmlDocPtr doc = NULL;
    int rc = 0;
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!z) {
        snprintf(msg, msgsz, "not text: corrupt .docx (zip: %s)", zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return ZM_E_INPUT;
    }
    if ((rc = read_entry(z, "word/document.xml", max, &xml, msg, msgsz)))
        goto done;
    if (xml.len > 0x7FFFFFFF) {
        snprintf(msg, msgsz, "limit: word/document.xml over 2 GiB");
        rc = ZM_E_LIMIT;
        goto done;
    }
    /* no XML_PARSE_NOENT (entities stay unexpanded), no XML_PARSE_HUGE */
    doc = xmlReadMemory(xml.data ? xml.data : "", (int)xml.len, "document.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    zm_buf_free(&xml);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNode *body = root ? root->children : NULL;
    while (body && !is_w(body, "body"))
        body = body->next;
    if (!body) {
        snprintf(msg, msgsz, "not text: corrupt .docx: word/document.xml is not a Word document body");
        rc = ZM_E_INPUT;
        goto done;
    }
    /* numbering is optional: without it (or unreadable) no labels */
    numbering *nb = calloc(1, sizeof *nb);
    zm_buf nx = {0};
    char nmsg[256];
    if (nb && read_entry(z, "word/numbering.xml", max, &nx, nmsg, sizeof nmsg) == 0)
        numbering_load(nb, nx.data ? nx.data : "", nx.len);
    zm_buf_free(&nx);
    t.max = max;
    rc = emit_body(body, &t, nb);
    free(nb);
    if (rc) {
        snprintf(msg, msgsz, "out of memory");
        goto done;
    }
    if (t.overflow) {
        snprintf(msg, msgsz, "limit: text of the .docx over --max-bytes %zu", max);
        rc = ZM_E_LIMIT;
        goto done;
    }
    if (zm_textout_raw(&t, "\n", t.len ? 1 : 0) || (!t.data && !(t.data = calloc(1, 1)))) {
        snprintf(msg, msgsz, "out of memory");
        rc = ZM_E_NOMEM;
        goto done;
    }
    out->text = t.data;
    out->len = t.len;
    t.data = NULL;
done:
    free(t.data);
    zm_buf_free(&xml);
    if (doc)
        xmlFreeDoc(doc);
    zip_discard(z);
    zip_error_fini(&ze);
    return rc;
}
