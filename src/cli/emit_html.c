#define _POSIX_C_SOURCE 200809L
#include "emit_html.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbuf.h"
#include "track_html.h"
#include "writer.h"

struct zm_html {
    FILE *f;       /* the page: head, then the documents */
    FILE *rows;    /* table rows, copied after the documents at the end */
    char *path, *tmp_path;
    size_t ndocs, nerrors, nmetrics;
    int io_error;
    /* `zhmetrics track`: each document's first highlight number (a target
     * links to its highlight), and the Targets rows, written at close */
    char **doc_names;
    size_t *doc_base, ndoc_names;
    FILE *targets;
};


/* The page's own error log comes first so that it sees every later error:
 * the self-check below reports it (data-zm-check on <html>). */
static const char head[] =
    "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta name=\"generator\" content=\"zhmetrics " ZM_VERSION "\">\n"
    "<title>zhmetrics review</title>\n"
    "<script>\n"
    "window.__zmErrors = [];\n"
    "window.addEventListener('error', function (e) { window.__zmErrors.push(String(e.message || e)); });\n"
    "window.addEventListener('unhandledrejection', function (e) { window.__zmErrors.push(String(e.reason)); });\n"
    "(function () { var ce = console.error; console.error = function () {\n"
    "  window.__zmErrors.push(Array.prototype.join.call(arguments, ' ')); return ce.apply(console, arguments); }; })();\n"
    "</script>\n"
    "<style>\n"
    ":root { --amount: #ffd866; --count: #9fd3ff; --ratio: #a6e8a6; --measure: #dcc0ff; --duration: #ffc28f; }\n"
    "* { box-sizing: border-box; }\n"
    "body { margin: 0; height: 100vh; display: flex; flex-direction: column; font: 14px/1.6 system-ui, 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif; color: #222; background: #f6f6f6; }\n"
    "header { flex: 0 0 auto; background: #fff; border-bottom: 1px solid #ddd; padding: 4px 12px; display: flex; flex-wrap: wrap; gap: 2px 18px; align-items: center; overflow: auto; }\n"
    "header h1 { font-size: 16px; margin: 0; }\n"
    "header label { white-space: nowrap; margin-right: 6px; cursor: pointer; }\n"
    ".sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin: 0 3px; }\n"
    ".sw.target { background: #fff; outline: 2px dashed #c0392b; outline-offset: -2px; }\n"
    "main { flex: 1 1 auto; min-height: 0; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }\n"
    "#docs { overflow: auto; padding: 8px 12px; min-height: 0; }\n"
    "#side { display: flex; flex-direction: column; border-left: 1px solid #ddd; background: #fff; min-height: 0; }\n"
    "#details { flex: 0 0 auto; max-height: 40%; overflow: auto; padding: 6px 10px; border-bottom: 1px solid #ddd; font-size: 13px; }\n"
    "#details dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0 10px; margin: 0; }\n"
    "#details dt { color: #666; } #details dd { margin: 0; word-break: break-all; }\n"
    "#tablewrap { flex: 1 1 auto; overflow: auto; min-height: 0; }\n"
    "section.doc { background: #fff; border: 1px solid #e3e3e3; border-radius: 4px; margin: 0 0 12px; padding: 6px 10px; }\n"
    "section.doc h2 { font-size: 14px; margin: 0; word-break: break-all; }\n"
    ".meta { color: #666; font-size: 12px; margin: 2px 0 6px; }\n"
    ".note, .err { color: #b00020; font-size: 13px; }\n"
    "pre.text { white-space: pre-wrap; word-break: break-all; font: inherit; margin: 0; }\n"
    "mark.zm { border-radius: 2px; padding: 0 1px; cursor: pointer; color: inherit; }\n"
    "mark.k-amount, .sw.k-amount { background: var(--amount); }\n"
    "mark.k-count, .sw.k-count { background: var(--count); }\n"
    "mark.k-ratio, .sw.k-ratio { background: var(--ratio); }\n"
    "mark.k-measure, .sw.k-measure { background: var(--measure); }\n"
    "mark.k-duration, .sw.k-duration { background: var(--duration); }\n"
    "mark.s-target { outline: 2px dashed #c0392b; outline-offset: 0; }\n"
    "mark.zm.sel { box-shadow: 0 0 0 3px #1565c0; }\n"
    "body.hide-k-amount mark.k-amount, body.hide-k-count mark.k-count, body.hide-k-ratio mark.k-ratio,\n"
    "body.hide-k-measure mark.k-measure, body.hide-k-duration mark.k-duration,\n"
    "body.hide-s-actual mark.s-actual, body.hide-s-target mark.s-target { background: none; outline: none; }\n"
    "body.hide-k-amount tr.k-amount, body.hide-k-count tr.k-count, body.hide-k-ratio tr.k-ratio,\n"
    "body.hide-k-measure tr.k-measure, body.hide-k-duration tr.k-duration,\n"
    "body.hide-s-actual tr.s-actual, body.hide-s-target tr.s-target { display: none; }\n"
    "table { border-collapse: collapse; min-width: 100%; font-size: 12px; }\n"
    "th { position: sticky; top: 0; background: #eee; cursor: pointer; user-select: none; text-align: left; white-space: nowrap; }\n"
    "th[aria-sort=ascending]::after { content: ' \\25B2'; } th[aria-sort=descending]::after { content: ' \\25BC'; }\n"
    "td, th { border-bottom: 1px solid #eee; padding: 2px 4px; vertical-align: top; white-space: nowrap; }\n"
    "td.wrap { white-space: normal; min-width: 8em; max-width: 16em; }\n"
    "td.num { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "tbody tr { cursor: pointer; } tbody tr:hover { background: #f5f9ff; } tbody tr.sel { background: #e3f2fd; }\n"
    "</style>\n</head>\n<body>\n";

static void put(zm_html *h, const char *s)
{
    if (fputs(s, h->f) == EOF)
        h->io_error = 1;
}

/* HTML-escapes n bytes of s (text and attribute values alike). */
static void esc_n(FILE *f, const char *s, size_t n, int *io_error)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = NULL;
        switch (s[i]) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '"': e = "&quot;"; break;
        case '\'': e = "&#39;"; break;
        case '\r': e = ""; break; /* CRLF: the LF ends the line */
        default: break;
        }
        if (!e)
            continue;
        if (i > run && fwrite(s + run, 1, i - run, f) != i - run)
            *io_error = 1;
        if (*e && fputs(e, f) == EOF)
            *io_error = 1;
        run = i + 1;
    }
    if (n > run && fwrite(s + run, 1, n - run, f) != n - run)
        *io_error = 1;
}

