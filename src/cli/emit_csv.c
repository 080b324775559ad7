#define _POSIX_C_SOURCE 200809L
#include "emit_csv.h"

#include <stdio.h>
#include <string.h>

#include "columns.h"

/* Column order is part of the contract (docs/integration.md, the
 * PostgreSQL table there): the columns come from the field table, by the
 * version that added them (columns.c), so new ones are appended. */
#define MAX_COLS 128

static zm_column cols[MAX_COLS];
static int ncols = -1;
static char header[4096];

static void init(void)
{
    if (ncols >= 0)
        return;
    ncols = zm_columns(-1, ZM_COLS_CSV, 0, cols, MAX_COLS);
    size_t len = 0;
    for (int c = 0; c < ncols && len < sizeof header; c++)
        len += (size_t)snprintf(header + len, sizeof header - len, "%s%s", cols[c].name, c + 1 < ncols ? "," : "\r\n");
}

const char *zm_csv_header(void)
{
    init();
    return header;
}

/* One field and its separator; NULL => empty, "" => "". */
static int field(sbuf *b, const char *s, int last)
{
    int rc = 0;
    if (s) {
        size_t n = strlen(s);
        if (n == 0 || strpbrk(s, ",\"\r\n")) {
            rc |= sbuf_addc(b, '"');
            for (const char *p = s; *p && !rc; p++)
                rc |= *p == '"' ? sbuf_add(b, "\"\"", 2) : sbuf_addc(b, *p);
            rc |= sbuf_addc(b, '"');
        } else {
            rc |= sbuf_add(b, s, n);
        }
    }
    rc |= last ? sbuf_add(b, "\r\n", 2) : sbuf_addc(b, ',');
    return rc ? ZM_E_NOMEM : 0;
}

static int cell(sbuf *b, const zm_column *c, const zm_cell *v, int last)
{
    char t[32];
    const char *s = v->is_null ? NULL : v->s;
    if (!v->is_null && c->type == ZM_COL_BOOL)
        s = v->i ? "true" : "false";
    else if (!v->is_null && c->type == ZM_COL_INT)
        snprintf(t, sizeof t, "%lld", v->i), s = t;
    return field(b, s, last);
}

int zm_csv_append(const zm_doc *d, sbuf *b)
{
    size_t n = zm_doc_metric_count(d);
    if (zm_doc_error(d) || n == 0)
        return 0;
    init();
    if (ncols < 0)
        return ZM_E_NOMEM;
    sbuf tmp = {0};
    int rc = 0;
    zm_cell v;
    for (size_t i = 0; i < n && !rc; i++)
        for (int c = 0; c < ncols && !rc; c++)
            rc = zm_column_cell(&cols[c], d, i, &tmp, &v) || cell(b, &cols[c], &v, c + 1 == ncols);
    sbuf_free(&tmp);
    return rc ? ZM_E_NOMEM : 0;
}
