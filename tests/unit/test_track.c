/* track: the pairing of targets and actuals (src/lib/track.c, SPEC 8,
 * docs/tracking.md), driven through zm_tracker_add_record:
 *   - verdicts by qualifier (boundaries), by direction for exact targets
 *     (up, down, none), not_comparable (unit, change), pending/no_report
 *     by the region's latest date;
 *   - region names (organ suffixes, short names) as one region;
 *   - the latest-ending actual, multi-year progress, periods kept apart;
 *   - two passes keep only the actuals a target waits for.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "zhmetrics.h"

static zm_model *g_model;

static int setup(void **state)
{
    (void)state;
    setenv("ZHMETRICS_CACHE", "", 1);
    zm_model_options opts = {NULL, ""};
    zm_error err = {0};
    g_model = zm_model_load(ZM_DICT_DIR, &opts, &err);
    return g_model ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    zm_model_free(g_model);
    return 0;
}

typedef struct got {
    char line[64][512];
    int n;
} got;

/* "region verdict actual-value progress-count conflict-count" per record */
static int collect(const zm_track *tr, void *arg)
{
    got *g = arg;
    snprintf(g->line[g->n++], sizeof g->line[0], "%s %s %s %s %zu %zu", tr->region, tr->indicator, tr->verdict,
             tr->actual ? tr->actual->value : "-", tr->nprogress, tr->nconflicts);
    return 0;
}

static char docbuf[4096];
static const char *doc(const char *name, const char *region, const char *date, const char *from, const char *to)
{
    snprintf(docbuf, sizeof docbuf,
             "{\"type\":\"document\",\"doc\":\"%s\",\"region\":\"%s\",\"date\":\"%s\",\"period\":{\"from\":\"%s\",\"to\":\"%s\"}}",
             name, region, date, from, to);
    return docbuf;
}

static char metbuf[4096];
static const char *met(const char *name, int n, const char *status, const char *value, const char *unit,
                       const char *qual, const char *from, const char *to, const char *ind)
{
    snprintf(metbuf, sizeof metbuf,
             "{\"type\":\"metric\",\"doc\":\"%s\",\"id\":\"%s#%d\",\"status\":\"%s\",\"value\":%s,\"unit\":\"%s\","
             "\"qualifier\":\"%s\",\"time\":{\"from\":\"%s\",\"to\":\"%s\"},\"change\":null,\"indicator\":\"%s\"}",
             name, name, n, status, value, unit, qual, from, to, ind);
    return metbuf;
}

static void add(zm_tracker *t, const char *line)
{
    char msg[256];
    int rc = zm_tracker_add_record(t, line, strlen(line), msg, sizeof msg);
    assert_true(rc == 0);
}

#define RATE "edu.preschool.gross_enrolment_rate" /* up */
#define LARGE "edu.class_size.large_share"         /* down */
#define SCHOOLS "edu.schools.total"                /* none */

/* One target (qualifier, value) and one actual (value) of the same year. */
static const char *verdict_of(const char *ind, const char *qual, const char *target, const char *actual)
{
    static got g;
    memset(&g, 0, sizeof g);
    zm_tracker *t = zm_tracker_new(g_model, ZM_DICT_DIR, NULL);
    assert_non_null(t);
    add(t, doc("p", "甲乙县", "2021-02-01", "2021-01-01", "2021-12-31"));
    add(t, met("p", 1, "target", target, "%", qual, "2021-01-01", "2021-12-31", ind));
    add(t, doc("s", "甲乙县", "2022-01-05", "2021-01-01", "2021-12-31"));
    add(t, met("s", 1, "actual", actual, "%", "exact", "2021-01-01", "2021-12-31", ind));
    assert_int_equal(zm_tracker_finish(t, collect, &g), 0);
    zm_tracker_free(t);
    assert_int_equal(g.n, 1);
    return strchr(strchr(g.line[0], ' ') + 1, ' ') + 1;
}

