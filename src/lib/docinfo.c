/* Document-level facts: title, issuing organ and region, document number,
 * signature date, period and genre.
 *   title "建始县2019年教育扶贫工作总结" => period 2019, genre summary
 *   last lines "建始县教育局" / "2019年12月31日" => org, date
 *   "区教体局2020年工作总结及2021年谋划" => genre mixed
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "utf8.h"

static size_t line_chars(const zm_ctx *c, const zm_line *ln) { return zm_utf8_count(c->norm.text + ln->content, ln->end - ln->content); }

static size_t trim_end(const char *t, size_t lo, size_t hi)
{
    while (hi > lo && (t[hi - 1] == ' ' || t[hi - 1] == '\t'))
        hi--;
    return hi;
}

static char *orig_dup(zm_ctx *c, zm_doc *d, size_t lo, size_t hi)
{
    size_t a = zm_norm_orig(&c->norm, lo), b = zm_norm_orig(&c->norm, hi);
    return zm_arena_strndup(&d->arena, c->src + a, b - a);
}

static int has(const char *t, size_t lo, size_t hi, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = lo; i + n <= hi; i++)
        if (memcmp(t + i, s, n) == 0)
            return 1;
    return 0;
}

static int is_title_line(zm_ctx *c, const zm_line *ln)
{
    const char *t = c->norm.text;
    size_t n = line_chars(c, ln);
    size_t hi = trim_end(t, ln->content, ln->end), cl;
    if (n < 4 || n > 60 || (ln->heading >= 0 && c->layout->heads[ln->heading].start == ln->content))
        return 0;
    if (has(t, ln->content, hi, "。") || has(t, ln->content, hi, "，") || has(t, ln->content, hi, "〔"))
        return 0;
    if (zm_model_docword_end(c->m, ZM_DW_HEADER, t, ln->content, hi, 0))
        return 0; /* a red header: organ + 文件 */
    return zm_model_cue_find(c->m, ZM_CUE_PLAN_HEADING, t, ln->content, hi, &cl) >= 0 ||
           zm_model_cue_find(c->m, ZM_CUE_SUMMARY_TITLE, t, ln->content, hi, &cl) >= 0 ||
           zm_model_cue_find(c->m, ZM_CUE_MIXED_TITLE, t, ln->content, hi, &cl) >= 0 ||
           zm_model_docword_in(c->m, ZM_DW_TITLE, t, ln->content, hi);
}

/* Region at the start of an organ's name ("建始县教育局" => "建始县"). */
static char *region_of(zm_ctx *c, zm_doc *d, size_t lo, size_t hi)
{
    const zm_rules *rs = &c->m->rules;
    for (int k = 0; k < rs->nby[ZM_ACT_REGION]; k++) {
        const zm_rule *r = &rs->rule[rs->by_action[ZM_ACT_REGION][k]];
        if (pcre2_match(r->re, (PCRE2_SPTR)c->norm.text, hi, lo, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx) >= 0) {
            const size_t *ov = pcre2_get_ovector_pointer(c->w.md);
            if (ov[1] < hi)
                return orig_dup(c, d, ov[0], ov[1]);
        }
    }
    return NULL;
}

/* Does [lo,hi) end with an organ's suffix (局, 政府 … in docwords.tsv),
 * with a name before it? */
static int ends_with_org_suffix(const zm_ctx *c, const char *t, size_t lo, size_t hi)
{
    return zm_model_docword_end(c->m, ZM_DW_ORG_SUFFIX, t, lo, hi, 1) > 0;
}

/* A document without a title line is named the way its kind is titled:
 * organ + period + 工作总结 (+ 及 + its plan heading, e.g. 下半年工作计划).
 * title_inferred tells readers it was not written as such. */
