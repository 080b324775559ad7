/* Fields of a metric that depend on its context: line, sentence, section
 * path, subject, change, status and time.
 *   "现有在编教师3632人"          => subject 在编教师, time = reference date
 *   "年内增加公办园学位1600个" (2020 plan) => target, 2020-01-01..2020-12-31
 *   "同比增长12.3%"               => change increase
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "utf8.h"


#define sep_len zm_sep_len

/* A sentence as resolve sees it: its extent (the layout's, or a window of
 * a long one) and the slice of the scratch times inside it. */
typedef struct sview {
    size_t start, end;
    int line;
    int time0, ntime;
    int windowed; /* a window of a sentence over ZM_SENTENCE_MAX */
} sview;

/* Sentence si of the layout with its times (collected: zm_sentence_times). */
static sview sentence_of(const zm_ctx *c, int si)
{
    const zm_sentence *s = &c->layout->sents[si];
    const zm_sent_cache *k = &c->w.scache[si];
    return (sview){s->start, s->end, s->line, k->time0, k->ntime, 0};
}

static void clause_bounds(const zm_ctx *c, const sview *s, size_t ms, size_t me, size_t *cs, size_t *ce)
{
    const char *t = c->norm.text;
    *cs = zm_clause_start(t, s->start, ms);
    *ce = s->end;
    for (size_t i = me; i < s->end; i++)
        if (sep_len(t, i, s->end)) {
            *ce = i;
            break;
        }
}

/* Where the words before a figure end when a short parenthesis stands
 * between them and it (地区生产总值（GDP）286.43亿元, 幼儿园(含民办)23所):
 * the opening bracket, else ms. The parenthesis names or qualifies what the
 * words before it name; its brackets would otherwise end the clause. */
#define PAREN_BEFORE_MAX 48
static size_t before_paren(const char *t, size_t lo, size_t ms)
{
    size_t e = ms;
    while (e > lo && t[e - 1] == ' ')
        e--;
    size_t close = e >= lo + 3 && zm_starts_with(t, e - 3, e, "）") ? e - 3 : e > lo && t[e - 1] == ')' ? e - 1 : e;
    if (close == e)
        return ms;
    size_t floor = close > lo + PAREN_BEFORE_MAX ? close - PAREN_BEFORE_MAX : lo;
    for (size_t i = close; i > floor;) {
        i--;
        if (t[i] == '(' || (i + 3 <= close && zm_starts_with(t, i, close, "（")))
            return i > lo ? i : ms;
        if (t[i] == ')' || zm_starts_with(t, i, close, "）") || (sep_len(t, i, close) && t[i] != ' '))
            return ms; /* nested, or a clause ends inside: not one short aside */
    }
    return ms;
}

/* The original text of [lo,hi) of the normalised text, without the line
 * breaks of a wrapped paragraph (subject, sentence, section and time are
 * words; only the span's own text keeps every byte). */
static char *orig_dup(zm_ctx *c, zm_doc *d, size_t lo, size_t hi)
{
    size_t a = zm_norm_orig(&c->norm, lo), b = zm_norm_orig(&c->norm, hi);
    const zm_unwrap *u = &c->unwrap;
    size_t k = zm_unwrap_before(u, a);
    if (k >= u->n || u->at[k] >= b)
        return zm_arena_strndup(&d->arena, c->src + a, b - a);
    char *out = zm_arena_alloc(&d->arena, b - a + 1);
    if (!out)
        return NULL;
    size_t o = 0, p = a;
    for (; k < u->n && u->at[k] < b; k++) {
        memcpy(out + o, c->src + p, u->at[k] - p);
        o += u->at[k] - p;
        p = u->at[k] + (c->src[u->at[k]] == '\r' ? 2 : 1);
    }
    if (p < b) {
        memcpy(out + o, c->src + p, b - p);
        o += b - p;
    }
    out[o] = 0;
    return out;
}

static const char *pos_of(const zm_ctx *c, const zm_token *tk) { return zm_lexicon_pos_name(c->m->lex, tk->pos); }

static int is_han_start(const char *t, size_t at) { return (unsigned char)t[at] >= 0xE3; }

static int nounish(const zm_ctx *c, const zm_token *tk, const char *t, size_t base)
{
    if (!tk->known)
        return is_han_start(t, base + tk->start) && !sep_len(t, base + tk->start, base + tk->start + tk->len) &&
               !zm_starts_with(t, base + tk->start, base + tk->start + tk->len, "“") &&
               !zm_starts_with(t, base + tk->start, base + tk->start + tk->len, "”");
    const char *p = pos_of(c, tk);
    return p[0] == 'n' || strcmp(p, "vn") == 0 || strcmp(p, "an") == 0 || strcmp(p, "j") == 0 ||
           strcmp(p, "l") == 0 || strcmp(p, "i") == 0 || strcmp(p, "b") == 0 || strcmp(p, "s") == 0 ||
           strcmp(p, "f") == 0 || strcmp(p, "a") == 0 || strcmp(p, "g") == 0;
}



