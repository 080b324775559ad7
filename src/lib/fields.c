/* The record fields as one table: name, type, flags, the version that
 * added them, and how to read them from a document. Every writer (JSON
 * Lines and JSON here, CSV, SQLite and the review page in the CLI) loops
 * over it, so a new field is one row below plus the code that computes it.
 *   zm_field_info(ZM_RECORD_METRIC, 2) => {"kind", ZM_FT_STRING, NOT_NULL|REVIEW, 1}
 *   zm_field_get(d, ZM_RECORD_METRIC, 2, 0, &v) => v.str "amount"
 */
#include <string.h>

#include "doc.h"

typedef void (*getter)(const zm_doc *d, const zm_metric *m, size_t i, zm_value *v);

typedef struct field {
    zm_field info;
    getter get;
} field;

/* G(fn, body): a getter; d, m (NULL for document fields), i and v in scope */
#define G(fn, body)                                                              \
    static void fn(const zm_doc *d, const zm_metric *m, size_t i, zm_value *v) \
    {                                                                            \
        (void)d, (void)m, (void)i;                                               \
        body;                                                                    \
    }

G(d_doc, v->str = d->name)
G(d_title, v->str = d->title)
G(d_title_inferred, v->num = d->title_inferred)
G(d_org, v->str = d->org)
G(d_region, v->str = d->region)
G(d_doc_no, v->str = d->doc_no)
G(d_date, v->str = d->date)
G(d_period, v->range = zm_doc_period(d))
G(d_genre, v->str = d->genre)
G(d_encoding, v->str = d->encoding)
G(d_bytes, v->num = (long long)d->bytes)
G(d_metrics, v->num = (long long)d->n)
G(d_script, v->str = d->script)
G(d_format, v->str = d->format)

G(m_doc, v->str = d->name)
G(m_id, v->str = d->name; v->num = (long long)i + 1)
G(m_kind, v->str = m->kind)
G(m_status, v->str = m->status)
G(m_text, v->str = m->text)
G(m_span, v->span[0] = m->span[0]; v->span[1] = m->span[1])
G(m_line, v->num = m->line)
G(m_value, v->str = m->value)
G(m_value_max, v->str = m->value_max)
G(m_unit, v->str = m->unit)
G(m_unit_text, v->str = m->unit_text)
G(m_qualifier, v->str = m->qualifier)
G(m_subject, v->str = m->subject)
G(m_time, v->range = m->time)
G(m_change, v->str = m->change)
G(m_section, v->strs = m->section; v->nstrs = m->section_len)
G(m_sentence, v->str = m->sentence)
G(m_explain, v->str = m->explain)
G(m_currency, v->str = m->currency)
G(m_target_type, v->str = m->target_type)
G(m_page, v->num = m->page; v->is_null = m->page <= 0)
G(m_indicator, v->str = m->indicator)

#define NN ZM_FIELD_NOT_NULL
#define KEY ZM_FIELD_KEY
#define REP ZM_FIELD_REPEATS
#define REV ZM_FIELD_REVIEW

/* Output order. Append new fields at the end (with their `since`): CSV
 * and SQLite consumers address columns by position too. */
static const field doc_fields[] = {
    {{"doc", ZM_FT_STRING, NN | KEY, 1, NULL}, d_doc},
    {{"title", ZM_FT_STRING, 0, 1, NULL}, d_title},
    {{"title_inferred", ZM_FT_BOOL, NN, 1, NULL}, d_title_inferred},
    {{"org", ZM_FT_STRING, 0, 1, NULL}, d_org},
    {{"region", ZM_FT_STRING, 0, 1, NULL}, d_region},
    {{"doc_no", ZM_FT_STRING, 0, 1, NULL}, d_doc_no},
    {{"date", ZM_FT_STRING, 0, 1, NULL}, d_date},
    {{"period", ZM_FT_RANGE, 0, 1, NULL}, d_period},
    {{"genre", ZM_FT_STRING, 0, 1, NULL}, d_genre},
    {{"encoding", ZM_FT_STRING, 0, 1, NULL}, d_encoding},
    {{"bytes", ZM_FT_INT, NN, 1, "doc_bytes"}, d_bytes},
    {{"metrics", ZM_FT_INT, NN, 1, "doc_metrics"}, d_metrics},
    {{"script", ZM_FT_STRING, 0, 2, NULL}, d_script},
    {{"format", ZM_FT_STRING, 0, 2, NULL}, d_format},
};