static void esc(FILE *f, const char *s, int *io_error)
{
    if (s)
        esc_n(f, s, strlen(s), io_error);
}

/* A lone CR would vanish from the text: keep it as a line break there. */
static void esc_text(FILE *f, const char *s, size_t n, int *io_error)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')) {
            esc_n(f, s + start, i - start, io_error);
            if (fputc('\n', f) == EOF)
                *io_error = 1;
            start = i + 1;
        }
    esc_n(f, s + start, n - start, io_error);
}

static void attr(FILE *f, const char *name, const char *v, int *io_error)
{
    if (!v)
        return;
    if (fprintf(f, " %s=\"", name) < 0)
        *io_error = 1;
    esc(f, v, io_error);
    if (fputc('"', f) == EOF)
        *io_error = 1;
}

zm_html *zm_html_open(const char *path, char *msg, size_t msgsz)
{
    zm_html *h = calloc(1, sizeof *h);
    if (!h || !(h->path = strdup(path))) {
        snprintf(msg, msgsz, "out of memory");
        free(h);
        return NULL;
    }
    /* a new file or a plain one is written beside it and renamed at the
     * end; anything else (a device, a pipe, a symlink such as /dev/stdout)
     * is written in place, never replaced */
    struct stat st;
    if (lstat(path, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode)) {
        size_t n = strlen(path) + 32;
        h->tmp_path = malloc(n);
        if (h->tmp_path)
            snprintf(h->tmp_path, n, "%s.tmp.%ld", path, (long)getpid());
    }
    const char *target = h->tmp_path ? h->tmp_path : path;
    h->f = fopen(target, "wb");
    h->rows = h->f ? tmpfile() : NULL;
    if (!h->f || !h->rows) {
        snprintf(msg, msgsz, "%s: %s", target, strerror(errno));
        if (h->f) {
            fclose(h->f);
            if (h->tmp_path)
                unlink(h->tmp_path);
        }
        free(h->tmp_path);
        free(h->path);
        free(h);
        return NULL;
    }
    put(h, head);
    put(h, "<header>\n<h1>zhmetrics review</h1>\n<span id=\"summary\"></span>\n<span class=\"filters\">kind:");
    for (int i = 0; i < ZM_K_N; i++)
        if (fprintf(h->f,
                    " <label><input type=\"checkbox\" checked data-filter=\"k-%s\"><span class=\"sw k-%s\"></span>%s</label>",
                    zm_kind_name(i), zm_kind_name(i), zm_kind_name(i)) < 0)
            h->io_error = 1;
    put(h, "</span>\n<span class=\"filters\">status:");
    for (int i = 0; i < ZM_S_N; i++)
        if (fprintf(h->f, " <label><input type=\"checkbox\" checked data-filter=\"s-%s\">%s%s</label>", zm_status_name(i),
                    i == ZM_S_TARGET ? "<span class=\"sw target\"></span>" : "", zm_status_name(i)) < 0)
            h->io_error = 1;
    put(h, "</span>\n</header>\n<main>\n<div id=\"docs\">\n");
    return h;
}