static int skip_word(const zm_ctx *c, const char *t, size_t base, const zm_token *tk)
{
    static const uint32_t cls = 1u << ZM_CUE_SUBJECT_STOP | 1u << ZM_CUE_CHANGE_INC | 1u << ZM_CUE_CHANGE_DEC |
                                1u << ZM_CUE_GOAL | 1u << ZM_CUE_GOAL_PRED | 1u << ZM_CUE_PRESENT |
                                1u << ZM_CUE_PRESENT_WEAK | 1u << ZM_CUE_ACTUAL | 1u << ZM_CUE_DURATION |
                                1u << ZM_CUE_COMPARE;
    if (zm_model_cue_mask(c->m, t + base + tk->start, tk->len) & cls)
        return 1;
    return zm_model_qual(c->m, ZM_QP_PRE, t + base + tk->start, tk->len) >= 0;
}

#define SUBJ_MAX_CHARS 12

static int first_cp(const char *t, size_t at)
{
    int cp;
    zm_utf8_next((const unsigned char *)t + at, (const unsigned char *)t + at + 4, &cp);
    return cp;
}

/* What a token is depends on its text and part of speech only: found once,
 * kept in its memo bits, since the figures of a clause ask about the same
 * tokens (zm_seg_window hands out the cached ones). */
enum { MEMO_QUANTITY_KNOWN = 1, MEMO_QUANTITY = 2, MEMO_STOP_KNOWN = 4, MEMO_STOP = 8 };

/* A number or a measure word: "3个" inside 学前教育项目3个投资925万元. */
static int tok_quantity(const zm_ctx *c, const char *t, size_t base, zm_token *tk)
{
    if (!(tk->memo & MEMO_QUANTITY_KNOWN)) {
        size_t s = base + tk->start;
        int q = (t[s] >= '0' && t[s] <= '9') || zm_model_unit(c->m, t + s, tk->len) != NULL;
        tk->memo |= MEMO_QUANTITY_KNOWN | (q ? MEMO_QUANTITY : 0);
    }
    return (tk->memo & MEMO_QUANTITY) != 0;
}

static int stop_word(const zm_ctx *c, const char *t, size_t base, const zm_token *tk)
{
    if (skip_word(c, t, base, tk))
        return 1;
    if (!tk->known)
        return 0;
    const char *p = pos_of(c, tk);
    return (p[0] == 'p' && p[1] == 0) || (p[0] == 'u') || (p[0] == 'c' && p[1] == 0) || (p[0] == 'r' && p[1] == 0) ||
           (p[0] == 'd' && p[1] == 0) ||
           (p[0] == 'm' && p[1] == 0 && zm_numerals_is(&c->m->num, first_cp(t, base + tk->start)));
}

/* Function words and cues: they bound a subject phrase. */
static int tok_stop(const zm_ctx *c, const char *t, size_t base, zm_token *tk)
{
    if (!(tk->memo & MEMO_STOP_KNOWN))
        tk->memo |= MEMO_STOP_KNOWN | (stop_word(c, t, base, tk) ? MEMO_STOP : 0);
    return (tk->memo & MEMO_STOP) != 0;
}

/* Punctuation, quotes, digits and Latin text end a subject phrase. */
static int tok_break(const zm_ctx *c, const char *t, size_t base, const zm_token *tk, size_t hi)
{
    size_t s = base + tk->start;
    int latin = (t[s] >= 'A' && t[s] <= 'Z') || (t[s] >= 'a' && t[s] <= 'z');
    if ((!is_han_start(t, s) && !latin) || sep_len(t, s, hi))
        return 1;
    int cp;
    zm_utf8_next((const unsigned char *)t + s, (const unsigned char *)t + s + tk->len, &cp);
    switch (cp) {
    case 0x201C: case 0x201D: case 0x300A: case 0x300B: case 0x2018: /* “”《》‘ */
    case 0x2019: case 0x3010: case 0x3011: case 0x2014: case 0x2026: /* ’【】—… */
    case 0x00B7:                                                       /* · */
        return 1;
    default:
        return zm_numerals_is(&c->m->num, cp) && tk->len == 3 && !tk->known;
    }
}

static int in_time(const zm_ctx *c, const sview *s, size_t a, size_t b)
{
    for (int i = 0; i < s->ntime; i++) {
        const zm_time *tm = &c->w.times[s->time0 + i];
        if (a < tm->end && b > tm->start)
            return 1;
    }
    return 0;
}

/* Phrase of tokens [k0, ...) forward; returns its byte range. */
static int phrase_forward(zm_ctx *c, size_t base, size_t hi, size_t k0, size_t *ps, size_t *pe)
{
    const char *t = c->norm.text;
    zm_token *tk = c->w.tv.tok;
    size_t chars = 0, k = k0;
    *ps = *pe = 0;
    for (; k < c->w.tv.n; k++) {
        if (tok_break(c, t, base, &tk[k], hi) || (k > k0 && tok_stop(c, t, base, &tk[k])))
            break;
        size_t n = zm_utf8_count(t + base + tk[k].start, tk[k].len);
        if (chars + n > SUBJ_MAX_CHARS && chars > 0)
            break;
        if (k == k0)
            *ps = base + tk[k].start;
        chars += n;
        *pe = base + tk[k].start + tk[k].len;
    }
    return *pe > *ps;
}

