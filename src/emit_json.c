/* Records => JSON.
 *   document => {"type":"document","doc":"a.txt","title":...,"metrics":97}
 *   metric   => {"type":"metric",...,"value":26442375,...}
 * Values are written from their exact decimal text, never via a double.
 * cJSON builds the document records and the pretty --format json output;
 * JSON Lines metric records, most of the output, are assembled directly
 * (see metric_line) in the same bytes cJSON would print.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "util.h"

static void put_str(cJSON *o, const char *key, const char *v)
{
    cJSON_AddItemToObjectCS(o, key, v ? cJSON_CreateStringReference(v) : cJSON_CreateNull());
}

static void put_raw(cJSON *o, const char *key, const char *v)
{
    cJSON_AddItemToObjectCS(o, key, v ? cJSON_CreateRaw(v) : cJSON_CreateNull());
}

static void put_int(cJSON *o, const char *key, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    cJSON_AddItemToObjectCS(o, key, cJSON_CreateRaw(b));
}

static cJSON *range_json(const zm_date_range *r)
{
    if (!r)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    put_str(o, "text", r->text);
    put_str(o, "from", r->from);
    put_str(o, "to", r->to);
    return o;
}

static cJSON *doc_json(const zm_doc *d)
{
    cJSON *o = cJSON_CreateObject();
    if (d->error) {
        put_str(o, "type", "error");
        put_str(o, "doc", d->name);
        put_str(o, "error", d->error);
        return o;
    }
    put_str(o, "type", "document");
    put_str(o, "doc", d->name);
    put_str(o, "title", d->title);
    cJSON_AddItemToObjectCS(o, "title_inferred", cJSON_CreateBool(d->title_inferred));
    put_str(o, "org", d->org);
    put_str(o, "region", d->region);
    put_str(o, "doc_no", d->doc_no);
    put_str(o, "date", d->date);
    cJSON_AddItemToObjectCS(o, "period", range_json(zm_doc_period(d)));
    put_str(o, "genre", d->genre);
    put_str(o, "format", d->format); /* issue 15 */
    put_str(o, "encoding", d->encoding);
    put_int(o, "bytes", (long long)d->bytes);
    put_int(o, "metrics", (long long)d->n);
    return o;
}

/* id must outlive the printing of the returned object */
static cJSON *metric_json(const zm_doc *d, size_t i, const char *id)
{
    const zm_metric *m = &d->metrics[i];
    cJSON *o = cJSON_CreateObject();
    put_str(o, "type", "metric");
    put_str(o, "doc", d->name);
    put_str(o, "id", id);
    put_str(o, "kind", m->kind);
    put_str(o, "status", m->status);
    put_str(o, "text", m->text);
    char span[64];
    snprintf(span, sizeof span, "[%zu,%zu]", m->span[0], m->span[1]);
    put_raw(o, "span", span);
    put_int(o, "line", m->line);
    put_raw(o, "value", m->value);
    put_raw(o, "value_max", m->value_max);
    put_str(o, "unit", m->unit);
    put_str(o, "unit_text", m->unit_text);
    put_str(o, "qualifier", m->qualifier);
    put_str(o, "subject", m->subject);
    cJSON_AddItemToObjectCS(o, "time", range_json(m->time));
    put_str(o, "change", m->change);
    cJSON *sec = cJSON_CreateArray();
    for (size_t k = 0; k < m->section_len; k++)
        cJSON_AddItemToArray(sec, cJSON_CreateStringReference(m->section[k]));
    cJSON_AddItemToObjectCS(o, "section", sec);
    put_str(o, "sentence", m->sentence);
    if (m->page) /* issue 15: PDF metrics only */
        put_int(o, "page", m->page);
    if (m->explain)
        put_raw(o, "explain", m->explain);
    return o;
}

/* ---- JSON Lines metric records, assembled directly ----
 * cJSON printed a metric line in about 9,000 instructions, a seventh of a
 * whole run (callgrind, docs/performance.md). The line is written here
 * from constant key fragments and escaped values, in the bytes cJSON
 * prints: tests/unit/test_extract.c parses every line and compares it with
 * the cJSON-built record of --format json. */

/* Appends s as a JSON string in the room metric_line reserved. */
static void put_json_string(zm_buf *b, const char *s)
{
    b->len = (size_t)(zm_json_escape(b->data + b->len, s, strlen(s)) - b->data);
}

static void put_lit(zm_buf *b, const char *s, size_t n)
{
    memcpy(b->data + b->len, s, n);
    b->len += n;
}
#define PUT_KEY(b, k) put_lit(b, k, sizeof k - 1)

static void put_str_or_null(zm_buf *b, const char *s)
{
    if (s)
        put_json_string(b, s);
    else
        PUT_KEY(b, "null");
}

