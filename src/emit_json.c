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
    char *id = malloc(idl);
    if (!id)
        return ZM_E_NOMEM;
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
        for (size_t i = 0; i < d->n && !d->error && !rc; i++) {
            snprintf(id, idl, "%s#%zu", d->name, i + 1);
            rc = append_json(&b, metric_json(d, i, id), 0, metric_hint(d, &d->metrics[i]));
        }
    }
    free(id);
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
