/* words: cue words and word tables: cue words, units and qualifiers found in text
 * through forward and reversed tries.
 *   - a word of two classes answers to both (mask), others to neither;
 *   - zm_model_cue_at / zm_model_cue_before take the longest cue of the
 *     class, never one that crosses hi / lo, and only whole characters;
 *   - zm_cues_at lists every cue at a position, shortest first;
 *   - zm_model_cue_find finds the first position, and the longest there;
 *   - no limit on how many word lengths a class has (the old hash table
 *     kept 8 per class and silently ignored longer words);
 *   - units: exact text only, a later entry of the same text overrides;
 *   - qualifiers by position; qual_before takes the longest pre qualifier
 *     ending at the figure (reach_only: only `reach` ones); qual_reach the
 *     nearest reach word before hi.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "model.h"

static zm_model *model_of(const char *const *words, const int *cls, int n)
{
    zm_model *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->cues = calloc((size_t)n, sizeof *m->cues);
    assert_non_null(m->cues);
    for (int i = 0; i < n; i++) {
        m->cues[i].text = strdup(words[i]);
        m->cues[i].len = strlen(words[i]);
        m->cues[i].cls = cls[i];
    }
    m->ncues = n;
    assert_int_equal(zm_cues_build(m), 0);
    return m;
}

static void model_done(zm_model *m)
{
    zm_cues_free(m);
    for (int i = 0; i < m->ncues; i++)
        free(m->cues[i].text);
    free(m->cues);
    free(m);
}

static const char *const W[] = {"增长", "增", "同比增长", "力争", "计划", "计划到", "较上年"};
static const int C[] = {ZM_CUE_CHANGE_INC, ZM_CUE_CHANGE_INC, ZM_CUE_COMPARE, ZM_CUE_GOAL, ZM_CUE_GOAL, ZM_CUE_GOAL,
                        ZM_CUE_COMPARE};

static void masks(void **state)
{
    (void)state;
    zm_model *m = model_of(W, C, 7);
    assert_int_equal(zm_model_cue_mask(m, "增长", 6), 1u << ZM_CUE_CHANGE_INC);
    assert_true(zm_model_is_cue(m, ZM_CUE_GOAL, "计划", 6));
    assert_false(zm_model_is_cue(m, ZM_CUE_COMPARE, "计划", 6));
    assert_int_equal(zm_model_cue_mask(m, "同比", 6), 0); /* a prefix only */
    assert_int_equal(zm_model_cue_mask(m, "增长率", 9), 0);
    assert_int_equal(zm_model_cue_mask(m, "", 0), 0);
    model_done(m);

    /* one word in two classes */
    static const char *const w2[] = {"目前", "目前"};
    static const int c2[] = {ZM_CUE_PRESENT, ZM_CUE_ACTUAL};
    m = model_of(w2, c2, 2);
    assert_int_equal(zm_model_cue_mask(m, "目前", 6), 1u << ZM_CUE_PRESENT | 1u << ZM_CUE_ACTUAL);
    model_done(m);
}

static void at_and_before(void **state)
{
    (void)state;
    zm_model *m = model_of(W, C, 7);
    const char *t = "计划到2025年同比增长12%";
    size_t n = strlen(t);
    assert_int_equal(zm_model_cue_at(m, ZM_CUE_GOAL, t, 0, n), 9);  /* 计划到, not 计划 */
    assert_int_equal(zm_model_cue_at(m, ZM_CUE_GOAL, t, 0, 8), 6);  /* 计划到 would cross hi */
    assert_int_equal(zm_model_cue_at(m, ZM_CUE_COMPARE, t, 0, n), 0);
    size_t grow_end = strlen("计划到2025年同比增长");
    assert_int_equal(zm_model_cue_before(m, ZM_CUE_CHANGE_INC, t, 0, grow_end), 6);           /* 增长 */
    assert_int_equal(zm_model_cue_before(m, ZM_CUE_COMPARE, t, 0, grow_end), 12);            /* 同比增长 */
    assert_int_equal(zm_model_cue_before(m, ZM_CUE_COMPARE, t, grow_end - 9, grow_end), 0);  /* lo cuts it */
    assert_int_equal(zm_model_cue_before(m, ZM_CUE_CHANGE_INC, t, 0, grow_end - 1), 0);      /* mid-character */
    zm_lex_hit cm[ZM_LEX_MAX_HITS];
    size_t at = strlen("计划到2025年同比");
    assert_int_equal(zm_cues_at(m, t, at, n, cm), 2);
    assert_int_equal(cm[0].len, 3); /* 增 */
    assert_int_equal(cm[1].len, 6); /* 增长 */
    size_t len = 0;
    assert_int_equal(zm_model_cue_find(m, ZM_CUE_CHANGE_INC, t, 0, n, &len), (long)at);
    assert_int_equal(len, 6);
    assert_int_equal(zm_model_cue_find(m, ZM_CUE_GOAL, t, 3, n, &len), -1);
    model_done(m);
}

