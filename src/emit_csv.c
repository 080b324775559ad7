#define _POSIX_C_SOURCE 200809L
#include "emit_csv.h"

#include <stdio.h>
#include <string.h>

/* Column order is part of the contract (docs/integration.md, the
 * PostgreSQL table there): append new columns at the end only. */
static const char header[] =
    "doc,title,title_inferred,org,region,doc_no,date,period_text,period_from,period_to,genre,encoding,doc_bytes,doc_metrics,"
    "id,n,kind,status,text,span_start,span_end,line,value,value_max,unit,unit_text,qualifier,subject,"
    "time_text,time_from,time_to,change,section,sentence,explain\r\n";

const char *zm_csv_header(void) { return header; }

int zm_json_str(zm_buf *b, const char *s)
{
    if (zm_buf_addc(b, '"'))
        return ZM_E_NOMEM;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        const char *e = NULL;
        switch (*p) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                e = esc;
            }
        }
        if (e ? zm_buf_adds(b, e) : zm_buf_addc(b, (char)*p))
            return ZM_E_NOMEM;
    }
    return zm_buf_addc(b, '"') ? ZM_E_NOMEM : 0;
}

int zm_json_section(zm_buf *b, const zm_metric *m)
{
    if (zm_buf_addc(b, '['))
        return ZM_E_NOMEM;
    for (size_t k = 0; k < m->section_len; k++)
        if ((k && zm_buf_addc(b, ',')) || zm_json_str(b, m->section[k] ? m->section[k] : ""))
            return ZM_E_NOMEM;
    return zm_buf_addc(b, ']') ? ZM_E_NOMEM : 0;
}

/* One field and its separator; NULL => empty, "" => "". */
static int field(zm_buf *b, const char *s, int last)
{
    int rc = 0;
    if (s) {
        size_t n = strlen(s);
        if (n == 0 || strpbrk(s, ",\"\r\n")) {
            rc |= zm_buf_addc(b, '"');
            for (const char *p = s; *p && !rc; p++)
                rc |= *p == '"' ? zm_buf_add(b, "\"\"", 2) : zm_buf_addc(b, *p);
            rc |= zm_buf_addc(b, '"');
        } else {
            rc |= zm_buf_add(b, s, n);
        }
    }
    rc |= last ? zm_buf_add(b, "\r\n", 2) : zm_buf_addc(b, ',');
    return rc ? ZM_E_NOMEM : 0;
}

/* A YYYY-MM-DD field of a range: NULL when unset. */
static const char *day(const char *s) { return s && *s ? s : NULL; }

static int field_num(zm_buf *b, size_t v)
{
    char t[32];
    snprintf(t, sizeof t, "%zu", v);
    return field(b, t, 0);
}

int zm_csv_append(const zm_doc *d, zm_buf *b)
{
    size_t n = zm_doc_metric_count(d);
    if (zm_doc_error(d) || n == 0)
        return 0;
    /* the document's fields, once, then copied in front of every row */
    zm_buf pre = {0}, tmp = {0};
    const zm_date_range *per = zm_doc_period(d);
    int rc = field(&pre, zm_doc_name(d), 0) || field(&pre, zm_doc_title(d), 0) ||
             field(&pre, zm_doc_title_inferred(d) ? "true" : "false", 0) || field(&pre, zm_doc_org(d), 0) ||
             field(&pre, zm_doc_region(d), 0) || field(&pre, zm_doc_doc_no(d), 0) ||
             field(&pre, zm_doc_date(d), 0) || field(&pre, per ? per->text : NULL, 0) ||
             field(&pre, per ? day(per->from) : NULL, 0) || field(&pre, per ? day(per->to) : NULL, 0) ||
             field(&pre, zm_doc_genre(d), 0) || field(&pre, zm_doc_encoding(d), 0) ||
             field_num(&pre, zm_doc_bytes(d)) || field_num(&pre, n);
    for (size_t i = 0; i < n && !rc; i++) {
        const zm_metric *m = zm_doc_metric(d, i);
        char id[32];
        snprintf(id, sizeof id, "#%zu", i + 1);
        tmp.len = 0;
        rc |= zm_buf_adds(&tmp, zm_doc_name(d)) || zm_buf_adds(&tmp, id);
        rc |= zm_buf_add(b, pre.data, pre.len);
        rc |= field(b, tmp.data, 0) || field_num(b, i + 1) || field(b, m->kind, 0) || field(b, m->status, 0) ||
              field(b, m->text, 0) || field_num(b, m->span[0]) || field_num(b, m->span[1]) ||
              field_num(b, (size_t)(m->line > 0 ? m->line : 0)) || field(b, m->value, 0) ||
              field(b, m->value_max, 0) || field(b, m->unit, 0) || field(b, m->unit_text, 0) ||
              field(b, m->qualifier, 0) || field(b, m->subject, 0) || field(b, m->time ? m->time->text : NULL, 0) ||
              field(b, m->time ? day(m->time->from) : NULL, 0) || field(b, m->time ? day(m->time->to) : NULL, 0) ||
              field(b, m->change, 0);
        tmp.len = 0;
        rc |= zm_json_section(&tmp, m) || field(b, tmp.data, 0) || field(b, m->sentence, 0) ||
              field(b, m->explain, 1);
    }
    zm_buf_free(&pre);
    zm_buf_free(&tmp);
    return rc ? ZM_E_NOMEM : 0;
}