const char *zm_html_tmp_path(const zm_html *h) { return h->tmp_path; }

static void range_text(sbuf *b, const zm_date_range *r)
{
    if (!r)
        return;
    sbuf_adds(b, r->text ? r->text : "");
    if (r->from[0]) {
        sbuf_adds(b, " (");
        sbuf_adds(b, r->from);
        sbuf_adds(b, "\xe2\x80\xa6"); /* … */
        sbuf_adds(b, r->to);
        sbuf_adds(b, ")");
    }
}

static void section_text(sbuf *b, const zm_metric *m)
{
    for (size_t k = 0; k < m->section_len; k++) {
        if (k)
            sbuf_adds(b, " \xe2\x80\xba "); /* › */
        sbuf_adds(b, m->section[k] ? m->section[k] : "");
    }
}

/* The hover text of a highlight: the fields that matter when reading. */
static void hover_text(sbuf *b, const zm_metric *m)
{
    b->len = 0;
    sbuf_adds(b, m->kind);
    sbuf_adds(b, " \xc2\xb7 ");
    sbuf_adds(b, m->status);
    sbuf_adds(b, "\nvalue: ");
    sbuf_adds(b, m->value ? m->value : "?");
    if (m->value_max) {
        sbuf_adds(b, "\xe2\x80\x93");
        sbuf_adds(b, m->value_max);
    }
    sbuf_adds(b, " ");
    sbuf_adds(b, m->unit ? m->unit : "");
    sbuf_adds(b, " (");
    sbuf_adds(b, m->qualifier ? m->qualifier : "exact");
    sbuf_adds(b, ")");
    if (m->change) {
        sbuf_adds(b, "\nchange: ");
        sbuf_adds(b, m->change);
    }
    if (m->subject) {
        sbuf_adds(b, "\nsubject: ");
        sbuf_adds(b, m->subject);
    }
    if (m->time) {
        sbuf_adds(b, "\ntime: ");
        range_text(b, m->time);
    }
    if (m->section_len) {
        sbuf_adds(b, "\nsection: ");
        section_text(b, m);
    }
}

static void mark(zm_html *h, const zm_metric *m, size_t k, const char *text, size_t n, sbuf *tmp)
{
    if (fprintf(h->f, "<mark class=\"zm k-%s s-%s\" id=\"m-%zu\" data-k=\"%zu\"", m->kind, m->status, k, k) < 0)
        h->io_error = 1;
    hover_text(tmp, m);
    attr(h->f, "title", tmp->data, &h->io_error);
    put(h, ">");
    esc_text(h->f, text, n, &h->io_error);
    put(h, "</mark>");
}

static void cell(zm_html *h, const char *cls, const char *sort, const char *v)
{
    FILE *f = h->rows;
    if (fputs("<td", f) == EOF)
        h->io_error = 1;
    attr(f, "class", cls, &h->io_error);
    attr(f, "data-sort", sort, &h->io_error);
    if (fputc('>', f) == EOF)
        h->io_error = 1;
    esc(f, v, &h->io_error);
    if (fputs("</td>", f) == EOF)
        h->io_error = 1;
}

/* Presentation of a few review columns: a CSS class for a cell. */
static const char *col_class(const zm_field *f)
{
    if (f->type == ZM_FT_ID || f->type == ZM_FT_NUMBER)
        return "num";
    return strcmp(f->name, "subject") == 0 ? "wrap" : NULL;
}