/* The general lexicon has compounds that swallow a change verb or a
 * baseline's 比 after a noun (价格上涨1.2%, 价格下降3.5%, 价格比上年…):
 * the length of such a suffix, else 0. A change verb counts from two
 * characters (not 增, 多); 比 only before a time (师生比 is a noun). Two
 * characters of the word stay unless they are a baseline (同比增加: all). */
static size_t change_suffix(const zm_ctx *c, const char *w, size_t len, int time_next)
{
    size_t at = 0;
    for (int k = 0; k < 2 && at < len; k++)
        at += (size_t)zm_utf8_len((unsigned char)w[at]);
    for (; at < len; at += (size_t)zm_utf8_len((unsigned char)w[at])) {
        uint32_t m = zm_model_cue_mask(c->m, w + at, len - at);
        if ((m & (1u << ZM_CUE_CHANGE_INC | 1u << ZM_CUE_CHANGE_DEC)) && zm_utf8_count(w + at, len - at) >= 2)
            return zm_model_cue_mask(c->m, w, at) & 1u << ZM_CUE_COMPARE ? len : len - at; /* 同比增加: all of it */
        if ((m & 1u << ZM_CUE_COMPARE) && time_next)
            return len - at;
    }
    return 0;
}

/* Phrase of tokens ending at token j (inclusive), backward. */
static int phrase_backward(zm_ctx *c, const sview *s, size_t base, size_t hi, long j, size_t max_chars,
                           size_t *ps, size_t *pe)
{
    const char *t = c->norm.text;
    zm_token *tk = c->w.tv.tok;
    for (;;) {
        while (j >= 0 && (tok_stop(c, t, base, &tk[j]) || tok_break(c, t, base, &tk[j], hi) ||
                          tok_quantity(c, t, base, &tk[j]) || (tk[j].known && strcmp(pos_of(c, &tk[j]), "f") == 0)))
            j--;
        /* a baseline (较上半年, 比2018年) is not what is measured */
        if (j >= 1 && zm_model_is_cue(c->m, ZM_CUE_COMPARE, t + base + tk[j - 1].start, tk[j - 1].len))
            j -= 2;
        else
            break;
    }
    *ps = *pe = 0;
    size_t chars = 0;
    long first = -1;
    for (; j >= 0; j--) {
        size_t a = base + tk[j].start, b = a + tk[j].len;
        if (tok_break(c, t, base, &tk[j], hi) || tok_stop(c, t, base, &tk[j]) || in_time(c, s, a, b))
            break;
        if (!*pe && tk[j].known) {
            b -= change_suffix(c, t + a, tk[j].len,
                               (size_t)j + 1 < c->w.tv.n && tk[j + 1].known && pos_of(c, &tk[j + 1])[0] == 't');
            if (b == a)
                continue;
        }
        size_t n = zm_utf8_count(t + a, b - a);
        if (chars + n > max_chars && chars > 0)
            break;
        if (!*pe)
            *pe = b;
        *ps = a;
        chars += n;
        first = j;
    }
    /* a leading verb is the action, not the thing: 组织党员干部 => 党员干部 */
    for (long k = first; *pe > *ps && k >= 0 && (size_t)k < c->w.tv.n; k++) {
        size_t a = base + tk[k].start, b = a + tk[k].len;
        if (b >= *pe || !tk[k].known || pos_of(c, &tk[k])[0] != 'v' || strcmp(pos_of(c, &tk[k]), "vn") == 0 ||
            zm_utf8_count(t + b, *pe - b) < 3)
            break;
        *ps = b;
    }
    return *pe > *ps;
}

/* What money was spent on when nothing names it before the amount:
 * "投入430万元，采购一批电脑和教学一体机" => 电脑和教学一体机 (the clause's end). */
static int object_after(zm_ctx *c, size_t from, size_t hi, const sview *s, size_t *ps, size_t *pe);