static void test_qualifiers(void **state)
{
    (void)state;
    assert_string_equal(verdict_of(RATE, "at_least", "90", "90"), "met 90 0 0");
    assert_string_equal(verdict_of(RATE, "at_least", "90", "89.9"), "missed 89.9 0 0");
    assert_string_equal(verdict_of(RATE, "over", "90", "90"), "missed 90 0 0");
    assert_string_equal(verdict_of(RATE, "over", "90", "90.1"), "met 90.1 0 0");
    assert_string_equal(verdict_of(LARGE, "at_most", "5", "5"), "met 5 0 0");
    assert_string_equal(verdict_of(LARGE, "at_most", "5", "6.2"), "missed 6.2 0 0");
    assert_string_equal(verdict_of(LARGE, "under", "5", "5"), "missed 5 0 0");
    /* exact: the indicator's direction */
    assert_string_equal(verdict_of(RATE, "exact", "96.5", "96.8"), "met 96.8 0 0");
    assert_string_equal(verdict_of(RATE, "exact", "97", "96.4"), "missed 96.4 0 0");
    assert_string_equal(verdict_of(LARGE, "exact", "2", "1.5"), "met 1.5 0 0");
    assert_string_equal(verdict_of(LARGE, "exact", "2", "2.5"), "missed 2.5 0 0");
    assert_string_equal(verdict_of(SCHOOLS, "exact", "12", "12"), "met 12 0 0");
    assert_string_equal(verdict_of(SCHOOLS, "exact", "12", "13"), "missed 13 0 0");
}

static void test_regions_and_choice(void **state)
{
    (void)state;
    got g = {0};
    zm_tracker *t = zm_tracker_new(g_model, ZM_DICT_DIR, NULL);
    /* a five-year plan of 建始县人民政府办公室; summaries of 建始 and 建始县教育局 */
    add(t, doc("plan", "建始县人民政府办公室", "2021-08-01", "2021-01-01", "2025-12-31"));
    add(t, met("plan", 1, "target", "92", "%", "at_least", "2021-01-01", "2025-12-31", RATE));
    add(t, met("plan", 2, "actual", "86", "%", "exact", "2020-01-01", "2020-12-31", RATE)); /* before: ignored */
    add(t, doc("s21", "建始", "2021-12-30", "2021-01-01", "2021-12-31"));
    add(t, met("s21", 1, "actual", "88", "%", "exact", "2021-01-01", "2021-12-31", RATE));
    add(t, doc("s25h1", "建始县教育局", "2025-07-01", "2025-01-01", "2025-06-30"));
    add(t, met("s25h1", 1, "actual", "91", "%", "exact", "2025-01-01", "2025-06-30", RATE));
    add(t, doc("s25", "建始县教育局", "2026-01-10", "2025-01-01", "2025-12-31"));
    add(t, met("s25", 1, "actual", "93", "%", "exact", "2025-01-01", "2025-12-31", RATE));
    /* another region's figures do not count */
    add(t, doc("o25", "清溪县", "2026-01-10", "2025-01-01", "2025-12-31"));
    add(t, met("o25", 1, "actual", "80", "%", "exact", "2025-01-01", "2025-12-31", RATE));
    assert_int_equal(zm_tracker_finish(t, collect, &g), 0);
    zm_tracker_free(t);
    assert_int_equal(g.n, 1);
    /* the latest end (2025-12-31, not the half-year 91) answers; 2021 is progress */
    assert_string_equal(g.line[0], "建始县 " RATE " met 93 1 0");
}

