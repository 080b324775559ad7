#define _POSIX_C_SOURCE 200809L
#include "table.h"

#include <stdio.h>
#include <string.h>

#include "numex.h"
#include "utf8.h"

typedef struct cell {
    size_t s, e; /* trimmed, in the normalised text */
} cell;

static int split(const char *t, size_t lo, size_t hi, cell *out, int max)
{
    int n = 0;
    size_t s = lo;
    for (size_t i = lo; i <= hi && n < max; i++) {
        if (i == hi || t[i] == '\t') {
            size_t a = s, b = i;
            while (a < b && t[a] == ' ')
                a++;
            while (b > a && t[b - 1] == ' ')
                b--;
            out[n].s = a;
            out[n++].e = b;
            s = i + 1;
        }
    }
    return n;
}

static int has(const char *t, cell c, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = c.s; i + n <= c.e; i++)
        if (memcmp(t + i, w, n) == 0)
            return 1;
    return 0;
}

/* 2020年, 2025 => the year, else 0 */
static int year_cell(const char *t, cell c)
{
    size_t e = c.e;
    if (e - c.s >= 3 && memcmp(t + e - 3, "年", 3) == 0)
        e -= 3;
    if (e - c.s != 4)
        return 0;
    int y = 0;
    for (size_t i = c.s; i < e; i++) {
        if (t[i] < '0' || t[i] > '9')
            return 0;
        y = y * 10 + (t[i] - '0');
    }
    return y >= 1900 && y <= 2199 ? y : 0;
}

static int header(zm_ctx *c, const zm_line *ln, zm_table_state *st)
{
    const char *t = c->norm.text;
    cell cs[ZM_TABLE_MAX_COLS];
    int n = split(t, ln->content, ln->end, cs, ZM_TABLE_MAX_COLS);
    if (n < 2 || !(has(t, cs[0], "指标") || has(t, cs[0], "项目")))
        return 0;
    int years = 0;
    st->attr_col = -1;
    for (int i = 0; i < n; i++) {
        st->year[i] = i ? year_cell(t, cs[i]) : 0;
        years += st->year[i] != 0;
        if (i && !st->year[i] && has(t, cs[i], "属性"))
            st->attr_col = i;
    }
    if (!years)
        return 0;
    st->ncols = n;
    st->active = 1;
    return 1;
}

/* Leading ≥ > ≤ < of a cell: its qualifier and bytes, or -1. */
static int lead_qual(const char *t, size_t at, size_t hi, size_t *len)
{
    static const struct {
        const char *w;
        int q;
    } sym[] = {{"≥", ZM_Q_AT_LEAST}, {"≤", ZM_Q_AT_MOST}, {">=", ZM_Q_AT_LEAST}, {"<=", ZM_Q_AT_MOST},
               {"＞", ZM_Q_OVER},    {"＜", ZM_Q_UNDER},   {">", ZM_Q_OVER},       {"<", ZM_Q_UNDER}};
    for (size_t i = 0; i < sizeof sym / sizeof *sym; i++) {
        size_t n = strlen(sym[i].w);
        if (at + n <= hi && memcmp(t + at, sym[i].w, n) == 0) {
            *len = n;
            return sym[i].q;
        }
    }
    return -1;
}

/* The row label's unit: （%）, （万个）, （亿元）, （年）. */
static int label_unit(zm_ctx *c, cell lab, size_t *subj_end, const zm_unit **u, int64_t *mult, size_t *ut_s,
                      size_t *ut_e, int *pct)
{
    const char *t = c->norm.text;
    size_t open = 0, close = 0;
    for (size_t i = lab.s; i < lab.e; i++) {
        if (!memcmp(t + i, "（", 3) || t[i] == '(')
            open = i;
        if (open && (!memcmp(t + i, "）", 3) || t[i] == ')'))
            close = i;
    }
    if (!open || close <= open)
        return 0;
    size_t s = open + (t[open] == '(' ? 1 : 3);
    *ut_s = s;
    *ut_e = close;
    *subj_end = open;
    *mult = 1;
    for (;;) {
        int cp;
        int k = zm_utf8_next((const unsigned char *)t + s, (const unsigned char *)t + close, &cp);
        int ix = k > 0 ? zm_numerals_find(&c->m->num, cp) : -1;
        if (ix < 0 || c->m->num.kind[ix] == ZM_NUM_DIGIT || s + (size_t)k >= close)
            break;
        *mult *= c->m->num.val[ix];
        s += (size_t)k;
    }
    *pct = close - s == 1 && t[s] == '%';
    *u = *pct ? NULL : zm_model_unit(c->m, t + s, close - s);
    return *pct || *u;
}