static void reconstruct_title(zm_ctx *c, zm_doc *d, int summary, int plan)
{
    const char *t = c->norm.text;
    zm_buf b = {0};
    zm_buf_adds(&b, d->org);
    zm_buf_adds(&b, d->period.text);
    if (summary)
        zm_buf_adds(&b, zm_model_docword(c->m, ZM_DW_TITLE_SUMMARY));
    if (plan) {
        const zm_heading *ph = NULL;
        for (size_t i = 0; i < c->layout->n_heads && !ph; i++)
            if (c->layout->heads[i].level == 1 && zm_heading_plan(c->layout, c->facts, (int)i))
                ph = &c->layout->heads[i];
        if (summary)
            zm_buf_adds(&b, zm_model_docword(c->m, ZM_DW_TITLE_AND));
        if (ph) {
            /* the heading without its numbering (六、) */
            size_t k = ph->start;
            for (size_t i = ph->start; i < ph->end; i++) {
                if ((i + 3 <= ph->end && memcmp(t + i, "、", 3) == 0) || t[i] == '.') {
                    k = i + (t[i] == '.' ? 1 : 3);
                    break;
                }
            }
            size_t ok = zm_norm_orig(&c->norm, k), oe = zm_norm_orig(&c->norm, ph->end);
            zm_buf_add(&b, c->src + ok, oe - ok);
        } else {
            zm_buf_adds(&b, zm_model_docword(c->m, ZM_DW_TITLE_PLAN));
        }
    }
    if (b.data)
        d->title = zm_arena_strndup(&d->arena, b.data, b.len);
    d->title_inferred = d->title != NULL;
    zm_buf_free(&b);
}


/* Line li as a signature date (a line holding only a full date); with
 * need_org, only when an organ's line stands just above it. Returns li or -1. */
static int signature_date(zm_ctx *c, zm_docfacts *F, zm_doc *d, int li, int need_org)
{
    const char *t = c->norm.text;
    const zm_line *ln = &c->layout->lines[li];
    size_t hi = trim_end(t, ln->content, ln->end);
    zm_time tm;
    if (zm_utf8_count(t + ln->content, hi - ln->content) > 20) /* a date line is short */
        return -1;
    if (!(zm_time_in(c, ln->content, hi, 0, &tm) > 0 && tm.explicit_year && tm.day_level && tm.start == ln->content &&
          tm.end == hi && zm_ymd_cmp(tm.from, tm.to) == 0))
        return -1;
    if (need_org) {
        int j = li - 1;
        while (j >= 0 && c->layout->lines[j].content >= trim_end(t, c->layout->lines[j].content, c->layout->lines[j].end))
            j--;
        if (j < 0 || !ends_with_org_suffix(c, t, c->layout->lines[j].content, trim_end(t, c->layout->lines[j].content, c->layout->lines[j].end)))
            return -1;
    }
    F->has_date = 1;
    F->date = tm.from;
    char buf[11];
    zm_ymd_format(tm.from, buf);
    d->date = zm_arena_strdup(&d->arena, buf);
    return li;
}

/* Facts stated in the lines about the title: an organ's line just above it
 * (澳門特別行政區政府教育及青年發展局 / 2022年度…概況) names the organ; a
 * meeting or date line under it (——2023年1月12日在XX县第十八届人民代表大会
 * 第三次会议上, （2024年1月18日）) dates a work report or speech. */
static void header_facts(zm_ctx *c, zm_docfacts *F, zm_doc *d, int title_line)
{
    const char *t = c->norm.text;
    if (title_line < 0)
        return;
    for (int i = title_line - 1; i >= 0; i--) {
        const zm_line *ln = &c->layout->lines[i];
        size_t hi = trim_end(t, ln->content, ln->end);
        if (ln->content >= hi)
            continue;
        if (line_chars(c, ln) <= 30 && ends_with_org_suffix(c, t, ln->content, hi) && !has(t, ln->content, hi, "。") &&
            !has(t, ln->content, hi, "，"))
            d->org = orig_dup(c, d, ln->content, hi);
        break;
    }
    if (F->has_date)
        return;
    for (size_t i = (size_t)title_line + 1, k = 0; i < c->layout->n_lines && k < 4; i++) {
        const zm_line *ln = &c->layout->lines[i];
        size_t hi = trim_end(t, ln->content, ln->end);
        if (ln->content >= hi)
            continue;
        k++;
        if (!has(t, ln->content, ln->content + 6 <= hi ? ln->content + 6 : hi, "——") &&
            !has(t, ln->content, ln->content + 3 <= hi ? ln->content + 3 : hi, "（") && t[ln->content] != '(')
            continue;
        zm_time tm;
        if (zm_time_in(c, ln->content, hi, 0, &tm) > 0 && tm.explicit_year && tm.day_level &&
            zm_ymd_cmp(tm.from, tm.to) == 0) {
            F->has_date = 1;
            F->date = tm.from;
            char buf[11];
            zm_ymd_format(tm.from, buf);
            d->date = zm_arena_strdup(&d->arena, buf);
            return;
        }
    }
}