static void many_lengths(void **state)
{
    (void)state;
    /* 甲, 甲乙, ..., twelve lengths in one class */
    static const char *const w[] = {"甲", "甲乙", "甲乙丙", "甲乙丙丁", "甲乙丙丁戊", "甲乙丙丁戊己",
                                    "甲乙丙丁戊己庚", "甲乙丙丁戊己庚辛", "甲乙丙丁戊己庚辛壬",
                                    "甲乙丙丁戊己庚辛壬癸", "甲乙丙丁戊己庚辛壬癸子", "甲乙丙丁戊己庚辛壬癸子丑"};
    int c[12];
    for (int i = 0; i < 12; i++)
        c[i] = ZM_CUE_GOAL;
    zm_model *m = model_of(w, c, 12);
    const char *t = w[11];
    assert_int_equal(zm_model_cue_at(m, ZM_CUE_GOAL, t, 0, strlen(t)), strlen(t));
    assert_int_equal(zm_model_cue_before(m, ZM_CUE_GOAL, "甲乙丙丁戊己庚辛壬癸子丑", 0, 3), 3);
    model_done(m);
}

static void word_tables(void **state)
{
    (void)state;
    zm_model *m = calloc(1, sizeof *m);
    assert_non_null(m);
    static zm_unit units[] = {{"万元", 6, 1, "元", 0, -1, 1, 0, "CNY"}, {"元", 3, 1, "元", 0, -1, 1, 0, "CNY"}, {"所", 3, 0, "所", 0, -1, 1, 0, ""},
                              {"万元", 6, 1, "元", 0, -1, 10000, 0, "CNY"}};
    m->units = units;
    m->nunits = 4;
    static zm_word quals[] = {{"不少于", 9, 1, ZM_QP_PRE | ZM_QP_REACH}, {"少于", 6, 2, ZM_QP_PRE},
                              {"约", 3, 3, ZM_QP_PRE}, {"余", 3, 4, ZM_QP_POST}, {"至少", 6, 1, ZM_QP_PRE | ZM_QP_REACH},
                              {"最多", 6, 5, ZM_QP_PRE | ZM_QP_REACH}};
    m->quals = quals;
    m->nquals = 6;
    assert_int_equal(zm_words_build(m), 0);

    assert_ptr_equal(zm_model_unit(m, "万元", 6), &units[3]); /* the later entry */
    assert_ptr_equal(zm_model_unit(m, "元", 3), &units[1]);
    assert_null(zm_model_unit(m, "万", 3));
    assert_null(zm_model_unit(m, "元整", 6));
    assert_int_equal(zm_model_qual(m, ZM_QP_POST, "余", 3), 4);
    assert_int_equal(zm_model_qual(m, ZM_QP_PRE, "余", 3), -1);

    size_t ql;
    const char *t = "学校不少于3所";
    size_t at = strlen("学校不少于");
    assert_int_equal(zm_model_qual_before(m, t, 0, at, 0, &ql), 1); /* 不少于, not 少于 */
    assert_int_equal(ql, 9);
    assert_int_equal(zm_model_qual_before(m, t, at - 6, at, 0, &ql), 2); /* lo leaves only 少于 */
    assert_int_equal(ql, 6);
    assert_int_equal(zm_model_qual_before(m, t, at - 6, at, 1, &ql), -1); /* 少于 does not reach */
    assert_int_equal(ql, 0);

    const char *r = "至少新建学校3所，最多改建2所";
    assert_int_equal(zm_model_qual_reach(m, r, 0, strlen("至少新建学校")), 1);
    assert_int_equal(zm_model_qual_reach(m, r, 0, strlen(r)), 5); /* the nearest: 最多 */
    assert_int_equal(zm_model_qual_reach(m, r, 3, strlen("至少新建学校")), -1); /* 至少 starts before lo */
    zm_words_free(m);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(masks),
        cmocka_unit_test(at_and_before),
        cmocka_unit_test(many_lengths),
        cmocka_unit_test(word_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
