/* numex: exact numeral values.
 *   - zm_numex_parse over the table tests/cases/numex.tsv (Arabic decimals,
 *     Chinese and financial numerals, mixed 1.2万 / 3千万, positional 二〇二〇,
 *     FAIL for 三四 and for numbers too long to hold exactly);
 *   - zm_dec_scale / zm_dec_format / zm_dec_norm / zm_dec_cmp: exact decimal
 *     arithmetic (2644.2375 x 10000 = "26442375", never 26442374.999),
 *     overflow reported as -1;
 *   - zm_numerals_load: the table loads, bad lines give file:line.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include <limits.h>

#include "numex.h"

static zm_numerals g_num;

static int load_numerals(void **state)
{
    (void)state;
    zm_error err = {0};
    memset(&g_num, 0, sizeof g_num);
    if (zm_numerals_load(&g_num, ZM_DICT_DIR "/numerals.tsv", &err) != 0) {
        fprintf(stderr, "numerals.tsv: %s:%d: %s\n", err.file, err.line, err.msg);
        return -1;
    }
    return 0;
}

/* One row of numex.tsv. */
static void numex_case(void **state)
{
    const zm_case *k = *state;
    assert_int_equal(k->nf, 2);
    const char *in = k->f[0], *want = k->f[1];
    zm_dec d = {-77, -77};
    int rc = zm_numex_parse(&g_num, in, strlen(in), &d);
    char got[64] = "FAIL";
    if (rc == 0)
        zm_dec_format(d, got);
    else
        assert_int_equal(rc, -1);
    if (k->bug) {
        ZM_KNOWN_BUG(k, strcmp(got, want) == 0, "%s: expected %s, got %s", in, want, got);
        return;
    }
    if (strcmp(got, want) != 0)
        fail_msg("numex.tsv:%d: '%s' => expected %s, got %s", k->line, in, want, got);
}

/* Parsing looks only at [0, len): trailing bytes beyond len are ignored. */
static void parse_respects_length(void **state)
{
    (void)state;
    zm_dec d;
    const char *s = "1200万元";
    assert_int_equal(zm_numex_parse(&g_num, s, 4, &d), 0);
    char buf[48];
    zm_dec_format(d, buf);
    assert_string_equal(buf, "1200");
    assert_int_equal(zm_numex_parse(&g_num, s, 7, &d), 0); /* 1200万 */
    zm_dec_format(d, buf);
    assert_string_equal(buf, "12000000");
    assert_int_equal(zm_numex_parse(&g_num, s, 0, &d), -1);
    assert_int_equal(zm_numex_parse(&g_num, "", 0, &d), -1);
}

/* The decimal keeps mantissa and scale; the value is never a float. */
static void parse_is_exact_decimal(void **state)
{
    (void)state;
    zm_dec d;
    assert_int_equal(zm_numex_parse(&g_num, "2644.2375", 9, &d), 0);
    assert_int_equal(d.m, 26442375);
    assert_int_equal(d.s, 4);
    assert_int_equal(zm_numex_parse(&g_num, "100.50", 6, &d), 0);
    /* normalised: trailing fraction zeros dropped */
    assert_int_equal(d.m, 1005);
    assert_int_equal(d.s, 1);
    assert_int_equal(zm_numex_parse(&g_num, "一千二百万", strlen("一千二百万"), &d), 0);
    assert_int_equal(d.m, 12000000);
    assert_int_equal(d.s, 0);
}

