/* The pipeline for one document: decode, normalise, structure, then at
 * every numeral run try the block rules (not a metric) and the metric
 * rules (first match wins), and resolve each accepted match.
 *   "共投入资金2269万元实施项目11个" => anchors at 2269 and 11
 *   "第四批24家"  => 四 blocked (ordinal), 24家 a count
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "decode.h"
#include "extract.h"
#include "enrich.h"
#include "input.h"
#include "script.h"
#include "table.h"
#include "notes.h"
#include "utf8.h"

#define ZM_DEFAULT_MAX_BYTES (64u << 20)

zm_ctx *zm_ctx_new(const zm_model *m)
{
    zm_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->m = m;
    c->layout = &c->layout_rw;
    c->facts = &c->facts_rw;
    c->w.md = pcre2_match_data_create((uint32_t)m->max_groups + 1, NULL);
    if (!c->w.md) {
        free(c);
        return NULL;
    }
    return c;
}

void zm_ctx_free(zm_ctx *c)
{
    if (!c)
        return;
    pcre2_match_data_free(c->w.md);
    zm_buf_free(&c->text);
    zm_norm_free(&c->norm);
    zm_unwrap_free(&c->unwrap);
    zm_seg_free(&c->w.seg);
    zm_seg_free(&c->w.sseg);
    zm_buf_free(&c->w.why);
    zm_layout_free(&c->layout_rw);
    free((void *)c->facts_rw.plan_heads);
    free(c->w.hcache);
    free(c->w.scache);
    free(c->w.times);
    free(c->w.cuehits);
    free(c);
}

/* Tried at every character of every line: inline, and the decode skips
 * the checks (the normalised text is valid UTF-8). */
static inline int is_numeral(const zm_ctx *c, const char *t, size_t at, size_t hi, int *len)
{
    unsigned char b = (unsigned char)t[at];
    if (b >= '0' && b <= '9') {
        *len = 1;
        return 1;
    }
    if (b < 0xE0 || b > 0xEF || at + 1 >= hi || !c->m->num.lead2[(b & 0x0F) << 6 | ((unsigned char)t[at + 1] & 0x3F)])
        return 0;
    int cp;
    *len = zm_utf8_dec((const unsigned char *)t + at, &cp);
    return zm_numerals_is(&c->m->num, cp);
}

static const char *orig_ptr(const zm_ctx *c, size_t norm_off) { return c->src + zm_norm_orig(&c->norm, norm_off); }

typedef struct cand {
    const zm_rule *r;
    size_t ov[2 * 32];
    int nov;
} cand;

static int grp(const cand *k, int g, size_t *s, size_t *e)
{
    int n = k->r->group[g];
    if (n < 0 || n >= k->nov || k->ov[2 * n] == (size_t)-1)
        return 0;
    *s = k->ov[2 * n];
    *e = k->ov[2 * n + 1];
    return 1;
}

/* A Chinese numeral must be a word of its own or the head of
 * numeral+measure word (with its qualifier: 近三成): 进一步, 一体化, 一线,
 * 九年义务教育 are not figures. */
static int chinese_numeral_ok(zm_ctx *c, size_t num_start, size_t qual_start, size_t unit_end, size_t line_lo,
                              size_t line_hi)
{
    const char *t = c->norm.text;
    int si = zm_sentence_at(c, num_start);
    size_t lo, hi;
    if (si >= 0 && c->layout->sents[si].end >= unit_end) {
        lo = zm_clause_start(t, c->layout->sents[si].start, num_start);
        hi = unit_end;
    } else {
        lo = num_start > line_lo + 24 ? zm_utf8_start(t, num_start - 24) : line_lo;
        hi = unit_end + 24 < line_hi ? zm_utf8_start(t, unit_end + 24) : line_hi;
    }
    if (zm_seg_window(c, lo, hi))
        return 0;
    for (size_t k = 0; k < c->w.tv.n; k++) {
        size_t s = c->w.tv.base + c->w.tv.tok[k].start, e = s + c->w.tv.tok[k].len;
        if (e <= num_start)
            continue;
        /* 近三成 may be one word: the qualifier belongs to the figure */
        return (s == num_start || s == qual_start) && e <= unit_end;
    }
    return 0;
}

/* Exact value of a num group with following multipliers (3851.6余万). */
static int value_of(const zm_ctx *c, const char *t, size_t s, size_t e, size_t ms, size_t me, zm_dec *v)
{
    if (zm_numex_parse(&c->m->num, t + s, e - s, v))
        return -1;
    for (size_t i = ms; i < me;) {
        int cp;
        int k = zm_utf8_next((const unsigned char *)t + i, (const unsigned char *)t + me, &cp);
        int ix = zm_numerals_find(&c->m->num, cp);
        if (ix < 0 || zm_dec_scale(v, c->m->num.val[ix]))
            return -1;
        i += (size_t)k;
    }
    return 0;
}

/* Product of the multipliers (万, 亿) that end an Arabic number in
 * [s,e) (2万 => 10000), or 0 when there are none. */
static int64_t trailing_mult(const zm_ctx *c, const char *t, size_t s, size_t e)
{
    if (!(t[s] >= '0' && t[s] <= '9'))
        return 0;
    int64_t f = 1;
    int any = 0;
    size_t i = s;
    while (i < e && ((t[i] >= '0' && t[i] <= '9') || t[i] == '.' || t[i] == ','))
        i++;
    while (i < e) {
        int cp;
        int k = zm_utf8_next((const unsigned char *)t + i, (const unsigned char *)t + e, &cp);
        int ix = k > 0 ? zm_numerals_find(&c->m->num, cp) : -1;
        if (t[i] == ' ') {
            i++;
            continue;
        }
        if (ix < 0 || c->m->num.kind[ix] == ZM_NUM_DIGIT || __builtin_mul_overflow(f, c->m->num.val[ix], &f))
            return 0;
        any = 1;
        i += (size_t)k;
    }
    return any ? f : 0;
}

