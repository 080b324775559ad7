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

static size_t slen(const char *s) { return s ? strlen(s) : 0; }

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

/* One field of the table as a cJSON item; id is the metric's id text for
 * ZM_FT_ID (it must outlive the printing of the item). */
static cJSON *value_json(const zm_field *f, const zm_value *v, const char *id)
{
    switch (f->type) {
    case ZM_FT_STRING:
        return v->is_null ? cJSON_CreateNull() : cJSON_CreateStringReference(v->str);
    case ZM_FT_ID:
        return id ? cJSON_CreateStringReference(id) : cJSON_CreateNull();
    case ZM_FT_NUMBER:
    case ZM_FT_JSON:
        return v->is_null ? cJSON_CreateNull() : cJSON_CreateRaw(v->str);
    case ZM_FT_BOOL:
        return cJSON_CreateBool(v->num != 0);
    case ZM_FT_INT: {
        char b[32];
        snprintf(b, sizeof b, "%lld", v->num);
        return v->is_null ? cJSON_CreateNull() : cJSON_CreateRaw(b);
    }
    case ZM_FT_RANGE:
        return range_json(v->range);
    case ZM_FT_SPAN: {
        char b[64];
        snprintf(b, sizeof b, "[%zu,%zu]", v->span[0], v->span[1]);
        return cJSON_CreateRaw(b);
    }
    case ZM_FT_STRINGS: {
        cJSON *a = cJSON_CreateArray();
        for (size_t k = 0; k < v->nstrs; k++)
            cJSON_AddItemToArray(a, cJSON_CreateStringReference(v->strs[k]));
        return a;
    }
    }
    return cJSON_CreateNull();
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
    zm_value v;
    for (size_t k = 0, n = zm_field_count(ZM_RECORD_DOCUMENT); k < n; k++) {
        const zm_field *f = zm_field_info(ZM_RECORD_DOCUMENT, k);
        zm_field_get(d, ZM_RECORD_DOCUMENT, k, 0, &v);
        cJSON_AddItemToObjectCS(o, f->name, value_json(f, &v, NULL));
    }
    return o;
}

/* id must outlive the printing of the returned object */
static cJSON *metric_json(const zm_doc *d, size_t i, const char *id)
{
    cJSON *o = cJSON_CreateObject();
    put_str(o, "type", "metric");
    zm_value v;
    for (size_t k = 0, n = zm_field_count(ZM_RECORD_METRIC); k < n; k++) {
        const zm_field *f = zm_field_info(ZM_RECORD_METRIC, k);
        zm_field_get(d, ZM_RECORD_METRIC, k, i, &v);
        if ((f->flags & ZM_FIELD_EXPLAIN) && v.is_null)
            continue; /* only when explained */
        cJSON_AddItemToObjectCS(o, f->name, value_json(f, &v, id));
    }
    return o;
}

/* ---- JSON Lines metric records, assembled directly ----
 * cJSON printed a metric line in about 9,000 instructions, a seventh of a
 * whole run (callgrind, docs/performance.md). The line is written here
 * from the field table, in the bytes cJSON prints:
 * tests/unit/test_extract.c parses every line and compares it with the
 * cJSON-built record of --format json. Every write reserves its room
 * first, from the value it is about to write. */

/* Text already escaped into the output, found again by pointer: a
 * sentence, its section path and the document name repeat across a
 * document's lines (fields flagged ZM_FIELD_REPEATS), so they are escaped
 * once and copied afterwards. One slot per field. */
typedef struct reuse {
    const void *key;
    size_t off, len; /* in the output buffer */
} reuse;

#define MAX_FIELDS 64

/* Room for n more bytes, checked inline: most writes are a few bytes into
 * a buffer reserved for the whole line. The lines are not NUL-terminated
 * as they grow (the callers terminate the whole). */
static inline int room(zm_buf *b, size_t n) { return b->cap - b->len > n || zm_buf_reserve(b, n) == 0 ? 0 : ZM_E_NOMEM; }

/* Copies r's earlier text when key matches and returns 1 (0 with
 * *rc set when out of memory); else notes where the caller's text will
 * start and returns 0. */
