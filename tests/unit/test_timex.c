/* timex: dates and periods.
 *   - zm_days_in_month (leap years 2000/2020/2024, not 1900/2019/2100),
 *     zm_ymd_cmp, zm_ymd_format, zm_ymd_parse;
 *   - zm_time_from_match with the model's numerals and periods.tsv, on
 *     matches of small time rules written here (so the test does not depend
 *     on the ids in dict/rules.tsv): 2020年上半年, 上半年 in 2021, 秋季学期
 *     spanning the new year, “十四五”, 6月29日, 7月10 (no 日), 二〇二〇年六月,
 *     ranges of days, months and years, invalid dates rejected;
 *   - end to end through zm_extract: title periods, 落款 dates, partial
 *     dates, plan sections, deadlines, present-state words, ref_date.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "model.h"
#include "timex.h"

static zm_model *g_model;
static zm_rules g_rules;
static zm_ctx *g_ctx;

/* Time rules for zm_time_from_match, with the group names it reads. */
static const char *const TIME_RULES =
    "macro\tdefine\tYEAR\t[12][0-9]{3}|[〇零一二三四五六七八九]{4}\n"
    "macro\tdefine\tMON\t1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]\n"
    "macro\tdefine\tDAY\t3[01]|[12][0-9]|0?[1-9]\n"
    "r_yymd\ttime\t-\t^(?<y>{YEAR})年(?<m>{MON})月(?<d>{DAY})日至(?<y2>{YEAR})年(?<m2>{MON})月(?<d2>{DAY})日$\n"
    "r_ymd\ttime\t-\t^(?<m>{MON})月(?<d>{DAY})日?至(?<m2>{MON})月(?<d2>{DAY})日$\n"
    "r_md\ttime\t-\t^(?<m>{MON})月(?<d>{DAY})日?至(?<d2>{DAY})日$\n"
    "r_ym\ttime\t-\t^(?<m>{MON})-(?<m2>{MON})月份?$\n"
    "r_y\ttime\t-\t^(?<y>{YEAR})年?至(?<y2>{YEAR})年$\n"
    "ymd\ttime\t-\t^(?:(?<y>{YEAR})年)?(?<m>{MON})月(?<d>{DAY})[日号]?$\n"
    "ym\ttime\t-\t^(?:(?<y>{YEAR})年)?(?<m>{MON})月份?(?<mp>初|底|末|上旬|中旬|下旬)?$\n"
    "yp\ttime\t-\t^(?:(?<y>{YEAR})年)?(?<p>上半年|下半年|秋季学期|春季学期|年内|一季度|四季度|“十四五”|十三五)$\n"
    "y\ttime\t-\t^(?<y>[0-9]{4}|[〇零一二三四五六七八九]{4})年$\n";

static int setup(void **state)
{
    (void)state;
    setenv("ZHMETRICS_CACHE", "", 1); /* no lexicon cache written to $HOME */
    zm_model_options o = {NULL, NULL};
    zm_error err = {0};
    g_model = zm_model_load(ZM_DICT_DIR, &o, &err);
    if (!g_model) {
        fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.msg);
        return -1;
    }
    g_ctx = zm_ctx_new(g_model);
    if (!g_ctx || zm_rules_init(&g_rules))
        return -1;
    char path[64];
    strcpy(path, "/tmp/zmtest.XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, TIME_RULES, strlen(TIME_RULES)) != (ssize_t)strlen(TIME_RULES))
        return -1;
    close(fd);
    int rc = zm_rules_load(&g_rules, path, &err);
    unlink(path);
    if (rc) {
        fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    zm_ctx_free(g_ctx);
    zm_model_free(g_model);
    zm_rules_free(&g_rules);
    return 0;
}

/* ---- calendar helpers ---------------------------------------------- */

static void days_in_month(void **state)
{
    (void)state;
    assert_int_equal(zm_days_in_month(2020, 2), 29);
    assert_int_equal(zm_days_in_month(2024, 2), 29);
    assert_int_equal(zm_days_in_month(2000, 2), 29); /* divisible by 400 */
    assert_int_equal(zm_days_in_month(2019, 2), 28);
    assert_int_equal(zm_days_in_month(2023, 2), 28);
    assert_int_equal(zm_days_in_month(1900, 2), 28); /* by 100, not 400 */
    assert_int_equal(zm_days_in_month(2100, 2), 28);
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++)
        assert_int_equal(zm_days_in_month(2021, m), d[m - 1]);
}

