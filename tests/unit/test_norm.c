/* norm: folding for matching with offsets kept into the original.
 *   - full-width digits and ％ ． － ： ∶ ﹪ fold to ASCII, ideographic and
 *     no-break spaces to ' ';
 *   - the map sends every folded offset (and the end) back into the
 *     original: "入籍率79.68％" => end 15 maps to 17;
 *   - identity (no folds, text unchanged) when nothing folds, including
 *     text full of other full-width punctuation (。，（）);
 *   - a zm_norm reused across runs gives the same answers.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "norm.h"

/* Checks the invariants of any folding of src: the map is increasing, starts
 * at 0, ends at the original length, and unfolded bytes are copied. */
static void check_map(const zm_norm *n, const char *src, size_t len)
{
    assert_int_equal(zm_norm_orig(n, 0), 0);
    assert_int_equal(zm_norm_orig(n, n->len), len);
    assert_int_equal(n->text[n->len], 0);
    for (size_t i = 0; i < n->len; i++) {
        size_t o = zm_norm_orig(n, i);
        assert_true(o < len);
        assert_true(zm_norm_orig(n, i + 1) > o);
        unsigned char c = (unsigned char)n->text[i], oc = (unsigned char)src[o];
        /* ASCII from a multi-byte form was folded; anything else is copied */
        if (!(c < 0x80 && oc >= 0x80))
            assert_int_equal(c, oc);
        /* and back: the folded offset of the character's original start */
        assert_int_equal(zm_norm_from_orig(n, o), i);
    }
}

static void fold_percent_and_map(void **state)
{
    (void)state;
    zm_norm n = {0};
    const char *s = "入籍率79.68％";
    size_t len = strlen(s);
    assert_int_equal(len, 17);
    assert_int_equal(zm_norm_run(&n, s, len), 0);
    assert_string_equal(n.text, "入籍率79.68%");
    assert_int_equal(n.len, 15);
    assert_true(n.nfold > 0);
    assert_int_equal(zm_norm_orig(&n, 9), 9);   /* '7' */
    assert_int_equal(zm_norm_orig(&n, 13), 13); /* '8' */
    assert_int_equal(zm_norm_orig(&n, 14), 14); /* '%' <- ％ */
    assert_int_equal(zm_norm_orig(&n, 15), 17); /* end -> original end */
    check_map(&n, s, len);
    zm_norm_free(&n);
}

static void fold_fullwidth_digits(void **state)
{
    (void)state;
    zm_norm n = {0};
    const char *s = "１２３万元";
    size_t len = strlen(s);
    assert_int_equal(zm_norm_run(&n, s, len), 0);
    assert_string_equal(n.text, "123万元");
    assert_int_equal(n.len, 9);
    assert_int_equal(zm_norm_orig(&n, 0), 0);
    assert_int_equal(zm_norm_orig(&n, 1), 3);
    assert_int_equal(zm_norm_orig(&n, 2), 6);
    assert_int_equal(zm_norm_orig(&n, 3), 9);  /* 万 */
    assert_int_equal(zm_norm_orig(&n, 6), 12); /* 元 */
    assert_int_equal(zm_norm_orig(&n, 9), 15);
    check_map(&n, s, len);

    /* all ten digits */
    const char *d = "０１２３４５６７８９";
    assert_int_equal(zm_norm_run(&n, d, strlen(d)), 0);
    assert_string_equal(n.text, "0123456789");
    check_map(&n, d, strlen(d));
    zm_norm_free(&n);
}

static void fold_punctuation(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"１．５万", "1.5万"},
        {"1－2项", "1-2项"},
        {"比例为1：19.85", "比例为1:19.85"},
        {"比例为1∶19.85", "比例为1:19.85"},
        {"达到80﹪", "达到80%"},
        {"共有\xE3\x80\x80" "12所", "共有 12所"},   /* U+3000 */
        {"共有\xC2\xA0" "12所", "共有 12所"},       /* U+00A0 */
        {"１－２项，占３０％。", "1-2项，占30%。"}, /* ，and 。stay */
    };
    zm_norm n = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].in);
        assert_int_equal(zm_norm_run(&n, cases[i].in, len), 0);
        if (strcmp(n.text, cases[i].out) != 0)
            fail_msg("'%s' => expected '%s', got '%s'", cases[i].in, cases[i].out, n.text);
        assert_int_equal(n.len, strlen(cases[i].out));
        assert_true(n.nfold > 0);
        check_map(&n, cases[i].in, len);
    }
    zm_norm_free(&n);
}