/* A field's value as the text of an attribute or a cell (NULL: none). */
static const char *field_text(const zm_field *f, const zm_value *v, sbuf *tmp)
{
    char num[64];
    if (v->is_null && f->type != ZM_FT_STRINGS)
        return NULL;
    tmp->len = 0;
    switch (f->type) {
    case ZM_FT_STRING:
    case ZM_FT_NUMBER:
    case ZM_FT_JSON:
        return v->str;
    case ZM_FT_INT:
    case ZM_FT_BOOL:
        snprintf(num, sizeof num, "%lld", v->num);
        sbuf_adds(tmp, num);
        break;
    case ZM_FT_ID:
        sbuf_adds(tmp, v->str);
        snprintf(num, sizeof num, "#%lld", v->num);
        sbuf_adds(tmp, num);
        break;
    case ZM_FT_SPAN:
        snprintf(num, sizeof num, "[%zu, %zu)", v->span[0], v->span[1]);
        sbuf_adds(tmp, num);
        break;
    case ZM_FT_RANGE:
        sbuf_adds(tmp, "");
        range_text(tmp, v->range);
        break;
    case ZM_FT_STRINGS:
        for (size_t k = 0; k < v->nstrs; k++) {
            if (k)
                sbuf_adds(tmp, " \xe2\x80\xba "); /* › */
            sbuf_adds(tmp, v->strs[k] ? v->strs[k] : "");
        }
        if (!tmp->len)
            return NULL;
        break;
    }
    return tmp->data;
}

/* A row of the metrics table: the review columns of the field table
 * (ZM_FIELD_REVIEW) as cells, every other field as a data- attribute that
 * the details panel shows. */
static void row(zm_html *h, const zm_doc *d, const zm_metric *m, size_t i, size_t k, sbuf *tmp)
{
    FILE *f = h->rows;
    char num[64];
    if (fprintf(f, "<tr id=\"r-%zu\" class=\"k-%s s-%s\" data-k=\"%zu\"", k, m->kind, m->status, k) < 0)
        h->io_error = 1;
    size_t nf = zm_field_count(ZM_RECORD_METRIC);
    zm_value v;
    for (size_t j = 0; j < nf; j++) {
        const zm_field *fi = zm_field_info(ZM_RECORD_METRIC, j);
        if ((fi->flags & ZM_FIELD_REVIEW) && fi->type != ZM_FT_ID)
            continue;
        zm_field_get(d, ZM_RECORD_METRIC, j, i, &v);
        char name[64] = "data-";
        for (size_t c = 0; fi->name[c] && c + 6 < sizeof name; c++)
            name[5 + c] = fi->name[c] == '_' ? '-' : fi->name[c];
        attr(f, name, field_text(fi, &v, tmp), &h->io_error);
    }
    if (fputs(">", f) == EOF)
        h->io_error = 1;
    for (size_t j = 0; j < nf; j++) {
        const zm_field *fi = zm_field_info(ZM_RECORD_METRIC, j);
        if (!(fi->flags & ZM_FIELD_REVIEW))
            continue;
        zm_field_get(d, ZM_RECORD_METRIC, j, i, &v);
        const char *cls = col_class(fi);
        if (fi->flags & ZM_FIELD_FROM_DOC) {
            /* the file name; the whole name sorts and shows in the details */
            const char *base = v.str ? strrchr(v.str, '/') : NULL;
            cell(h, cls, v.str, base && base[1] ? base + 1 : v.str);
        } else if (fi->type == ZM_FT_ID) {
            snprintf(num, sizeof num, "%lld", v.num);
            cell(h, cls, NULL, num);
        } else if (fi->type == ZM_FT_NUMBER) {
            /* a range: the next field (value_max) is its upper end */
            zm_value hi = {0};
            if (j + 1 < nf && zm_field_info(ZM_RECORD_METRIC, j + 1)->type == ZM_FT_NUMBER)
                zm_field_get(d, ZM_RECORD_METRIC, j + 1, i, &hi);
            tmp->len = 0;
            sbuf_adds(tmp, v.str ? v.str : "");
            if (hi.str) {
                sbuf_adds(tmp, "\xe2\x80\x93");
                sbuf_adds(tmp, hi.str);
            }
            cell(h, cls, v.str, tmp->data);
        } else if (fi->type == ZM_FT_RANGE) {
            char sort[32] = "";
            if (v.range)
                snprintf(sort, sizeof sort, "%s %s", v.range->from, v.range->to);
            cell(h, cls, sort, field_text(fi, &v, tmp));
        } else {
            cell(h, cls, NULL, field_text(fi, &v, tmp));
        }
    }
    if (fputs("</tr>\n", f) == EOF)
        h->io_error = 1;
}