static char *find_subject(zm_ctx *c, zm_doc *d, const sview *s, zm_kind kind, size_t cs, size_t ce,
                          size_t ms, size_t me)
{
    const char *t = c->norm.text;
    size_t as = 0, ae = 0, bs = 0, be = 0;
    if (zm_seg_window(c, cs, ce))
        return NULL;
    zm_token *tk = c->w.tv.tok;
    size_t nt = c->w.tv.n, first_after = nt, tb = c->w.tv.base;
    long last_before = -1;
    for (size_t k = 0; k < nt; k++) {
        size_t a = tb + tk[k].start, b = a + tk[k].len;
        if (b <= ms)
            last_before = (long)k;
        if (a >= me && first_after == nt)
            first_after = k;
    }
    /* after the unit: 168所学校, 2093人次建档立卡学生 */
    size_t k = first_after;
    if (k < nt && tk[k].len == 3 && zm_starts_with(t, tb + tk[k].start, ce, "的"))
        k++;
    int after_verb = k < nt && tk[k].known && pos_of(c, &tk[k])[0] == 'v' && strcmp(pos_of(c, &tk[k]), "vn") != 0;
    if (k < nt && !tok_stop(c, t, tb, &tk[k]))
        phrase_forward(c, tb, ce, k, &as, &ae);
    /* before the number: 资助资金104.9万元, 初中年辍学率控制在千分之三以下 */
    if (last_before >= 0)
        phrase_backward(c, s, tb, ce, last_before, SUBJ_MAX_CHARS, &bs, &be);
    /* counts name what they count after the measure word (168所学校) unless
     * a verb follows it (100多人参会: the phrase before names them) */
    int counted = kind == ZM_K_COUNT || kind == ZM_K_DURATION;
    size_t ps = 0, pe = 0;
    if (be > bs && zm_utf8_count(t + bs, be - bs) < 2)
        be = bs; /* one character is not a phrase */
    const char *from = "none";
    if (counted && ae > as && (!after_verb || be <= bs))
        ps = as, pe = ae, from = "after the measure word";
    else if (be > bs)
        ps = bs, pe = be, from = "before the number";
    else if (ae > as)
        ps = as, pe = ae, from = "after the measure word";
    else if (kind == ZM_K_AMOUNT && object_after(c, me, ce, s, &ps, &pe))
        from = "what the amount went to";
    zm_why(c, "subject_from", from, strlen(from));
    if (pe <= ps || zm_utf8_count(t + ps, pe - ps) < 2)
        return NULL;
    return orig_dup(c, d, ps, pe);
}

static int object_after(zm_ctx *c, size_t from, size_t hi, const sview *s, size_t *ps, size_t *pe)
{
    const char *t = c->norm.text;
    /* the end of this clause; the next clause (to its comma) when this one ends
     * here and that one states no figure of its own */
    size_t end = hi;
    if (end == from) {
        size_t l = hi < s->end ? sep_len(t, hi, s->end) : 0;
        if (!l)
            return 0;
        from = hi + l;
        end = from;
        while (end < s->end && !zm_starts_with(t, end, s->end, "，") && !zm_starts_with(t, end, s->end, "；") &&
               !zm_starts_with(t, end, s->end, "。")) {
            if (t[end] >= '0' && t[end] <= '9')
                return 0;
            end++;
        }
    }
    if (end <= from || zm_seg_window(c, from, end))
        return 0;
    return phrase_backward(c, s, c->w.tv.base, end, (long)c->w.tv.n - 1, 10, ps, pe);
}

/* Does a cue token of class cls stand in the clause before the figure and
 * govern it (followed by a verb, adverb or the figure itself)? */
static int governing_cue(zm_ctx *c, int cls, size_t cs, size_t ms, size_t *cue_at, size_t *cue_len)
{
    const char *t = c->norm.text;
    size_t cl;
    /* no cue word of the class in the clause at all (the common case): no
     * token can be one, and the clause need not be segmented */
    if (ms <= cs || zm_cue_find(c, cls, cs, ms, &cl) < 0 || zm_seg_window(c, cs, ms))
        return 0;
    size_t tb = c->w.tv.base;
    for (size_t k = 0; k < c->w.tv.n; k++) {
        const zm_token *x = &c->w.tv.tok[k];
        if (!zm_model_is_cue(c->m, cls, t + tb + x->start, x->len))
            continue;
        *cue_at = tb + x->start;
        *cue_len = x->len;
        if (cls != ZM_CUE_GOAL || zm_model_is_cue(c->m, ZM_CUE_GOAL_FIRM, t + tb + x->start, x->len))
            return 1;
        /* 春晖计划, 滋蕙计划: a programme name (an unknown or proper-noun word
         * before the cue) heads a compound; 县里计划, 教育局计划 are not */
        if (k > 0) {
            const zm_token *pv = &c->w.tv.tok[k - 1];
            const char *pp = pos_of(c, pv);
            if (nounish(c, pv, t, tb) && (!pv->known || strcmp(pp, "nz") == 0 || strcmp(pp, "nr") == 0) &&
                zm_utf8_count(t + tb + pv->start, pv->len) >= 2)
                continue;
        }
        if (k + 1 == c->w.tv.n)
            return 1; /* directly before the figure */
        const zm_token *nx = &c->w.tv.tok[k + 1];
        const char *p = pos_of(c, nx);
        if (nx->known && (p[0] == 'v' || p[0] == 'd' || p[0] == 'p' || strcmp(p, "m") == 0) && strcmp(p, "vn") != 0)
            return 1;
    }
    return 0;
}

static int in_plan_section(const zm_ctx *c, int head)
{
    for (int h = head; h >= 0; h = c->layout->heads[h].parent)
        if (zm_heading_plan(c->layout, c->facts, h))
            return 1;
    return 0;
}

