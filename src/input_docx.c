/* Word documents (.docx) => paragraphs as lines, through libzip and
 * libxml2's XML parser (no network, entities not substituted, default
 * depth limits).
 *   <w:p><w:r><w:t>全县共有学校12所。</w:t></w:r></w:p>  => "全县共有学校12所。"
 *   <w:tr><w:tc>..学校..</w:tc><w:tc>..12..</w:tc></w:tr> => "学校\t12"
 *   a document.xml declared or found over max bytes unpacked => limit error
 * Headings (w:pStyle Heading1 / 标题1, w:outlineLvl) are paragraphs like
 * the others: one line each.
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

/* Text of body as lines: a paragraph a line, a table row a line of cells
 * separated by tabs (a cell's paragraphs joined by spaces). Walked without
 * recursion. */
static int emit_body(xmlNode *body, zm_textout *t)
{
    xmlNode *n = body;
    int row_depth = 0, rc = 0;
    while (n && !rc && !t->overflow) {
        int descend = n->type == XML_ELEMENT_NODE;
        if (is_w(n, "t") || is_w(n, "delText")) {
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
    t.max = max;
    if ((rc = emit_body(body, &t))) {
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