int zm_html_add(zm_html *h, const zm_doc *d, const char *bytes, size_t len)
{
    char **dn = realloc(h->doc_names, (h->ndoc_names + 1) * sizeof *dn);
    size_t *db = dn ? realloc(h->doc_base, (h->ndoc_names + 1) * sizeof *db) : NULL;
    if (dn)
        h->doc_names = dn;
    if (db)
        h->doc_base = db;
    if (!db || !(dn[h->ndoc_names] = strdup(zm_doc_name(d))))
        return -1;
    db[h->ndoc_names++] = h->nmetrics;
    size_t id = h->ndocs++;
    size_t n = zm_doc_metric_count(d);
    const char *err = zm_doc_error(d);
    sbuf tmp = {0};
    if (fprintf(h->f, "<section class=\"doc%s\" id=\"d-%zu\">\n<h2>", err ? " error" : "", id) < 0)
        h->io_error = 1;
    esc(h->f, zm_doc_name(d), &h->io_error);
    put(h, "</h2>\n");
    if (err) {
        h->nerrors++;
        put(h, "<p class=\"err\">");
        esc(h->f, err, &h->io_error);
        put(h, "</p>\n</section>\n");
        return h->io_error ? -1 : 0;
    }
    /* title · org · region · doc_no · date · period · genre · encoding · size */
    const char *parts[] = {zm_doc_title(d), zm_doc_org(d), zm_doc_region(d), zm_doc_doc_no(d), zm_doc_date(d)};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (parts[i]) {
            sbuf_adds(&tmp, tmp.len ? " \xc2\xb7 " : "");
            sbuf_adds(&tmp, parts[i]);
            if (i == 0 && zm_doc_title_inferred(d))
                sbuf_adds(&tmp, " (title inferred)");
        }
    if (zm_doc_period(d)) {
        sbuf_adds(&tmp, tmp.len ? " \xc2\xb7 period " : "period ");
        range_text(&tmp, zm_doc_period(d));
    }
    char info[128];
    snprintf(info, sizeof info, "%s%s \xc2\xb7 %s \xc2\xb7 %zu bytes \xc2\xb7 %zu metrics", tmp.len ? " \xc2\xb7 " : "",
             zm_doc_genre(d) ? zm_doc_genre(d) : "?", zm_doc_encoding(d) ? zm_doc_encoding(d) : "?",
             zm_doc_bytes(d), n);
    sbuf_adds(&tmp, info);
    put(h, "<p class=\"meta\">");
    esc(h->f, tmp.data, &h->io_error);
    put(h, "</p>\n");

    size_t tlen = 0;
    /* the text the spans point into, decoded by the library as it was for
     * extraction */
    char *text = NULL;
    if (bytes && zm_decode_text(bytes, len, &text, &tlen, NULL, NULL))
        text = NULL;
    if (text && tlen != zm_doc_bytes(d)) {
        free(text);
        text = NULL;
    }
    if (text) {
        put(h, "<pre class=\"text\">");
        size_t at = 0;
        for (size_t i = 0; i < n; i++) {
            const zm_metric *m = zm_doc_metric(d, i);
            size_t s = m->span[0], e = m->span[1];
            if (e > tlen)
                e = tlen;
            if (s < at) /* overlapping spans: the later one starts where the earlier ended */
                s = at;
            if (e < s)
                e = s;
            esc_text(h->f, text + at, s - at, &h->io_error);
            mark(h, m, h->nmetrics + i, text + s, e - s, &tmp);
            at = e;
        }
        esc_text(h->f, text + at, tlen - at, &h->io_error);
        put(h, "</pre>\n");
        free(text);
    } else {
        put(h, bytes ? "<p class=\"note\">The input could not be decoded to the text the spans point into; its figures:</p>\n"
                     : "<p class=\"note\">Text not available; its figures:</p>\n");
        put(h, "<p>");
        for (size_t i = 0; i < n; i++) {
            const zm_metric *m = zm_doc_metric(d, i);
            put(h, i ? " \xc2\xb7 " : "");
            mark(h, m, h->nmetrics + i, m->text ? m->text : "", m->text ? strlen(m->text) : 0, &tmp);
        }
        put(h, "</p>\n");
    }
    put(h, "</section>\n");
    for (size_t i = 0; i < n; i++)
        row(h, d, zm_doc_metric(d, i), i, h->nmetrics + i, &tmp);
    h->nmetrics += n;
    sbuf_free(&tmp);
    return h->io_error ? -1 : 0;
}

