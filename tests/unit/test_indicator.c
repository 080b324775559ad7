/* indicator: the catalog loader and the matcher (src/indicator.c).
 *   - tests/cases/indicators.tsv: a resolved metric (subject, figure,
 *     kind, unit, change, sentence, section) and the id it must get, or
 *     none: SPEC section 7 ids, changes, population parts, kinds and units
 *     that do not fit, missing contexts;
 *   - loader: word lists, scope items, a user file extending the main one
 *     (its lists too), and the errors a bad line gives (file:line).
 * The matcher reads only the catalog, so no lexicon is loaded.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "indicator.h"
#include "model.h"
#include "zhmetrics.h"

static zm_model *g_model;
static zm_cases g_cases;

static int setup(void **state)
{
    (void)state;
    setenv("ZHMETRICS_CACHE", "", 1);
    zm_model_options opts = {NULL, ""};
    zm_error err = {0};
    g_model = zm_model_load(ZM_DICT_DIR, &opts, &err);
    if (!g_model)
        fprintf(stderr, "model: %s:%d: %s\n", err.file, err.line, err.msg);
    return g_model ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    zm_model_free(g_model);
    return 0;
}

static const char *opt(const char *s) { return strcmp(s, "-") == 0 ? NULL : s; }

static void test_case(void **state)
{
    const zm_case *k = *state;
    assert_int_equal(k->nf, 8);
    /* section path: "a > b" */
    char secbuf[512];
    const char *sec[8];
    size_t nsec = 0;
    if (strcmp(k->f[7], "-") != 0) {
        snprintf(secbuf, sizeof secbuf, "%s", k->f[7]);
        for (char *p = secbuf; p && nsec < 8;) {
            sec[nsec++] = p;
            char *gt = strstr(p, " > ");
            if (gt) {
                *gt = 0;
                p = gt + 3;
            } else {
                p = NULL;
            }
        }
    }
    zm_metric mt = {0};
    mt.subject = opt(k->f[1]);
    mt.text = k->f[2];
    mt.kind = k->f[3];
    mt.kind_id = (zm_kind)zm_kind_parse(mt.kind);
    mt.unit = k->f[4];
    mt.change = opt(k->f[5]);
    mt.change_id = mt.change ? (zm_change)zm_change_parse(mt.change) : ZM_C_NONE;
    mt.sentence = opt(k->f[6]);
    mt.section = sec;
    mt.section_len = nsec;
    zm_ind_why why;
    const char *got = zm_indicator_match(g_model->ind, &mt, &why);
    const char *want = opt(k->f[0]);
    if (!want && got)
        fail_msg("line %d: %s got %s (word %s, context %s in the %s); expected none", k->line, k->f[1], got,
                 why.word, why.ctx ? why.ctx : "-", why.where ? why.where : "-");
    if (want && (!got || strcmp(want, got) != 0))
        fail_msg("line %d: %s got %s (%s: %s %s); expected %s", k->line, k->f[1], got ? got : "none",
                 why.word ? why.word : "-", why.reject ? why.reject : "", why.reject_word ? why.reject_word : "",
                 want);
}

/* ---- loader */

static int load_text(const char *main_text, const char *user_text, zm_indicators **out, zm_error *err)
{
    char p1[64], p2[64];
    zm_tmpfile(main_text, p1);
    zm_indicators *cat = zm_indicators_new();
    assert_non_null(cat);
    memset(err, 0, sizeof *err);
    int rc = zm_indicators_load(cat, p1, err);
    if (!rc && user_text) {
        zm_tmpfile(user_text, p2);
        rc = zm_indicators_load(cat, p2, err);
        unlink(p2);
    }
    if (!rc)
        rc = zm_indicators_finish(cat);
    unlink(p1);
    *out = cat;
    return rc;
}

#define MAIN_CAT                                                                                                  \
    "# test catalog\n"                                                                                            \
    "@part\t农村|女\n"                                                                                            \
    "@tail\t总数\n"                                                                                               \
    "@growth\t增长\n"                                                                                             \
    "t.ptr.primary\t小学生师比\t小学生师比\t生师比:小学,@lower\t@part\tratio\tratio\tnone\tp\n"
/* @lower is not defined: the first line using it must fail */