static void ymd_helpers(void **state)
{
    (void)state;
    char buf[11];
    zm_ymd_format((zm_ymd){2020, 6, 29}, buf);
    assert_string_equal(buf, "2020-06-29");
    zm_ymd_format((zm_ymd){2019, 12, 31}, buf);
    assert_string_equal(buf, "2019-12-31");

    assert_int_equal(zm_ymd_cmp((zm_ymd){2020, 1, 1}, (zm_ymd){2020, 1, 1}), 0);
    assert_int_equal(zm_ymd_cmp((zm_ymd){2020, 1, 2}, (zm_ymd){2020, 1, 1}), 1);
    assert_int_equal(zm_ymd_cmp((zm_ymd){2019, 12, 31}, (zm_ymd){2020, 1, 1}), -1);
    assert_int_equal(zm_ymd_cmp((zm_ymd){2020, 2, 1}, (zm_ymd){2020, 1, 31}), 1);

    zm_ymd y = {0, 0, 0};
    assert_int_equal(zm_ymd_parse("2020-02-29", &y), 0);
    assert_int_equal(y.y, 2020);
    assert_int_equal(y.m, 2);
    assert_int_equal(y.d, 29);
    assert_int_equal(zm_ymd_parse("2019-12-31", &y), 0);
    assert_int_equal(y.d, 31);
    assert_int_equal(zm_ymd_parse("2019-02-29", &y), -1); /* not a leap year */
    assert_int_equal(zm_ymd_parse("2021-04-31", &y), -1);
    assert_int_equal(zm_ymd_parse("2020-13-01", &y), -1);
    assert_int_equal(zm_ymd_parse("2020-00-10", &y), -1);
    assert_int_equal(zm_ymd_parse("2020-01-00", &y), -1);
    assert_int_equal(zm_ymd_parse("2020-06-29x", &y), -1);
    assert_int_equal(zm_ymd_parse("999-01-01", &y), -1);
    assert_int_equal(zm_ymd_parse("20200629", &y), -1);
    assert_int_equal(zm_ymd_parse("", &y), -1);
    /* round trip */
    assert_int_equal(zm_ymd_parse("2024-02-29", &y), 0);
    zm_ymd_format(y, buf);
    assert_string_equal(buf, "2024-02-29");
}

/* ---- zm_time_from_match ------------------------------------------- */

/* Resolves text with the first of our rules matching all of it. Returns the
 * zm_time_from_match result, or -2 when no rule matched. */
static int resolve(const char *text, int ctx_year, zm_time *t)
{
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    int rc = -2;
    for (int i = 0; i < g_rules.n && rc == -2; i++) {
        const zm_rule *r = &g_rules.rule[i];
        if (pcre2_match(r->re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL) > 0)
            rc = zm_time_from_match(g_model, r, text, pcre2_get_ovector_pointer(md), ctx_year, t);
    }
    pcre2_match_data_free(md);
    return rc;
}

static void check_time(const char *text, int ctx_year, const char *from, const char *to)
{
    zm_time t;
    int rc = resolve(text, ctx_year, &t);
    if (rc != 0)
        fail_msg("'%s' (year %d): rc %d", text, ctx_year, rc);
    char f[11], e[11];
    zm_ymd_format(t.from, f);
    zm_ymd_format(t.to, e);
    if (strcmp(f, from) || strcmp(e, to))
        fail_msg("'%s' (year %d): expected %s..%s, got %s..%s", text, ctx_year, from, to, f, e);
    assert_int_equal(t.start, 0);
    assert_int_equal(t.end, strlen(text));
}

static void check_rejected(const char *text, int ctx_year)
{
    zm_time t;
    int rc = resolve(text, ctx_year, &t);
    if (rc == -2)
        fail_msg("'%s': no test rule matched", text);
    if (rc != -1) {
        char f[11], e[11];
        zm_ymd_format(t.from, f);
        zm_ymd_format(t.to, e);
        fail_msg("'%s' (year %d): expected rejection, got %s..%s", text, ctx_year, f, e);
    }
}