/* A covering notice (关于印发…的通知) is titled by the document it sends:
 * the first 《…》 in its text that reads as a title. */
static int attached_title(zm_ctx *c, zm_doc *d, size_t tlo, size_t thi)
{
    const char *t = c->norm.text;
    if (!zm_model_docword_in(c->m, ZM_DW_NOTICE_VERB, t, tlo, thi) || !zm_model_docword_in(c->m, ZM_DW_NOTICE, t, tlo, thi))
        return 0;
    for (size_t q = 0; q < c->layout->n_quotes; q++) {
        size_t s = c->layout->quotes[q].start, e = c->layout->quotes[q].end, cl;
        if (e - s < 12 || memcmp(t + s, "《", 3) != 0)
            continue;
        s += 3;
        e -= 3;
        if (zm_model_cue_find(c->m, ZM_CUE_PLAN_HEADING, t, s, e, &cl) >= 0 ||
            zm_model_cue_find(c->m, ZM_CUE_SUMMARY_TITLE, t, s, e, &cl) >= 0) {
            d->title = orig_dup(c, d, s, e);
            return 1;
        }
    }
    return 0;
}

int zm_docinfo(zm_ctx *c, zm_docfacts *F, zm_doc *d)
{
    const char *t = c->norm.text;
    F->has_period = F->has_date = F->has_ref = F->plan_doc = 0;
    F->year = 0;
    F->period_text[0] = 0;
    F->n_plan_heads = 0;
    int title_line = -1, seen = 0;
    for (size_t i = 0; i < c->layout->n_lines && seen < 8; i++) {
        const zm_line *ln = &c->layout->lines[i];
        if (ln->content >= ln->end)
            continue;
        seen++;
        if (is_title_line(c, ln)) {
            title_line = (int)i;
            break;
        }
    }
    size_t tlo = 0, thi = 0;
    if (title_line >= 0) {
        tlo = c->layout->lines[title_line].content;
        thi = trim_end(t, tlo, c->layout->lines[title_line].end);
        if (attached_title(c, d, tlo, thi)) {
            /* the period and organ come from the attached document's title */
            const char *tt = d->title;
            for (size_t q = 0; q < c->layout->n_quotes; q++)
                if (c->layout->quotes[q].end - c->layout->quotes[q].start >= 12) {
                    size_t a = zm_norm_orig(&c->norm, c->layout->quotes[q].start + 3);
                    size_t tl = strlen(tt); /* the text is not NUL-terminated */
                    if (a + tl <= c->src_len && memcmp(c->src + a, tt, tl) == 0) {
                        tlo = c->layout->quotes[q].start + 3;
                        thi = c->layout->quotes[q].end - 3;
                        break;
                    }
                }
        } else {
            d->title = orig_dup(c, d, tlo, thi);
        }
    }
    /* document number: a line of its own among the opening lines */
    const zm_rules *rs = &c->m->rules;
    for (size_t i = 0; i < c->layout->n_lines && i < 15 && !d->doc_no; i++) {
        const zm_line *ln = &c->layout->lines[i];
        size_t hi = trim_end(t, ln->content, ln->end);
        for (int k = 0; k < rs->nby[ZM_ACT_DOCNO] && !d->doc_no && ln->content < hi; k++) {
            const zm_rule *r = &rs->rule[rs->by_action[ZM_ACT_DOCNO][k]];
            if (pcre2_match(r->re, (PCRE2_SPTR)t, hi, ln->content, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx) >= 0 &&
                pcre2_get_ovector_pointer(c->w.md)[1] == hi)
                d->doc_no = orig_dup(c, d, ln->content, hi);
        }
    }
    /* signature: a line that is only a full date and the organ above it;
     * near the end, or at the top of a bulletin or a covering notice */
    int date_line = -1;
    for (size_t i = c->layout->n_lines, k = 0; i-- > 0 && k < 8 && date_line < 0;) {
        if (c->layout->lines[i].content >= trim_end(t, c->layout->lines[i].content, c->layout->lines[i].end))
            continue;
        k++;
        date_line = signature_date(c, F, d, (int)i, 0);
    }
    for (size_t i = 0, k = 0; i < c->layout->n_lines && k < 15 && date_line < 0; i++) {
        if (c->layout->lines[i].content >= trim_end(t, c->layout->lines[i].content, c->layout->lines[i].end))
            continue;
        k++;
        date_line = signature_date(c, F, d, (int)i, 1);
    }
    if (date_line > 0) {
        /* the organ above the date; of organs signing together (XX市统计局 /
         * 国家统计局XX调查队), the first */
        for (int i = date_line - 1; i >= 0 && i >= date_line - 4; i--) {
            const zm_line *ln = &c->layout->lines[i];
            size_t hi = trim_end(t, ln->content, ln->end);
            if (ln->content >= hi) {
                if (d->org)
                    break;
                continue;
            }
            if (line_chars(c, ln) <= 24 && ends_with_org_suffix(c, t, ln->content, hi) && !has(t, ln->content, hi, "。") &&
                i != title_line)
                d->org = orig_dup(c, d, ln->content, hi);
            else
                break;
        }
    }
    header_facts(c, F, d, title_line);
    if (!d->org && title_line >= 0) {
        /* the title's leading organ: "澧县教育局 2020 年工作要点" */
        size_t e = tlo;
        /* NOTE: a window of 3 bytes cannot hold 关于 (6): this stop never
         * fires (kept as it was: output unchanged; a fix changes titles' organs) */
        while (e < thi && !(t[e] >= '0' && t[e] <= '9') &&
               !zm_model_docword_in(c->m, ZM_DW_ABOUT, t, e, e + 3 <= thi ? e + 3 : thi))
            e++;
        e = trim_end(t, tlo, e);
        if (e > tlo && ends_with_org_suffix(c, t, tlo, e))
            d->org = orig_dup(c, d, tlo, e);
    }
    if (!d->org) {
        for (size_t i = 0; i < c->layout->n_lines && i < 6; i++) {
            const zm_line *ln = &c->layout->lines[i];
            size_t hi = trim_end(t, ln->content, ln->end);
            size_t hl = zm_model_docword_end(c->m, ZM_DW_HEADER, t, ln->content, hi, 1);
            if (hl && ends_with_org_suffix(c, t, ln->content, hi - hl)) {
                d->org = orig_dup(c, d, ln->content, hi - hl);
                break;
            }
        }
    }
    if (!d->org) {
        /* named at a line's start or opening a title: 《建始县教育局关于…》 */
        const zm_rules *rs = &c->m->rules;
        for (size_t q = 0; q < c->layout->n_quotes + c->layout->n_lines && !d->org; q++) {
            size_t at = q < c->layout->n_quotes ? c->layout->quotes[q].start + 3 : c->layout->lines[q - c->layout->n_quotes].content;
            size_t hi = q < c->layout->n_quotes ? c->layout->quotes[q].end : c->layout->lines[q - c->layout->n_quotes].end;
            if (q < c->layout->n_quotes && !has(t, c->layout->quotes[q].start, c->layout->quotes[q].start + 3, "《"))
                continue;
            for (int k = 0; k < rs->nby[ZM_ACT_ORG] && !d->org; k++) {
                const zm_rule *r = &rs->rule[rs->by_action[ZM_ACT_ORG][k]];
                if (at < hi && pcre2_match(r->re, (PCRE2_SPTR)t, hi, at, PCRE2_NO_UTF_CHECK, c->w.md, rs->mctx) >= 0) {
                    const size_t *ov = pcre2_get_ovector_pointer(c->w.md);
                    d->org = orig_dup(c, d, ov[0], ov[1]);
                }
            }
        }
    }
    if (d->org) {
        /* region from the organ's name, in the normalised text */
        size_t olen = strlen(d->org);
        const char *p = olen ? memmem(c->src, c->src_len, d->org, olen) : NULL;
        if (p) {
            size_t at = (size_t)(p - c->src);
            size_t lo = zm_norm_from_orig(&c->norm, at);
            size_t hi = lo;
            while (hi < c->norm.len && zm_norm_orig(&c->norm, hi) < at + olen)
                hi++;
            d->region = region_of(c, d, lo, hi);
        }
    }
    if (!d->region && title_line >= 0)
        d->region = region_of(c, d, tlo, thi);
    if (!d->region && title_line >= 0) {
        /* after the title's leading year: 2021年泸县国民经济和社会发展统计公报 */
        size_t a = tlo;
        while (a < thi && t[a] >= '0' && t[a] <= '9')
            a++;
        if (a > tlo && a + 3 <= thi && memcmp(t + a, "年", 3) == 0)
            d->region = region_of(c, d, a + 3, thi);
    }
    /* period: the title's, else the opening sentence's */
    zm_time pt;
    int got = 0;
    if (title_line >= 0 && zm_time_in(c, tlo, thi, 0, &pt) > 0 && pt.explicit_year) {
        got = 1;
        snprintf(F->period_text, sizeof F->period_text, "%.*s", (int)(pt.end - pt.start), t + pt.start);
    }
    for (size_t i = 0; !got && i < c->layout->n_sents && i < 4; i++) {
        if (zm_time_in(c, c->layout->sents[i].start, c->layout->sents[i].end, 0, &pt) > 0 && pt.explicit_year) {
            got = 1;
            snprintf(F->period_text, sizeof F->period_text, "%.*s", (int)(pt.end - pt.start), t + pt.start);
        }
    }
    if (got) {
        F->has_period = 1;
        F->period = pt;
        F->year = pt.from.y;
        d->has_period = 1;
        size_t a = zm_norm_orig(&c->norm, pt.start), b = zm_norm_orig(&c->norm, pt.end);
        d->period.text = zm_arena_strndup(&d->arena, c->src + a, b - a);
        zm_ymd_format(pt.from, d->period.from);
        zm_ymd_format(pt.to, d->period.to);
    } else if (F->has_date) {
        F->year = F->date.y;
    }
    /* genre */
    size_t cl;
    int plan = 0, summary = 0;
    if (title_line >= 0) {
        plan = zm_model_cue_find(c->m, ZM_CUE_PLAN_HEADING, t, tlo, thi, &cl) >= 0;
        summary = zm_model_cue_find(c->m, ZM_CUE_SUMMARY_TITLE, t, tlo, thi, &cl) >= 0;
    }
    if (!plan && !summary) {
        int plan_heads = 0, other_heads = 0;
        for (size_t i = 0; i < c->layout->n_heads; i++)
            if (c->layout->heads[i].level == 1)
                c->layout->heads[i].plan ? plan_heads++ : other_heads++;
        plan = plan_heads > 0;
        summary = other_heads > 0 || !plan;
        if (plan && other_heads == 0 && c->layout->n_heads > 0)
            summary = 0;
    }
    /* a work report or speech reviews a year and plans the next: its parts
     * about its own year or later (三、扎实抓好2024年重点工作) are plans */
    if (title_line >= 0 && zm_model_cue_find(c->m, ZM_CUE_MIXED_TITLE, t, tlo, thi, &cl) >= 0) {
        plan = summary = 1;
        zm_time ht;
        for (size_t i = 0; i < c->layout->n_heads && got; i++)
            if (c->layout->heads[i].level == 1 && !c->layout->heads[i].plan && zm_heading_time(c, (int)i, &ht) > 0 &&
                zm_ymd_cmp(ht.from, pt.from) >= 0 &&
                zm_model_cue_find(c->m, ZM_CUE_REVIEW_HEADING, t, c->layout->heads[i].start, c->layout->heads[i].end, &cl) < 0) {
                int *ph = ZM_PUSH_RW(int, F, plan_heads);
                if (!ph)
                    return ZM_E_NOMEM;
                *ph = (int)i;
            }
    }
    d->genre = plan && summary ? "mixed" : plan ? "plan" : "summary";
    F->plan_doc = plan && !summary;
    if (!d->title && d->org && F->has_period)
        reconstruct_title(c, d, summary, plan);
    /* reference date: option, own date, end of period */
    F->has_ref = 0;
    if (c->opt && c->opt->ref_date && zm_ymd_parse(c->opt->ref_date, &F->ref) == 0)
        F->has_ref = 1;
    else if (F->has_date)
        F->ref = F->date, F->has_ref = 1;
    else if (F->has_period)
        F->ref = F->period.to, F->has_ref = 1;
    if (!F->year && F->has_ref)
        F->year = F->ref.y;
    return 0;
}