/* A span found in the folded text maps back to the same characters. */
static void span_maps_back(void **state)
{
    (void)state;
    zm_norm n = {0};
    const char *s = "合格率为９５．５％，共１２所。";
    size_t len = strlen(s);
    assert_int_equal(zm_norm_run(&n, s, len), 0);
    const char *hit = strstr(n.text, "95.5%");
    assert_non_null(hit);
    size_t a = (size_t)(hit - n.text), b = a + 5;
    size_t oa = zm_norm_orig(&n, a), ob = zm_norm_orig(&n, b);
    assert_int_equal(ob - oa, strlen("９５．５％"));
    assert_memory_equal(s + oa, "９５．５％", ob - oa);
    hit = strstr(n.text, "12所");
    assert_non_null(hit);
    a = (size_t)(hit - n.text);
    b = a + strlen("12所");
    oa = zm_norm_orig(&n, a);
    ob = zm_norm_orig(&n, b);
    assert_memory_equal(s + oa, "１２所", ob - oa);
    assert_int_equal(ob - oa, strlen("１２所"));
    zm_norm_free(&n);
}

static void identity_when_nothing_folds(void **state)
{
    (void)state;
    static const char *const same[] = {
        "共有168所学校",
        "",
        "（一）加强领导。“两不愁三保障”，85%以上",
        "2019年12月31日\n某县教育局",
        "\xE3\x80\x82\xE3\x80\x81", /* 。、 share E3 lead byte with U+3000 */
        "\xC2\xB7",                 /* · shares C2 with U+00A0 */
        "\xEF\xBC\x8C",             /* ， shares EF with full-width forms */
        "\xE2\x80\x94",             /* — shares E2 with ∶ */
    };
    zm_norm n = {0};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        size_t len = strlen(same[i]);
        assert_int_equal(zm_norm_run(&n, same[i], len), 0);
        assert_int_equal(n.nfold, 0);
        assert_int_equal(n.len, len);
        assert_string_equal(n.text, same[i]);
        assert_int_equal(zm_norm_orig(&n, len), len);
        if (len > 3)
            assert_int_equal(zm_norm_orig(&n, 3), 3);
    }
    zm_norm_free(&n);
}

static void reuse_across_runs(void **state)
{
    (void)state;
    zm_norm n = {0};
    const char *a = "１２３４５６７８９０万元以上的投入";
    assert_int_equal(zm_norm_run(&n, a, strlen(a)), 0);
    assert_true(n.nfold > 0);
    assert_string_equal(n.text, "1234567890万元以上的投入");
    /* shorter text with nothing to fold: map must go back to identity */
    assert_int_equal(zm_norm_run(&n, "共12所", strlen("共12所")), 0);
    assert_int_equal(n.nfold, 0);
    assert_string_equal(n.text, "共12所");
    assert_int_equal(n.len, strlen("共12所"));
    /* and folding again works on the reused buffers */
    assert_int_equal(zm_norm_run(&n, "７％", strlen("７％")), 0);
    assert_string_equal(n.text, "7%");
    assert_int_equal(zm_norm_orig(&n, 1), 3);
    assert_int_equal(zm_norm_orig(&n, 2), 6);
    zm_norm_free(&n);
    assert_null(n.text);
    zm_norm_free(&n); /* freeing twice after the reset is harmless */
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(fold_percent_and_map),
        cmocka_unit_test(fold_fullwidth_digits),
        cmocka_unit_test(fold_punctuation),
        cmocka_unit_test(span_maps_back),
        cmocka_unit_test(identity_when_nothing_folds),
        cmocka_unit_test(reuse_across_runs),
    };
    return cmocka_run_group_tests_name("norm", tests, NULL, NULL) ? 1 : 0;
}