static int is_ascii_digit_start(const char *t, size_t s) { return t[s] >= '0' && t[s] <= '9'; }

static int is_latin(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

static int starts_with(const char *t, size_t at, size_t hi, const char *w)
{
    size_t n = strlen(w);
    return at + n <= hi && memcmp(t + at, w, n) == 0;
}

/* Bytes of a sign glued before the number at `at` ("-", "负"), or 0: not
 * after a digit or letter (1-2, 0731-8888888, A-1 are not signs). */
static size_t sign_before(const char *t, size_t lo, size_t at)
{
    if (at > lo && t[at - 1] == '-') {
        if (at - 1 == lo)
            return 1;
        char p = t[at - 2];
        return (p >= '0' && p <= '9') || is_latin(p) || p == '-' || p == '.' || p == ')' ? 0 : 1;
    }
    if (at >= lo + 3 && starts_with(t, at - 3, at, "负"))
        return 3;
    return 0;
}

/* A money unit written before the number (新台币1500万元): the unit, and
 * *lo moved back over it; NULL when there is none. */
static const zm_unit *currency_before(zm_ctx *c, size_t line_lo, size_t *lo)
{
    const char *t = c->norm.text;
    for (size_t n = 12; n >= 6; n -= 3) {
        if (*lo < line_lo + n)
            continue;
        const zm_unit *cu = zm_model_unit(c->m, t + *lo - n, n);
        if (cu && cu->currency[0] && !(cu->flags & ZM_UNIT_MINOR)) {
            *lo -= n;
            return cu;
        }
    }
    return NULL;
}

/* 人均受教育年限10.8年，比上年提高0.2年: a duration topic earlier in the
 * sentence makes 年 a duration. */
static int duration_topic(zm_ctx *c, const zm_unit *u, size_t at)
{
    if (u->need != ZM_CUE_DURATION)
        return 0;
    int si = zm_sentence_at(c, at);
    size_t cl;
    return si >= 0 && zm_cue_find(c, ZM_CUE_DURATION_TOPIC, c->layout->sents[si].start, at, &cl) >= 0;
}

/* The parts after a whole amount (5元3角, 50元6角三分, 五元三毛): adds
 * them to *v (in the main unit) and returns where they end, else `at`. */
static size_t add_minor(zm_ctx *c, const zm_unit *main, size_t at, size_t hi, zm_dec *v)
{
    const char *t = c->norm.text;
    size_t end = at;
    int last = 0;
    while (end < hi) {
        int cp;
        int k = zm_utf8_next((const unsigned char *)t + end, (const unsigned char *)t + hi, &cp);
        int ix = k > 0 ? zm_numerals_find(&c->m->num, cp) : -1;
        int64_t d = -1;
        if (cp >= '0' && cp <= '9')
            d = cp - '0';
        else if (ix >= 0 && c->m->num.kind[ix] == ZM_NUM_DIGIT)
            d = c->m->num.val[ix];
        if (d < 0)
            break;
        size_t us = end + (size_t)k, ue = us;
        const zm_unit *mu = NULL;
        for (size_t e = us + 3; e <= us + 6 && e <= hi; e += 3)
            if ((mu = zm_model_unit(c->m, t + us, e - us)) && (mu->flags & ZM_UNIT_MINOR))
                ue = e;
        mu = ue > us ? zm_model_unit(c->m, t + us, ue - us) : NULL;
        if (!mu || strcmp(mu->currency, main->currency) || mu->minor <= last)
            break;
        zm_dec part = {d, mu->minor == 10 ? 1 : 2};
        zm_dec sum = *v;
        /* same-scale add: parts are at most two decimals */
        int ovf = 0;
        while (sum.s < part.s && !ovf) {
            ovf = __builtin_mul_overflow(sum.m, 10, &sum.m);
            sum.s++;
        }
        while (part.s < sum.s && !ovf) {
            ovf = __builtin_mul_overflow(part.m, 10, &part.m);
            part.s++;
        }
        if (ovf || __builtin_add_overflow(sum.m, sum.m < 0 ? -part.m : part.m, &sum.m))
            break;
        zm_dec_norm(&sum);
        *v = sum;
        last = mu->minor;
        end = ue;
    }
    return end;
}

/* Two non-zero digits before 成/折 (七五折, 八五折): 7.5 成, not one
 * numeral (三四 is "three or four" elsewhere). */
static int tenths_pair(const zm_ctx *c, const char *t, size_t s, size_t e, zm_dec *v)
{
    int a, b;
    if (e - s != 6)
        return 0;
    zm_utf8_dec((const unsigned char *)t + s, &a);
    zm_utf8_dec((const unsigned char *)t + s + 3, &b);
    int ia = zm_numerals_find(&c->m->num, a), ib = zm_numerals_find(&c->m->num, b);
    if (ia < 0 || ib < 0 || c->m->num.kind[ia] != ZM_NUM_DIGIT || c->m->num.kind[ib] != ZM_NUM_DIGIT ||
        c->m->num.val[ia] == 0 || c->m->num.val[ib] == 0)
        return 0;
    *v = (zm_dec){c->m->num.val[ia] * 10 + c->m->num.val[ib], 1};
    return 1;
}

/* Checks a metric match and fills the value, unit and qualifier fields. */
/* Reads the match k into a new metric of d, described by *cd; 1 when it is
 * a figure, 0 when not, < 0 on error. */
static int build_metric(zm_ctx *c, zm_doc *d, const cand *k, const zm_line *ln, zm_candidate *cd)
{
    const char *t = c->norm.text;
    size_t ns = 0, ne = 0, us = 0, ue = 0, s2 = 0, e2 = 0, is = 0, ie = 0, ps = 0, pe = 0;
    if (!grp(k, ZM_G_NUM, &ns, &ne))
        return 0;
    const zm_unit *u = NULL;
    int has_unit = grp(k, ZM_G_UNIT, &us, &ue) && ue > us;
    if (has_unit) {
        u = zm_model_unit(c->m, t + us, ue - us);
        if (!u && !(ue - us == 1 && t[us] == '%'))
            return 0;
    }
    if (u && (u->flags & (ZM_UNIT_MONEY | ZM_UNIT_MINOR))) {
        int money_cue = zm_model_cue_before(c->m, ZM_CUE_MONEY, t, ln->content, k->ov[0]) > 0;
        /* 角 on its own (上涨8角): after Arabic digits or a money word
         * (八角, 五角星 are no money) */
        if ((u->flags & ZM_UNIT_MINOR) && !is_ascii_digit_start(t, ns) && !money_cue)
            return 0;
        /* nor a part of the whole amount before it (5元3角: read with 5元) */
        const zm_unit *pu = ns >= ln->content + 3 ? zm_model_unit(c->m, t + ns - 3, 3) : NULL;
        if ((u->flags & ZM_UNIT_MINOR) && pu && (pu->currency[0] || (pu->flags & ZM_UNIT_MONEY)))
            return 0;
        /* a measure word that is also money (块): money after a money word
         * when no noun follows (补助200块, not 奖励两块奖牌) or with its parts
         * (一块五毛), else a count */
        const zm_unit *mu = (u->flags & ZM_UNIT_MONEY) ? zm_model_unit(c->m, u->money, strlen(u->money)) : NULL;
        zm_dec probe = {0, 0};
        int noun_after = 0;
        if (ue < ln->end) {
            int cp;
            zm_utf8_next((const unsigned char *)t + ue, (const unsigned char *)t + ln->end, &cp);
            noun_after = cp >= 0x4E00 && cp <= 0x9FFF;
        }
        if (mu && ((money_cue && !noun_after) || add_minor(c, mu, ue, ln->end, &probe) > ue))
            u = mu;
    }
    int kind = k->r->kind >= 0 ? k->r->kind : u ? u->kind : -1;
    if (kind < 0)
        return 0;
    const char *canon = u ? u->canon : "%";
    if (k->r->kind == ZM_K_RATIO && !has_unit)
        canon = "ratio";
    int chinese = !is_ascii_digit_start(t, ns);
    if (u && (u->flags & ZM_UNIT_CHINESE) && !chinese)
        return 0;
    size_t unit_end = has_unit ? ue : k->ov[1];
    /* a currency named before the number: 新台币1500万元, 人民币500万元 */
    const zm_unit *pre_cur = NULL;
    size_t num_lo = k->ov[0] - sign_before(t, ln->content, k->ov[0]);
    if (u && u->currency[0] && !(u->flags & ZM_UNIT_MINOR) && ue - us <= 3)
        pre_cur = currency_before(c, ln->content, &num_lo);
    /* a qualifier before the number, also across a PDF converter's space (近 21 万人) */
    size_t qlen = 0;
    size_t qat = num_lo > ln->content && t[num_lo - 1] == ' ' ? num_lo - 1 : num_lo;
    int qpre = zm_model_qual_before(c->m, t, ln->content, qat, 0, &qlen);
    if (qpre >= 0)
        qlen += num_lo - qat;
    else
        qpre = zm_model_qual_before(c->m, t, ln->content, num_lo, 0, &qlen);
    if (qpre >= 0)
        qlen += k->ov[0] - num_lo; /* the span reaches back over sign and currency */
    /* a unit that is also a word (台, 度) only right after its number */
    if (u && (u->flags & ZM_UNIT_WORD)) {
        size_t me = grp(k, ZM_G_MULT, &s2, &e2) && e2 > s2 ? e2 : ne;
        if (us > me + 1)
            return 0;
    }
    /* 一吨半 may be one word with its half, 一个半月 with the unit after it */
    size_t word_end = has_unit && starts_with(t, unit_end, ln->end, "半") ? unit_end + 3 : unit_end;
    if (word_end > unit_end && ue - us == 3 && word_end + 3 <= ln->end) {
        char cat[6];
        memcpy(cat, t + us, 3);
        memcpy(cat + 3, t + word_end, 3);
        if (zm_model_unit(c->m, cat, 6))
            word_end += 3;
    }
    if (chinese && !(u && (u->flags & ZM_UNIT_PREFIX)) && !chinese_numeral_ok(c, ns, ns - qlen, word_end, ln->content, ln->end))
        return 0;
    /* range: a written first unit must agree */
    if (grp(k, ZM_G_UNIT1, &s2, &e2) && e2 > s2 && has_unit && (e2 - s2 != ue - us || memcmp(t + s2, t + us, ue - us)))
        return 0;
    size_t mult_s = 0, mult_e = 0;
    int has_mult = grp(k, ZM_G_MULT, &mult_s, &mult_e) && mult_e > mult_s;
    zm_dec v, v2;
    if (u && u->scale == 10 && chinese && !has_mult && tenths_pair(c, t, ns, ne, &v))
        ; /* 七五折 => 7.5 成 */
    else if (value_of(c, t, ns, ne, mult_s, mult_e, &v))
        return 0;
    /* a footnote mark glued to the number (常住人口城镇化率241.25%, note 2) */
    size_t mark = 0;
    if (c->facts->n_notes && !chinese && k->ov[0] == ns &&
        (mark = zm_note_mark(c, zm_clause_start(t, ln->content, ns), ns, ne)) &&
        value_of(c, t, ns + mark, ne, mult_s, mult_e, &v))
        return 0;
    int has_max = grp(k, ZM_G_NUM2, &s2, &e2) && e2 > s2;
    if (has_max && value_of(c, t, s2, e2, mult_s, mult_e, &v2))
        return 0;
    /* 20—30万元, 1-2亿元: the second number's multiplier counts for both */
    if (has_max && !chinese && !trailing_mult(c, t, ns, ne)) {
        int64_t f = trailing_mult(c, t, s2, e2);
        if (f > 1 && zm_dec_scale(&v, f))
            return 0;
    }
    if (has_max && strcmp(canon, "ratio") == 0) {
        /* a:b is read as b per a (师生比1:13.5 => 13.5), or a when b is 1
         * (生师比17.15:1 => 17.15) */
        if (v.m == 0)
            return 0;
        if (v2.m == 1 && v2.s == 0) {
            v2 = v;
        } else if (!(v.m == 1 && v.s == 0)) {
            zm_dec q;
            if (zm_dec_div(v2, v, 4, &q))
                return 0;
            v2 = q;
        }
        v = v2;
        has_max = 0;
    }
    if (u && u->scale != 1) {
        if (zm_dec_scale(&v, u->scale) || (has_max && zm_dec_scale(&v2, u->scale)))
            return 0;
    }
    if (u && (u->flags & ZM_UNIT_MINOR)) { /* 8角 => 0.8 元 */
        int sh = u->minor == 10 ? 1 : 2;
        v.s += sh;
        if (has_max)
            v2.s += sh;
    }
    if (has_max && zm_dec_cmp(v2, v) <= 0)
        return 0;
    /* qualifiers: before the number, between number and unit, after the unit */
    size_t span_s = k->ov[0] + mark, span_e = k->ov[1];
    /* a sign as written (SPEC 6): 增长-1.5%, 负3.9% */
    size_t sg = sign_before(t, ln->content, span_s);
    if (sg) {
        v.m = -v.m;
        if (has_max)
            has_max = 0;
    }
    if (qpre < 0)
        span_s = num_lo + (num_lo == k->ov[0] ? mark : 0); /* with qpre, qlen reaches back over them */
    if (qpre >= 0) {
        span_s -= qlen;
    } else {
        /* 至少开展廉政教育专题活动4次: some qualifier words (marked reach in
         * qualifiers.tsv) govern the figure of their clause */
        size_t cs = span_s;
        while (cs > ln->content && span_s - cs < ZM_CLAUSE_MAX) {
            size_t at = zm_utf8_start(t, cs - 1);
            size_t pl;
            if ((zm_punct_at(t, at, cs, &pl) & (ZM_PU_COMMA | ZM_PU_SEMI | ZM_PU_STOP)) || (t[at] >= '0' && t[at] <= '9'))
                break; /* clause start (，；。,;) or another figure */
            cs = at;
        }
        qpre = zm_model_qual_reach(c->m, t, cs, span_s);
    }
    int qin = grp(k, ZM_G_INFIX, &is, &ie) && ie > is ? zm_model_qual(c->m, ZM_QP_INFIX, t + is, ie - is) : -1;
    int qpost = grp(k, ZM_G_POST, &ps, &pe) && pe > ps ? zm_model_qual(c->m, ZM_QP_POST, t + ps, pe - ps) : -1;
    int qafter = qin >= 0 ? qin : qpost;
    int q = ZM_Q_EXACT;
    if (qpre >= 0 && qafter >= 0 && qpre != qafter)
        q = ZM_Q_ABOUT;
    else if (qpre >= 0)
        q = qpre;
    else if (qafter >= 0)
        q = qafter;
    /* durations and other units that need a cue just before them */
    if (u && u->need >= 0 && !zm_model_cue_before(c->m, u->need, t, ln->content, span_s) &&
        !zm_model_cue_before(c->m, u->need, t, ln->content, k->ov[0]) && !duration_topic(c, u, span_s) &&
        !(u->need == ZM_CUE_ELECTRICITY && zm_model_cue_at(c->m, u->need, t, k->ov[1], ln->end)))
        return 0; /* (度 also takes its word after it: 38度以上高温) */
    /* a Latin unit is a word of its own: 5G, 250mAh are not 250 m */
    if (has_unit && is_latin(t[ue - 1]) && ue < ln->end && is_latin(t[ue]))
        return 0;
    /* a whole amount of money with its parts: 50元6角3分 => 50.63 */
    if (u && u->currency[0] && !(u->flags & ZM_UNIT_MINOR) && !has_max) {
        size_t me = add_minor(c, u, ue, ln->end, &v);
        if (me > span_e)
            span_e = me;
    }
    /* 九成七 => 97: a digit after 成 counts in hundredths */
    if (u && u->scale == 10 && chinese && !has_max && span_e == ue && ue + 3 <= ln->end) {
        int cp;
        zm_utf8_next((const unsigned char *)t + ue, (const unsigned char *)t + ln->end, &cp);
        int ix = zm_numerals_find(&c->m->num, cp);
        int nx = 0;
        if (ue + 3 < ln->end)
            zm_utf8_next((const unsigned char *)t + ue + 3, (const unsigned char *)t + ln->end, &nx);
        if (ix >= 0 && c->m->num.kind[ix] == ZM_NUM_DIGIT && c->m->num.val[ix] > 0 && !zm_numerals_is(&c->m->num, nx) &&
            !zm_model_unit(c->m, t + ue + 3, 3) && v.s == 0 && v.m >= 0) {
            v.m += c->m->num.val[ix];
            span_e = ue + 3;
        }
    }
    /* half forms: 一吨半 => 1.5, 三成半 => 35; 3个半小时 => 3.5 小时 (the
     * measure word 个 counts the unit after 半); 5吨半年 is no half */
    if (has_unit && !has_max && span_e == ue && starts_with(t, ue, ln->end, "半") && !starts_with(t, ue + 3, ln->end, "数") &&
        v.s == 0) {
        const zm_unit *u2 = NULL;
        size_t e2u = 0;
        for (size_t n = 3; n <= 12 && ue + 3 + n <= ln->end; n += 3) {
            const zm_unit *x = zm_model_unit(c->m, t + ue + 3, n);
            if (x && !(x->flags & (ZM_UNIT_MINOR | ZM_UNIT_PREFIX)))
                u2 = x, e2u = ue + 3 + n;
        }
        /* 一个半月: 个 and what follows 半 make one unit (个月), written
         * 个半月 (unit_text) */
        int joined = 0;
        if (!u2 && u && ue - us == 3) {
            char cat[16];
            memcpy(cat, t + us, 3);
            for (size_t n = 3; n <= 9 && ue + 3 + n <= ln->end; n += 3) {
                memcpy(cat + 3, t + ue + 3, n);
                const zm_unit *x = zm_model_unit(c->m, cat, 3 + n);
                if (x && !(x->flags & (ZM_UNIT_MINOR | ZM_UNIT_PREFIX)) && x->kind == ZM_K_DURATION)
                    u2 = x, e2u = ue + 3 + n, joined = 1;
            }
        }
        int counts_next = u2 && u && strcmp(u->canon, "个") == 0 && u->scale == 1;
        if (!u2 || counts_next) {
            zm_dec h = {v.m * 10 + (v.m < 0 ? -5 : 5), 1};
            if (u && u->scale != 1)
                h = (zm_dec){(v.m / u->scale) * 10 + 5, 1}, zm_dec_scale(&h, u->scale);
            v = h;
            span_e += 3;
        }
        if (counts_next) {
            u = u2;
            canon = u2->canon;
            kind = u2->kind;
            if (!joined)
                us = ue + 3;
            ue = span_e = e2u;
        }
    }
    *cd = (zm_candidate){d->n, span_s, span_e, k->r, u, qpre, qafter, chinese, NULL, 0};
    zm_metric *mt = zm_doc_add_metric(d);
    if (!mt)
        return ZM_E_NOMEM;
    char buf[48];
    zm_arena *a = &d->arena;
    mt->kind_id = (zm_kind)kind;
    zm_dec_format(v, buf);
    mt->value = zm_arena_strdup(a, buf);
    if (has_max) {
        zm_dec_format(v2, buf);
        mt->value_max = zm_arena_strdup(a, buf);
    }
    if (pre_cur && strcmp(pre_cur->canon, canon) != 0 && strcmp(canon, "元") == 0)
        u = pre_cur, canon = pre_cur->canon; /* 新台币…万元 is in 新台币 */
    mt->unit = zm_arena_strdup(a, canon);
    /* unit as written: multiplier and unit, without 余/多 */
    if (u && (u->flags & ZM_UNIT_PREFIX)) {
        mt->unit_text = zm_arena_strndup(a, orig_ptr(c, us), (size_t)(orig_ptr(c, ue) - orig_ptr(c, us)));
    } else if (has_unit) {
        zm_buf ut = {0};
        size_t ms2 = ne;
        /* multiplier characters inside the num group (41万) */
        while (ms2 > ns && !(t[ms2 - 1] >= '0' && t[ms2 - 1] <= '9') && !chinese)
            ms2 = zm_utf8_start(t, ms2 - 1);
        while (ms2 < ne && (t[ms2] == ' ' || t[ms2] == '\n')) /* 2.31 万, 2586.4\n亿: the gap is no part of it */
            ms2++;
        if (!chinese && ms2 < ne)
            zm_buf_add(&ut, orig_ptr(c, ms2), (size_t)(orig_ptr(c, ne) - orig_ptr(c, ms2)));
        if (has_mult)
            zm_buf_add(&ut, orig_ptr(c, mult_s), (size_t)(orig_ptr(c, mult_e) - orig_ptr(c, mult_s)));
        zm_buf_add(&ut, orig_ptr(c, us), (size_t)(orig_ptr(c, ue) - orig_ptr(c, us)));
        mt->unit_text = ut.data ? zm_arena_strndup(a, ut.data, ut.len) : NULL;
        zm_buf_free(&ut);
    } else {
        mt->unit_text = NULL;
    }
    mt->qualifier_id = (zm_qualifier)q;
    size_t os = zm_norm_orig(&c->norm, span_s), oe = zm_norm_orig(&c->norm, span_e);
    mt->span[0] = os;
    mt->span[1] = oe;
    mt->text = zm_arena_strndup(a, c->src + os, oe - os);
    if (!mt->value || !mt->unit || !mt->text)
        return ZM_E_NOMEM;
    return 1;
}

/* Resolves a candidate (resolve.c) inside its --explain object: how it
 * was read, then what resolution adds. */
static int resolve_candidate(zm_ctx *c, zm_doc *d, const zm_candidate *k)
{
    zm_why_begin(c);
    if (c->w.explain && k->bare_of) {
        zm_whyf(c, "rule", "bare number: unit of a parallel figure (%s)", k->bare_of);
    } else if (c->w.explain && k->table_year) {
        zm_whyf(c, "rule", "plan table cell (column %d年)", k->table_year);
    } else if (c->w.explain) {
        const zm_unit *u = k->unit;
        zm_whyf(c, "rule", "%s (%s:%d)", k->rule->id, k->rule->file, k->rule->line);
        if (u)
            zm_whyf(c, "unit_entry", "%s -> %s %s (units.tsv)", u->text, zm_kind_name(u->kind), u->canon);
        if (k->qpre >= 0 || k->qafter >= 0)
            zm_whyf(c, "qualifier_words", "%s%s%s", k->qpre >= 0 ? "before the number" : "",
                    k->qpre >= 0 && k->qafter >= 0 ? " and " : "", k->qafter >= 0 ? "after it" : "");
        if (k->chinese)
            zm_why(c, "numeral_word", "a word of its own in the segmentation", strlen("a word of its own in the segmentation"));
    }
    zm_metric *mt = &d->metrics[k->metric];
    int rc = zm_resolve_metric(c, d, mt, k->ms, k->me);
    return rc ? rc : zm_why_end(c, d, mt);
}

/* Metrics of one line: anchors at numeral runs. */
/* A bare integer closing a clause: "在县外州内就读1063人，在州外就读1587，本县
 * 就读16253人" leaves out a measure word its neighbours carry. */
static void note_bare(zm_ctx *c, const zm_line *ln, size_t i, zm_range *bare, int *nbare)
{
    const unsigned char *u = (const unsigned char *)c->norm.text;
    size_t e = i;
    while (e < ln->end && u[e] >= '0' && u[e] <= '9')
        e++;
    if (e - i < 2 || i < ln->content + 3 || u[i - 3] < 0xE3 || e + 3 > ln->end)
        return;
    /* ，；。、） in their full-width forms only (1,063 and 3) are no ends) */
    size_t pl = 0;
    unsigned sep = zm_punct_at(c->norm.text, e, ln->end, &pl) &
                   (ZM_PU_COMMA | ZM_PU_SEMI | ZM_PU_STOP | ZM_PU_ENUM | ZM_PU_CLOSE);
    if (!sep || pl != 3)
        return;
    bare[*nbare].start = i;
    bare[(*nbare)++].end = e;
}

/* Gives a bare integer the unit of the nearest count in its sentence that
 * wrote one, and inserts it in document order. */
static int add_bare(zm_ctx *c, zm_doc *d, size_t first, size_t s, size_t e)
{
    int si = zm_sentence_at(c, s);
    size_t os = zm_norm_orig(&c->norm, s), oe = zm_norm_orig(&c->norm, e);
    const zm_metric *sib = NULL;
    size_t best = (size_t)-1;
    for (size_t k = first; k < d->n; k++) {
        const zm_metric *m = &d->metrics[k];
        if (m->kind_id != ZM_K_COUNT || !m->unit_text || m->value_max)
            continue;
        size_t ms = m->span[0];
        int msi = zm_sentence_at(c, zm_norm_from_orig(&c->norm, ms));
        size_t dist = ms > os ? ms - os : os - ms;
        if (msi == si && dist < best) {
            best = dist;
            sib = m;
        }
    }
    if (!sib)
        return 0;
    zm_dec v;
    if (zm_numex_parse(&c->m->num, c->norm.text + s, e - s, &v))
        return 0;
    const char *unit = sib->unit;
    zm_candidate cd = {d->n, s, e, NULL, NULL, -1, -1, 0, sib->text, 0};
    zm_metric *mt = zm_doc_add_metric(d);
    if (!mt)
        return ZM_E_NOMEM;
    char buf[48];
    zm_dec_format(v, buf);
    mt->kind_id = ZM_K_COUNT;
    mt->value = zm_arena_strdup(&d->arena, buf);
    mt->unit = unit;
    mt->unit_text = NULL;
    mt->qualifier_id = ZM_Q_EXACT;
    mt->span[0] = os;
    mt->span[1] = oe;
    mt->text = zm_arena_strndup(&d->arena, c->src + os, oe - os);
    if (!mt->value || !mt->text)
        return ZM_E_NOMEM;
    int rc = resolve_candidate(c, d, &cd);
    if (rc)
        return rc;
    /* into document order */
    size_t at = d->n - 1;
    while (at > first && d->metrics[at - 1].span[0] > os)
        at--;
    if (at < d->n - 1) {
        zm_metric tmp = d->metrics[d->n - 1];
        memmove(&d->metrics[at + 1], &d->metrics[at], (d->n - 1 - at) * sizeof tmp);
        d->metrics[at] = tmp;
    }
    return 0;
}

/* Does the next line start with digits of its own (a heading, a list
 * number, a date: 1、 2. 2010年 3月), so that a number ending this line
 * does not run on into it? Else a line break between digits is a hard
 * wrap (34\n0亿元 is 340亿元). */
static int starts_own_figure(zm_ctx *c, const zm_line *next)
{
    const char *t = c->norm.text;
    size_t at = next->content;
    if (at >= next->end || !(t[at] >= '0' && t[at] <= '9'))
        return 0;
    if (next->heading >= 0 && c->layout->heads[next->heading].start == at)
        return 1;
    const pcre2_code *blocks = c->m->rules.blocks.by_byte[(unsigned char)t[at]];
    return blocks &&
           pcre2_match(blocks, (PCRE2_SPTR)t, zm_window_end(t, at, next->end), at, PCRE2_NO_UTF_CHECK, c->w.md,
                       c->m->rules.mctx) >= 0 &&
           pcre2_get_ovector_pointer(c->w.md)[0] == at;
}

/* next: the following line, when the text goes on in it (a PDF converter
 * broke the line inside a sentence: 财政性教育经费2586.4\n亿元); a figure
 * whose number ends this line may take its unit from there, and *resume
 * says where that line's reading starts. */
static int extract_line(zm_ctx *c, zm_doc *d, const zm_line *ln, const zm_line *next, size_t *resume)
{
    const char *t = c->norm.text;
    size_t i = ln->content > *resume ? ln->content : *resume;
    int prev_num = 0;
    zm_range bare[16];
    int nbare = 0;
    size_t first = d->n;
    while (i < ln->end) {
        int k = 1;
        if (!is_numeral(c, t, i, ln->end, &k)) {
            prev_num = 0;
            i += (size_t)zm_utf8_len((unsigned char)t[i]); /* decoded text is valid UTF-8 */
            continue;
        }
        /* only at the start of a numeral run (not after 1. or 1,) */
        int after_sep = i > 0 && (t[i - 1] == '.' || t[i - 1] == ',') && i > 1 && t[i - 2] >= '0' && t[i - 2] <= '9';
        if (prev_num || after_sep || zm_in_ranges(c->layout->ignores, c->layout->n_ignores, i) ||
            zm_in_ranges(c->layout->quotes, c->layout->n_quotes, i)) {
            prev_num = 1;
            i += (size_t)k;
            continue;
        }
        cand kd;
        const zm_rules *brs = &c->m->rules;
        /* rules see a window after the numeral, not the rest of the line: a
         * pattern with a required character would otherwise scan to the line
         * end at every numeral (quadratic on long lines) */
        size_t win = zm_window_end(t, i, ln->end);
        if (next && win == ln->end && t[i] >= '0' && t[i] <= '9') {
            size_t e = i;
            while (e < ln->end && ((t[e] >= '0' && t[e] <= '9') || t[e] == '.' || t[e] == ','))
                e++;
            if (e == ln->end && !starts_own_figure(c, next)) /* the number ends the line: its unit may begin the next */
                win = zm_window_end(t, i, next->end);
        }
        const pcre2_code *blocks = brs->blocks.by_byte[(unsigned char)t[i]];
        if (blocks && pcre2_match(blocks, (PCRE2_SPTR)t, win, i, PCRE2_NO_UTF_CHECK, c->w.md, brs->mctx) >= 0 &&
            pcre2_get_ovector_pointer(c->w.md)[1] > i) {
            i = pcre2_get_ovector_pointer(c->w.md)[1];
            prev_num = 0;
            /* the block may end inside a run: skip the rest of it, but not
             * a run of the other script (高三2次联考) */
            int kk, arabic = i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9';
            while (i < ln->end && is_numeral(c, t, i, ln->end, &kk) && (t[i] >= '0' && t[i] <= '9') == arabic)
                i += (size_t)kk;
            continue;
        }
        const zm_rules *rs = &c->m->rules;
        int done = 0, rc;
        for (int r = 0; r < rs->nby[ZM_ACT_METRIC] && !done; r++) {
            const zm_rule *ru = &rs->rule[rs->by_action[ZM_ACT_METRIC][r]];
            if (!zm_rule_may_start(ru, (unsigned char)t[i]))
                continue;
            rc = pcre2_match(ru->re, (PCRE2_SPTR)t, win, i, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx);
            if (rc < 0)
                continue;
            const size_t *ov = pcre2_get_ovector_pointer(c->w.md);
            uint32_t n = pcre2_get_ovector_count(c->w.md);
            kd.r = ru;
            kd.nov = (int)(n > 32 ? 32 : n);
            memcpy(kd.ov, ov, 2 * (size_t)kd.nov * sizeof *ov);
            /* stages: the candidate, then its resolution */
            zm_candidate cd;
            int b = build_metric(c, d, &kd, ln, &cd);
            if (b > 0 && (rc = resolve_candidate(c, d, &cd)))
                return rc;
            if (b < 0)
                return b;
            if (b > 0) {
                i = kd.ov[1];
                done = 1;
                if (i > ln->end)
                    *resume = i;
            }
        }
        if (!done && nbare < 16 && t[i] >= '0' && t[i] <= '9')
            note_bare(c, ln, i, bare, &nbare);
        prev_num = !done;
        if (!done)
            i += (size_t)k;
    }
    /* bare numbers take their unit from a figure of the line */
    for (int b = 0; b < nbare; b++) {
        int rc = add_bare(c, d, first, bare[b].start, bare[b].end);
        if (rc)
            return rc;
    }
    return 0;
}

static int extract_doc(zm_ctx *c, const char *name, const char *bytes, size_t len, const zm_doc_options *opt,
                       zm_doc **out, zm_error *err);

/* Regex matches stopped by a limit during the document become its warning
 * (rules.c counts them per thread; a context runs on one thread at a time). */
int zm_extract(zm_ctx *c, const char *name, const char *bytes, size_t len, const zm_doc_options *opt, zm_doc **out,
               zm_error *err)
{
    zm_match_errors_take(); /* counts from this document only */
    int rc = extract_doc(c, name, bytes, len, opt, out, err);
    zm_match_errors me = zm_match_errors_take();
    if (me.n && *out) {
        char rule[700], msg[1024];
        PCRE2_UCHAR why[120];
        zm_rules_describe(&c->m->rules, me.re, rule, sizeof rule);
        pcre2_get_error_message(me.code, why, sizeof why);
        snprintf(msg, sizeof msg, "%lu regex match%s stopped (%s), the first by %s: figures there may be missing", me.n,
                 me.n == 1 ? "" : "es", (char *)why, rule);
        if (zm_doc_add_warning(*out, msg) && !rc)
            rc = zm_set_error(err, ZM_E_NOMEM, name, 0, "out of memory");
    }
    return rc;
}

/* d's error message; a constant when it cannot be copied (the arena
 * frees none of it), so that d is an error record whatever happens. */
static void set_doc_error(zm_doc *d, const char *msg)
{
    if (!(d->error = zm_arena_strdup(&d->arena, msg)))
        d->error = (char *)"limit: out of memory";
}

static int extract_doc(zm_ctx *c, const char *name, const char *bytes, size_t len, const zm_doc_options *opt,
                       zm_doc **out, zm_error *err)
{
    static const zm_doc_options defaults = {0};
    c->opt = opt ? opt : &defaults;
    *out = NULL;
    zm_doc *d = zm_doc_new(name);
    if (!d)
        return zm_set_error(err, ZM_E_NOMEM, name, 0, "out of memory");
    *out = d;
    size_t max = c->opt->max_bytes ? c->opt->max_bytes : ZM_DEFAULT_MAX_BYTES;
    char msg[256];
    if (len > max) {
        snprintf(msg, sizeof msg, "limit: document is %zu bytes, over --max-bytes %zu", len, max);
        set_doc_error(d, msg);
        return zm_set_error(err, ZM_E_LIMIT, name, 0, "%s", msg);
    }
    const char *enc = NULL;
    /* stage: the reader (input.c) gives the text: HTML, DOCX and PDF are
     * read to text (d->format their kind); plain text is decoded */
    int rc = zm_input_load(d, name, bytes, len, max, &c->src, &c->src_len, msg, sizeof msg);
    if (rc == 1)
        rc = zm_decode_view(bytes, len, &c->text, &c->src, &c->src_len, &enc, msg, sizeof msg);
    else
        enc = d->encoding;
    if (rc) {
        set_doc_error(d, msg);
        return zm_set_error(err, rc, name, 0, "%s", msg);
    }
    d->encoding = enc;
    d->script = "simplified";
    d->bytes = c->src_len;
    if (c->src_len > 0xFFFFFFF0u) {
        set_doc_error(d, "limit: decoded text over 4 GiB");
        return zm_set_error(err, ZM_E_LIMIT, name, 0, "decoded text over 4 GiB");
    }
    c->w.last_sentence = -1;
    c->w.last_sentence_text = NULL;
    c->w.last_head = -1;
    c->w.last_section = NULL;
    /* text converted from PDF: its paragraphs read as one line each */
    if ((rc = zm_unwrap_find(&c->unwrap, c->src, c->src_len)) ||
        (rc = zm_norm_run_drop(&c->norm, c->src, c->src_len, c->unwrap.at, c->unwrap.n)))
        goto fail;
    /* traditional script: the normalised text reads as simplified, offsets unchanged */
    d->script = "simplified";
    if (zm_script_is_traditional(c->norm.text, c->norm.len)) {
        zm_script_simplify(c->norm.text, c->norm.len);
        d->script = "traditional";
    }
    /* stages: layout (structure.c), then the document's facts (docinfo.c,
     * notes.c), each written once here and read-only after */
    if ((rc = zm_structure(c, &c->layout_rw)) || (rc = zm_docinfo(c, &c->facts_rw, d)))
        goto fail;
    zm_notes_collect(c, &c->facts_rw);
    c->w.explain = c->opt->explain;
    zm_table_state tab = {0};
    size_t resume = 0;
    for (size_t i = 0; i < c->layout->n_lines; i++) {
        /* a plan's target table: its cells are read by column (table.c) */
        if ((rc = zm_table_line(c, d, &c->layout->lines[i], &tab)) < 0)
            goto fail;
        if (rc > 0) {
            /* its cells: resolved, then what the row and column say wins */
            for (int j = 0; j < tab.ncells; j++)
                if ((rc = resolve_candidate(c, d, &tab.cell[j].cand)) || (rc = zm_table_settle(c, d, &tab.cell[j])))
                    goto fail;
            continue;
        }
        const zm_line *next = i + 1 < c->layout->n_lines ? &c->layout->lines[i + 1] : NULL;
        if (next && !(next->start == c->layout->lines[i].end + 1 && next->content == next->start && next->content < next->end))
            next = NULL; /* a blank or indented next line starts a new paragraph */
        if ((rc = extract_line(c, d, &c->layout->lines[i], next, &resume)))
            goto fail;
    }
    /* stage: enrichment of the resolved metrics (enrich.c) */
    if ((rc = zm_enrich(c, d)))
        goto fail;
    zm_doc_name_fields(d);
    return 0;
fail:
    /* the metrics' memory given back first; a message that cannot be
     * copied is a constant (the arena frees none of it): out of memory is
     * always an error record, never an empty document */
    free(d->metrics);
    d->metrics = NULL;
    d->n = d->cap = 0;
    set_doc_error(d, rc == ZM_E_NOMEM ? "limit: out of memory while extracting" : "internal error: extraction failed");
    return zm_set_error(err, rc, name, 0, "%s", d->error);
}