static void put_raw_or_null(zm_buf *b, const char *s)
{
    if (s)
        put_lit(b, s, strlen(s));
    else
        PUT_KEY(b, "null");
}

static size_t slen(const char *s) { return s ? strlen(s) : 0; }

/* Decimal digits of v at the end of b. */
static void put_uint(zm_buf *b, size_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        b->data[b->len++] = tmp[--n];
}

/* Room a metric line can need: 6 bytes per byte of text (\u00XX), the
 * numbers and the fixed keys. */
static size_t metric_room(const zm_doc *d, const zm_metric *m)
{
    /* each string escaped at most 6 bytes a byte; the name twice (doc, id) */
    size_t n = 2 * slen(d->name) + slen(m->kind) + slen(m->status) + slen(m->text) + slen(m->unit) +
               slen(m->unit_text) + slen(m->qualifier) + slen(m->subject) + slen(m->change) + slen(m->sentence);
    if (m->time)
        n += slen(m->time->text) + slen(m->time->from) + slen(m->time->to);
    for (size_t k = 0; k < m->section_len; k++)
        n += slen(m->section[k]) + 1;
    return 6 * n + slen(m->value) + slen(m->value_max) + slen(m->explain) + 512;
}

/* Text already escaped into the output, found again by pointer: a
 * sentence, its section path and the document name repeat across a
 * document's lines, so they are escaped once and copied afterwards. */
typedef struct reuse {
    const void *key;
    size_t off, len; /* in the output buffer */
} reuse;

enum { REUSE_DOC, REUSE_SECTION, REUSE_SENTENCE, REUSE_N };

/* Copies r's earlier text when key matches and returns 1; else notes
 * where the caller's text will start and returns 0. */
static int reuse_begin(zm_buf *b, reuse *r, const void *key)
{
    if (key && r->key == key) {
        memcpy(b->data + b->len, b->data + r->off, r->len);
        b->len += r->len;
        return 1;
    }
    r->key = key;
    r->off = b->len;
    return 0;
}

static void reuse_end(const zm_buf *b, reuse *r) { r->len = b->len - r->off; }

static int metric_line(zm_buf *b, const zm_doc *d, size_t i, int explain, reuse *ru)
{
    const zm_metric *m = &d->metrics[i];
    if (zm_buf_reserve(b, metric_room(d, m)))
        return ZM_E_NOMEM;
    PUT_KEY(b, "{\"type\":\"metric\",\"doc\":");
    if (!reuse_begin(b, &ru[REUSE_DOC], d->name)) {
        put_json_string(b, d->name);
        reuse_end(b, &ru[REUSE_DOC]);
    }
    PUT_KEY(b, ",\"id\":");
    reuse_begin(b, &ru[REUSE_DOC], d->name);
    b->len--; /* the id is the name with #n before its closing quote */
    b->data[b->len++] = '#';
    put_uint(b, i + 1);
    PUT_KEY(b, "\",\"kind\":");
    put_str_or_null(b, m->kind);
    PUT_KEY(b, ",\"status\":");
    put_str_or_null(b, m->status);
    PUT_KEY(b, ",\"text\":");
    put_str_or_null(b, m->text);
    PUT_KEY(b, ",\"span\":[");
    put_uint(b, m->span[0]);
    b->data[b->len++] = ',';
    put_uint(b, m->span[1]);
    PUT_KEY(b, "],\"line\":");
    put_uint(b, (size_t)(m->line > 0 ? m->line : 0));
    PUT_KEY(b, ",\"value\":");
    put_raw_or_null(b, m->value);
    PUT_KEY(b, ",\"value_max\":");
    put_raw_or_null(b, m->value_max);
    PUT_KEY(b, ",\"unit\":");
    put_str_or_null(b, m->unit);
    PUT_KEY(b, ",\"unit_text\":");
    put_str_or_null(b, m->unit_text);
    PUT_KEY(b, ",\"qualifier\":");
    put_str_or_null(b, m->qualifier);
    PUT_KEY(b, ",\"subject\":");
    put_str_or_null(b, m->subject);
    PUT_KEY(b, ",\"time\":");
    if (m->time) {
        PUT_KEY(b, "{\"text\":");
        put_str_or_null(b, m->time->text);
        PUT_KEY(b, ",\"from\":");
        put_str_or_null(b, m->time->from);
        PUT_KEY(b, ",\"to\":");
        put_str_or_null(b, m->time->to);
        b->data[b->len++] = '}';
    } else {
        PUT_KEY(b, "null");
    }
    PUT_KEY(b, ",\"change\":");
    put_str_or_null(b, m->change);
    PUT_KEY(b, ",\"section\":[");
    if (!reuse_begin(b, &ru[REUSE_SECTION], m->section)) {
        for (size_t k = 0; k < m->section_len; k++) {
            if (k)
                b->data[b->len++] = ',';
            put_str_or_null(b, m->section[k]);
        }
        reuse_end(b, &ru[REUSE_SECTION]);
    }
    PUT_KEY(b, "],\"sentence\":");
    if (!reuse_begin(b, &ru[REUSE_SENTENCE], m->sentence)) {
        put_str_or_null(b, m->sentence);
        reuse_end(b, &ru[REUSE_SENTENCE]);
    }
    if (m->page) { /* issue 15: PDF metrics only */
        PUT_KEY(b, ",\"page\":");
        put_uint(b, (size_t)m->page);
    }
    if (explain) {
        PUT_KEY(b, ",\"explain\":");
        put_raw_or_null(b, m->explain);
    }
    PUT_KEY(b, "}\n");
    return 0;
}

