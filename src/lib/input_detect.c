/* Which reader a file's bytes need, decided by their content; the name's
 * extension is only a hint for messages.
 *   "%PDF-"                        => pdf (in the first KB: junk may lead)
 *   "PK\3\4" + "word/document.xml" => docx; other zip => zip (an error)
 *   D0 CF 11 E0 A1 B1 1A E1        => ole2: legacy .doc/.wps (an error)
 *   "<!doctype html", "<html", "<head", "<meta", "<body" first => html
 *   anything else                  => text
 */
#define _POSIX_C_SOURCE 200809L
#include <libxml/parser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input.h"
#include "zhmetrics.h"

const char *const zm_input_names[ZM_IN_N] = {"text", "html", "docx", "pdf", "zip", "ole2"};

void zm_input_free(zm_input *in)
{
    free(in->text);
    free(in->pages);
    memset(in, 0, sizeof *in);
}

static const char *mem_find(const char *h, size_t hl, const char *n)
{
    size_t nl = strlen(n);
    for (size_t i = 0; hl >= nl && i <= hl - nl; i++) {
        const char *p = memchr(h + i, n[0], hl - nl - i + 1);
        if (!p)
            return NULL;
        if (memcmp(p, n, nl) == 0)
            return p;
        i = (size_t)(p - h);
    }
    return NULL;
}

/* The first markup of a page: after a BOM, white space, comments and an
 * XML declaration, a tag that only HTML starts with. ASCII only: a UTF-16
 * page is looked at through its low bytes. */
static int looks_html(const char *bytes, size_t len)
{
    char a[1024];
    size_t n = 0, i = 0;
    const unsigned char *u = (const unsigned char *)bytes;
    int step = 1;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        step = 2;
        i = u[0] == 0xFF ? 2 : 3;
    } else if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        i = 3;
    }
    for (; i < len && n < sizeof a - 1; i += (size_t)step)
        a[n++] = (char)u[i];
    a[n] = 0;
    size_t p = 0;
    for (;;) {
        while (p < n && (a[p] == ' ' || a[p] == '\t' || a[p] == '\r' || a[p] == '\n'))
            p++;
        if (p + 4 <= n && memcmp(a + p, "<!--", 4) == 0) {
            const char *e = strstr(a + p + 4, "-->");
            if (!e)
                return 0;
            p = (size_t)(e - a) + 3;
        } else if (p + 5 <= n && memcmp(a + p, "<?xml", 5) == 0) {
            const char *e = strstr(a + p, "?>");
            if (!e)
                return 0;
            p = (size_t)(e - a) + 2;
        } else {
            break;
        }
    }
    static const char *const starts[] = {"<!doctype html", "<html", "<head", "<meta", "<body", "<title", "<!doctype"};
    for (size_t k = 0; k < sizeof starts / sizeof *starts; k++) {
        size_t sl = strlen(starts[k]);
        if (p + sl <= n && strncasecmp(a + p, starts[k], sl) == 0) {
            char next = p + sl < n ? a[p + sl] : ' ';
            if (k == 0 || k == 6 || next == '>' || next == ' ' || next == '\t' || next == '\r' || next == '\n' ||
                next == '/')
                return 1;
        }
    }
    return 0;
}

zm_input_kind zm_input_detect(const char *bytes, size_t len, const char *name)
{
    (void)name;
    size_t head = len < 1024 ? len : 1024;
    if (len >= 5 && mem_find(bytes, head, "%PDF-"))
        return ZM_IN_PDF;
    if (len >= 4 && memcmp(bytes, "PK\3\4", 4) == 0)
        return mem_find(bytes, len, "word/document.xml") ? ZM_IN_DOCX : ZM_IN_ZIP;
    if (len >= 8 && memcmp(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return ZM_IN_OLE2;
    if (looks_html(bytes, len))
        return ZM_IN_HTML;
    return ZM_IN_TEXT;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = s ? strlen(s) : 0, k = strlen(suf);
    return n >= k && strcasecmp(s + n - k, suf) == 0;
}

/* libxml2 wants its global state set up once before threads parse
 * (xmlInitParser); poppler-glib guards its own. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

int zm_input_read(zm_input_kind kind, const char *bytes, size_t len, const char *name, size_t max, zm_input *out,
                  char *msg, size_t msgsz)
{
    memset(out, 0, sizeof *out);
    if (kind == ZM_IN_HTML || kind == ZM_IN_DOCX)
        pthread_once(&xml_once, xml_init);
    switch (kind) {
    case ZM_IN_HTML:
        return zm_input_html(bytes, len, max, out, msg, msgsz);
    case ZM_IN_DOCX:
        return zm_input_docx(bytes, len, max, out, msg, msgsz);
    case ZM_IN_PDF:
        return zm_input_pdf(bytes, len, max, out, msg, msgsz);
    case ZM_IN_ZIP:
        snprintf(msg, msgsz, "not text: a zip archive without word/document.xml (not a Word .docx document)");
        return ZM_E_INPUT;
    case ZM_IN_OLE2:
        snprintf(msg, msgsz,
                 "not text: %s (a legacy binary compound file) is not read; convert it to .docx "
                 "(e.g. soffice --headless --convert-to docx) and give that",
                 ends_with(name, ".wps") ? "a WPS Office .wps document"
                 : ends_with(name, ".xls") ? "an Excel .xls workbook"
                                           : "a legacy Word .doc document");
        return ZM_E_INPUT;
    default:
        snprintf(msg, msgsz, "internal error: no reader for %s", zm_input_names[kind]);
        return ZM_E_INPUT;
    }
}