static const char tail[] =
    "<script>\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var run = document.getElementById('zm-run').dataset;\n"
    "  var tbody = document.getElementById('rows');\n"
    "  var details = document.getElementById('details');\n"
    "  var ths = Array.prototype.slice.call(document.querySelectorAll('#metrics thead th'));\n"
    "  var summary = document.getElementById('summary');\n"
    "  var selected = null;\n"
    "  function byK(prefix, k) { return document.getElementById(prefix + k); }\n"
    "  function shown() {\n"
    "    var n = 0;\n"
    "    for (var i = 0; i < tbody.rows.length; i++) if (tbody.rows[i].offsetParent !== null) n++;\n"
    "    return n;\n"
    "  }\n"
    "  function updateSummary() {\n"
    "    summary.textContent = run.documents + ' documents, ' + run.metrics + ' metrics' +\n"
    "      (run.errors !== '0' ? ', ' + run.errors + (run.errors === '1' ? ' error' : ' errors') : '') + ' \\u00b7 ' + shown() + ' shown';\n"
    "  }\n"
    "  function show(tr) {\n"
    "    var dl = document.createElement('dl');\n"
    "    function add(name, value) {\n"
    "      if (value === undefined || value === null || value === '') return;\n"
    "      var dt = document.createElement('dt'), dd = document.createElement('dd');\n"
    "      dt.textContent = name; dd.textContent = value;\n"
    "      dl.appendChild(dt); dl.appendChild(dd);\n"
    "    }\n"
    "    var ds = tr.dataset;\n"
    "    add('id', ds.id); add('doc', tr.cells[0].getAttribute('data-sort'));\n"
    "    for (var i = 0; i < tr.cells.length; i++) if (i > 1) add(ths[i].dataset.name, tr.cells[i].textContent);\n"
    "    for (var a = 0; a < tr.attributes.length; a++) {\n"
    "      var at = tr.attributes[a].name;\n"
    "      if (/^data-/.test(at) && at !== 'data-k' && at !== 'data-id')\n"
    "        add(at.slice(5).replace(/-/g, '_'), tr.attributes[a].value);\n"
    "    }\n"
    "    details.textContent = '';\n"
    "    details.appendChild(dl);\n"
    "  }\n"
    "  function select(k, from) {\n"
    "    if (selected !== null) {\n"
    "      var om = byK('m-', selected), or = byK('r-', selected);\n"
    "      if (om) om.classList.remove('sel');\n"
    "      if (or) or.classList.remove('sel');\n"
    "    }\n"
    "    selected = k;\n"
    "    var m = byK('m-', k), r = byK('r-', k);\n"
    "    if (m) { m.classList.add('sel'); if (from !== 'mark') m.scrollIntoView({block: 'center'}); }\n"
    "    if (r) { r.classList.add('sel'); if (from !== 'row') r.scrollIntoView({block: 'nearest'}); show(r); }\n"
    "  }\n"
    "  document.getElementById('docs').addEventListener('click', function (e) {\n"
    "    var m = e.target.closest('mark.zm');\n"
    "    if (m) select(m.dataset.k, 'mark');\n"
    "  });\n"
    "  tbody.addEventListener('click', function (e) {\n"
    "    var tr = e.target.closest('tr');\n"
    "    if (tr) select(tr.dataset.k, 'row');\n"
    "  });\n"
    "  function key(tr, i, num) {\n"
    "    var c = tr.cells[i], v = c.hasAttribute('data-sort') ? c.getAttribute('data-sort') : c.textContent;\n"
    "    if (!num) return v;\n"
    "    var f = parseFloat(v);\n"
    "    return isNaN(f) ? -Infinity : f;\n"
    "  }\n"
    "  ths.forEach(function (th, i) {\n"
    "    th.addEventListener('click', function () {\n"
    "      var num = th.dataset.type === 'num';\n"
    "      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;\n"
    "      ths.forEach(function (h) { h.removeAttribute('aria-sort'); });\n"
    "      th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');\n"
    "      var items = Array.prototype.map.call(tbody.rows, function (tr, n) { return {tr: tr, k: key(tr, i, num), n: n}; });\n"
    "      items.sort(function (a, b) {\n"
    "        var c = num ? (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) : String(a.k).localeCompare(String(b.k), 'zh');\n"
    "        return c ? c * dir : a.n - b.n;\n"
    "      });\n"
    "      var frag = document.createDocumentFragment();\n"
    "      items.forEach(function (it) { frag.appendChild(it.tr); });\n"
    "      tbody.appendChild(frag);\n"
    "    });\n"
    "  });\n"
    "  document.querySelectorAll('input[data-filter]').forEach(function (cb) {\n"
    "    cb.addEventListener('change', function () {\n"
    "      document.body.classList.toggle('hide-' + cb.dataset.filter, !cb.checked);\n"
    "      updateSummary();\n"
    "    });\n"
    "  });\n"
    "  updateSummary();\n"
    "  /* self-check, read by the tests: every metric record has one highlight and one row */\n"
    "  function check() {\n"
    "    document.documentElement.setAttribute('data-zm-check',\n"
    "      'highlights=' + document.querySelectorAll('#docs mark.zm').length + ' metrics=' + run.metrics +\n"
    "      ' rows=' + tbody.rows.length + ' errors=' + window.__zmErrors.length);\n"
    "  }\n"
    "  check();\n"
    "  window.addEventListener('load', check);\n"
    "  /* review.html#zm-selftest: drives the page as a reader would (tests) */\n"
    "  if (location.hash === '#zm-selftest') {\n"
    "    var res = [];\n"
    "    try {\n"
    "      var m = document.querySelector('#docs mark.zm');\n"
    "      if (m) {\n"
    "        m.click();\n"
    "        res.push('details=' + details.querySelectorAll('dt').length);\n"
    "        res.push('rowsel=' + (byK('r-', m.dataset.k).classList.contains('sel') ? 1 : 0));\n"
    "      }\n"
    "      var cb = document.querySelector('input[data-filter=\"s-actual\"]');\n"
    "      cb.click();\n"
    "      var targets = tbody.querySelectorAll('tr.s-target').length;\n"
    "      res.push('filter=' + (shown() === targets ? 'ok' : 'bad:' + shown() + '/' + targets));\n"
    "      cb.click();\n"
    "      res.push('unfilter=' + (shown() === tbody.rows.length ? 'ok' : 'bad'));\n"
    "      ths[5].click();\n"
    "      var vals = Array.prototype.map.call(tbody.rows, function (tr) { return key(tr, 5, true); });\n"
    "      res.push('sort=' + (vals.every(function (v, i) { return i === 0 || vals[i - 1] <= v; }) ? 'ok' : 'bad'));\n"
    "      ths[5].click();\n"
    "      vals = Array.prototype.map.call(tbody.rows, function (tr) { return key(tr, 5, true); });\n"
    "      res.push('sortdesc=' + (vals.every(function (v, i) { return i === 0 || vals[i - 1] >= v; }) ? 'ok' : 'bad'));\n"
    "    } catch (e) {\n"
    "      res.push('exception=' + e);\n"
    "    }\n"
    "    document.documentElement.setAttribute('data-zm-selftest', res.join(' '));\n"
    "    check();\n"
    "  }\n"
    "})();\n"
    "</script>\n</body>\n</html>\n";

