/* Records => JSON through cJSON; the only file that writes cJSON.
 *   document => {"type":"document","doc":"a.txt","title":...,"metrics":97}
 *   metric   => {"type":"metric",...,"value":26442375,...}
 * Values are written from their exact decimal text, never via a double.
 * Strings are added by reference and the line is printed into a reused
 * buffer: output was the largest cost of a run when every string was
 * copied twice (measured with callgrind, see docs/performance.md).
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
    if (m->explain)
        put_raw(o, "explain", m->explain);
    return o;
}

/* JSON Lines reuse one metric object per document: every item is a
 * reference whose pointer (and null/string type) is swapped per record, so a
 * line costs no allocation beyond its section list (callgrind: a fifth of the
 * output cost was building and freeing the items). */
enum { SK_TYPE, SK_DOC, SK_ID, SK_KIND, SK_STATUS, SK_TEXT, SK_SPAN, SK_LINE, SK_VALUE, SK_VALUE_MAX, SK_UNIT,
       SK_UNIT_TEXT, SK_QUALIFIER, SK_SUBJECT, SK_TIME, SK_TIME_TEXT, SK_TIME_FROM, SK_TIME_TO, SK_CHANGE,
       SK_SECTION, SK_SENTENCE, SK_EXPLAIN, SK_N };

typedef struct skeleton {
    cJSON *o;
    cJSON *item[SK_N];
} skeleton;

static cJSON *sk_add(cJSON *parent, const char *key, cJSON *item)
{
    cJSON_AddItemToObjectCS(parent, key, item);
    return item;
}

static int sk_new(skeleton *sk, int explain)
{
    static const char *const keys[] = {"type", "doc", "id", "kind", "status", "text", "span", "line", "value",
                                       "value_max", "unit", "unit_text", "qualifier", "subject"};
    sk->o = cJSON_CreateObject();
    if (!sk->o)
        return ZM_E_NOMEM;
    for (int k = SK_TYPE; k <= SK_SUBJECT; k++)
        sk->item[k] = sk_add(sk->o, keys[k], cJSON_CreateNull());
    sk->item[SK_TIME] = sk_add(sk->o, "time", cJSON_CreateObject());
    sk->item[SK_TIME_TEXT] = sk_add(sk->item[SK_TIME], "text", cJSON_CreateNull());
    sk->item[SK_TIME_FROM] = sk_add(sk->item[SK_TIME], "from", cJSON_CreateNull());
    sk->item[SK_TIME_TO] = sk_add(sk->item[SK_TIME], "to", cJSON_CreateNull());
    sk->item[SK_CHANGE] = sk_add(sk->o, "change", cJSON_CreateNull());
    sk->item[SK_SECTION] = sk_add(sk->o, "section", cJSON_CreateNull());
    sk->item[SK_SENTENCE] = sk_add(sk->o, "sentence", cJSON_CreateNull());
    sk->item[SK_EXPLAIN] = explain ? sk_add(sk->o, "explain", cJSON_CreateNull()) : NULL;
    for (int k = 0; k < SK_N; k++)
        if (!sk->item[k] && !(k == SK_EXPLAIN && !explain))
            return ZM_E_NOMEM;
    return 0;
}

/* A value printed once as JSON text and reused (as raw) while the same
 * pointer comes back: a sentence, its section path and the document name
 * repeat across a document's records, and escaping them again and again
 * was a third of the output cost (callgrind). */
typedef struct printed {
    const void *key; /* what was printed: pointer identity */
    zm_buf json;     /* its JSON text, NUL-terminated */
} printed;

/* Prints item (which the caller still owns) as p's text for key. */
static int printed_set(printed *p, const void *key, cJSON *item, size_t hint)
{
    p->key = NULL;
    p->json.len = 0;
    if (zm_buf_reserve(&p->json, hint + 1) == 0 &&
        cJSON_PrintPreallocated(item, p->json.data, (int)(p->json.cap > 0x7FFFFFFF ? 0x7FFFFFFF : p->json.cap), 0)) {
        p->json.len = strlen(p->json.data);
    } else {
        char *s = cJSON_PrintUnformatted(item);
        int rc = !s || zm_buf_adds(&p->json, s) || zm_buf_reserve(&p->json, 1);
        cJSON_free(s);
        if (rc)
            return ZM_E_NOMEM;
        p->json.data[p->json.len] = 0;
    }
    p->key = key;
    return 0;
}

