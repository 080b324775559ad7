/* Fuzz target: time expressions (src/timex.c) two ways.
 *  1. Every `time` rule of dict/rules.tsv tried at every character of the
 *     folded input, each match turned into a date range with context years
 *     0 (unknown), 1900, 2020 and 2199.
 *  2. The input inside a tiny dated document (a 2020 half-year title, a 落款
 *     date) through zm_extract, so partial dates, sections, deadlines and
 *     present-state words resolve against a context.
 * Checks: an accepted range has real dates (month 1-12, day within the
 * month, year 1000-9999) and from <= to; with the "year missing" context
 * (1, as structure.c calls it) a result without an explicit year stays in
 * years 1-3; YYYY-MM-DD formatting and parsing round-trip; every metric's
 * time and the document period are such ranges, within 1900-2200.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_common.h"

#include "decode.h"
#include "model.h"
#include "norm.h"
#include "timex.h"
#include "util.h"

static zm_model *model;
static zm_ctx *ctx;
static pcre2_match_data *md;
static zm_buf text;
static zm_norm norm;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    model = fuzz_load_model(0);
    ctx = zm_ctx_new(model);
    md = pcre2_match_data_create((uint32_t)model->max_groups + 1, NULL);
    if (!ctx || !md)
        abort();
    return 0;
}

static void check_ymd(zm_ymd a, const char *what, const char *in)
{
    FUZZ_CHECK(a.y >= 1000 && a.y <= 9999 && a.m >= 1 && a.m <= 12 && a.d >= 1 && a.d <= zm_days_in_month(a.y, a.m),
               "%s %d-%d-%d not a date (input '%s')", what, a.y, a.m, a.d, in);
    char s[11];
    zm_ymd_format(a, s);
    zm_ymd b;
    FUZZ_CHECK(zm_ymd_parse(s, &b) == 0 && zm_ymd_cmp(a, b) == 0, "%s '%s' does not round-trip", what, s);
}

static void check_str_range(const zm_date_range *r, const char *in)
{
    zm_ymd f, t;
    int fok = zm_ymd_parse(r->from, &f) == 0, tok = zm_ymd_parse(r->to, &t) == 0;
    FUZZ_CHECK(fok, "time.from '%s' not a date (input '%s')", r->from, in);
    FUZZ_CHECK(tok, "time.to '%s' not a date (input '%s')", r->to, in);
    /* years are read in 1900-2199 (timex.c); periods reach one year on */
    FUZZ_CHECK(f.y >= 1900 && t.y <= 2200, "time %s..%s (text '%s') outside 1900-2200 (input '%s')", r->from, r->to,
               r->text ? r->text : "(null)", in);
    FUZZ_CHECK(zm_ymd_cmp(f, t) <= 0, "time %s..%s ends before it starts (text '%s', input '%s')", r->from, r->to,
               r->text ? r->text : "(null)", in);
}

static void rules_direct(const char *in)
{
    const zm_rules *rs = &model->rules;
    const char *t = norm.text;
    /* 1 is what structure.c passes: "year missing", shifted later by the
     * year in context, so a result without an explicit year must stay in
     * years 1-2 (a year range) to be shifted right */
    static const int years[] = {0, 1, 1900, 2020, 2199};
    for (size_t i = 0; i < norm.len; i++) {
        if (((unsigned char)t[i] & 0xC0) == 0x80)
            continue;
        for (int k = 0; k < rs->nby[ZM_ACT_TIME]; k++) {
            const zm_rule *ru = &rs->rule[rs->by_action[ZM_ACT_TIME][k]];
            int rc = pcre2_match(ru->re, (PCRE2_SPTR)t, norm.len, i, PCRE2_NO_UTF_CHECK, md, rs->mctx);
            if (rc < 0)
                continue;
            const size_t *ov = pcre2_get_ovector_pointer(md);
            for (int y = 0; y < 5; y++) {
                zm_time tm;
                if (zm_time_from_match(model, ru, t, ov, years[y], &tm))
                    continue;
                char what[160];
                snprintf(what, sizeof what, "rule %s on '%.*s' (year %d):", ru->id, (int)(ov[1] - ov[0]), t + ov[0],
                         years[y]);
                FUZZ_CHECK(tm.start == ov[0] && tm.end == ov[1], "%s span changed", what);
                if (years[y] == 1 && !tm.explicit_year) {
                    FUZZ_CHECK(tm.from.y >= 1 && tm.from.y <= 2 && tm.to.y >= 1 && tm.to.y <= 3,
                               "%s no explicit year, but years %d..%d (shifted by the context year later)", what,
                               tm.from.y, tm.to.y);
                    continue;
                }
                if (years[y] == 1)
                    continue;
                check_ymd(tm.from, what, in);
                check_ymd(tm.to, what, in);
                /* timex.c reads years in 1900-2199; a period reaches one on */
                FUZZ_CHECK(tm.from.y >= 1900 && tm.to.y <= 2200, "%s years %d..%d outside 1900-2200", what,
                           tm.from.y, tm.to.y);
                FUZZ_CHECK(zm_ymd_cmp(tm.from, tm.to) <= 0, "%s from %d-%02d-%02d after to %d-%02d-%02d", what,
                           tm.from.y, tm.from.m, tm.from.d, tm.to.y, tm.to.m, tm.to.d);
            }
        }
    }
}

static void in_document(const uint8_t *data, size_t size, const char *in)
{
    static const char head[] = "某县教育局2020年上半年工作总结\n一、2020年工作完成情况\n";
    static const char tail[] = "\n二、下半年工作计划\n力争年底前新建学校2所。\n某县教育局\n2020年6月30日\n";
    size_t n = sizeof head - 1 + size + sizeof tail - 1;
    char *doc = malloc(n);
    if (!doc)
        abort();
    memcpy(doc, head, sizeof head - 1);
    if (size)
        memcpy(doc + sizeof head - 1, data, size);
    memcpy(doc + sizeof head - 1 + size, tail, sizeof tail - 1);
    zm_doc *d = NULL;
    zm_error err;
    memset(&err, 0, sizeof err);
    int rc = zm_extract(ctx, "t.txt", doc, n, NULL, &d, &err);
    FUZZ_CHECK(d != NULL, "no document (rc %d)", rc);
    if (rc == 0) {
        FUZZ_CHECK(zm_doc_error(d) == NULL, "rc 0 with an error '%s'", zm_doc_error(d));
        if (zm_doc_period(d))
            check_str_range(zm_doc_period(d), in);
        for (size_t i = 0; i < zm_doc_metric_count(d); i++) {
            const zm_metric *mt = zm_doc_metric(d, i);
            if (mt->time)
                check_str_range(mt->time, in);
        }
    } else {
        FUZZ_CHECK(zm_doc_error(d) != NULL, "rc %d without an error", rc);
    }
    zm_doc_free(d);
    free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; /* time expressions are short; keep the quadratic direct scan cheap */
    char *in = fuzz_strndup(data, size);
    zm_ymd y;
    if (zm_ymd_parse(in, &y) == 0)
        check_ymd(y, "zm_ymd_parse", in);
    const char *enc;
    char msg[256];
    if (zm_decode((const char *)data, size, &text, &enc, msg, sizeof msg) == 0 &&
        zm_norm_run(&norm, text.data, text.len) == 0)
        rules_direct(in);
    in_document(data, size, in);
    free(in);
    return 0;
}