int zm_html_close(zm_html *h, int ok, char *msg, size_t msgsz)
{
    if (!h)
        return 0;
    int rc = 0;
    if (ok) {
        put(h, "</div>\n<div id=\"side\">\n<div id=\"details\">Click a highlight or a row to see all its fields; "
               "click a column heading to sort.</div>\n");
        if (h->targets) { /* the Targets table (track_html.c) */
            char tb[65536];
            size_t tn;
            put(h, track_html_head);
            if (fflush(h->targets) != 0 || fseek(h->targets, 0, SEEK_SET) != 0)
                h->io_error = 1;
            while (!h->io_error && (tn = fread(tb, 1, sizeof tb, h->targets)) > 0)
                if (fwrite(tb, 1, tn, h->f) != tn)
                    h->io_error = 1;
            put(h, track_html_foot);
        }
        put(h, "<div id=\"tablewrap\">\n<table id=\"metrics\">\n<thead><tr>");
        /* the review columns of the field table */
        for (size_t i = 0; i < zm_field_count(ZM_RECORD_METRIC); i++) {
            const zm_field *fi = zm_field_info(ZM_RECORD_METRIC, i);
            const char *label = fi->type == ZM_FT_ID ? "#" : fi->name;
            const char *cls = col_class(fi);
            if ((fi->flags & ZM_FIELD_REVIEW) &&
                fprintf(h->f, "<th data-name=\"%s\"%s>%s</th>", label,
                        cls && strcmp(cls, "num") == 0 ? " data-type=\"num\"" : "", label) < 0)
                h->io_error = 1;
        }
        put(h, "</tr></thead>\n<tbody id=\"rows\">\n");
        char buf[65536];
        size_t n;
        if (fflush(h->rows) != 0 || fseek(h->rows, 0, SEEK_SET) != 0)
            h->io_error = 1;
        while (!h->io_error && (n = fread(buf, 1, sizeof buf, h->rows)) > 0)
            if (fwrite(buf, 1, n, h->f) != n)
                h->io_error = 1;
        if (ferror(h->rows))
            h->io_error = 1;
        if (fprintf(h->f,
                    "</tbody>\n</table>\n</div>\n</div>\n</main>\n"
                    "<div id=\"zm-run\" hidden data-documents=\"%zu\" data-metrics=\"%zu\" data-errors=\"%zu\"></div>\n",
                    h->ndocs, h->nmetrics, h->nerrors) < 0)
            h->io_error = 1;
        put(h, tail);
    }
    int io = h->io_error || fflush(h->f) != 0 || ferror(h->f);
    int saved = errno;
    io |= fclose(h->f) != 0;
    fclose(h->rows);
    if (h->targets)
        fclose(h->targets);
    for (size_t i = 0; i < h->ndoc_names; i++)
        free(h->doc_names[i]);
    free(h->doc_names);
    free(h->doc_base);
    if (ok && io) {
        snprintf(msg, msgsz, "write error on %s: %s", h->path, strerror(saved ? saved : EIO));
        rc = -1;
    }
    if (h->tmp_path) {
        if (ok && !io && rename(h->tmp_path, h->path) != 0) {
            snprintf(msg, msgsz, "%s: %s", h->path, strerror(errno));
            rc = -1;
        }
        if (!ok || rc)
            unlink(h->tmp_path);
    }
    free(h->tmp_path);
    free(h->path);
    free(h);
    return rc;
}

