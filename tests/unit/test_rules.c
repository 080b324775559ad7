/* rules: regex rules kept as data.
 *   - zm_rules_load on temporary files: a good file loads (ids, actions,
 *     kinds, named groups, file:line of each rule, macros expanded, anchored
 *     for rules tried at a position, scanning for ignore rules);
 *   - zm_rules_finish: every block rule in one anchored alternation whose
 *     (*MARK) names the rule that matched;
 *   - errors are ZM_E_DATA with the file and the line: a bad regex, a wrong
 *     column count, an unknown macro {NOPE} (in a rule or in a define), an
 *     unknown action; lines before the error count comments and blanks;
 *   - zm_rules_define overrides; {1,3} stays a quantifier;
 *   - the project's own dict/rules.tsv loads once the model defines its
 *     table macros.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "model.h"
#include "rules.h"

typedef struct loaded {
    zm_rules r;
    zm_error err;
    int rc;
    char path[64];
} loaded;

/* Loads text as a rules file into a fresh zm_rules with NUM defined. */
static void load(const char *text, loaded *l)
{
    memset(l, 0, sizeof *l);
    assert_int_equal(zm_rules_init(&l->r), 0);
    assert_int_equal(zm_rules_define(&l->r, "NUM", "[0-9]+(?:\\.[0-9]+)?"), 0);
    zm_tmpfile(text, l->path);
    l->rc = zm_rules_load(&l->r, l->path, &l->err);
    unlink(l->path);
}

static const zm_rule *rule(const zm_rules *r, const char *id)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->rule[i].id, id) == 0)
            return &r->rule[i];
    return NULL;
}

/* Matches rule re against s from offset at; returns match start or -1. */
static long match_at(const zm_rule *ru, const char *s, size_t at, size_t *end)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(ru->re, NULL);
    int rc = pcre2_match(ru->re, (PCRE2_SPTR)s, strlen(s), at, 0, md, NULL);
    long r = -1;
    if (rc > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        r = (long)ov[0];
        if (end)
            *end = ov[1];
    }
    pcre2_match_data_free(md);
    return r;
}

