/* Document structure on the normalised text: conversion debris, lines,
 * the heading tree, quotations, sentences, and the time expressions of a
 * sentence or heading (found lazily, only where a figure needs them).
 *   "（一）资助政策落实情况" under "三、工作完成情况" => level 2, parent 0
 *   "“两不愁三保障”"  => a quote range: numerals inside are names
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "utf8.h"

/* Rules anchored at a position look this far at most: longer than any
 * figure or date (the layout stage owns it: extraction and the time and
 * heading scans here use it). */
#define ZM_RULE_WINDOW 256 /* bytes */

size_t zm_window_end(const char *t, size_t at, size_t hi)
{
    return at + ZM_RULE_WINDOW >= hi ? hi : zm_utf8_start(t, at + ZM_RULE_WINDOW);
}

void *zm_vec_push(void **arr, size_t *n, size_t *cap, size_t elem)
{
    if (zm_grow(arr, *n, cap, elem, 64))
        return NULL;
    void *e = (char *)*arr + (*n)++ * elem;
    memset(e, 0, elem);
    return e;
}

int zm_in_ranges(const zm_range *r, size_t n, size_t at)
{
    /* ranges are sorted and disjoint: binary search */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r[mid].end <= at)
            lo = mid + 1;
        else if (r[mid].start > at)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

int zm_line_at(const zm_layout *L, size_t at)
{
    size_t lo = 0, hi = L->n_lines;
    while (lo + 1 < hi) {
        size_t mid = (lo + hi) / 2;
        if (L->lines[mid].start <= at)
            lo = mid;
        else
            hi = mid;
    }
    return L->n_lines ? (int)lo : -1;
}

int zm_sentence_at(zm_ctx *c, size_t at)
{
    const zm_layout *L = c->layout;
    size_t h = c->w.sent_hint;
    if (h < L->n_sents && L->sents[h].start <= at && at < L->sents[h].end)
        return (int)h;
    size_t lo = 0, hi = L->n_sents;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (L->sents[mid].end <= at)
            lo = mid + 1;
        else if (L->sents[mid].start > at)
            hi = mid;
        else
            return (int)(c->w.sent_hint = mid);
    }
    return -1;
}

int zm_scan(zm_ctx *c, int action, size_t lo, size_t hi, zm_match_fn fn, void *arg)
{
    const zm_rules *rs = &c->m->rules;
    const char *t = c->norm.text;
    for (int k = 0; k < rs->nby[action]; k++) {
        const zm_rule *r = &rs->rule[rs->by_action[action][k]];
        size_t at = lo;
        while (at < hi) {
            int rc = pcre2_match(r->re, (PCRE2_SPTR)t, hi, at, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx);
            if (rc < 0)
                break;
            const size_t *ov = pcre2_get_ovector_pointer(c->w.md);
            int e = fn(c, r, ov, arg);
            if (e)
                return e;
            size_t next = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
            while (next < hi && ((unsigned char)t[next] & 0xC0) == 0x80)
                next++;
            at = next;
        }
    }
    return 0;
}

/* Does a time marker (年, 月, a period word's last character) stand within
 * the next 12 characters? Every time expression holds one. */
static int time_mark_near(const zm_ctx *c, size_t i, size_t hi)
{
    const unsigned char *u = (const unsigned char *)c->norm.text;
    for (int n = 0; n < 12 && i < hi; n++) {
        int cp;
        int k = zm_utf8_dec(u + i, &cp); /* normalised text: valid UTF-8 */
        if (zm_cpset_has(c->m->time_mark, cp))
            return 1;
        i += (size_t)k;
    }
    return 0;
}

static int on_ignore(zm_ctx *c, const zm_rule *r, const size_t *ov, void *arg)
{
    (void)c, (void)r;
    zm_layout *L = arg;
    zm_range *g = ZM_PUSH_RW(zm_range, L, ignores);
    if (!g)
        return ZM_E_NOMEM;
    g->start = ov[0];
    g->end = ov[1];
    return 0;
}