static void test_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *line, *msg;
    } bad[] = {
        {"x.y\tn\tw\t-\t-\tcount\t人\tup", "columns"},
        {"x.y\tn\tw\t-\t-\tcount\t人\tup\td\textra", "columns"},
        {"x.y\tn\tw\t-\t-\tthings\t人\tup\td", "unknown kind"},
        {"x.y\tn\tw\t-\t-\tcount\t人\tsideways\td", "unknown direction"},
        {"X.y\tn\tw\t-\t-\tcount\t人\tup\td", "bad id"},
        {"xy\tn\tw\t-\t-\tcount\t人\tup\td", "bad id"},
        {"x..y\tn\tw\t-\t-\tcount\t人\tup\td", "bad id"},
        {"x.y.\tn\tw\t-\t-\tcount\t人\tup\td", "bad id"},
        {"x.y\tn\t-\t-\t-\tcount\t人\tup\td", "no words"},
        {"x.y\tn\t\t-\t-\tcount\t人\tup\td", "empty"},
        {"x.y\tn\ta||b\t-\t-\tcount\t人\tup\td", "empty word"},
        {"x.y\tn\tw\t生师比\t-\tcount\t人\tup\td", "WORD:CONTEXT"},
        {"x.y\tn\tw\t生师比:\t-\tcount\t人\tup\td", "empty"},
        {"x.y\tn\tw\t@part:小学\t-\tcount\t人\tup\td", "list name"},
        {"x.y\tn\tw\t-\t@nosuch\tcount\t人\tup\td", "unknown word list"},
        {"x.y\t\tw\t-\t-\tcount\t人\tup\td", "name"},
        {"x.y\tn\tw\t-\t-\tcount\t人\tup\t", "description"},
        {"@Bad\tw", "list name"},
        {"@ok\tw\textra", "columns"},
        {"@ok\ta|", "empty word"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[512];
        snprintf(text, sizeof text, "# c\n@part\t农村\n%s\n", bad[i].line);
        zm_indicators *cat;
        zm_error err;
        int rc = load_text(text, NULL, &cat, &err);
        if (rc != ZM_E_DATA || err.line != 3 || !strstr(err.msg, bad[i].msg))
            fail_msg("'%s': rc %d, line %d, '%s' (expected line 3, '%s')", bad[i].line, rc, err.line, err.msg,
                     bad[i].msg);
        zm_indicators_free(cat);
    }
    /* a duplicate id, also across files, names the first */
    zm_indicators *cat;
    zm_error err;
    int rc = load_text("a.b\tn\tw\t-\t-\tcount\t人\tup\td\n", "# u\na.b\tn\tv\t-\t-\tcount\t人\tup\td\n", &cat, &err);
    assert_int_equal(rc, ZM_E_DATA);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "duplicate id 'a.b'"));
    zm_indicators_free(cat);
    /* a list used before it is defined */
    rc = load_text(MAIN_CAT, NULL, &cat, &err);
    assert_int_equal(rc, ZM_E_DATA);
    assert_int_equal(err.line, 5);
    assert_non_null(strstr(err.msg, "@lower"));
    zm_indicators_free(cat);
}

static const char *match(const zm_indicators *cat, const char *subject, const char *kind, const char *unit,
                         const char *sentence)
{
    zm_metric mt = {0};
    mt.subject = subject;
    mt.text = "1";
    mt.kind = kind;
    mt.kind_id = (zm_kind)zm_kind_parse(kind);
    mt.unit = unit;
    mt.sentence = sentence;
    return zm_indicator_match(cat, &mt, NULL);
}

static void test_user_file(void **state)
{
    (void)state;
    const char *main_text = "@part\t农村\n@tail\t总数\n"
                            "a.teachers\t教师数\t教师\t-\t@part\tcount\t人\tup\td\n";
    /* the user file adds an entry, uses the main @part and adds to it */
    const char *user_text = "@part\t女\nu.beds\t床位数\t床位\t-\t@part\tcount\t张\tup\td\n";
    zm_indicators *cat;
    zm_error err;
    assert_int_equal(load_text(main_text, user_text, &cat, &err), 0);
    assert_int_equal(zm_indicators_count(cat), 2);
    assert_string_equal(match(cat, "床位", "count", "张", "床位300张。"), "u.beds");
    assert_string_equal(match(cat, "教师总数", "count", "人", "教师总数300人。"), "a.teachers");
    assert_null(match(cat, "农村床位", "count", "张", "农村床位300张。"));
    /* a list defined again grows for the lines after it, not before */
    assert_null(match(cat, "女生床位", "count", "张", "女生床位300张。"));
    assert_string_equal(match(cat, "女教师", "count", "人", "女教师300人。"), "a.teachers");
    assert_null(match(cat, "床位", "count", "个", "床位300个。"));     /* the unit does not fit */
    assert_null(match(cat, "教师培训", "count", "人", "教师培训300人。")); /* not the head */
    char buf[4096] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    assert_int_equal(zm_indicators_write_tsv(cat, f), 0);
    fclose(f);
    assert_string_equal(buf, "# id\tname\tkind\tunit\tdirection\n"
                             "a.teachers\t教师数\tcount\t人\tup\n"
                             "u.beds\t床位数\tcount\t张\tup\n");
    zm_indicators_free(cat);
}