static int reuse_begin(zm_buf *b, reuse *r, const void *key, int *rc)
{
    if (key && r->key == key) {
        if (room(b, r->len)) {
            *rc = ZM_E_NOMEM;
            return 0;
        }
        memcpy(b->data + b->len, b->data + r->off, r->len);
        b->len += r->len;
        return 1;
    }
    r->key = key;
    r->off = b->len;
    return 0;
}

static void reuse_end(const zm_buf *b, reuse *r) { r->len = b->len - r->off; }

static inline int put_lit(zm_buf *b, const char *s, size_t n)
{
    if (room(b, n))
        return ZM_E_NOMEM;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}
#define PUT_KEY(b, k) put_lit(b, k, sizeof k - 1)

static int put_json_str(zm_buf *b, const char *s)
{
    if (!s)
        return PUT_KEY(b, "null");
    size_t n = strlen(s);
    if (room(b, 6 * n + 2)) /* \u00XX at most per byte, and the quotes */
        return ZM_E_NOMEM;
    b->len = (size_t)(zm_json_escape(b->data + b->len, s, n) - b->data);
    return 0;
}

/* Decimal digits of v at the end of b. */
static int put_int(zm_buf *b, long long v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    while (u >= 100) { /* two digits a step */
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        *--p = pairs[2 * r + 1], *--p = pairs[2 * r];
    }
    if (u >= 10)
        *--p = pairs[2 * u + 1], *--p = pairs[2 * u];
    else
        *--p = (char)('0' + u);
    if (v < 0)
        *--p = '-';
    return put_lit(b, p, (size_t)(e - p));
}

/* The value of field k (f, v) in JSON at the end of b. */
static int put_value(zm_buf *b, const zm_field *f, const zm_value *v, reuse *ru, size_t k, size_t nf)
{
    int rc = 0;
    if (v->is_null && f->type != ZM_FT_ID)
        return PUT_KEY(b, "null");
    switch (f->type) {
    case ZM_FT_STRING:
        /* every string field, not only those flagged ZM_FIELD_REPEATS: the
         * names (kind, status, unit...) are mostly the previous metric's
         * pointer too, and a copy is cheaper than escaping again */
        if (reuse_begin(b, &ru[k], v->str, &rc) || rc)
            return rc;
        rc = put_json_str(b, v->str);
        reuse_end(b, &ru[k]);
        return rc;
    case ZM_FT_ID: {
        /* the document name as escaped for an earlier field, when it was */
        size_t j = 0;
        while (j < nf && !(ru[j].key == v->str && ru[j].len >= 2))
            j++;
        if (j < nf) {
            if (room(b, ru[j].len))
                return ZM_E_NOMEM;
            memcpy(b->data + b->len, b->data + ru[j].off, ru[j].len);
            b->len += ru[j].len;
        } else if ((rc = put_json_str(b, v->str))) {
            return rc;
        }
        b->len--; /* the id is the name with #n before its closing quote */
        return put_lit(b, "#", 1) || put_int(b, v->num) || put_lit(b, "\"", 1) ? ZM_E_NOMEM : 0;
    }
    case ZM_FT_NUMBER:
    case ZM_FT_JSON:
        return put_lit(b, v->str, strlen(v->str));
    case ZM_FT_INT:
        return put_int(b, v->num);
    case ZM_FT_BOOL:
        return v->num ? PUT_KEY(b, "true") : PUT_KEY(b, "false");
    case ZM_FT_SPAN:
        return put_lit(b, "[", 1) || put_int(b, (long long)v->span[0]) || put_lit(b, ",", 1) ||
                       put_int(b, (long long)v->span[1]) || put_lit(b, "]", 1)
                   ? ZM_E_NOMEM
                   : 0;
    case ZM_FT_RANGE:
        /* the time of a sentence's figures is mostly one range */
        if (reuse_begin(b, &ru[k], v->range, &rc) || rc)
            return rc;
        rc = PUT_KEY(b, "{\"text\":") || put_json_str(b, v->range->text) || PUT_KEY(b, ",\"from\":") ||
                       put_json_str(b, v->range->from) || PUT_KEY(b, ",\"to\":") || put_json_str(b, v->range->to) ||
                       put_lit(b, "}", 1)
                   ? ZM_E_NOMEM
                   : 0;
        reuse_end(b, &ru[k]);
        return rc;
    case ZM_FT_STRINGS:
        if ((f->flags & ZM_FIELD_REPEATS) && (reuse_begin(b, &ru[k], v->strs, &rc) || rc))
            return rc;
        rc = put_lit(b, "[", 1);
        for (size_t j = 0; j < v->nstrs && !rc; j++)
            rc = (j && put_lit(b, ",", 1)) || put_json_str(b, v->strs[j]) ? ZM_E_NOMEM : 0;
        rc = rc || put_lit(b, "]", 1) ? ZM_E_NOMEM : 0;
        if (f->flags & ZM_FIELD_REPEATS)
            reuse_end(b, &ru[k]);
        return rc;
    }
    return 0;
}

