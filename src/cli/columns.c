#include "columns.h"

#include <stdio.h>
#include <string.h>

enum { P_WHOLE, P_TEXT, P_FROM, P_TO, P_START, P_END, P_N, P_NUMTEXT };

static int add(zm_column *out, int *n, int max, int record, size_t k, const zm_field *f, int part, zm_col_type type,
               const char *name, const char *suffix)
{
    if (*n >= max)
        return -1;
    zm_column *c = &out[(*n)++];
    snprintf(c->name, sizeof c->name, "%s%s", name, suffix);
    c->record = record;
    c->field = k;
    c->part = part;
    c->type = type;
    c->info = f;
    return 0;
}

/* The columns of field k. */
static int field_columns(int record, size_t k, unsigned flags, zm_column *out, int *n, int max)
{
    const zm_field *f = zm_field_info(record, k);
    const char *name = (flags & ZM_COLS_CSV) && f->column ? f->column : f->name;
    switch (f->type) {
    case ZM_FT_STRING:
    case ZM_FT_JSON:
    case ZM_FT_STRINGS:
        return add(out, n, max, record, k, f, P_WHOLE, ZM_COL_TEXT, name, "");
    case ZM_FT_NUMBER:
        return add(out, n, max, record, k, f, P_WHOLE, ZM_COL_NUMERIC, name, "");
    case ZM_FT_INT:
        return add(out, n, max, record, k, f, P_WHOLE, ZM_COL_INT, name, "");
    case ZM_FT_BOOL:
        return add(out, n, max, record, k, f, P_WHOLE, ZM_COL_BOOL, name, "");
    case ZM_FT_RANGE:
        return add(out, n, max, record, k, f, P_TEXT, ZM_COL_TEXT, name, "_text") ||
                       add(out, n, max, record, k, f, P_FROM, ZM_COL_TEXT, name, "_from") ||
                       add(out, n, max, record, k, f, P_TO, ZM_COL_TEXT, name, "_to")
                   ? -1
                   : 0;
    case ZM_FT_SPAN:
        return add(out, n, max, record, k, f, P_START, ZM_COL_INT, name, "_start") ||
                       add(out, n, max, record, k, f, P_END, ZM_COL_INT, name, "_end")
                   ? -1
                   : 0;
    case ZM_FT_ID:
        return add(out, n, max, record, k, f, P_WHOLE, ZM_COL_TEXT, name, "") ||
                       add(out, n, max, record, k, f, P_N, ZM_COL_INT, "n", "")
                   ? -1
                   : 0;
    }
    return -1;
}

int zm_columns(int record, unsigned flags, int numeric_text, zm_column *out, int max)
{
    int n = 0, maxv = 1;
    for (int r = 0; r < 2; r++)
        for (size_t k = 0; k < zm_field_count(r); k++)
            if (zm_field_info(r, k)->since > maxv)
                maxv = zm_field_info(r, k)->since;
    /* by version first: new columns come after every older one */
    for (int v = 1; v <= maxv; v++)
        for (int r = 0; r < 2; r++) {
            if (record >= 0 && r != record)
                continue;
            size_t nf = zm_field_count(r);
            for (size_t k = 0; k < nf; k++) {
                const zm_field *f = zm_field_info(r, k);
                if (f->since != v || ((flags & ZM_COLS_NO_KEYS) && (f->flags & ZM_FIELD_KEY)) ||
                    (record < 0 && (f->flags & ZM_FIELD_FROM_DOC)))
                    continue; /* both records in one row: the document's doc only */
                if (field_columns(r, k, flags, out, &n, max))
                    return -1;
                /* the end of a run of numbers: their text columns */
                if (numeric_text && f->type == ZM_FT_NUMBER &&
                    !(k + 1 < nf && zm_field_info(r, k + 1)->type == ZM_FT_NUMBER && zm_field_info(r, k + 1)->since == v)) {
                    int first = n - 1;
                    while (first > 0 && out[first - 1].type == ZM_COL_NUMERIC)
                        first--;
                    for (int j = first, end = n; j < end; j++)
                        if (add(out, &n, max, r, out[j].field, out[j].info, P_NUMTEXT, ZM_COL_TEXT, out[j].name, "_text"))
                            return -1;
                }
            }
        }
    return n;
}

/* A YYYY-MM-DD end of a range: NULL when unset. */
static const char *day(const char *s) { return s && *s ? s : NULL; }

int zm_column_cell(const zm_column *c, const zm_doc *d, size_t i, sbuf *tmp, zm_cell *out)
{
    zm_value v;
    zm_field_get(d, c->record, c->field, i, &v);
    memset(out, 0, sizeof *out);
    out->is_null = v.is_null;
    switch (c->info->type) {
    case ZM_FT_STRING:
    case ZM_FT_NUMBER:
    case ZM_FT_JSON:
        out->s = v.str;
        return 0;
    case ZM_FT_INT:
    case ZM_FT_BOOL:
        out->i = v.num;
        return 0;
    case ZM_FT_RANGE:
        if (v.is_null)
            return 0;
        out->s = c->part == P_TEXT ? v.range->text : day(c->part == P_FROM ? v.range->from : v.range->to);
        out->is_null = out->s == NULL;
        return 0;
    case ZM_FT_SPAN:
        out->i = (long long)v.span[c->part == P_START ? 0 : 1];
        return 0;
    case ZM_FT_ID:
        if (c->part == P_N) {
            out->i = v.num;
            return 0;
        }
        tmp->len = 0;
        char num[32];
        snprintf(num, sizeof num, "#%lld", v.num);
        if (sbuf_adds(tmp, v.str) || sbuf_adds(tmp, num))
            return ZM_E_NOMEM;
        out->s = tmp->data;
        return 0;
    case ZM_FT_STRINGS:
        /* a JSON array of the strings, escaped as in the JSON output */
        tmp->len = 0;
        if (sbuf_addc(tmp, '['))
            return ZM_E_NOMEM;
        for (size_t k = 0; k < v.nstrs; k++) {
            const char *s = v.strs[k] ? v.strs[k] : "";
            if ((k && sbuf_addc(tmp, ',')) || sbuf_add_json(tmp, s))
                return ZM_E_NOMEM;
        }
        if (sbuf_addc(tmp, ']') || sbuf_reserve(tmp, 1))
            return ZM_E_NOMEM;
        tmp->data[tmp->len] = 0;
        out->s = tmp->data;
        out->is_null = 0;
        return 0;
    }
    return 0;
}