static void good_file_loads(void **state)
{
    (void)state;
    loaded l;
    load("# comment\n"
         "\n"
         "macro\tdefine\tUNIT\t万元|元|所|人\n"
         "macro\tdefine\tQTY\t{NUM}\\s?(?:{UNIT})\n"
         "year\tblock\t-\t[12][0-9]{3}年\n"
         "qty\tmetric\t-\t(?<num>{NUM})(?<unit>{UNIT})\n"
         "pct\tmetric\tratio\t(?<num>{NUM})(?<unit>%)\n"
         "range\tmetric\t-\t(?<num>{NUM})(?:至|-)(?<num2>{NUM})(?<unit>{UNIT})\n"
         "t_y\ttime\t-\t(?<y>[12][0-9]{3})年\n"
         "dbg\tignore\t-\t\\[[a-z]+\\]\n",
         &l);
    if (l.rc)
        fail_msg("%s:%d: %s", l.err.file, l.err.line, l.err.msg);
    assert_int_equal(l.r.n, 6); /* defines are not rules */
    assert_int_equal(l.r.nby[ZM_ACT_METRIC], 3);
    assert_int_equal(l.r.nby[ZM_ACT_BLOCK], 1);
    assert_int_equal(l.r.nby[ZM_ACT_TIME], 1);
    assert_int_equal(l.r.nby[ZM_ACT_IGNORE], 1);

    const zm_rule *q = rule(&l.r, "qty");
    assert_non_null(q);
    assert_int_equal(q->action, ZM_ACT_METRIC);
    assert_int_equal(q->kind, -1);
    assert_int_equal(q->line, 6);
    assert_string_equal(q->file, l.path);
    assert_int_equal(q->group[ZM_G_NUM], 1);
    assert_int_equal(q->group[ZM_G_UNIT], 2);
    assert_int_equal(q->group[ZM_G_NUM2], -1);
    assert_int_equal(q->group[ZM_G_Y], -1);

    const zm_rule *p = rule(&l.r, "pct");
    assert_non_null(p);
    assert_int_equal(p->kind, ZM_K_RATIO);
    assert_int_equal(p->line, 7);

    const zm_rule *rg = rule(&l.r, "range");
    assert_non_null(rg);
    assert_int_equal(rg->group[ZM_G_NUM], 1);
    assert_int_equal(rg->group[ZM_G_NUM2], 2);
    assert_int_equal(rg->group[ZM_G_UNIT], 3);

    const zm_rule *t = rule(&l.r, "t_y");
    assert_non_null(t);
    assert_int_equal(t->action, ZM_ACT_TIME);
    assert_int_equal(t->group[ZM_G_Y], 1);
    assert_int_equal(t->line, 9);

    /* the macros expanded into working patterns */
    size_t end = 0;
    assert_int_equal(match_at(q, "2644.2375万元", 0, &end), 0);
    assert_int_equal(end, strlen("2644.2375万元")); /* 万元 before 元: alternation order kept */
    assert_int_equal(match_at(rg, "3至5所", 0, &end), 0);
    assert_int_equal(end, strlen("3至5所"));
    /* {3} after a class stays a quantifier */
    const zm_rule *y = rule(&l.r, "year");
    assert_int_equal(match_at(y, "2020年", 0, NULL), 0);
    assert_int_equal(match_at(y, "202年", 0, NULL), -1);

    /* metric/block rules are anchored: they match only where tried */
    assert_int_equal(match_at(q, "共有168所", 0, NULL), -1);
    assert_int_equal(match_at(q, "共有168所", strlen("共有"), NULL), (long)strlen("共有"));
    /* time rules too are tried where a time can start */
    assert_int_equal(match_at(t, "截至2019年底", 0, NULL), -1);
    assert_int_equal(match_at(t, "截至2019年底", strlen("截至"), NULL), (long)strlen("截至"));
    /* ignore rules scan the text */
    assert_int_equal(match_at(rule(&l.r, "dbg"), "ab[bookmark]", 0, NULL), 2);

    /* match data must hold the largest rule: range has 3 groups + the whole */
    assert_true(zm_rules_max_groups(&l.r) >= 4);
    zm_rules_free(&l.r);
}

/* Matches the combined block pattern for the byte at `at`; returns the rule
 * id or NULL. */
static const char *block_at(const zm_rules *r, const char *s, size_t at, size_t *end)
{
    const pcre2_code *re = r->blocks.by_byte[(unsigned char)s[at]];
    if (!re)
        return NULL;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), at, 0, md, NULL);
    const char *id = NULL;
    if (rc > 0) {
        PCRE2_SPTR mark = pcre2_get_mark(md);
        assert_non_null(mark);
        int ix = atoi((const char *)mark);
        assert_true(ix >= 0 && ix < r->n);
        assert_int_equal(r->rule[ix].action, ZM_ACT_BLOCK);
        id = r->rule[ix].id;
        *end = pcre2_get_ovector_pointer(md)[1];
    }
    pcre2_match_data_free(md);
    return id;
}