/* Nearest time in [lo,hi) of a sentence's times: preceding `at` first. */
static const zm_time *nearest_time(const zm_ctx *c, const sview *s, size_t lo, size_t hi, size_t at,
                                   int following)
{
    const zm_time *best = NULL;
    for (int i = 0; i < s->ntime; i++) {
        const zm_time *tm = &c->w.times[s->time0 + i];
        if (tm->start < lo || tm->end > hi || tm->start >= at)
            continue;
        best = tm;
    }
    if (best || !following)
        return best;
    for (int i = 0; i < s->ntime; i++) {
        const zm_time *tm = &c->w.times[s->time0 + i];
        if (tm->start >= lo && tm->end <= hi && tm->start >= at)
            return tm;
    }
    return NULL;
}

typedef struct time_choice {
    zm_ymd from, to;
    size_t ts, te;   /* text in the normalised text; te == ts: use label */
    const char *label;
    const char *source;
    int found;
} time_choice;

static void choose(time_choice *ch, const zm_time *tm, const char *source)
{
    ch->from = tm->from;
    ch->to = tm->to;
    ch->ts = tm->start;
    ch->te = tm->end;
    ch->source = source;
    ch->found = 1;
}

/* The period that a deadline's range starts from: the section's, else the document's. */
static zm_ymd context_start(zm_ctx *c, int head)
{
    zm_time ht;
    for (int h = head; h >= 0; h = c->layout->heads[h].parent)
        if (zm_heading_time(c, h, &ht) > 0)
            return ht.from;
    if (c->facts->has_period)
        return c->facts->period.from;
    return (zm_ymd){c->facts->year ? c->facts->year : 1970, 1, 1};
}

static void apply_mod(zm_ctx *c, time_choice *ch, const zm_time *tm, int head)
{
    if (!tm)
        return;
    switch (tm->mod) {
    case ZM_TM_ASOF:
        ch->from = ch->to;
        break;
    case ZM_TM_DEADLINE:
        ch->from = context_start(c, head);
        if (zm_ymd_cmp(ch->from, ch->to) > 0)
            ch->from = (zm_ymd){ch->to.y, 1, 1};
        break;
    case ZM_TM_SINCE:
        if (c->facts->has_ref && zm_ymd_cmp(c->facts->ref, ch->from) >= 0)
            ch->to = c->facts->ref;
        break;
    default:
        break;
    }
}

static int present_in(zm_ctx *c, int cls, size_t lo, size_t hi)
{
    size_t cl;
    return zm_cue_find(c, cls, lo, hi, &cl) >= 0;
}

/* Dates the figure at the reference date; the cue word is the time's text. */
static void choose_present(zm_ctx *c, time_choice *ch, size_t at, size_t len, const char *source)
{
    ch->from = ch->to = c->facts->ref;
    ch->ts = at;
    ch->te = at + len;
    ch->source = source;
    ch->found = 1;
}

/* A present cue before ms whose own clause holds a figure; returns its
 * offset or -1. */
static long present_stating(zm_ctx *c, const sview *s, size_t ms, size_t *len)
{
    const char *t = c->norm.text;
    size_t from = s->start;
    long at;
    while ((at = zm_cue_find(c, ZM_CUE_PRESENT, from, ms, len)) >= 0) {
        for (size_t i = (size_t)at + *len; i < s->end && !sep_len(t, i, s->end); i++)
            if (t[i] >= '0' && t[i] <= '9')
                return at;
        from = (size_t)at + *len;
    }
    return -1;
}

/* 共有 dates at the present only in a section that speaks of the present:
 * its heading names it (基本情况) or one of its earlier lines opens with
 * 目前/现有 (目前全县共有…). */
static int section_opened_by_present(const zm_ctx *c, int li)
{
    int head = c->layout->lines[li].heading;
    size_t cl;
    if (head >= 0 && zm_model_cue_find(c->m, ZM_CUE_PRESENT_SECTION, c->norm.text, c->layout->heads[head].start,
                                       c->layout->heads[head].end, &cl) >= 0)
        return 1;
    for (int i = li; i >= 0 && c->layout->lines[i].heading == head; i--)
        if (zm_model_cue_at(c->m, ZM_CUE_PRESENT, c->norm.text, c->layout->lines[i].content, c->layout->lines[i].end))
            return 1;
    return 0;
}

/* The sentence's leading adverbial: its first time, at its start or after
 * a short preposition (截至10月15日，), followed by a comma. */
static const zm_time *leading_time(const zm_ctx *c, const sview *s)
{
    if (!s->ntime)
        return NULL;
    const zm_time *lead = &c->w.times[s->time0];
    if (lead->start - s->start > 9 || !zm_starts_with(c->norm.text, lead->end, s->end, "，"))
        return NULL;
    for (size_t i = s->start; i < lead->start; i++)
        if (sep_len(c->norm.text, i, lead->start))
            return NULL;
    return lead;
}