static void time_periods(void **state)
{
    (void)state;
    zm_time t;
    check_time("2020年上半年", 0, "2020-01-01", "2020-06-30");
    assert_int_equal(resolve("2020年上半年", 0, &t), 0);
    assert_true(t.explicit_year);
    check_time("上半年", 2021, "2021-01-01", "2021-06-30");
    assert_int_equal(resolve("上半年", 2021, &t), 0);
    assert_false(t.explicit_year);
    check_time("下半年", 2023, "2023-07-01", "2023-12-31");
    check_time("年内", 2020, "2020-01-01", "2020-12-31");
    check_time("2024年一季度", 2020, "2024-01-01", "2024-03-31"); /* own year beats context */
    check_time("四季度", 2022, "2022-10-01", "2022-12-31");
    check_time("秋季学期", 2023, "2023-09-01", "2024-01-31");
    check_time("春季学期", 2023, "2023-02-01", "2023-07-31");
    /* absolute periods need no year */
    check_time("“十四五”", 0, "2021-01-01", "2025-12-31");
    check_time("十三五", 2023, "2016-01-01", "2020-12-31");
    assert_int_equal(resolve("“十四五”", 0, &t), 0);
    assert_true(t.explicit_year);
    /* a relative period with no year anywhere cannot be dated */
    check_rejected("上半年", 0);
}

static void time_dates(void **state)
{
    (void)state;
    zm_time t;
    check_time("6月29日", 2020, "2020-06-29", "2020-06-29");
    assert_int_equal(resolve("6月29日", 2020, &t), 0);
    assert_true(t.day_level);
    assert_false(t.explicit_year);
    check_time("2019年12月31日", 2025, "2019-12-31", "2019-12-31");
    check_time("7月10", 2020, "2020-07-10", "2020-07-10"); /* 日 missing */
    check_time("2020年2月29日", 0, "2020-02-29", "2020-02-29");
    check_time("十二月5号", 2021, "2021-12-05", "2021-12-05");
    check_time("二〇二〇年六月", 0, "2020-06-01", "2020-06-30");
    check_time("2月", 2020, "2020-02-01", "2020-02-29");
    check_time("2月份", 2019, "2019-02-01", "2019-02-28");
    check_time("6月上旬", 2020, "2020-06-01", "2020-06-10");
    check_time("6月中旬", 2020, "2020-06-11", "2020-06-20");
    check_time("6月下旬", 2020, "2020-06-21", "2020-06-30");
    check_time("2月底", 2020, "2020-02-21", "2020-02-29");
    check_time("2020年", 0, "2020-01-01", "2020-12-31");
    check_time("二〇一九年", 0, "2019-01-01", "2019-12-31");
    assert_int_equal(resolve("2020年", 0, &t), 0);
    assert_true(t.explicit_year);
    assert_false(t.day_level);

    check_rejected("2019年2月29日", 0);
    check_rejected("2月30日", 2020);
    check_rejected("4月31日", 2020);
    check_rejected("6月29日", 0); /* no year at all */
    check_rejected("1800年", 0);  /* out of range */
}

static void time_ranges(void **state)
{
    (void)state;
    zm_time t;
    check_time("3月30日至4月8日", 2020, "2020-03-30", "2020-04-08");
    assert_int_equal(resolve("3月30日至4月8日", 2020, &t), 0);
    assert_true(t.day_level);
    check_time("6月1日至15日", 2021, "2021-06-01", "2021-06-15");
    check_time("1-9月", 2020, "2020-01-01", "2020-09-30");
    check_time("1-2月份", 2020, "2020-01-01", "2020-02-29");
    check_time("2016年至2020年", 0, "2016-01-01", "2020-12-31");
    /* Regression (was a bug): a day range with both years loses its days: the y2 branch of
     * zm_time_from_match runs before the d2 one, so whole months come out:
     * 2020-12-01..2021-01-31, 2019-03-01..2019-04-30, 2019-09-01..2019-09-30. */
    check_time("2020年12月25日至2021年1月5日", 0, "2020-12-25", "2021-01-05");
    check_time("2019年3月10日至2019年4月8日", 0, "2019-03-10", "2019-04-08");
    check_time("2019年9月1日至2019年9月1日", 0, "2019-09-01", "2019-09-01");
    check_rejected("4月8日至3月30日", 2020);
    check_rejected("9-1月", 2020);
    check_rejected("2020年至2016年", 0);
}