static void blocks_combined(void **state)
{
    (void)state;
    loaded l;
    load("qty\tmetric\t-\t(?<num>{NUM})所\n"
         "year\tblock\t-\t(?<num>[12][0-9]{3})年\n"
         "ordinal\tblock\t-\t(?<=第)(?<num>[一二三四五六七八九十]+|{NUM})\n"
         "docno\tblock\t-\t(?<=〔)[0-9]{4}(?=〕)\n",
         &l);
    if (l.rc)
        fail_msg("%s:%d: %s", l.err.file, l.err.line, l.err.msg);
    zm_error err = {0};
    if (zm_rules_finish(&l.r, &err))
        fail_msg("finish: %s", err.msg);
    assert_true(l.r.blocks.ncode > 0);
    /* per first byte: digits share one pattern, a byte no rule starts with has none */
    assert_non_null(l.r.blocks.by_byte['2']);
    assert_ptr_equal(l.r.blocks.by_byte['1'], l.r.blocks.by_byte['2']); /* year, ordinal, docno */
    assert_ptr_not_equal(l.r.blocks.by_byte['2'], l.r.blocks.by_byte['7']);  /* no year */
    assert_null(l.r.blocks.by_byte['x']);
    assert_true(l.r.blocks.ncode <= 3);
    size_t end = 0;
    const char *id = block_at(&l.r, "2020年全县新建3所", 0, &end);
    assert_non_null(id);
    assert_string_equal(id, "year");
    assert_int_equal(end, strlen("2020年"));
    const char *s = "第四批24家";
    id = block_at(&l.r, s, strlen("第"), &end);
    assert_non_null(id);
    assert_string_equal(id, "ordinal");
    assert_int_equal(end, strlen("第四"));
    /* 24 is not blocked: anchored, so nothing later in the text counts */
    assert_null(block_at(&l.r, s, strlen("第四批"), &end));
    s = "澧教字〔2020〕1号";
    id = block_at(&l.r, s, strlen("澧教字〔"), &end);
    assert_non_null(id);
    assert_string_equal(id, "docno");
    assert_null(block_at(&l.r, "共有168所", strlen("共有"), &end));
    assert_null(block_at(&l.r, "共有168所", 0, &end));
    zm_rules_free(&l.r);

    /* no block rules at all: nothing to combine */
    load("qty\tmetric\t-\t(?<num>{NUM})所\n", &l);
    assert_int_equal(l.rc, 0);
    assert_int_equal(zm_rules_finish(&l.r, &err), 0);
    assert_int_equal(l.r.blocks.ncode, 0);
    for (int b = 0; b < 256; b++)
        assert_null(l.r.blocks.by_byte[b]);
    zm_rules_free(&l.r);
}

/* UTF + UCP: \s matches an ideographic space, . a whole character */
static void ucp_semantics(void **state)
{
    (void)state;
    loaded l;
    load("sp\tignore\t-\t^a\\sb$\n"
         "dot\tignore\t-\t^.$\n"
         "w\tignore\t-\t^\\w+$\n",
         &l);
    assert_int_equal(l.rc, 0);
    assert_int_equal(match_at(rule(&l.r, "sp"), "a\xE3\x80\x80" "b", 0, NULL), 0); /* U+3000 */
    assert_int_equal(match_at(rule(&l.r, "dot"), "万", 0, NULL), 0);
    assert_int_equal(match_at(rule(&l.r, "w"), "学校abc", 0, NULL), 0);
    zm_rules_free(&l.r);
}

static void expect_error(const char *text, int line, const char *part)
{
    loaded l;
    load(text, &l);
    if (l.rc != ZM_E_DATA || l.err.code != ZM_E_DATA || l.err.line != line || strcmp(l.err.file, l.path) != 0 ||
        !strstr(l.err.msg, part))
        fail_msg("rc %d, %s:%d: %s (expected ZM_E_DATA at %s:%d mentioning '%s')", l.rc, l.err.file, l.err.line,
                 l.err.msg, l.path, line, part);
    zm_rules_free(&l.r);
}

static void bad_regex(void **state)
{
    (void)state;
    expect_error("ok\tmetric\t-\t(?<num>{NUM})所\n"
                 "# comment\n"
                 "\n"
                 "broken\tmetric\t-\t(?<num>{NUM}(所\n",
                 4, "broken");
    expect_error("a\tblock\t-\t[0-9\n", 1, "a");
    expect_error("x\tignore\t-\tabc\nq\ttime\t-\t*oops\n", 2, "q");
    expect_error("u\ttime\t-\t(?<y>[0-9])(?<y>[0-9])\n", 1, "u"); /* duplicate group name */
}

static void wrong_columns(void **state)
{
    (void)state;
    expect_error("ok\tmetric\t-\t(?<num>{NUM})所\n"
                 "short\tmetric\t(?<num>{NUM})所\n",
                 2, "4");
    expect_error("\n\nlong\tmetric\t-\tabc\textra\n", 3, "columns");
    expect_error("justone\n", 1, "columns");
}