/* s: the figure's sentence as resolve sees it (its view), times collected */
static int resolve_time(zm_ctx *c, const sview *s, int si, int li, size_t cs, size_t ce, size_t ms, int target,
                        time_choice *ch)
{
    memset(ch, 0, sizeof *ch);
    int rc;
    int head = c->layout->lines[li].heading;
    const zm_time *tm = nearest_time(c, s, cs, ce, ms, 1);
    if (tm) {
        /* "7月，组织开展…暑期培训" : the sentence's leading date is narrower */
        const zm_time *lead = leading_time(c, s);
        if (lead && lead != tm &&
            zm_ymd_cmp(lead->from, tm->from) >= 0 && zm_ymd_cmp(lead->to, tm->to) <= 0 &&
            (zm_ymd_cmp(lead->from, tm->from) || zm_ymd_cmp(lead->to, tm->to)))
            tm = lead;
        choose(ch, tm, "clause");
        apply_mod(c, ch, tm, head);
        return 0;
    }
    size_t pl = 0;
    long pat;
    if (c->facts->has_ref && !target && (pat = zm_cue_find(c, ZM_CUE_PRESENT, cs, ms, &pl)) >= 0) {
        choose_present(c, ch, (size_t)pat, pl, "clause-present");
        return 0;
    }
    /* a leading adverbial ("2019年，…") dates the whole sentence; otherwise the nearest date before */
    const zm_time *lead = leading_time(c, s);
    if (lead && lead->end <= ms)
        tm = lead;
    else
        tm = nearest_time(c, s, s->start, s->end, ms, 0);
    if (tm) {
        choose(ch, tm, "sentence");
        apply_mod(c, ch, tm, head);
        return 0;
    }
    /* 目前，… at the sentence's start, 现有 in a clause that states figures
     * (全区现有幼儿园96所，其中…83所), 共有 anywhere before the figure;
     * a target is never dated by the present */
    if (c->facts->has_ref && !target) {
        if ((pl = zm_model_cue_at(c->m, ZM_CUE_PRESENT, c->norm.text, s->start, ms)) > 0) {
            choose_present(c, ch, s->start, pl, "sentence-present");
            return 0;
        }
        if ((pat = present_stating(c, s, ms, &pl)) >= 0 ||
            ((pat = zm_cue_find(c, ZM_CUE_PRESENT_WEAK, s->start, ms, &pl)) >= 0 &&
             section_opened_by_present(c, li))) {
            choose_present(c, ch, (size_t)pat, pl, "sentence-present");
            return 0;
        }
    }
    /* an event date ("3月30日至4月8日，我县举办了…。") carries to the next sentence */
    if (si > 0 && c->layout->sents[si - 1].line == s->line) {
        if ((rc = zm_sentence_times(c, si - 1)))
            return rc;
        const sview pv = sentence_of(c, si - 1), *p = &pv;
        for (int i = p->ntime - 1; i >= 0; i--) {
            const zm_time *pt = &c->w.times[p->time0 + i];
            if (pt->day_level && pt->mod == ZM_TM_NONE && zm_starts_with(c->norm.text, pt->end, p->end, "，")) {
                choose(ch, pt, "previous-sentence");
                return 0;
            }
        }
    }
    /* 年末全市共有普通高校4所，…；普通高中41所，…。: a stock's date (a single
     * day) leading a sentence's first ；-part dates the parts after it */
    for (int p = si - 1; !target && p >= 0 && c->layout->sents[p].line == s->line; p--) {
        const zm_sentence *ps = &c->layout->sents[p];
        size_t pe = ps->end;
        while (pe > ps->start && (c->norm.text[pe - 1] == ' ' || c->norm.text[pe - 1] == '\t'))
            pe--;
        if (pe < ps->start + 3 || !zm_starts_with(c->norm.text, pe - 3, pe, "；"))
            break;
        if ((rc = zm_sentence_times(c, p)))
            return rc;
        const sview pv = sentence_of(c, p);
        const zm_time *lt = leading_time(c, &pv);
        if (!lt && pv.ntime && c->w.times[pv.time0].start == pv.start)
            lt = &c->w.times[pv.time0]; /* 年末全市…: no comma after it */
        if (lt && lt->mod == ZM_TM_NONE && zm_ymd_cmp(lt->from, lt->to) == 0) {
            choose(ch, lt, "sentence-part");
            apply_mod(c, ch, lt, head);
            return 0;
        }
    }
    /* a paragraph opened by 目前， speaks of the present throughout */
    const zm_line *ln = &c->layout->lines[li];
    if (c->facts->has_ref) {
        pl = target ? 0 : zm_model_cue_at(c->m, ZM_CUE_PRESENT, c->norm.text, ln->content, ln->end);
        if (pl && zm_starts_with(c->norm.text, ln->content + pl, ln->end, "，")) {
            choose_present(c, ch, ln->content, pl, "paragraph-present");
            return 0;
        }
    }
    zm_time ht;
    for (int h = head; h >= 0; h = c->layout->heads[h].parent) {
        if ((rc = zm_heading_time(c, h, &ht)) < 0)
            return rc;
        if (rc > 0) {
            choose(ch, &ht, "heading");
            ch->ts = c->layout->heads[h].start;
            ch->te = c->layout->heads[h].end;
            return 0;
        }
    }
    if (c->facts->has_period) {
        choose(ch, &c->facts->period, "document");
        ch->ts = ch->te = 0;
        ch->label = c->facts->period_text;
        return 0;
    }
    return 0;
}