/* Prints o (then frees it) at the end of b, followed by a newline. */
static int append_json(zm_buf *b, cJSON *o, int pretty, size_t hint)
{
    int rc = 0;
    if (!pretty && zm_buf_reserve(b, hint + 2) == 0 &&
        cJSON_PrintPreallocated(o, b->data + b->len, (int)(b->cap - b->len - 1 > 0x7FFFFFFF ? 0x7FFFFFFF : b->cap - b->len - 1), 0)) {
        b->len += strlen(b->data + b->len);
        rc = zm_buf_addc(b, '\n') ? ZM_E_NOMEM : 0;
    } else {
        char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
        rc = !s || zm_buf_adds(b, s) || zm_buf_addc(b, '\n') ? ZM_E_NOMEM : 0;
        cJSON_free(s);
    }
    cJSON_Delete(o);
    return rc;
}

#define WRITE_CHUNK (64u << 10)

/* The JSON Lines records of d at the end of b; with f, written out each
 * time b holds WRITE_CHUNK bytes, so that a large document's output is
 * never whole in memory. */
static int jsonl_records(const zm_doc *d, zm_buf *b, FILE *f)
{
    int rc = append_json(b, doc_json(d), 0, 4 * (slen(d->title) + slen(d->org) + slen(d->name)) + 640);
    int explain = !d->error && d->n && d->metrics[0].explain != NULL;
    /* room for a typical line each up front (at most a piece's worth when
     * writing): growing by doubling copied a large output over and over */
    if (!rc && !d->error)
        rc = zm_buf_reserve(b, f && d->n > WRITE_CHUNK / 640 ? WRITE_CHUNK + 4096 : d->n * 640);
    reuse ru[REUSE_N] = {{0}};
    for (size_t i = 0; i < d->n && !d->error && !rc; i++) {
        rc = metric_line(b, d, i, explain, ru);
        if (!rc && f && b->len >= WRITE_CHUNK) {
            if (fwrite(b->data, 1, b->len, f) != b->len)
                rc = ZM_E_IO;
            b->len = 0;
            memset(ru, 0, sizeof ru); /* what they point at is written */
        }
    }
    return rc;
}

int zm_doc_append(const zm_doc *d, int format, char **buf, size_t *len, size_t *cap)
{
    zm_buf b = {*buf, *len, *cap};
    int rc = 0;
    size_t idl = strlen(d->name) + 24;
    if (format == ZM_FORMAT_JSON) {
        cJSON *o = doc_json(d);
        char **ids = NULL;
        if (!d->error) {
            cJSON *arr = cJSON_CreateArray();
            ids = calloc(d->n + 1, sizeof *ids);
            for (size_t i = 0; ids && i < d->n; i++) {
                ids[i] = malloc(idl);
                if (ids[i])
                    snprintf(ids[i], idl, "%s#%zu", d->name, i + 1);
                cJSON_AddItemToArray(arr, metric_json(d, i, ids[i]));
            }
            cJSON_ReplaceItemInObject(o, "metrics", arr);
        }
        rc = append_json(&b, o, 1, 0);
        for (size_t i = 0; ids && i < d->n; i++)
            free(ids[i]);
        free(ids);
    } else {
        rc = jsonl_records(d, &b, NULL);
    }
    if (!rc && zm_buf_reserve(&b, 1) == 0)
        b.data[b.len] = 0;
    *buf = b.data;
    *len = b.len;
    *cap = b.cap;
    return rc;
}

int zm_doc_write(const zm_doc *d, int format, FILE *f)
{
    zm_buf b = {0};
    int rc = format == ZM_FORMAT_JSONL ? jsonl_records(d, &b, f) : zm_doc_append(d, format, &b.data, &b.len, &b.cap);
    if (!rc && b.len && fwrite(b.data, 1, b.len, f) != b.len)
        rc = ZM_E_IO;
    free(b.data);
    return rc;
}