static void unknown_macro(void **state)
{
    (void)state;
    expect_error("ok\tmetric\t-\t(?<num>{NUM})所\n"
                 "bad\tmetric\t-\t(?<num>{NOPE})所\n",
                 2, "{NOPE}");
    expect_error("m\tdefine\tBIG\t{NUM}{MISSING_2}\n", 1, "MISSING_2");
    /* a macro is usable only after its definition */
    expect_error("r\tmetric\t-\t{LATER}\n"
                 "m\tdefine\tLATER\tx\n",
                 1, "LATER");
}

static void unknown_action(void **state)
{
    (void)state;
    expect_error("ok\tmetric\t-\tabc\n"
                 "bad\tmatch\t-\tabc\n",
                 2, "match");
}

static void define_overrides(void **state)
{
    (void)state;
    zm_rules r;
    assert_int_equal(zm_rules_init(&r), 0);
    assert_int_equal(zm_rules_define(&r, "U", "所"), 0);
    assert_int_equal(zm_rules_define(&r, "U", "人"), 0);
    assert_int_equal(r.nmacro, 1);
    assert_string_equal(r.macro[0].value, "人");
    char path[64];
    zm_tmpfile("q\tmetric\t-\t[0-9]+{U}\n", path);
    zm_error err = {0};
    int rc = zm_rules_load(&r, path, &err);
    unlink(path);
    assert_int_equal(rc, 0);
    assert_int_equal(match_at(&r.rule[0], "12人", 0, NULL), 0);
    assert_int_equal(match_at(&r.rule[0], "12所", 0, NULL), -1);
    zm_rules_free(&r);
    /* a missing file is an I/O error */
    assert_int_equal(zm_rules_init(&r), 0);
    assert_int_equal(zm_rules_load(&r, "/nonexistent/rules.tsv", &err), ZM_E_IO);
    zm_rules_free(&r);
}

/* The project's rules load in the full model (macros from the tables). */
static void project_rules_load(void **state)
{
    (void)state;
    setenv("ZHMETRICS_CACHE", "", 1); /* no lexicon cache written to $HOME */
    zm_model_options o = {NULL, ""};
    zm_error err = {0};
    zm_model *m = zm_model_load(ZM_DICT_DIR, &o, &err);
    if (!m)
        fail_msg("%s:%d: %s", err.file, err.line, err.msg);
    assert_true(m->rules.n > 10);
    assert_true(m->rules.nby[ZM_ACT_METRIC] > 0);
    assert_true(m->rules.nby[ZM_ACT_BLOCK] > 0);
    assert_true(m->rules.nby[ZM_ACT_TIME] > 0);
    assert_true(m->max_groups >= 2);
    assert_non_null(m->rules.blocks.by_byte['2']); /* block rules combined at load */
    for (int i = 0; i < m->rules.n; i++) {
        assert_non_null(m->rules.rule[i].re);
        assert_true(m->rules.rule[i].line > 0);
        assert_non_null(strstr(m->rules.rule[i].file, "rules.tsv"));
    }
    zm_model_free(m);

    /* a broken user rules file is reported with its own path and line */
    char dir[] = "/tmp/zmtest_dict.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/rules.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# user rules\nmine\tmetric\t-\t(?<num>{NUM})(?<unit>{UNIT}\n", f);
    fclose(f);
    zm_model_options uo = {dir, ""};
    m = zm_model_load(ZM_DICT_DIR, &uo, &err);
    unlink(path);
    rmdir(dir);
    assert_null(m);
    assert_int_equal(err.code, ZM_E_DATA);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "mine"));
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_file_loads),
        cmocka_unit_test(blocks_combined),
        cmocka_unit_test(ucp_semantics),
        cmocka_unit_test(bad_regex),
        cmocka_unit_test(wrong_columns),
        cmocka_unit_test(unknown_macro),
        cmocka_unit_test(unknown_action),
        cmocka_unit_test(define_overrides),
        cmocka_unit_test(project_rules_load),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL) ? 1 : 0;
}