/* The sentence of the figure at [ms,me) as the questions below see it.
 * A sentence over ZM_SENTENCE_MAX (a line with no sentence end) is seen
 * through a window around the figure, with the times inside it: every
 * question scans from the sentence's start, which made such a line
 * quadratic in its figures. The view carries the sentence's times. */
static void sentence_view(const zm_ctx *c, int si, size_t ms, size_t me, sview *view)
{
    const sview whole = sentence_of(c, si), *s = &whole;
    *view = whole;
    if (s->end - s->start <= ZM_SENTENCE_MAX)
        return;
    const char *t = c->norm.text;
    view->windowed = 1;
    size_t lo = ms > s->start + ZM_SENTENCE_MAX / 2 ? ms - ZM_SENTENCE_MAX / 2 : s->start;
    size_t hi = me + ZM_SENTENCE_MAX / 2 < s->end ? me + ZM_SENTENCE_MAX / 2 : s->end;
    while (lo > s->start && ((unsigned char)t[lo] & 0xC0) == 0x80)
        lo--;
    while (hi < s->end && ((unsigned char)t[hi] & 0xC0) == 0x80)
        hi++;
    view->start = lo;
    view->end = hi;
    /* times are in text order: the first starting at lo or later, by bisection */
    const zm_time *tm = c->w.times + s->time0;
    int a = 0, b = s->ntime;
    while (a < b) {
        int mid = (a + b) / 2;
        if (tm[mid].start < lo)
            a = mid + 1;
        else
            b = mid;
    }
    int e = a;
    while (e < s->ntime && tm[e].end <= hi)
        e++;
    view->time0 = s->time0 + a;
    view->ntime = e - a;
}

