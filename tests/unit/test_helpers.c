/* The shared helpers of util.c and utf8.c that replaced per-file copies:
 *   - zm_punct_class / zm_punct_at: every mark of the table in both forms
 *     (code point and bytes), the marks left out ('.', ．, quotes), a
 *     character cut by the bound, a lead pair whose third byte is not a
 *     continuation (E3 80 2C is no comma), a NUL-ended text;
 *   - the class sets the scans use (sentence ends, clause separators);
 *   - zm_grow: doubling from `first`, a jump past the capacity (a whole
 *     text reserved at once), an overflowing request refused.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "utf8.h"
#include "util.h"

static const struct {
    const char *s;
    int cp;
    unsigned cls;
} marks[] = {
    {"，", 0xFF0C, ZM_PU_COMMA}, {",", ',', ZM_PU_COMMA}, {"；", 0xFF1B, ZM_PU_SEMI}, {";", ';', ZM_PU_SEMI},
    {"：", 0xFF1A, ZM_PU_COLON}, {":", ':', ZM_PU_COLON}, {"、", 0x3001, ZM_PU_ENUM}, {"。", 0x3002, ZM_PU_STOP},
    {"（", 0xFF08, ZM_PU_OPEN},  {"(", '(', ZM_PU_OPEN},  {"）", 0xFF09, ZM_PU_CLOSE}, {")", ')', ZM_PU_CLOSE},
    {"！", 0xFF01, ZM_PU_EXCL},  {"!", '!', ZM_PU_EXCL},  {"？", 0xFF1F, ZM_PU_QUEST}, {"?", '?', ZM_PU_QUEST},
};

static void punct_marks(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *s = marks[i].s;
        size_t n = strlen(s), len = 0;
        int cp;
        zm_utf8_next((const unsigned char *)s, (const unsigned char *)s + n, &cp);
        assert_int_equal(cp, marks[i].cp);
        assert_int_equal(zm_punct_class(cp), marks[i].cls);
        assert_int_equal(zm_punct_at(s, 0, n, &len), marks[i].cls);
        assert_int_equal(len, n);
    }
}

static void punct_others(void **state)
{
    (void)state;
    size_t len = 99;
    /* not punctuation here: '.', ．(folded to '.'), quotes, letters, CJK */
    static const char *const none[] = {".", "．", "“", "”", "《", "》", "a", "0", "万", "\xE3\x80\x80" /* ideographic space */};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        int cp;
        zm_utf8_next((const unsigned char *)none[i], (const unsigned char *)none[i] + strlen(none[i]), &cp);
        assert_int_equal(zm_punct_class(cp), 0);
        assert_int_equal(zm_punct_at(none[i], 0, strlen(none[i]), &len), 0);
    }
    assert_int_equal(zm_punct_class(-1), 0);
    assert_int_equal(zm_punct_class(0x10FFFF), 0);
    /* a full-width comma cut by the bound, or by the text's NUL */
    assert_int_equal(zm_punct_at("，", 0, 2, &len), 0);
    assert_int_equal(zm_punct_at("\xEF\xBC", 0, 3, &len), 0);
    /* E3 80 followed by an ASCII comma: the comma is its own character */
    static const char broken[] = "\xE3\x80,";
    assert_int_equal(zm_punct_at(broken, 0, 3, &len), 0);
    assert_int_equal(zm_punct_at(broken, 2, 3, &len), ZM_PU_COMMA);
    assert_int_equal(len, 1);
    /* at an offset inside a text */
    static const char t[] = "投资2269万元，其中";
    size_t at = strlen("投资2269万元");
    assert_int_equal(zm_punct_at(t, at, strlen(t), &len), ZM_PU_COMMA);
    assert_int_equal(len, 3);
}

static void punct_sets(void **state)
{
    (void)state;
    /* sentence ends: 。！？；!?; and not ，、：() */
    static const char *const ends[] = {"。", "！", "？", "；", "!", "?", ";"};
    static const char *const not_ends[] = {"，", "、", "：", "（", "）", ",", ":", "(", ")"};
    size_t len;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        assert_true(zm_punct_at(ends[i], 0, strlen(ends[i]), &len) & ZM_PU_SENTENCE_END);
    for (size_t i = 0; i < sizeof not_ends / sizeof *not_ends; i++)
        assert_false(zm_punct_at(not_ends[i], 0, strlen(not_ends[i]), &len) & ZM_PU_SENTENCE_END);
    /* every mark separates clauses */
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        assert_true(marks[i].cls & ZM_PU_CLAUSE_SEP);
}

static void grow_helper(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 100; n++) {
        assert_int_equal(zm_grow((void **)&a, n, &cap, sizeof *a, 16), 0);
        assert_true(cap > n);
        a[n] = (int)n;
    }
    assert_int_equal(cap, 128); /* 16, 32, 64, 128 */
    for (int i = 0; i < 100; i++)
        assert_int_equal(a[i], i);
    /* a jump past the capacity: room for element 1000 at once */
    assert_int_equal(zm_grow((void **)&a, 1000, &cap, sizeof *a, 16), 0);
    assert_true(cap >= 1001);
    a[1000] = 7;
    assert_int_equal(a[99], 99);
    /* a request whose byte size overflows: refused, the array kept */
    size_t before = cap;
    assert_int_equal(zm_grow((void **)&a, SIZE_MAX / 2, &cap, sizeof *a, 16), ZM_E_NOMEM);
    assert_int_equal(cap, before);
    assert_int_equal(a[1000], 7);
    free(a);
    /* a first reserve gets exactly what it asks when `first` is that */
    char *t = NULL;
    cap = 0;
    assert_int_equal(zm_grow((void **)&t, 4096, &cap, 1, 4097), 0);
    assert_int_equal(cap, 4097);
    free(t);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(punct_marks),
        cmocka_unit_test(punct_others),
        cmocka_unit_test(punct_sets),
        cmocka_unit_test(grow_helper),
    };
    return cmocka_run_group_tests_name("helpers", tests, NULL, NULL) ? 1 : 0;
}