static void dec_scale_exact(void **state)
{
    (void)state;
    char buf[48];
    zm_dec a = {26442375, 4}; /* 2644.2375 */
    assert_int_equal(zm_dec_scale(&a, 10000), 0);
    zm_dec_format(a, buf);
    assert_string_equal(buf, "26442375");
    assert_string_not_equal(buf, "26442374.999");

    zm_dec b = {38516, 1}; /* 3851.6 x 万 */
    assert_int_equal(zm_dec_scale(&b, 10000), 0);
    zm_dec_format(b, buf);
    assert_string_equal(buf, "38516000");

    zm_dec c = {5, 2}; /* 0.05 x 100 */
    assert_int_equal(zm_dec_scale(&c, 100), 0);
    zm_dec_format(c, buf);
    assert_string_equal(buf, "5");

    zm_dec d = {12345, 3}; /* 12.345 x 10 = 123.45 */
    assert_int_equal(zm_dec_scale(&d, 10), 0);
    zm_dec_format(d, buf);
    assert_string_equal(buf, "123.45");

    zm_dec e = {7, 0}; /* 7 x 1亿 */
    assert_int_equal(zm_dec_scale(&e, 100000000), 0);
    zm_dec_format(e, buf);
    assert_string_equal(buf, "700000000");

    zm_dec f = {3, 0}; /* multiplier that is not a power of ten */
    assert_int_equal(zm_dec_scale(&f, 7), 0);
    zm_dec_format(f, buf);
    assert_string_equal(buf, "21");
}

static void dec_scale_overflow(void **state)
{
    (void)state;
    zm_dec a = {INT64_MAX / 2, 0};
    assert_int_equal(zm_dec_scale(&a, 10), -1);
    zm_dec b = {100000000000000000LL, 0}; /* 1e17 x 1e8 */
    assert_int_equal(zm_dec_scale(&b, 100000000), -1);
    zm_dec c = {-(INT64_MAX / 3), 0};
    assert_int_equal(zm_dec_scale(&c, 1000), -1);
    /* factors of ten absorbed by the scale first: no overflow here */
    zm_dec d = {INT64_MAX / 10 * 10, 8};
    assert_int_equal(zm_dec_scale(&d, 100000000), 0);
    assert_int_equal(d.m, INT64_MAX / 10 * 10);
    assert_int_equal(d.s, 0);
}

static void dec_format_forms(void **state)
{
    (void)state;
    char buf[48];
    zm_dec_format((zm_dec){7968, 2}, buf);
    assert_string_equal(buf, "79.68");
    zm_dec_format((zm_dec){5, 1}, buf);
    assert_string_equal(buf, "0.5");
    zm_dec_format((zm_dec){5, 3}, buf);
    assert_string_equal(buf, "0.005");
    zm_dec_format((zm_dec){1000, 3}, buf); /* 1.000 */
    assert_string_equal(buf, "1");
    zm_dec_format((zm_dec){12300, 2}, buf); /* 123.00 */
    assert_string_equal(buf, "123");
    zm_dec_format((zm_dec){0, 4}, buf);
    assert_string_equal(buf, "0");
    zm_dec_format((zm_dec){0, 0}, buf);
    assert_string_equal(buf, "0");
    zm_dec_format((zm_dec){-15, 1}, buf);
    assert_string_equal(buf, "-1.5");
    zm_dec_format((zm_dec){-5, 1}, buf);
    assert_string_equal(buf, "-0.5");
    zm_dec_format((zm_dec){INT64_MAX, 0}, buf);
    assert_string_equal(buf, "9223372036854775807");
    zm_dec_format((zm_dec){12345678901234567LL, 16}, buf);
    assert_string_equal(buf, "1.2345678901234567");
}

static void dec_norm_and_cmp(void **state)
{
    (void)state;
    zm_dec a = {150, 2};
    zm_dec_norm(&a);
    assert_int_equal(a.m, 15);
    assert_int_equal(a.s, 1);
    zm_dec z = {0, 3};
    zm_dec_norm(&z);
    assert_int_equal(z.m, 0);
    assert_int_equal(z.s, 0);
    zm_dec i = {1500, 0}; /* integers keep their zeros */
    zm_dec_norm(&i);
    assert_int_equal(i.m, 1500);
    assert_int_equal(i.s, 0);

    assert_int_equal(zm_dec_cmp((zm_dec){150, 2}, (zm_dec){15, 1}), 0);
    assert_int_equal(zm_dec_cmp((zm_dec){2, 0}, (zm_dec){199, 2}), 1);
    assert_int_equal(zm_dec_cmp((zm_dec){199, 2}, (zm_dec){2, 0}), -1);
    assert_int_equal(zm_dec_cmp((zm_dec){1, 0}, (zm_dec){2, 0}), -1);
    assert_int_equal(zm_dec_cmp((zm_dec){-1, 0}, (zm_dec){1, 1}), -1);
}

