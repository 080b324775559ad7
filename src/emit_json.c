/* Records => JSON through cJSON; the only file that includes cJSON.
 *   document => {"type":"document","doc":"a.txt","title":...,"metrics":97}
 *   metric   => {"type":"metric",...,"value":26442375,...}
 * Values are written from their exact decimal text, never via a double.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "util.h"

static cJSON *str_or_null(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *range_json(const zm_date_range *r)
{
    if (!r)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "text", str_or_null(r->text));
    cJSON_AddStringToObject(o, "from", r->from);
    cJSON_AddStringToObject(o, "to", r->to);
    return o;
}

static cJSON *doc_json(const zm_doc *d)
{
    cJSON *o = cJSON_CreateObject();
    if (d->error) {
        cJSON_AddStringToObject(o, "type", "error");
        cJSON_AddStringToObject(o, "doc", d->name);
        cJSON_AddStringToObject(o, "error", d->error);
        return o;
    }
    cJSON_AddStringToObject(o, "type", "document");
    cJSON_AddStringToObject(o, "doc", d->name);
    cJSON_AddItemToObject(o, "title", str_or_null(d->title));
    cJSON_AddItemToObject(o, "org", str_or_null(d->org));
    cJSON_AddItemToObject(o, "region", str_or_null(d->region));
    cJSON_AddItemToObject(o, "doc_no", str_or_null(d->doc_no));
    cJSON_AddItemToObject(o, "date", str_or_null(d->date));
    cJSON_AddItemToObject(o, "period", range_json(zm_doc_period(d)));
    cJSON_AddItemToObject(o, "genre", str_or_null(d->genre));
    cJSON_AddItemToObject(o, "encoding", str_or_null(d->encoding));
    cJSON_AddNumberToObject(o, "bytes", (double)d->bytes);
    cJSON_AddNumberToObject(o, "metrics", (double)d->n);
    return o;
}

static cJSON *metric_json(const zm_doc *d, size_t i)
{
    const zm_metric *m = &d->metrics[i];
    char id[64];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", "metric");
    cJSON_AddStringToObject(o, "doc", d->name);
    snprintf(id, sizeof id, "#%zu", i + 1);
    size_t nl = strlen(d->name), il = strlen(id);
    char *full = malloc(nl + il + 1);
    if (full) {
        memcpy(full, d->name, nl);
        memcpy(full + nl, id, il + 1);
        cJSON_AddStringToObject(o, "id", full);
        free(full);
    }
    cJSON_AddStringToObject(o, "kind", m->kind);
    cJSON_AddStringToObject(o, "status", m->status);
    cJSON_AddStringToObject(o, "text", m->text);
    cJSON *span = cJSON_CreateArray();
    cJSON_AddItemToArray(span, cJSON_CreateNumber((double)m->span[0]));
    cJSON_AddItemToArray(span, cJSON_CreateNumber((double)m->span[1]));
    cJSON_AddItemToObject(o, "span", span);
    cJSON_AddNumberToObject(o, "line", m->line);
    cJSON_AddItemToObject(o, "value", cJSON_CreateRaw(m->value));
    cJSON_AddItemToObject(o, "value_max", m->value_max ? cJSON_CreateRaw(m->value_max) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "unit", m->unit);
    cJSON_AddItemToObject(o, "unit_text", str_or_null(m->unit_text));
    cJSON_AddStringToObject(o, "qualifier", m->qualifier);
    cJSON_AddItemToObject(o, "subject", str_or_null(m->subject));
    cJSON_AddItemToObject(o, "time", range_json(m->time));
    cJSON_AddItemToObject(o, "change", str_or_null(m->change));
    cJSON *sec = cJSON_CreateArray();
    for (size_t k = 0; k < m->section_len; k++)
        cJSON_AddItemToArray(sec, cJSON_CreateString(m->section[k]));
    cJSON_AddItemToObject(o, "section", sec);
    cJSON_AddItemToObject(o, "sentence", str_or_null(m->sentence));
    if (m->explain) {
        cJSON *ex = cJSON_Parse(m->explain);
        if (ex)
            cJSON_AddItemToObject(o, "explain", ex);
    }
    return o;
}

static int append_json(zm_buf *b, cJSON *o, int pretty)
{
    char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        return ZM_E_NOMEM;
    int rc = zm_buf_adds(b, s) || zm_buf_addc(b, '\n') ? ZM_E_NOMEM : 0;
    cJSON_free(s);
    return rc;
}

int zm_doc_append(const zm_doc *d, int format, char **buf, size_t *len, size_t *cap)
{
    zm_buf b = {*buf, *len, *cap};
    int rc = 0;
    if (format == ZM_FORMAT_JSON) {
        cJSON *o = doc_json(d);
        if (!d->error) {
            cJSON *arr = cJSON_CreateArray();
            for (size_t i = 0; i < d->n; i++)
                cJSON_AddItemToArray(arr, metric_json(d, i));
            cJSON_ReplaceItemInObject(o, "metrics", arr);
        }
        rc = append_json(&b, o, 1);
    } else {
        rc = append_json(&b, doc_json(d), 0);
        for (size_t i = 0; i < d->n && !d->error && !rc; i++)
            rc = append_json(&b, metric_json(d, i), 0);
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