static int row(zm_ctx *c, zm_doc *d, const zm_line *ln, zm_table_state *st)
{
    const char *t = c->norm.text;
    cell cs[ZM_TABLE_MAX_COLS];
    int n = split(t, ln->content, ln->end, cs, ZM_TABLE_MAX_COLS);
    if (n < 2)
        return 0;
    size_t subj_end, ut_s, ut_e;
    const zm_unit *u = NULL;
    int64_t mult;
    int pct;
    if (!label_unit(c, cs[0], &subj_end, &u, &mult, &ut_s, &ut_e, &pct))
        return 1; /* a row without a unit: nothing to read in it */
    const char *type = NULL;
    if (st->attr_col >= 0 && st->attr_col < n)
        type = has(t, cs[st->attr_col], "约束") ? "binding" : has(t, cs[st->attr_col], "预期") ? "expected" : NULL;
    for (int j = 1; j < n && j < st->ncols; j++) {
        if (!st->year[j] || cs[j].e <= cs[j].s)
            continue;
        size_t ql = 0, ns = cs[j].s, ne = cs[j].e;
        int q = lead_qual(t, ns, ne, &ql);
        ns += ql;
        /* a trailing 以上/以下/左右 */
        int qp = -1;
        for (size_t k = ns; k < ne && qp < 0; k++)
            if ((unsigned char)t[k] >= 0x80 && (qp = zm_model_qual(c->m, ZM_QP_POST, t + k, ne - k)) >= 0)
                ne = k;
        if (q < 0)
            q = qp;
        zm_dec v;
        if (ns >= ne || !(t[ns] >= '0' && t[ns] <= '9') || zm_numex_parse(&c->m->num, t + ns, ne - ns, &v) ||
            zm_dec_scale(&v, mult))
            continue;
        zm_table_cell *tc = &st->cell[st->ncells++];
        *tc = (zm_table_cell){{d->n, cs[j].s, cs[j].e, NULL, NULL, -1, -1, 0, NULL, st->year[j]}, cs[0].s, subj_end, j, type};
        zm_metric *mt = zm_doc_add_metric(d);
        if (!mt)
            return ZM_E_NOMEM;
        zm_arena *a = &d->arena;
        char buf[48];
        zm_dec_format(v, buf);
        mt->kind_id = (zm_kind)(pct ? ZM_K_RATIO : u->kind);
        mt->value = zm_arena_strdup(a, buf);
        mt->unit = zm_arena_strdup(a, pct ? "%" : u->canon);
        size_t os = zm_norm_orig(&c->norm, ut_s), oe = zm_norm_orig(&c->norm, ut_e);
        mt->unit_text = zm_arena_strndup(a, c->src + os, oe - os);
        mt->qualifier_id = (zm_qualifier)(q >= 0 ? q : ZM_Q_EXACT);
        os = zm_norm_orig(&c->norm, cs[j].s);
        oe = zm_norm_orig(&c->norm, cs[j].e);
        mt->span[0] = os;
        mt->span[1] = oe;
        mt->text = zm_arena_strndup(a, c->src + os, oe - os);
        if (!mt->value || !mt->unit || !mt->text)
            return ZM_E_NOMEM;
    }
    return 1;
}

int zm_table_settle(zm_ctx *c, zm_doc *d, const zm_table_cell *tc)
{
    zm_metric *mt = &d->metrics[tc->cand.metric];
    zm_arena *a = &d->arena;
    size_t ss = zm_norm_orig(&c->norm, tc->subj_s), se = zm_norm_orig(&c->norm, tc->subj_e);
    mt->subject = se > ss ? zm_arena_strndup(a, c->src + ss, se - ss) : NULL;
    int y = tc->cand.table_year;
    int base = c->facts->has_period ? y < c->facts->period.from.y : tc->col == 1;
    mt->status_id = base ? ZM_S_ACTUAL : ZM_S_TARGET;
    mt->change_id = ZM_C_NONE;
    mt->target_type = tc->type;
    zm_date_range *r = zm_arena_alloc(a, sizeof *r);
    if (!r)
        return ZM_E_NOMEM;
    char yt[16];
    snprintf(yt, sizeof yt, "%d年", y);
    r->text = zm_arena_strdup(a, yt);
    zm_ymd_format((zm_ymd){y, 1, 1}, r->from);
    zm_ymd_format((zm_ymd){y, 12, 31}, r->to);
    mt->time = r;
    return 0;
}

int zm_table_line(zm_ctx *c, zm_doc *d, const zm_line *ln, zm_table_state *st)
{
    const char *t = c->norm.text;
    st->ncells = 0;
    int tab = memchr(t + ln->content, '\t', ln->end - ln->content) != NULL;
    if (!tab) {
        st->active = 0;
        return 0;
    }
    if (!st->active)
        return header(c, ln, st);
    return row(c, d, ln, st);
}