static void test_pending_no_report_units(void **state)
{
    (void)state;
    got g = {0};
    zm_tracker *t = zm_tracker_new(g_model, ZM_DICT_DIR, NULL);
    add(t, doc("a", "丙丁区", "2021-02-01", "2021-01-01", "2021-12-31"));
    add(t, met("a", 1, "target", "95", "%", "at_least", "2021-01-01", "2021-12-31", RATE));
    add(t, met("a", 2, "target", "3", "%", "at_most", "2022-01-01", "2022-12-31", LARGE));
    add(t, met("a", 3, "target", "5", "所", "exact", "2021-01-01", "2021-12-31", SCHOOLS));
    add(t, doc("b", "丙丁区", "2022-01-10", "2021-01-01", "2021-12-31"));
    add(t, met("b", 1, "actual", "6", "个", "exact", "2021-01-01", "2021-12-31", SCHOOLS));
    assert_int_equal(zm_tracker_finish(t, collect, &g), 0);
    zm_tracker_free(t);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.line[0], "丙丁区 " RATE " no_report - 0 0");   /* 2022-01-10 > 2021-12-31 */
    assert_string_equal(g.line[1], "丙丁区 " LARGE " pending - 0 0");    /* 2022 not over */
    assert_string_equal(g.line[2], "丙丁区 " SCHOOLS " not_comparable 6 0 0");
}

static void test_two_passes(void **state)
{
    (void)state;
    const char *lines[] = {
        "{\"type\":\"document\",\"doc\":\"s\",\"region\":\"戊县\",\"date\":\"2022-01-05\",\"period\":{\"from\":\"2021-01-01\",\"to\":\"2021-12-31\"}}",
        "{\"type\":\"metric\",\"doc\":\"s\",\"id\":\"s#1\",\"status\":\"actual\",\"value\":91,\"unit\":\"%\",\"time\":{\"from\":\"2021-01-01\",\"to\":\"2021-12-31\"},\"indicator\":\"" RATE "\"}",
        "{\"type\":\"metric\",\"doc\":\"s\",\"id\":\"s#2\",\"status\":\"actual\",\"value\":7,\"unit\":\"%\",\"time\":{\"from\":\"2021-01-01\",\"to\":\"2021-12-31\"},\"indicator\":\"" LARGE "\"}",
        "{\"type\":\"document\",\"doc\":\"p\",\"region\":\"戊县\",\"date\":\"2021-02-01\",\"period\":{\"from\":\"2021-01-01\",\"to\":\"2021-12-31\"}}",
        "{\"type\":\"metric\",\"doc\":\"p\",\"id\":\"p#1\",\"status\":\"target\",\"value\":90,\"unit\":\"%\",\"qualifier\":\"at_least\",\"time\":{\"from\":\"2021-01-01\",\"to\":\"2021-12-31\"},\"indicator\":\"" RATE "\"}",
    };
    size_t n = sizeof lines / sizeof *lines, r, g1, a1, g2, a2;
    got one = {0}, two = {0};
    zm_tracker *t = zm_tracker_new(g_model, ZM_DICT_DIR, NULL);
    for (size_t i = 0; i < n; i++)
        add(t, lines[i]);
    zm_tracker_counts(t, &r, &g1, &a1);
    assert_int_equal(zm_tracker_finish(t, collect, &one), 0);
    zm_tracker_free(t);
    t = zm_tracker_new(g_model, ZM_DICT_DIR, NULL);
    for (int pass = 1; pass <= 2; pass++) {
        zm_tracker_set_pass(t, pass);
        for (size_t i = 0; i < n; i++)
            add(t, lines[i]);
    }
    zm_tracker_counts(t, &r, &g2, &a2);
    assert_int_equal(zm_tracker_finish(t, collect, &two), 0);
    zm_tracker_free(t);
    assert_int_equal(g1, 1);
    assert_int_equal(g2, 1);
    assert_int_equal(a1, 2); /* one pass: both actuals */
    assert_int_equal(a2, 1); /* two passes: only the one a target waits for */
    assert_int_equal(one.n, 1);
    assert_int_equal(two.n, 1);
    assert_string_equal(one.line[0], two.line[0]);
    assert_string_equal(one.line[0], "戊县 " RATE " met 91 0 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qualifiers),
        cmocka_unit_test(test_regions_and_choice),
        cmocka_unit_test(test_pending_no_report_units),
        cmocka_unit_test(test_two_passes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