/* ---- as an output of the run (writer.h) ---- */
static void *out_open(const char *path, int format, char *msg, size_t msgsz)
{
    (void)format;
    return zm_html_open(path, msg, msgsz);
}

static int out_add(void *w, const zm_doc *d, const char *input, size_t input_len, const char *prepared,
                   size_t prepared_len, char *msg, size_t msgsz)
{
    zm_html *h = w;
    (void)prepared, (void)prepared_len;
    errno = 0;
    if (zm_html_add(h, d, input, input_len)) {
        snprintf(msg, msgsz, "write error on %s: %s", h->path, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

static int out_close(void *w, int commit, char *msg, size_t msgsz) { return zm_html_close(w, commit, msg, msgsz); }

static const char *out_tmp_path(void *w) { return zm_html_tmp_path(w); }

/* The highlight number of a figure id "doc#n", or -1 when the page does
 * not hold its document (records read with --from-jsonl). */
static long highlight(const zm_html *h, const zm_track_fig *x)
{
    const char *hash = x && x->id ? strrchr(x->id, '#') : NULL;
    if (!hash)
        return -1;
    for (size_t i = h->ndoc_names; i-- > 0;)
        if (strcmp(h->doc_names[i], x->doc) == 0)
            return (long)h->doc_base[i] + atol(hash + 1) - 1;
    return -1;
}

static int out_add_track(void *w, const zm_track *tr, char *msg, size_t msgsz)
{
    zm_html *h = w;
    if (!h->targets && !(h->targets = tmpfile())) {
        snprintf(msg, msgsz, "%s: %s", h->path, strerror(errno));
        return -1;
    }
    track_html_row(h->targets, tr, highlight(h, tr->target), highlight(h, tr->actual), &h->io_error);
    if (h->io_error) {
        snprintf(msg, msgsz, "write error on %s", h->path);
        return -1;
    }
    return 0;
}

const writer_class zm_writer_html = {"html", 1, out_open, NULL, out_add, out_close, out_tmp_path, out_add_track};