/* The fields a document's metric lines write, each with its key as
 * written (,"name":), made once per document from the field table. */
typedef struct line_plan {
    size_t n;                 /* fields in the table */
    unsigned char use[MAX_FIELDS]; /* written (explain fields only when explaining) */
    const zm_field *f[MAX_FIELDS];
    char key[MAX_FIELDS][40];
    unsigned char keylen[MAX_FIELDS];
} line_plan;

static void plan_line(line_plan *p, int explain)
{
    p->n = zm_field_count(ZM_RECORD_METRIC);
    if (p->n > MAX_FIELDS)
        p->n = MAX_FIELDS;
    for (size_t k = 0; k < p->n; k++) {
        const zm_field *f = zm_field_info(ZM_RECORD_METRIC, k);
        size_t kl = strlen(f->name);
        p->f[k] = f;
        p->use[k] = kl + 4 <= sizeof p->key[k] && (!(f->flags & ZM_FIELD_EXPLAIN) || explain);
        if (kl + 4 > sizeof p->key[k])
            kl = 0; /* no such field name: the line is written without it */
        p->key[k][0] = ',', p->key[k][1] = '"';
        memcpy(p->key[k] + 2, f->name, kl);
        p->key[k][kl + 2] = '"', p->key[k][kl + 3] = ':';
        p->keylen[k] = (unsigned char)(kl + 4);
    }
}

static int metric_line(zm_buf *b, const zm_doc *d, size_t i, const line_plan *p, reuse *ru)
{
    zm_value v[MAX_FIELDS];
    size_t nf = zm_field_get_row(d, i, v, MAX_FIELDS);
    int rc = nf ? PUT_KEY(b, "{\"type\":\"metric\"") : ZM_E_NOMEM;
    for (size_t k = 0; k < nf && !rc; k++) {
        if (!p->use[k])
            continue;
        /* the key whole (a fixed-size copy), then the length it has */
        if (room(b, sizeof p->key[k]))
            return ZM_E_NOMEM;
        memcpy(b->data + b->len, p->key[k], sizeof p->key[k]);
        b->len += p->keylen[k];
        rc = put_value(b, p->f[k], &v[k], ru, k, nf);
    }
    return rc ? rc : PUT_KEY(b, "}\n");
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
    reuse ru[MAX_FIELDS] = {{0}};
    line_plan plan;
    if (!d->error && d->n)
        plan_line(&plan, explain);
    for (size_t i = 0; i < d->n && !d->error && !rc; i++) {
        rc = metric_line(b, d, i, &plan, ru);
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
    if (format != ZM_FORMAT_JSONL && format != ZM_FORMAT_JSON)
        return ZM_E_USAGE; /* was written as JSON Lines */
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
    if (format != ZM_FORMAT_JSONL && format != ZM_FORMAT_JSON)
        return ZM_E_USAGE;
    zm_buf b = {0};
    int rc = format == ZM_FORMAT_JSONL ? jsonl_records(d, &b, f) : zm_doc_append(d, format, &b.data, &b.len, &b.cap);
    if (!rc && b.len && fwrite(b.data, 1, b.len, f) != b.len)
        rc = ZM_E_IO;
    free(b.data);
    return rc;
}
