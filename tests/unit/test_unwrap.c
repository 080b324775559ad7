/* unwrap: line breaks of a paragraph wrapped at the page width (text
 * converted from PDF) are found and dropped for matching.
 *   - a document whose lines share one width: the breaks inside sentences
 *     are found, not those after 。, before a heading or list number
 *     (一、 （二） 3.), before an indented line or in a table;
 *   - a wrapped decimal point or ratio colon (79. / 68%, 1: / 13.5) joins;
 *   - lines that are paragraphs (Word, HTML) give none;
 *   - norm drops them with a map that still sends every offset back, and
 *     zm_unwrap_before counts the breaks before an original offset.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "norm.h"
#include "unwrap.h"

/* A wrapped page: 21 Chinese characters a line (42 columns). */
static const char *page =
    "一、基本情况\n"                                       /* 0: heading */
    "全县共有各级各类学校一百二十八所，在校学生\n"             /* 1: joins */
    "五万六千三百二十一人，专任教师四千一百二十三\n"           /* 2: joins */
    "人。全年投入教育经费三点二亿元，其中义务教育\n"           /* 3: joins */
    "经费二点一亿元，学前三年毛入园率达到九十二点\n"           /* 4: joins */
    "五。义务教育巩固率达到九十八点六，比上年提高。\n"         /* 5: ends a sentence */
    "（二）新建校舍面积二点三万平方米，完成投资八千\n"         /* 6: joins? no: next is a list number */
    "3.完成了全年的各项工作任务，全面提升了办学水平\n"        /* 7: next line indented */
    "  全县小学师生比为一比十七，初中师生比为一比十\n"         /* 8: joins */
    "一，入籍率为七十九点六八，各项指标均已达到标准\n";        /* 9: last line */

static size_t line_end(const char *s, int k)
{
    const char *p = s;
    for (int i = 0; i <= k; i++)
        p = strchr(p, '\n') + (i < k);
    return (size_t)(p - s);
}

static void finds_wrapping_breaks(void **state)
{
    (void)state;
    zm_unwrap u = {0};
    assert_int_equal(zm_unwrap_find(&u, page, strlen(page)), 0);
    size_t want[] = {line_end(page, 1), line_end(page, 2), line_end(page, 3), line_end(page, 4), line_end(page, 8)};
    assert_int_equal(u.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < u.n; i++)
        assert_int_equal(u.at[i], want[i]);
    assert_int_equal(zm_unwrap_before(&u, 0), 0);
    assert_int_equal(zm_unwrap_before(&u, line_end(page, 1)), 0);
    assert_int_equal(zm_unwrap_before(&u, line_end(page, 1) + 1), 1);
    assert_int_equal(zm_unwrap_before(&u, strlen(page)), 5);
    zm_unwrap_free(&u);
}

static void decimal_point_and_colon_join(void **state)
{
    (void)state;
    const char *s =
        "摸底登记适龄残疾儿童少年共二百五十一人，已入籍二百人，入籍率79.\n"
        "68％。按照一人一案分类实施原则为适龄残疾儿童送教上门，共计完成\n"
        "一百二十次送教任务，累计行程达到三千余公里，全县小学师生比为1:\n"
        "13.5，初中师生比为一比十一，全县各项指标均达到省定标准要求。\n"
        "全县中小学校舍建筑面积达到一百二十四万平方米，生均面积达到十二\n";
    zm_unwrap u = {0};
    assert_int_equal(zm_unwrap_find(&u, s, strlen(s)), 0);
    assert_int_equal(u.n, 3);
    assert_int_equal(u.at[0], line_end(s, 0));
    assert_int_equal(u.at[1], line_end(s, 1));
    assert_int_equal(u.at[2], line_end(s, 2));
    zm_unwrap_free(&u);
}

static void paragraphs_are_left_alone(void **state)
{
    (void)state;
    const char *s =
        "2020年上半年，全县教育工作坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大精神\n"
        "一是疫情期间局党委第一时间组织县教育局机关全体干部职工下沉一线\n"
        "三支驻村尖刀班队伍及时进村开展工作，积极配合村支两委加强村里疫情防控工作，取得了良好成效，受到群众好评\n"
        "二是选派一名党员干部入驻社区治理尖刀班\n"
        "全县共有学校128所\n";
    zm_unwrap u = {0};
    assert_int_equal(zm_unwrap_find(&u, s, strlen(s)), 0);
    assert_int_equal(u.n, 0);
    assert_int_equal(zm_unwrap_find(&u, "", 0), 0);
    assert_int_equal(u.n, 0);
    zm_unwrap_free(&u);
}

static void norm_drops_them(void **state)
{
    (void)state;
    const char *s = "专任教师\r\n4123人，达到９２％\n完成";
    uint32_t drop[] = {12, 39};
    zm_norm n = {0};
    assert_int_equal(zm_norm_run_drop(&n, s, strlen(s), drop, 2), 0);
    assert_string_equal(n.text, "专任教师4123人，达到92%完成");
    /* every offset maps back, increasing, and back again */
    for (size_t i = 0; i < n.len; i++) {
        size_t o = zm_norm_orig(&n, i);
        assert_true(zm_norm_orig(&n, i + 1) > o);
        assert_int_equal(zm_norm_from_orig(&n, o), i);
    }
    assert_int_equal(zm_norm_orig(&n, 12), 14); /* '4' after "\r\n" */
    assert_int_equal(zm_norm_orig(&n, n.len), strlen(s));
    /* a drop that is no line break, or out of order, is ignored */
    uint32_t bad[] = {3, 12, 5};
    assert_int_equal(zm_norm_run_drop(&n, s, strlen(s), bad, 3), 0);
    assert_string_equal(n.text, "专任教师4123人，达到92%\n完成");
    zm_norm_free(&n);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_wrapping_breaks),
        cmocka_unit_test(decimal_point_and_colon_join),
        cmocka_unit_test(paragraphs_are_left_alone),
        cmocka_unit_test(norm_drops_them),
    };
    return cmocka_run_group_tests_name("unwrap", tests, NULL, NULL) ? 1 : 0;
}