/* The figures of one sentence in order through zm_indicator_match_in
 * (one scan state, as the enrichment stage does); ids[i] gets figure i's. */
static void match_sentence(const char *sentence, const char *const *subjects, const char *const *texts, int n,
                           const char *unit, const char **ids)
{
    zm_ind_scan ss = {0};
    for (int i = 0; i < n; i++) {
        zm_metric mt = {0};
        mt.subject = subjects[i];
        mt.text = texts[i];
        mt.kind = "count";
        mt.kind_id = ZM_K_COUNT;
        mt.unit = unit;
        mt.change_id = ZM_C_NONE;
        mt.sentence = sentence;
        ids[i] = zm_indicator_match_in(g_model->ind, &mt, NULL, &ss);
    }
}

/* A list in brackets right after a figure is a breakdown of it: the
 * parts of a figure that is no indicator are none either. */
static void test_bracket_host(void **state)
{
    (void)state;
    const char *ids[4];
    const char *s1 = "全县共实施学校建设项目43个，涉及学校38所（其中幼儿园9所、小学17所、初中8所）。";
    const char *sub1[] = {"涉及学校", "幼儿园", "小学", "初中"}, *txt1[] = {"38所", "9所", "17所", "8所"};
    match_sentence(s1, sub1, txt1, 4, "所", ids);
    for (int i = 0; i < 4; i++)
        assert_null(ids[i]);
    /* the host is an indicator: its parts keep theirs */
    const char *s2 = "全县共有幼儿园70所（含公办9所），小学77所（含村小12所）。";
    const char *sub2[] = {"幼儿园", "公办幼儿园", "小学", "村小"}, *txt2[] = {"70所", "9所", "77所", "12所"};
    match_sentence(s2, sub2, txt2, 4, "所", ids);
    assert_string_equal(ids[0], "edu.preschool.kindergartens");
    assert_string_equal(ids[2], "edu.primary.schools");
    /* not right after a figure: a note, which the host does not decide */
    const char *s3 = "涉及学校38所，全县有小学（不含教学点）77所。";
    const char *sub3[] = {"涉及学校", "小学"}, *txt3[] = {"38所", "77所"};
    match_sentence(s3, sub3, txt3, 2, "所", ids);
    assert_null(ids[0]);
    assert_string_equal(ids[1], "edu.primary.schools");
}

/* After 其中 the figures are parts of the one before: they inherit its
 * clause (招录: recruits, not the stock of teachers); a 其中 with a figure
 * in its own clause covers that clause only. */
static void test_qizhong_host(void **state)
{
    (void)state;
    const char *ids[4];
    const char *s1 = "2019年全县共招录学校教师148人，其中，幼儿教师16人，普通高中教师13人，中职教师10人。";
    const char *sub1[] = {"招录学校教师", "幼儿教师", "普通高中教师", "中职教师"},
               *txt1[] = {"148人", "16人", "13人", "10人"};
    match_sentence(s1, sub1, txt1, 4, "人", ids);
    for (int i = 1; i < 4; i++)
        assert_null(ids[i]);
    const char *s2 = "全县共有专任教师3000人，其中幼儿教师500人，普通高中教师400人。";
    const char *sub2[] = {"专任教师", "幼儿教师", "普通高中教师"}, *txt2[] = {"3000人", "500人", "400人"};
    match_sentence(s2, sub2, txt2, 3, "人", ids);
    assert_string_equal(ids[0], "edu.teachers.fulltime");
    assert_string_equal(ids[1], "edu.preschool.teachers");
    assert_string_equal(ids[2], "edu.senior.teachers");
}

int main(void)
{
    zm_cases_load(ZM_SOURCE_DIR "/tests/cases/indicators.tsv", &g_cases);
    if (g_cases.n < 80) {
        fprintf(stderr, "tests/cases/indicators.tsv: %zu cases, expected at least 80\n", g_cases.n);
        return 1;
    }
    const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_user_file),
    };
    int rc = cmocka_run_group_tests_name("indicator loader", fixed, NULL, NULL);
    const struct CMUnitTest in_sentence[] = {cmocka_unit_test(test_bracket_host), cmocka_unit_test(test_qizhong_host)};
    rc |= cmocka_run_group_tests_name("indicator figures of a sentence", in_sentence, setup, teardown);
    rc |= _cmocka_run_group_tests("indicator cases", zm_cases_tests(&g_cases, test_case), g_cases.n, setup, teardown);
    zm_cases_free(&g_cases);
    return rc ? 1 : 0;
}