/* JSON of a string, through the cache. */
static const char *printed_string(printed *p, const char *v, int *rc)
{
    if (!v || p->key == v)
        return v ? p->json.data : NULL;
    cJSON item = {0};
    item.type = cJSON_String | cJSON_IsReference;
    item.valuestring = (char *)v;
    *rc = printed_set(p, v, &item, 2 * strlen(v) + 16);
    return *rc ? NULL : p->json.data;
}

/* JSON array of a section path, through the cache (paths are shared by
 * the figures under one heading). */
static const char *printed_section(printed *p, const zm_metric *m, int *rc)
{
    if (p->key == (const void *)m->section && m->section)
        return p->json.data;
    cJSON *arr = cJSON_CreateArray();
    size_t hint = 16;
    for (size_t k = 0; arr && k < m->section_len; k++) {
        cJSON *x = cJSON_CreateStringReference(m->section[k]);
        if (!x) {
            cJSON_Delete(arr);
            arr = NULL;
            break;
        }
        cJSON_AddItemToArray(arr, x);
        hint += 2 * strlen(m->section[k]) + 8;
    }
    *rc = arr ? printed_set(p, m->section, arr, hint) : ZM_E_NOMEM;
    cJSON_Delete(arr);
    /* a path without a shared pointer (none) is printed afresh each time */
    if (!m->section)
        p->key = NULL;
    return *rc ? NULL : p->json.data;
}

/* kind: cJSON_String or cJSON_Raw; NULL prints null */
static void sk_set(skeleton *sk, int k, int kind, const char *v)
{
    cJSON *it = sk->item[k];
    if (!it)
        return;
    /* keep cJSON_StringIsConst: the key is a constant, not to be freed */
    it->type = (it->type & cJSON_StringIsConst) | (v ? kind | cJSON_IsReference : cJSON_NULL);
    it->valuestring = (char *)v;
}

/* The record's fields into the skeleton; doc and id come printed (raw). */
static int sk_fill(skeleton *sk, printed cache[2], const zm_metric *m, const char *doc, const char *id,
                   const char *span, const char *line)
{
    int rc = 0;
    sk_set(sk, SK_TYPE, cJSON_String, "metric");
    sk_set(sk, SK_DOC, cJSON_Raw, doc);
    sk_set(sk, SK_ID, cJSON_Raw, id);
    sk_set(sk, SK_KIND, cJSON_String, m->kind);
    sk_set(sk, SK_STATUS, cJSON_String, m->status);
    sk_set(sk, SK_TEXT, cJSON_String, m->text);
    sk_set(sk, SK_SPAN, cJSON_Raw, span);
    sk_set(sk, SK_LINE, cJSON_Raw, line);
    sk_set(sk, SK_VALUE, cJSON_Raw, m->value);
    sk_set(sk, SK_VALUE_MAX, cJSON_Raw, m->value_max);
    sk_set(sk, SK_UNIT, cJSON_String, m->unit);
    sk_set(sk, SK_UNIT_TEXT, cJSON_String, m->unit_text);
    sk_set(sk, SK_QUALIFIER, cJSON_String, m->qualifier);
    sk_set(sk, SK_SUBJECT, cJSON_String, m->subject);
    /* an object shown as null keeps its children for the next record */
    sk->item[SK_TIME]->type = (sk->item[SK_TIME]->type & cJSON_StringIsConst) | (m->time ? cJSON_Object : cJSON_NULL);
    if (m->time) {
        sk_set(sk, SK_TIME_TEXT, cJSON_String, m->time->text);
        sk_set(sk, SK_TIME_FROM, cJSON_String, m->time->from);
        sk_set(sk, SK_TIME_TO, cJSON_String, m->time->to);
    }
    sk_set(sk, SK_CHANGE, cJSON_String, m->change);
    sk_set(sk, SK_SECTION, cJSON_Raw, printed_section(&cache[0], m, &rc));
    if (!rc)
        sk_set(sk, SK_SENTENCE, cJSON_Raw, printed_string(&cache[1], m->sentence, &rc));
    sk_set(sk, SK_EXPLAIN, cJSON_Raw, m->explain);
    return rc;
}