static void numerals_table(void **state)
{
    (void)state;
    /* 两 is a digit 2, 十 a unit, 万 a section: as the table says */
    int ix = zm_numerals_find(&g_num, 0x4E24); /* 两 */
    assert_true(ix >= 0);
    assert_int_equal(g_num.val[ix], 2);
    assert_int_equal(g_num.kind[ix], ZM_NUM_DIGIT);
    ix = zm_numerals_find(&g_num, 0x5341); /* 十 */
    assert_true(ix >= 0);
    assert_int_equal(g_num.kind[ix], ZM_NUM_UNIT);
    ix = zm_numerals_find(&g_num, 0x4E07); /* 万 */
    assert_true(ix >= 0);
    assert_int_equal(g_num.val[ix], 10000);
    assert_int_equal(g_num.kind[ix], ZM_NUM_SECTION);
    assert_true(zm_numerals_is(&g_num, 0x4EBF));  /* 亿 */
    assert_true(zm_numerals_is(&g_num, 0x3007));  /* 〇 */
    assert_false(zm_numerals_is(&g_num, 0x5143)); /* 元 */
    assert_false(zm_numerals_is(&g_num, '5'));
    assert_false(zm_numerals_is(&g_num, -1));
    assert_false(zm_numerals_is(&g_num, 0x1F600));
    assert_int_equal(zm_numerals_find(&g_num, 0x5143), -1);
}

static void numerals_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *msg_part;
    } bad[] = {
        {"# comment\n一\t1\tdigit\n二\t2\n", 3, "3"},
        {"一\t1\tdigit\n\n十\tten\tunit\n", 3, "ten"},
        {"十\t10\tmultiplier\n", 1, "multiplier"},
        {"一二\t12\tdigit\n", 1, "一二"},
        {"一\t-1\tdigit\n", 1, "-1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64];
        zm_tmpfile(bad[i].text, path);
        zm_numerals t;
        memset(&t, 0, sizeof t);
        zm_error err = {0};
        int rc = zm_numerals_load(&t, path, &err);
        unlink(path);
        assert_int_equal(rc, ZM_E_DATA);
        assert_int_equal(err.code, ZM_E_DATA);
        assert_string_equal(err.file, path);
        assert_int_equal(err.line, bad[i].line);
        assert_non_null(strstr(err.msg, bad[i].msg_part));
    }
    zm_numerals t;
    memset(&t, 0, sizeof t);
    zm_error err = {0};
    assert_int_equal(zm_numerals_load(&t, "/nonexistent/numerals.tsv", &err), ZM_E_IO);
}

int main(void)
{
    static const struct CMUnitTest unit[] = {
        cmocka_unit_test(parse_respects_length),
        cmocka_unit_test(parse_is_exact_decimal),
        cmocka_unit_test(dec_scale_exact),
        cmocka_unit_test(dec_scale_overflow),
        cmocka_unit_test(dec_format_forms),
        cmocka_unit_test(dec_norm_and_cmp),
        cmocka_unit_test(numerals_table),
        cmocka_unit_test(numerals_load_errors),
    };
    zm_cases cs;
    zm_cases_load(ZM_SOURCE_DIR "/tests/cases/numex.tsv", &cs);
    int fails = cmocka_run_group_tests_name("numex", unit, load_numerals, NULL);
    fails += _cmocka_run_group_tests("numex.tsv", zm_cases_tests(&cs, numex_case), cs.n,
                                     load_numerals, NULL);
    zm_cases_free(&cs);
    return fails ? 1 : 0;
}