static int cmp_range(const void *a, const void *b)
{
    const zm_range *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Sorts and merges overlapping ranges. */
static void normalise_ranges(zm_range *r, size_t *n)
{
    if (*n < 2)
        return;
    qsort(r, *n, sizeof *r, cmp_range);
    size_t k = 0;
    for (size_t i = 1; i < *n; i++) {
        if (r[i].start < r[k].end) {
            if (r[i].end > r[k].end)
                r[k].end = r[i].end;
        } else {
            r[++k] = r[i];
        }
    }
    *n = k + 1;
}


static size_t skip_blank(const zm_ctx *c, const zm_layout *L, size_t at, size_t hi)
{
    const char *t = c->norm.text;
    for (;;) {
        if (at < hi && (t[at] == ' ' || t[at] == '\t')) {
            at++;
            continue;
        }
        if (at < hi && zm_in_ranges(L->ignores, L->n_ignores, at)) {
            while (at < hi && zm_in_ranges(L->ignores, L->n_ignores, at))
                at++;
            continue;
        }
        return at;
    }
}

/* Quotes: “…” up to 24 characters and 《…》 of any length on one line. */
static int find_quotes(const zm_ctx *c, zm_layout *L, const zm_line *ln)
{
    const char *t = c->norm.text;
    /* by characters (a third of the steps for CJK): “ is E2 80 9C, 《 E3 80 8A */
    for (size_t i = ln->start; i < ln->end; i += (size_t)zm_utf8_len((unsigned char)t[i])) {
        static const unsigned char may_quote[256] = {[0xE2] = 1, [0xE3] = 1};
        if (!may_quote[(unsigned char)t[i]])
            continue;
        int book = zm_starts_with(t, i, ln->end, "《");
        if (!book && !zm_starts_with(t, i, ln->end, "“"))
            continue;
        const char *close = book ? "》" : "”";
        size_t j = i + 3, chars = 0;
        while (j < ln->end && !zm_starts_with(t, j, ln->end, close) && (book || chars <= 24)) {
            if (!book && zm_starts_with(t, j, ln->end, "“"))
                break;
            if (((unsigned char)t[j] & 0xC0) != 0x80)
                chars++;
            j++;
        }
        if (j < ln->end && zm_starts_with(t, j, ln->end, close)) {
            zm_range *q = ZM_PUSH_RW(zm_range, L, quotes);
            if (!q)
                return ZM_E_NOMEM;
            q->start = i;
            q->end = j + 3;
            i = j + 2;
        }
    }
    return 0;
}

/* 。！？；!?; (ZM_PU_SENTENCE_END): on bytes, this runs at every character */
static int is_sentence_end(const char *t, size_t at, size_t hi, size_t *len)
{
    return (zm_punct_at(t, at, hi, len) & ZM_PU_SENTENCE_END) != 0;
}

/* Heading numbering at the line's content start; text up to the first
 * sentence end. Long first sentences are body text, not headings. */
static int detect_heading(zm_ctx *c, zm_layout *L, zm_line *ln, int *stack, int *depth)
{
    const zm_rules *rs = &c->m->rules;
    const char *t = c->norm.text;
    /* the combined pattern names the first style that matches (one call a
     * line instead of one per style) */
    int first = 0, last = rs->nby[ZM_ACT_HEADING];
    if (rs->nby[ZM_ACT_HEADING]) {
        const pcre2_code *headings = ln->content < ln->end ? rs->headings.by_byte[(unsigned char)t[ln->content]] : NULL;
        if (!headings ||
            pcre2_match(headings, (PCRE2_SPTR)t, ln->end, ln->content, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx) < 0)
            return 0;
        if ((first = zm_rules_marked(rs, ZM_ACT_HEADING, c->w.md)) < 0)
            return 0;
    }
    for (int k = first; k < last; k++) {
        const zm_rule *r = &rs->rule[rs->by_action[ZM_ACT_HEADING][k]];
        int rc = pcre2_match(r->re, (PCRE2_SPTR)t, ln->end, ln->content, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx);
        if (rc < 0)
            continue;
        size_t end = ln->end, el;
        for (size_t i = ln->content; i < ln->end; i++)
            if (is_sentence_end(t, i, ln->end, &el)) {
                end = i;
                break;
            }
        if (zm_utf8_count(t + ln->content, end - ln->content) > 60)
            return 0;
        /* "（三）拟于11月举办…，预计…。" is a numbered paragraph, not a heading */
        if (end < ln->end) {
            for (size_t i = ln->content; i < end; i++)
                if (zm_starts_with(t, i, end, "，"))
                    return 0;
        }
        int style = rs->by_action[ZM_ACT_HEADING][k];
        /* a style already open closes everything below it */
        int lvl = *depth;
        for (int d = 0; d < *depth; d++)
            if (L->heads[stack[d]].style == style) {
                lvl = d;
                break;
            }
        if (lvl >= 16)
            return 0;
        zm_heading *h = ZM_PUSH_RW(zm_heading, L, heads);
        if (!h)
            return ZM_E_NOMEM;
        h->start = ln->content;
        h->end = end;
        h->style = style;
        h->level = lvl + 1;
        h->parent = lvl > 0 ? stack[lvl - 1] : -1;
        size_t cl;
        h->plan = zm_model_cue_find(c->m, ZM_CUE_PLAN_HEADING, t, h->start, h->end, &cl) >= 0;
        stack[lvl] = (int)(L->n_heads - 1);
        *depth = lvl + 1;
        return 0;
    }
    return 0;
}

void zm_layout_free(zm_layout *L)
{
    free((void *)L->lines);
    free((void *)L->heads);
    free((void *)L->sents);
    free((void *)L->ignores);
    free((void *)L->quotes);
}

/* The lazy caches of headings and sentences, one zeroed slot each. */
static int reset_caches(zm_ctx *c, const zm_layout *L)
{
    c->w.n_times = c->w.n_cuehits = 0;
    c->w.sseg_sentence = -1;
    /* zm_grow makes room for index n - 1, so for n slots */
    if ((L->n_heads && zm_grow((void **)&c->w.hcache, L->n_heads - 1, &c->w.cap_hcache, sizeof *c->w.hcache, 64)) ||
        (L->n_sents && zm_grow((void **)&c->w.scache, L->n_sents - 1, &c->w.cap_scache, sizeof *c->w.scache, 64)))
        return ZM_E_NOMEM;
    if (L->n_heads)
        memset(c->w.hcache, 0, L->n_heads * sizeof *c->w.hcache);
    if (L->n_sents)
        memset(c->w.scache, 0, L->n_sents * sizeof *c->w.scache);
    return 0;
}

int zm_structure(zm_ctx *c, zm_layout *L)
{
    const char *t = c->norm.text;
    size_t n = c->norm.len;
    L->n_lines = L->n_heads = L->n_sents = L->n_ignores = L->n_quotes = 0;
    int rc = zm_scan(c, ZM_ACT_IGNORE, 0, n, on_ignore, L);
    if (rc)
        return rc;
    normalise_ranges((zm_range *)L->ignores, &L->n_ignores); /* its own product */
    int stack[16], depth = 0;
    size_t i = 0;
    int has_cr = memchr(t, '\r', n) != NULL;
    while (i < n || (i == n && n == 0)) {
        size_t e = i;
        if (!has_cr) {
            const char *nl = memchr(t + i, '\n', n - i);
            e = nl ? (size_t)(nl - t) : n;
        } else {
            while (e < n && t[e] != '\n' && t[e] != '\r')
                e++;
        }
        zm_line *ln = ZM_PUSH_RW(zm_line, L, lines);
        if (!ln)
            return ZM_E_NOMEM;
        ln->start = i;
        ln->end = e;
        ln->content = skip_blank(c, L, i, e);
        ln->heading = -1;
        if ((rc = detect_heading(c, L, ln, stack, &depth)) || (rc = find_quotes(c, L, ln)))
            return rc;
        ln->heading = depth ? stack[depth - 1] : -1;
        /* sentences of the line */
        size_t s = ln->content;
        for (size_t k = ln->content; k <= e; k += k < e ? (size_t)zm_utf8_len((unsigned char)t[k]) : 1) {
            size_t el = 0;
            int end = k == e || is_sentence_end(t, k, e, &el);
            if (!end)
                continue;
            size_t se = k + el;
            if (se > s) {
                zm_sentence *st = ZM_PUSH_RW(zm_sentence, L, sents);
                if (!st)
                    return ZM_E_NOMEM;
                st->start = s;
                st->end = se;
                st->line = (int)(L->n_lines - 1);
            }
            s = se;
            if (k == e)
                break;
            k = se - 1;
        }
        if (e >= n)
            break;
        i = e + ((t[e] == '\r' && e + 1 < n && t[e + 1] == '\n') ? 2 : 1);
        if (i >= n) {
            /* trailing line break: no empty last line */
            break;
        }
    }
    normalise_ranges((zm_range *)L->quotes, &L->n_quotes);
    return reset_caches(c, L);
}

/* ---- time expressions ---- */

typedef struct time_collect {
    zm_time *buf;
    size_t n, cap;
} time_collect;

static int on_time(zm_ctx *c, const zm_rule *r, const size_t *ov, time_collect *tc)
{
    if (zm_grow((void **)&tc->buf, tc->n, &tc->cap, sizeof *tc->buf, 16))
        return ZM_E_NOMEM;
    zm_time tm;
    /* the year is filled in later, in text order; 1 marks "missing" */
    if (zm_time_from_match(c->m, r, c->norm.text, ov, 1, &tm) == 0)
        tc->buf[tc->n++] = tm;
    return 0;
}

static int is_numeral_cp(const zm_ctx *c, int cp) { return (cp >= '0' && cp <= '9') || zm_numerals_is(&c->m->num, cp); }

/* Is the character before i (not before lo) a numeral? */
static int numeral_before(const zm_ctx *c, size_t lo, size_t i)
{
    int cp;
    return i > lo && (zm_utf8_prev(c->norm.text, lo, i, &cp), is_numeral_cp(c, cp));
}

/* The time rules at every character a time can start with (a numeral run's
 * first character, a period word's first character) that has a time marker
 * within 12 characters: the combined pattern for that byte says whether a
 * rule applies and which, and that rule gives the groups. */
static int scan_times(zm_ctx *c, size_t lo, size_t hi, time_collect *tc)
{
    const zm_rules *rs = &c->m->rules;
    const char *t = c->norm.text;
    const unsigned char *u = (const unsigned char *)t;
    for (size_t i = lo; i < hi; i += (size_t)zm_utf8_len(u[i])) {
        const pcre2_code *times = rs->times.by_byte[u[i]];
        if (!times || !zm_cplead_may(c->m->time_start_lead, u + i))
            continue;
        int cp;
        zm_utf8_dec(u + i, &cp); /* normalised text: valid UTF-8 */
        if (!zm_cpset_has(c->m->time_start, cp) || (is_numeral_cp(c, cp) && numeral_before(c, lo, i)) ||
            !time_mark_near(c, i, hi))
            continue; /* not a start, or inside a numeral run: times start at its first character */
        size_t win = zm_window_end(t, i, hi);
        int r = pcre2_match(times, (PCRE2_SPTR)t, win, i, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx) >= 0
                    ? zm_rules_marked(rs, ZM_ACT_TIME, c->w.md)
                    : -1;
        const zm_rule *ru = r >= 0 ? &rs->rule[rs->by_action[ZM_ACT_TIME][r]] : NULL;
        if (ru && pcre2_match(ru->re, (PCRE2_SPTR)t, win, i, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx) >= 0) {
            const size_t *ov = pcre2_get_ovector_pointer(c->w.md);
            int e = ov[1] > ov[0] ? on_time(c, ru, ov, tc) : 0;
            if (e)
                return e;
        }
    }
    return 0;
}

static int cmp_time(const void *a, const void *b)
{
    const zm_time *x = a, *y = b;
    if (x->start != y->start)
        return (x->start > y->start) - (x->start < y->start);
    return (x->end < y->end) - (x->end > y->end);
}

/* Fills in missing years (the last explicit one before, else
 * default_year) and reads the words around each time. */
static int finish_time(zm_ctx *c, zm_time *tm, int *year, int default_year, size_t lo, size_t hi)
{
    const char *t = c->norm.text;
    if (tm->explicit_year) {
        if (tm->from.y > 1)
            *year = tm->from.y;
    } else {
        int y = *year ? *year : default_year;
        if (!y)
            return -1; /* nothing in the document says which year */
        int dy = y - 1;
        tm->from.y += dy;
        tm->to.y += dy;
    }
    tm->mod = ZM_TM_NONE;
    /* 截至2022年: as of; 到2020年底: as of only when it names a period's end */
    int at_end = tm->end >= 3 && (memcmp(t + tm->end - 3, "底", 3) == 0 || memcmp(t + tm->end - 3, "末", 3) == 0);
    if (zm_model_cue_before(c->m, ZM_CUE_TIME_ASOF, t, lo, tm->start) ||
        (at_end && zm_model_cue_before(c->m, ZM_CUE_TIME_ASOF_END, t, lo, tm->start)))
        tm->mod = ZM_TM_ASOF;
    if (zm_model_cue_at(c->m, ZM_CUE_TIME_DEADLINE, t, tm->end, hi))
        tm->mod = ZM_TM_DEADLINE;
    else if (zm_model_cue_at(c->m, ZM_CUE_TIME_SINCE, t, tm->end, hi))
        tm->mod = ZM_TM_SINCE;
    return 0;
}

/* All non-overlapping times in [lo,hi) appended to c->w.times; returns count.
 * A time without its year takes default_year. */
static int collect_times(zm_ctx *c, size_t lo, size_t hi, int default_year, int *count)
{
    time_collect tc = {0};
    int rc = scan_times(c, lo, hi, &tc);
    *count = 0;
    if (rc) {
        free(tc.buf);
        return rc;
    }
    if (tc.n > 1)
        qsort(tc.buf, tc.n, sizeof *tc.buf, cmp_time);
    size_t last_end = lo;
    int year = 0;
    for (size_t k = 0; k < tc.n; k++) {
        zm_time *tm = &tc.buf[k];
        if (tm->start < last_end)
            continue;
        last_end = tm->end;
        /* dates inside a quoted title are part of a name; a quoted period (“十四五”) is a time */
        if (zm_in_ranges(c->layout->quotes, c->layout->n_quotes, tm->start) && !zm_starts_with(c->norm.text, tm->start, hi, "“"))
            continue;
        /* a baseline (比2018年) is not the figure's time */
        if (zm_model_cue_before(c->m, ZM_CUE_COMPARE, c->norm.text, lo, tm->start))
            continue;
        if (finish_time(c, tm, &year, default_year, lo, hi))
            continue;
        zm_time *slot = ZM_PUSH(&c->w, times);
        if (!slot) {
            free(tc.buf);
            return ZM_E_NOMEM;
        }
        *slot = *tm;
        (*count)++;
    }
    free(tc.buf);
    return 0;
}

int zm_sentence_times(zm_ctx *c, int si)
{
    const zm_layout *L = c->layout;
    zm_sent_cache *s = &c->w.scache[si];
    if (s->times_done)
        return 0;
    s->times_done = 1;
    s->time0 = (int)c->w.n_times;
    /* a year left out takes the year of the section (二、2021年工作打算),
     * else the document's */
    int year = c->facts->year;
    zm_time ht;
    for (int h = L->lines[L->sents[si].line].heading; h >= 0; h = L->heads[h].parent) {
        int rc = zm_heading_time(c, h, &ht);
        if (rc < 0)
            return rc;
        if (rc > 0 && ht.explicit_year && ht.from.y == ht.to.y) {
            year = ht.from.y;
            break;
        }
    }
    s = &c->w.scache[si];
    s->time0 = (int)c->w.n_times;
    return collect_times(c, L->sents[si].start, L->sents[si].end, year, &s->ntime);
}

int zm_time_in(zm_ctx *c, size_t lo, size_t hi, int year, zm_time *out)
{
    size_t mark = c->w.n_times;
    int n = 0;
    int rc = collect_times(c, lo, hi, year ? year : c->facts->year, &n);
    if (!rc && n > 0)
        *out = c->w.times[mark];
    c->w.n_times = mark;
    return rc ? rc : n > 0;
}

int zm_heading_time(zm_ctx *c, int hi, zm_time *out)
{
    zm_head_cache *h = &c->w.hcache[hi];
    if (!h->time_done) {
        h->time_done = 1;
        int rc = zm_time_in(c, c->layout->heads[hi].start, c->layout->heads[hi].end, 0, &h->time);
        if (rc < 0)
            return rc;
        h->has_time = rc;
    }
    if (h->has_time)
        *out = h->time;
    return h->has_time;
}

/* Clause separators: ，；：、（）。！？ and their ASCII forms (not 1:2). */
size_t zm_sep_len(const char *t, size_t at, size_t hi)
{
    size_t len;
    unsigned k = zm_punct_at(t, at, hi, &len) & ZM_PU_CLAUSE_SEP;
    if (!k || (k == ZM_PU_COLON && len == 1 && at > 0 && t[at - 1] >= '0' && t[at - 1] <= '9'))
        return 0;
    return len;
}

size_t zm_clause_start(const char *t, size_t lo, size_t at)
{
    if (at > lo + ZM_CLAUSE_MAX)
        lo = zm_utf8_start(t, at - ZM_CLAUSE_MAX);
    for (size_t i = at; i > lo;) {
        i--;
        while (i > lo && ((unsigned char)t[i] & 0xC0) == 0x80)
            i--;
        size_t l = zm_sep_len(t, i, at);
        if (l)
            return i + l;
    }
    return lo;
}

/* Segments a window reaching from lo to the end of the clause holding hi:
 * the figures of a clause share it. Words do not cross clause separators,
 * so a window from a clause start to a clause end gives the tokens the
 * whole sentence would. (A window reaching into the next clause, kept for
 * that clause's figures, segmented more than it saved: 1.5% of all
 * instructions, callgrind.) */
int zm_seg_window(zm_ctx *c, size_t lo, size_t hi)
{
    c->w.tv = (zm_tokens){NULL, 0, lo};
    int si = zm_sentence_at(c, lo);
    if (si < 0 || c->layout->sents[si].end < hi) {
        int rc = zm_seg_run(&c->w.seg, c->m->lex, c->norm.text + lo, hi - lo);
        c->w.tv = (zm_tokens){c->w.seg.tok, rc ? 0 : c->w.seg.ntok, lo};
        return rc;
    }
    const zm_sentence *s = &c->layout->sents[si];
    const char *t = c->norm.text;
    if (c->w.sseg_sentence != si || lo < c->w.sseg_lo || hi > c->w.sseg_hi) {
        c->w.sseg_sentence = -1;
        size_t whi = hi; /* to the end of hi's clause, at most ZM_CLAUSE_MAX on */
        while (whi < s->end && whi < hi + ZM_CLAUSE_MAX && !zm_sep_len(t, whi, s->end))
            whi++;
        int rc = zm_seg_run(&c->w.sseg, c->m->lex, t + lo, whi - lo);
        if (rc)
            return rc;
        c->w.sseg_sentence = si;
        c->w.sseg_lo = lo;
        c->w.sseg_hi = whi;
    }
    /* the tokens inside [lo,hi): the first by bisection */
    size_t base = c->w.sseg_lo, first = 0, last = c->w.sseg.ntok;
    while (first < last) {
        size_t mid = (first + last) / 2;
        if (base + c->w.sseg.tok[mid].start < lo)
            first = mid + 1;
        else
            last = mid;
    }
    size_t end = first;
    while (end < c->w.sseg.ntok && base + c->w.sseg.tok[end].start + c->w.sseg.tok[end].len <= hi)
        end++;
    c->w.tv = (zm_tokens){c->w.sseg.tok + first, end - first, base};
    return 0;
}

/* Every cue word of the sentence with all its classes: the figures of a
 * sentence ask a dozen questions about its cues, answered from this list. */
static int sentence_cues(zm_ctx *c, const zm_sentence *st, zm_sent_cache *s)
{
    const zm_model *m = c->m;
    const unsigned char *u = (const unsigned char *)c->norm.text;
    s->cue0 = (int)c->w.n_cuehits;
    s->ncue = 0;
    s->cue_classes = 0;
    for (size_t i = st->start; i < st->end;) {
        int cp;
        int k = zm_utf8_dec(u + i, &cp);
        if (zm_cpset_has(m->cue_first, cp)) {
            zm_lex_hit cm[ZM_LEX_MAX_HITS];
            /* longest first: zm_cue_find takes the first hit at a position */
            for (int l = zm_cues_at(m, (const char *)u, i, st->end, cm); l-- > 0;) {
                zm_cuehit *h = ZM_PUSH(&c->w, cuehits);
                if (!h) {
                    c->w.n_cuehits = (size_t)s->cue0; /* no half index: asked again next time */
                    return ZM_E_NOMEM;
                }
                h->at = (uint32_t)i;
                h->len = cm[l].len;
                h->mask = cm[l].payload;
                s->cue_classes |= cm[l].payload;
                s->ncue++;
            }
        }
        i += (size_t)k;
    }
    s->cues_done = 1;
    return 0;
}

long zm_cue_find(zm_ctx *c, int cls, size_t lo, size_t hi, size_t *len)
{
    int si = lo < hi ? zm_sentence_at(c, lo) : -1;
    if (si < 0 || c->layout->sents[si].end < hi)
        return zm_model_cue_find(c->m, cls, c->norm.text, lo, hi, len);
    zm_sent_cache *s = &c->w.scache[si];
    if (!s->cues_done && sentence_cues(c, &c->layout->sents[si], s))
        return zm_model_cue_find(c->m, cls, c->norm.text, lo, hi, len);
    *len = 0;
    if (!(s->cue_classes >> cls & 1))
        return -1;
    /* hits are in text order: the first at lo or later, by bisection (a
     * long sentence has many figures, each asking about its own clause) */
    const zm_cuehit *hit = c->w.cuehits + s->cue0;
    int a = 0, b = s->ncue;
    while (a < b) {
        int mid = (a + b) / 2;
        if (hit[mid].at < lo)
            a = mid + 1;
        else
            b = mid;
    }
    for (int k = a; k < s->ncue; k++) {
        const zm_cuehit *h = &hit[k];
        if (h->at >= hi)
            break;
        if ((h->mask >> cls & 1) && h->at + h->len <= hi) {
            *len = h->len;
            return (long)h->at;
        }
    }
    return -1;
}