/* ---- end to end ---------------------------------------------------- */

static zm_doc *extract(const char *text, const zm_doc_options *opt)
{
    zm_doc *d = NULL;
    zm_error err = {0};
    int rc = zm_extract(g_ctx, "t.txt", text, strlen(text), opt, &d, &err);
    if (rc)
        fail_msg("zm_extract: %d %s", rc, err.msg);
    assert_non_null(d);
    assert_null(zm_doc_error(d));
    return d;
}

/* The metric whose text is `text`, or fail. */
static const zm_metric *metric(const zm_doc *d, const char *text)
{
    for (size_t i = 0; i < zm_doc_metric_count(d); i++)
        if (strcmp(zm_doc_metric(d, i)->text, text) == 0)
            return zm_doc_metric(d, i);
    fail_msg("no metric '%s' among %zu", text, zm_doc_metric_count(d));
    return NULL;
}

static void assert_time(const zm_metric *mt, const char *status, const char *from, const char *to)
{
    if (strcmp(mt->status, status) != 0)
        fail_msg("%s: status %s, expected %s", mt->text, mt->status, status);
    if (!from) {
        if (mt->time)
            fail_msg("%s: time %s..%s, expected none", mt->text, mt->time->from, mt->time->to);
        return;
    }
    if (!mt->time)
        fail_msg("%s: no time, expected %s..%s", mt->text, from, to);
    if (strcmp(mt->time->from, from) || strcmp(mt->time->to, to))
        fail_msg("%s: time %s..%s, expected %s..%s", mt->text, mt->time->from, mt->time->to, from, to);
}

static void e2e_plan_title(void **state)
{
    (void)state;
    zm_doc *d = extract("某县教育局2020年工作要点\n"
                        "一、主要目标\n"
                        "年内增加公办园学位1600个。\n",
                        NULL);
    assert_string_equal(zm_doc_genre(d), "plan");
    const zm_date_range *p = zm_doc_period(d);
    assert_non_null(p);
    assert_string_equal(p->from, "2020-01-01");
    assert_string_equal(p->to, "2020-12-31");
    assert_int_equal(zm_doc_metric_count(d), 1);
    const zm_metric *mt = metric(d, "1600个");
    assert_time(mt, "target", "2020-01-01", "2020-12-31");
    assert_string_equal(mt->value, "1600");
    zm_doc_free(d);
}

static void e2e_summary_signature(void **state)
{
    (void)state;
    zm_doc *d = extract("某县教育局2019年教育工作总结\n"
                        "一、基本情况\n"
                        "目前全县共有168所学校。\n"
                        "\n"
                        "某县教育局\n"
                        "2019年12月31日\n",
                        NULL);
    assert_string_equal(zm_doc_genre(d), "summary");
    assert_non_null(zm_doc_date(d));
    assert_string_equal(zm_doc_date(d), "2019-12-31");
    assert_non_null(zm_doc_period(d));
    assert_string_equal(zm_doc_period(d)->from, "2019-01-01");
    assert_string_equal(zm_doc_period(d)->to, "2019-12-31");
    assert_int_equal(zm_doc_metric_count(d), 1); /* the date itself is no metric */
    assert_time(metric(d, "168所"), "actual", "2019-12-31", "2019-12-31");
    zm_doc_free(d);
}

