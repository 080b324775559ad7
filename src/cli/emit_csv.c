#define _POSIX_C_SOURCE 200809L
#include "emit_csv.h"

#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "csv_cell.h"

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

static int raw_cells;

void zm_csv_raw_cells(int raw) { raw_cells = raw; }

/* A text cell a spreadsheet would read as a formula (OWASP, CSV
 * injection): = + - @ tab CR first. */
static int formula_like(const char *s) { return s[0] && strchr("=+-@\t\r", s[0]) != NULL; }

/* One field and its separator (csv_cell.h). text: a text column, whose
 * formula-like cells get a leading ' unless raw_cells. */
static int field(sbuf *b, const char *s, int text, int last)
{
    int tick = s && text && !raw_cells && formula_like(s);
    return zm_csv_cell(b, s, tick, last) ? ZM_E_NOMEM : 0;
}

static int cell(sbuf *b, const zm_column *c, const zm_cell *v, int last)
{
    char t[32];
    const char *s = v->is_null ? NULL : v->s;
    if (!v->is_null && c->type == ZM_COL_BOOL)
        s = v->i ? "true" : "false";
    else if (!v->is_null && c->type == ZM_COL_INT)
        snprintf(t, sizeof t, "%lld", v->i), s = t;
    return field(b, s, c->type == ZM_COL_TEXT, last);
}

int zm_csv_write(const zm_doc *d, FILE *f)
{
    size_t n = zm_doc_metric_count(d);
    if (zm_doc_error(d) || n == 0)
        return 0;
    init();
    if (ncols < 0)
        return ZM_E_NOMEM;
    sbuf b = {0}, tmp = {0};
    int rc = 0;
    zm_cell v;
    for (size_t i = 0; i < n && !rc; i++) {
        for (int c = 0; c < ncols && !rc; c++)
            rc = zm_column_cell(&cols[c], d, i, &tmp, &v) || cell(&b, &cols[c], &v, c + 1 == ncols) ? ZM_E_NOMEM : 0;
        /* out in 64 KiB pieces: a large document's rows never whole in memory */
        if (!rc && (b.len >= (64u << 10) || i + 1 == n)) {
            if (b.len && fwrite(b.data, 1, b.len, f) != b.len)
                rc = ZM_E_IO;
            b.len = 0;
        }
    }
    sbuf_free(&b);
    sbuf_free(&tmp);
    return rc;
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