static const field metric_fields[] = {
    {{"doc", ZM_FT_STRING, NN | KEY | REP | REV | ZM_FIELD_FROM_DOC, 1, NULL}, m_doc},
    {{"id", ZM_FT_ID, NN | KEY | REV, 1, NULL}, m_id},
    {{"kind", ZM_FT_STRING, NN | REV, 1, NULL}, m_kind},
    {{"status", ZM_FT_STRING, NN | REV, 1, NULL}, m_status},
    {{"text", ZM_FT_STRING, NN | REV, 1, NULL}, m_text},
    {{"span", ZM_FT_SPAN, NN, 1, NULL}, m_span},
    {{"line", ZM_FT_INT, NN, 1, NULL}, m_line},
    {{"value", ZM_FT_NUMBER, REV, 1, NULL}, m_value},
    {{"value_max", ZM_FT_NUMBER, 0, 1, NULL}, m_value_max},
    {{"unit", ZM_FT_STRING, REV, 1, NULL}, m_unit},
    {{"unit_text", ZM_FT_STRING, 0, 1, NULL}, m_unit_text},
    {{"qualifier", ZM_FT_STRING, REV, 1, NULL}, m_qualifier},
    {{"subject", ZM_FT_STRING, REV, 1, NULL}, m_subject},
    {{"time", ZM_FT_RANGE, REV, 1, NULL}, m_time},
    {{"change", ZM_FT_STRING, REV, 1, NULL}, m_change},
    {{"section", ZM_FT_STRINGS, NN | REP, 1, NULL}, m_section},
    {{"sentence", ZM_FT_STRING, REP, 1, NULL}, m_sentence},
    {{"explain", ZM_FT_JSON, ZM_FIELD_EXPLAIN, 1, NULL}, m_explain},
    {{"currency", ZM_FT_STRING, 0, 2, NULL}, m_currency},
    {{"page", ZM_FT_INT, 0, 2, NULL}, m_page},
    {{"indicator", ZM_FT_STRING, REV, 2, NULL}, m_indicator},
    {{"target_type", ZM_FT_STRING, 0, 2, NULL}, m_target_type},
};

static const field *table(int record, size_t *n)
{
    if (record == ZM_RECORD_METRIC) {
        *n = sizeof metric_fields / sizeof *metric_fields;
        return metric_fields;
    }
    *n = sizeof doc_fields / sizeof *doc_fields;
    return doc_fields;
}

size_t zm_field_count(int record)
{
    size_t n;
    table(record, &n);
    return n;
}

const zm_field *zm_field_info(int record, size_t k)
{
    size_t n;
    const field *t = table(record, &n);
    return k < n ? &t[k].info : NULL;
}

/* The value's null flag from its type (after the getter ran). */
static inline void set_null(const field *t, zm_value *out)
{
    switch (t->info.type) {
    case ZM_FT_STRING:
    case ZM_FT_NUMBER:
    case ZM_FT_JSON:
        out->is_null = out->str == NULL;
        break;
    case ZM_FT_RANGE:
        out->is_null = out->range == NULL;
        break;
    default:
        break;
    }
}

size_t zm_field_get_row(const zm_doc *d, size_t i, zm_value *out, size_t max)
{
    size_t n;
    const field *t = table(ZM_RECORD_METRIC, &n);
    if (n > max || i >= d->n)
        return 0;
    const zm_metric *m = &d->metrics[i];
    for (size_t k = 0; k < n; k++) {
        zm_value *v = &out[k];
        v->is_null = 0, v->str = NULL, v->range = NULL;
        t[k].get(d, m, i, v);
        set_null(&t[k], v);
    }
    return n;
}

void zm_field_get(const zm_doc *d, int record, size_t k, size_t i, zm_value *out)
{
    size_t n;
    const field *t = table(record, &n);
    memset(out, 0, sizeof *out);
    const zm_metric *m = record == ZM_RECORD_METRIC && i < d->n ? &d->metrics[i] : NULL;
    if (k >= n || (record == ZM_RECORD_METRIC && !m)) {
        out->is_null = 1;
        return;
    }
    t[k].get(d, m, i, out);
    set_null(&t[k], out);
}

const char *zm_version(void) { return ZM_VERSION; }