static void e2e_partial_dates_and_periods(void **state)
{
    (void)state;
    zm_doc *d = extract("某县教育局2020年上半年工作总结\n"
                        "一、工作开展情况\n"
                        "6月29日，全县组织培训教师320人次。\n"
                        "上半年共发放资助资金55.5万元。\n"
                        "3月30日至4月8日，共开展检查12次。\n",
                        NULL);
    assert_string_equal(zm_doc_period(d)->from, "2020-01-01");
    assert_string_equal(zm_doc_period(d)->to, "2020-06-30");
    assert_time(metric(d, "320人次"), "actual", "2020-06-29", "2020-06-29");
    assert_time(metric(d, "55.5万元"), "actual", "2020-01-01", "2020-06-30");
    assert_time(metric(d, "12次"), "actual", "2020-03-30", "2020-04-08");
    assert_int_equal(zm_doc_metric_count(d), 3);
    zm_doc_free(d);
}

static void e2e_sections_and_deadlines(void **state)
{
    (void)state;
    zm_doc *d = extract("某县教育局2023年下半年工作计划\n"
                        "一、重点工作\n"
                        "12月份前完成4项改造工程。\n",
                        NULL);
    assert_time(metric(d, "4项"), "target", "2023-07-01", "2023-12-31");
    zm_doc_free(d);

    d = extract("某县教育局2020年上半年工作总结与下半年工作计划\n"
                "一、上半年工作情况\n"
                "共新建学校3所。\n"
                "二、下半年工作计划\n"
                "力争新建学校2所。\n",
                NULL);
    assert_string_equal(zm_doc_genre(d), "mixed");
    assert_time(metric(d, "3所"), "actual", "2020-01-01", "2020-06-30");
    assert_time(metric(d, "2所"), "target", "2020-07-01", "2020-12-31");
    zm_doc_free(d);

    d = extract("某县教育局2023年工作总结\n"
                "一、工作情况\n"
                "秋季学期共资助学生1200人。\n"
                "2016年至2020年间累计投入资金3.5亿元。\n"
                "1-9月份，共接待来访45人次。\n",
                NULL);
    assert_time(metric(d, "1200人"), "actual", "2023-09-01", "2024-01-31");
    assert_time(metric(d, "3.5亿元"), "actual", "2016-01-01", "2020-12-31");
    assert_time(metric(d, "45人次"), "actual", "2023-01-01", "2023-09-30");
    zm_doc_free(d);

    d = extract("某县“十四五”教育发展规划\n"
                "一、发展目标\n"
                "到2025年，学前三年毛入园率达到92%以上。\n",
                NULL);
    const zm_metric *mt = metric(d, "92%以上");
    assert_string_equal(mt->qualifier, "at_least");
    assert_time(mt, "target", "2025-01-01", "2025-12-31");
    zm_doc_free(d);
}

static void e2e_ref_date_and_undated(void **state)
{
    (void)state;
    /* nothing dates the figure: time is null */
    zm_doc *d = extract("全县共有学校168所。\n", NULL);
    assert_null(zm_doc_period(d));
    assert_time(metric(d, "168所"), "actual", NULL, NULL);
    zm_doc_free(d);

    /* a reference date from the caller dates present-state figures */
    zm_doc_options o = {"2021-03-15", 0, 0};
    d = extract("全县情况\n目前全县共有学校168所。\n", &o);
    assert_time(metric(d, "168所"), "actual", "2021-03-15", "2021-03-15");
    zm_doc_free(d);

    /* the caller's ref_date overrides the document's own 落款 */
    d = extract("某县教育局2019年教育工作总结\n"
                "一、基本情况\n"
                "目前全县共有168所学校。\n"
                "某县教育局\n"
                "2019年12月31日\n",
                &o);
    assert_time(metric(d, "168所"), "actual", "2021-03-15", "2021-03-15");
    zm_doc_free(d);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_in_month),
        cmocka_unit_test(ymd_helpers),
        cmocka_unit_test(time_periods),
        cmocka_unit_test(time_dates),
        cmocka_unit_test(time_ranges),
        cmocka_unit_test(e2e_plan_title),
        cmocka_unit_test(e2e_summary_signature),
        cmocka_unit_test(e2e_partial_dates_and_periods),
        cmocka_unit_test(e2e_sections_and_deadlines),
        cmocka_unit_test(e2e_ref_date_and_undated),
    };
    return cmocka_run_group_tests_name("timex", tests, setup, teardown) ? 1 : 0;
}