/* Prints o at the end of b with a newline; o stays the caller's. */
static int print_line(zm_buf *b, cJSON *o, size_t hint)
{
    if (zm_buf_reserve(b, hint + 2) == 0 &&
        cJSON_PrintPreallocated(o, b->data + b->len, (int)(b->cap - b->len - 1 > 0x7FFFFFFF ? 0x7FFFFFFF : b->cap - b->len - 1), 0)) {
        b->len += strlen(b->data + b->len);
        return zm_buf_addc(b, '\n') ? ZM_E_NOMEM : 0;
    }
    char *s = cJSON_PrintUnformatted(o);
    int rc = !s || zm_buf_adds(b, s) || zm_buf_addc(b, '\n') ? ZM_E_NOMEM : 0;
    cJSON_free(s);
    return rc;
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

static size_t slen(const char *s) { return s ? strlen(s) : 0; }

/* Decimal digits of v at p; returns the end. */
static char *put_uint(char *p, size_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Upper bound of a metric line: escaping at most doubles plain text (\uXXXX
 * only for control characters, rare), plus the fixed fields. */
static size_t metric_hint(const zm_doc *d, const zm_metric *m)
{
    size_t n = 2 * slen(d->name) + slen(m->text) + slen(m->unit_text) + slen(m->subject) + slen(m->sentence) +
               (m->time ? slen(m->time->text) : 0) + slen(m->explain);
    for (size_t k = 0; k < m->section_len; k++)
        n += slen(m->section[k]);
    return 2 * n + 640;
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
        rc = append_json(&b, doc_json(d), 0, 4 * (slen(d->title) + slen(d->org) + slen(d->name)) + 640);
        skeleton sk = {0};
        printed cache[2] = {{0}}, doc = {0};
        if (!rc && !d->error && d->n)
            rc = sk_new(&sk, d->metrics[0].explain != NULL);
        /* the id is the printed name with #n before its closing quote */
        const char *docjs = !rc && !d->error && d->n ? printed_string(&doc, d->name, &rc) : NULL;
        size_t djl = docjs ? strlen(docjs) : 0;
        char *idjs = docjs ? malloc(djl + 24) : NULL;
        if (docjs && !idjs)
            rc = ZM_E_NOMEM;
        if (idjs)
            memcpy(idjs, docjs, djl - 1);
        for (size_t i = 0; i < d->n && !d->error && !rc; i++) {
            const zm_metric *m = &d->metrics[i];
            char span[64], line[24], *p;
            /* by hand: snprintf cost as much as a tenth of the output */
            p = idjs + djl - 1;
            *p++ = '#';
            p = put_uint(p, i + 1);
            *p++ = '"';
            *p = 0;
            p = span;
            *p++ = '[';
            p = put_uint(p, m->span[0]);
            *p++ = ',';
            p = put_uint(p, m->span[1]);
            *p++ = ']';
            *p = 0;
            *put_uint(line, (size_t)(m->line > 0 ? m->line : 0)) = 0;
            rc = sk_fill(&sk, cache, m, docjs, idjs, span, line);
            if (!rc)
                rc = print_line(&b, sk.o, metric_hint(d, m));
        }
        free(idjs);
        zm_buf_free(&doc.json);
        zm_buf_free(&cache[0].json);
        zm_buf_free(&cache[1].json);
        cJSON_Delete(sk.o);
    }
    *buf = b.data;
    *len = b.len;
    *cap = b.cap;
    return rc;
}

int zm_doc_write(const zm_doc *d, int format, FILE *f)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = zm_doc_append(d, format, &buf, &len, &cap);
    if (!rc && len && fwrite(buf, 1, len, f) != len)
        rc = ZM_E_IO;
    free(buf);
    return rc;
}