int zm_resolve_metric(zm_ctx *c, zm_doc *d, zm_metric *mt, size_t ms, size_t me)
{
    const char *t = c->norm.text;
    zm_arena *a = &d->arena;
    int si = zm_sentence_at(c, ms);
    int li = zm_line_at(c->layout, ms);
    if (si < 0 || li < 0)
        return 0;
    int rc0;
    if ((rc0 = zm_sentence_times(c, si)))
        return rc0;
    sview view;
    sentence_view(c, si, ms, me, &view);
    const sview *s = &view;
    /* the line in the text as given: a wrapped paragraph is one line here */
    mt->line = li + 1 + (int)zm_unwrap_before(&c->unwrap, mt->span[0]);
    size_t ss = s->start, se = s->end;
    while (se > ss && (t[se - 1] == ' ' || t[se - 1] == '\t'))
        se--;
    if (view.windowed) {
        mt->sentence = orig_dup(c, d, ss, se);
    } else if (c->w.last_sentence == si && c->w.last_sentence_text) {
        mt->sentence = c->w.last_sentence_text; /* shared by the sentence's figures */
    } else {
        mt->sentence = orig_dup(c, d, ss, se);
        c->w.last_sentence = si;
        c->w.last_sentence_text = mt->sentence;
    }
    /* section path, shared by the figures under the same heading */
    int head = c->layout->lines[li].heading;
    if (head >= 0 && head == c->w.last_head && c->w.last_section) {
        mt->section = c->w.last_section;
        mt->section_len = c->w.last_section_len;
    } else {
        int depth = 0;
        for (int h = head; h >= 0; h = c->layout->heads[h].parent)
            depth++;
        const char **sec = depth ? zm_arena_alloc(a, (size_t)depth * sizeof *sec) : NULL;
        int k = depth;
        for (int h = head; h >= 0 && sec; h = c->layout->heads[h].parent)
            sec[--k] = orig_dup(c, d, c->layout->heads[h].start, c->layout->heads[h].end);
        mt->section = (const char *const *)sec;
        mt->section_len = sec ? (size_t)depth : 0;
        c->w.last_head = head;
        c->w.last_section = mt->section;
        c->w.last_section_len = mt->section_len;
    }
    size_t cs, ce, sb = before_paren(t, s->start, ms);
    clause_bounds(c, s, sb, me, &cs, &ce);
    mt->subject = find_subject(c, d, s, mt->kind_id, cs, ce, sb, me);
    /* 比上年增加6所: a change clause speaks of the previous figure's subject */
    size_t mi = (size_t)(mt - d->metrics); /* the metrics before it are resolved */
    if (!mt->subject && mi >= 1 && (zm_model_cue_at(c->m, ZM_CUE_COMPARE, t, cs, ms) || zm_model_cue_at(c->m, ZM_CUE_CHANGE_INC, t, cs, ms) || zm_model_cue_at(c->m, ZM_CUE_CHANGE_DEC, t, cs, ms))) {
        const zm_metric *prev = &d->metrics[mi - 1];
        /* on the same line of the unwrapped text */
        if ((size_t)prev->line - zm_unwrap_before(&c->unwrap, prev->span[0]) == (size_t)li + 1 && prev->sentence && strcmp(prev->sentence, mt->sentence) == 0)
            mt->subject = prev->subject;
        zm_why(c, "subject_inherited", "previous figure of the sentence (change clause)", strlen("previous figure of the sentence (change clause)"));
    }
    /* change against a baseline: 同比增长12.3%, 较上年增加260人 */
    /* the verb may stand before a PDF converter's space: 增长 8.1% */
    size_t mb = ms;
    while (mb > cs && t[mb - 1] == ' ')
        mb--;
    size_t cl = zm_model_cue_before(c->m, ZM_CUE_CHANGE_INC, t, cs, mb);
    size_t dl = zm_model_cue_before(c->m, ZM_CUE_CHANGE_DEC, t, cs, mb);
    if (!cl && !dl && ms >= cs + 3 && zm_starts_with(t, ms - 3, ms, "了")) {
        cl = zm_model_cue_before(c->m, ZM_CUE_CHANGE_INC, t, cs, ms - 3);
        dl = zm_model_cue_before(c->m, ZM_CUE_CHANGE_DEC, t, cs, ms - 3);
    }
    mt->change_id = ZM_C_NONE;
    /* a baseline (同比, 较上年) makes it a change; so does the verb alone for
     * rates (下降2个百分点, 增长12.3%) */
    /* ... and the verb right after a level it changes (排放量减少1.2万吨,
     * 每斤上涨8角: cues.tsv level) */
    size_t vs = mb - (cl >= dl ? cl : dl);
    if ((cl || dl) && (present_in(c, ZM_CUE_COMPARE, s->start, ms) || mt->kind_id == ZM_K_RATIO ||
                       zm_model_cue_before(c->m, ZM_CUE_LEVEL, t, cs, vs)))
        mt->change_id = cl >= dl ? ZM_C_INCREASE : ZM_C_DECREASE;
    /* a list item after 、 or 和 (增长1.1、4.0、2.8个百分点, 分别增长5.2%和6.8%)
     * shares the change of the item before it */
    if (mt->change_id == ZM_C_NONE && mi >= 1 && ms >= 3 &&
        (zm_starts_with(t, ms - 3, ms, "、") || zm_starts_with(t, ms - 3, ms, "和")) &&
        d->metrics[mi - 1].span[1] == zm_norm_orig(&c->norm, ms - 3))
        mt->change_id = d->metrics[mi - 1].change_id;
    /* status */
    int target = c->facts->plan_doc || in_plan_section(c, head);
    const char *status_why = c->facts->plan_doc ? "plan document" : target ? "plan section" : "default";
    size_t cue_at = 0, cue_len = 0;
    int goal = governing_cue(c, ZM_CUE_GOAL, cs, ms, &cue_at, &cue_len);
    int pred_end = 1;
    for (size_t i = me; i < ce; i++)
        if (t[i] != ' ' && !sep_len(t, i, ce)) {
            pred_end = 0;
            break;
        }
    int goal_pred = !goal && pred_end && governing_cue(c, ZM_CUE_GOAL_PRED, cs, ms, &cue_at, &cue_len);
    if (goal || goal_pred) {
        target = 1;
        status_why = goal ? "goal cue" : "goal cue, figure ends its clause";
    } else {
        long at = zm_cue_find(c, ZM_CUE_ACTUAL, cs, ms, &cue_len);
        if (at < 0)
            at = zm_cue_find(c, ZM_CUE_PRESENT, cs, ms, &cue_len);
        if (at >= 0) {
            target = 0;
            status_why = "actual cue";
            cue_at = (size_t)at;
        } else {
            cue_len = 0;
        }
    }
    zm_why(c, "status", status_why, strlen(status_why));
    if (cue_len)
        zm_why(c, "status_cue", c->src + zm_norm_orig(&c->norm, cue_at),
               zm_norm_orig(&c->norm, cue_at + cue_len) - zm_norm_orig(&c->norm, cue_at));
    mt->status_id = target ? ZM_S_TARGET : ZM_S_ACTUAL;
    /* time */
    time_choice ch;
    int rc = resolve_time(c, s, si, li, cs, ce, ms, target, &ch);
    if (rc)
        return rc;
    /* a plan also reports what an earlier period reached (2023年…上线4826人) */
    if (target && ch.found && c->facts->has_period && zm_ymd_cmp(ch.to, c->facts->period.from) < 0) {
        target = 0;
        mt->status_id = ZM_S_ACTUAL;
        zm_why(c, "status", "dated before the plan's period", strlen("dated before the plan's period"));
    }
    if (ch.found) {
        zm_date_range *r = zm_arena_alloc(a, sizeof *r);
        if (!r)
            return ZM_E_NOMEM;
        if (ch.te > ch.ts)
            r->text = orig_dup(c, d, ch.ts, ch.te);
        else
            r->text = zm_arena_strdup(a, ch.label ? ch.label : "");
        zm_ymd_format(ch.from, r->from);
        zm_ymd_format(ch.to, r->to);
        mt->time = r;
    }
    if (c->w.explain) {
        zm_why(c, "time_source", ch.found ? ch.source : "none", strlen(ch.found ? ch.source : "none"));
        if (mt->time)
            zm_why(c, "time_text", mt->time->text, strlen(mt->time->text));
    }
    return 0;
}
