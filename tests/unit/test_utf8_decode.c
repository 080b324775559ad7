/* utf8 + decode: reading raw bytes as text.
 *   - zm_utf8_next on valid 1-4 byte sequences, overlong forms, surrogates,
 *     code points above U+10FFFF, truncated and broken sequences (cp -1,
 *     one byte consumed); zm_utf8_check / _encode / _count;
 *   - zm_decode: UTF-8, UTF-8 with BOM (dropped), UTF-16LE/BE with BOM,
 *     GB18030 (国家教育), NUL bytes (message names NUL and the file offset),
 *     bytes that are neither UTF-8 nor GB18030.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include "decode.h"
#include "utf8.h"

/* Decodes one sequence of n bytes; returns the length consumed. */
static int next(const char *s, size_t n, int *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    return zm_utf8_next(u, u + n, cp);
}

static void utf8_next_valid(void **state)
{
    (void)state;
    int cp = -2;
    assert_int_equal(next("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(next("\x7F", 1, &cp), 1);
    assert_int_equal(cp, 0x7F);
    assert_int_equal(next("\xC3\xA9", 2, &cp), 2); /* é */
    assert_int_equal(cp, 0xE9);
    assert_int_equal(next("\xC2\x80", 2, &cp), 2); /* smallest 2-byte */
    assert_int_equal(cp, 0x80);
    assert_int_equal(next("万元", 6, &cp), 3);
    assert_int_equal(cp, 0x4E07);
    assert_int_equal(next("\xE0\xA0\x80", 3, &cp), 3); /* smallest 3-byte */
    assert_int_equal(cp, 0x800);
    assert_int_equal(next("\xEF\xBC\x85", 3, &cp), 3); /* ％ */
    assert_int_equal(cp, 0xFF05);
    assert_int_equal(next("\xEF\xBF\xBF", 3, &cp), 3);
    assert_int_equal(cp, 0xFFFF);
    assert_int_equal(next("\xED\x9F\xBF", 3, &cp), 3); /* just below surrogates */
    assert_int_equal(cp, 0xD7FF);
    assert_int_equal(next("\xEE\x80\x80", 3, &cp), 3); /* just above */
    assert_int_equal(cp, 0xE000);
    assert_int_equal(next("\xF0\x9F\x98\x80", 4, &cp), 4); /* 😀 */
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(next("\xF0\x90\x80\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x10000);
    assert_int_equal(next("\xF4\x8F\xBF\xBF", 4, &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
}

static void utf8_next_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        const char *why;
    } bad[] = {
        {"\xC0\x80", 2, "overlong NUL"},
        {"\xC1\xBF", 2, "overlong 2-byte"},
        {"\xE0\x80\x80", 3, "overlong 3-byte"},
        {"\xE0\x9F\xBF", 3, "overlong 3-byte (U+07FF)"},
        {"\xF0\x80\x80\x80", 4, "overlong 4-byte"},
        {"\xF0\x8F\xBF\xBF", 4, "overlong 4-byte (U+FFFF)"},
        {"\xED\xA0\x80", 3, "surrogate U+D800"},
        {"\xED\xBF\xBF", 3, "surrogate U+DFFF"},
        {"\xF4\x90\x80\x80", 4, "above U+10FFFF"},
        {"\xF5\x80\x80\x80", 4, "lead byte F5"},
        {"\xFF", 1, "byte FF"},
        {"\x80", 1, "lone continuation"},
        {"\xBF\x80", 2, "continuation first"},
        {"\xE4\xB8", 2, "truncated 3-byte"},
        {"\xE4", 1, "lead byte only"},
        {"\xF0\x9F\x98", 3, "truncated 4-byte"},
        {"\xC3", 1, "truncated 2-byte"},
        {"\xE4\x41\x42", 3, "ASCII as continuation"},
        {"\xE4\xB8\x41", 3, "bad third byte"},
        {"\xC3\xC3\xA9", 3, "lead as continuation"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int cp = 0;
        int n = next(bad[i].s, bad[i].n, &cp);
        if (cp != -1 || n != 1)
            fail_msg("%s: expected (1, -1), got (%d, %d)", bad[i].why, n, cp);
    }
    /* the decoder never reads past end: a valid sequence cut by end */
    const char *wan = "万";
    int cp = 0;
    assert_int_equal(next(wan, 2, &cp), 1);
    assert_int_equal(cp, -1);
}

static void utf8_check_encode_count(void **state)
{
    (void)state;
    assert_int_equal(zm_utf8_check("国家ab", 8), 8);
    assert_int_equal(zm_utf8_check("", 0), 0);
    assert_int_equal(zm_utf8_check("ab\xC0\x80", 4), 2);
    assert_int_equal(zm_utf8_check("国\xED\xA0\x80", 6), 3);
    assert_int_equal(zm_utf8_check("国家\xE5\x9B", 8), 6); /* truncated at end */

    static const int cps[] = {0x41, 0xE9, 0x7FF, 0x800, 0x4E07, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
    static const int lens[] = {1, 2, 2, 3, 3, 3, 4, 4, 4};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        int n = zm_utf8_encode(cps[i], buf);
        assert_int_equal(n, lens[i]);
        int back = -2;
        assert_int_equal(next(buf, (size_t)n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char buf[4];
    assert_int_equal(zm_utf8_encode(0x4E07, buf), 3);
    assert_memory_equal(buf, "万", 3);

    assert_int_equal(zm_utf8_count("国家ab", 8), 4);
    assert_int_equal(zm_utf8_count("", 0), 0);
    assert_int_equal(zm_utf8_count("79.68％", 8), 6);
    /* eight bytes at a time, with a tail: agrees with counting one by one */
    const char *mix = "二〇二一年3月，全县98.5%的学校（含民办）完成改造ok";
    for (size_t n = 0; n <= strlen(mix); n++) {
        size_t slow = 0;
        for (size_t i = 0; i < n; i++)
            slow += ((unsigned char)mix[i] & 0xC0) != 0x80;
        assert_int_equal(zm_utf8_count(mix, n), slow);
    }
}

/* zm_utf8_next's three-byte short path and zm_utf8_check agree with the
 * definition (two continuation bytes, U+0800 or above, no surrogate) on
 * every sequence led by E0-EF, followed by ASCII */
static void utf8_check_three_bytes(void **state)
{
    (void)state;
    unsigned char b[4] = {0, 0, 0, 'a'};
    for (unsigned b0 = 0xE0; b0 <= 0xEF; b0++)
        for (unsigned b1 = 0; b1 < 256; b1++)
            for (unsigned b2 = 0; b2 < 256; b2++) {
                b[0] = (unsigned char)b0, b[1] = (unsigned char)b1, b[2] = (unsigned char)b2;
                unsigned v = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F);
                int valid = (b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80 && v >= 0x800 && !(v >= 0xD800 && v <= 0xDFFF);
                int cp;
                int n = zm_utf8_next(b, b + 4, &cp);
                if (valid ? n != 3 || cp != (int)v : cp >= 0)
                    fail_msg("%02X %02X %02X: next %d cp %d, want %s", b0, b1, b2, n, cp, valid ? "valid" : "invalid");
                size_t want = valid ? 4 : 0; /* a valid three-byte char, then 'a' */
                if (zm_utf8_check((const char *)b, 4) != want)
                    fail_msg("%02X %02X %02X: check %zu, want %zu", b0, b1, b2, zm_utf8_check((const char *)b, 4), want);
            }
}

/* zm_cplead_may: every member passes, whatever follows an ASCII one; a
 * character whose first two bytes no member has does not. */
static void cplead_filter(void **state)
{
    (void)state;
    static uint8_t set[ZM_CPSET_BYTES], lead[ZM_CPSET_BYTES];
    const char *members = "3年本é";
    for (const char *p = members; *p;) {
        int cp, n = zm_utf8_next((const unsigned char *)p, (const unsigned char *)p + strlen(p), &cp);
        zm_cpset_add(set, cp);
        p += n;
    }
    zm_cplead_of(lead, set);
    for (int cp = 0; cp < 65536; cp++) {
        if (!zm_cpset_has(set, cp))
            continue;
        unsigned char b[5] = {0};
        zm_utf8_encode(cp, (char *)b);
        assert_true(zm_cplead_may(lead, b));
    }
    assert_true(zm_cplead_may(lead, (const unsigned char *)"3x"));
    assert_true(zm_cplead_may(lead, (const unsigned char *)"3"));
    assert_false(zm_cplead_may(lead, (const unsigned char *)"4"));
    assert_false(zm_cplead_may(lead, (const unsigned char *)"学"));  /* E5 AD: no member starts so */
    assert_true(zm_cplead_may(lead, (const unsigned char *)"幸"));   /* E5 B9, as 年: a maybe */
    assert_false(zm_cplead_may(lead, (const unsigned char *)"è")); /* C3 A8; é is C3 A9 */
}

/* --- zm_decode ------------------------------------------------------ */

typedef struct decoded {
    int rc;
    zm_buf out;
    const char *enc;
    char msg[256];
} decoded;

static void decode(const char *bytes, size_t len, decoded *d)
{
    memset(d, 0, sizeof *d);
    d->enc = "(unset)";
    d->rc = zm_decode(bytes, len, &d->out, &d->enc, d->msg, sizeof d->msg);
}

static void decode_utf8(void **state)
{
    (void)state;
    decoded d;
    const char *s = "共有168所学校";
    decode(s, strlen(s), &d);
    assert_int_equal(d.rc, 0);
    assert_string_equal(d.enc, "utf-8");
    assert_int_equal(d.out.len, strlen(s));
    assert_memory_equal(d.out.data, s, strlen(s));
    assert_int_equal(d.out.data[d.out.len], 0);
    zm_buf_free(&d.out);

    decode("", 0, &d);
    assert_int_equal(d.rc, 0);
    assert_string_equal(d.enc, "utf-8");
    assert_int_equal(d.out.len, 0);
    zm_buf_free(&d.out);
}

static void decode_utf8_bom(void **state)
{
    (void)state;
    decoded d;
    const char s[] = "\xEF\xBB\xBF国家教育";
    decode(s, sizeof s - 1, &d);
    assert_int_equal(d.rc, 0);
    assert_string_equal(d.enc, "utf-8-bom");
    assert_int_equal(d.out.len, 12);
    assert_memory_equal(d.out.data, "国家教育", 12);
    zm_buf_free(&d.out);

    /* only the BOM: empty text */
    decode(s, 3, &d);
    assert_int_equal(d.rc, 0);
    assert_string_equal(d.enc, "utf-8-bom");
    assert_int_equal(d.out.len, 0);
    zm_buf_free(&d.out);
}

static void decode_utf16(void **state)
{
    (void)state;
    /* 国家教育12 : U+56FD U+5BB6 U+6559 U+80B2 '1' '2' */
    static const char le[] = "\xFF\xFE\xFD\x56\xB6\x5B\x59\x65\xB2\x80\x31\x00\x32\x00";
    static const char be[] = "\xFE\xFF\x56\xFD\x5B\xB6\x65\x59\x80\xB2\x00\x31\x00\x32";
    decoded d;
    decode(le, sizeof le - 1, &d);
    assert_int_equal(d.rc, 0);
    assert_string_equal(d.enc, "utf-16le");
    assert_int_equal(d.out.len, 14);
    assert_memory_equal(d.out.data, "国家教育12", 14);
    zm_buf_free(&d.out);

    decode(be, sizeof be - 1, &d);
    assert_int_equal(d.rc, 0);
    assert_string_equal(d.enc, "utf-16be");
    assert_int_equal(d.out.len, 14);
    assert_memory_equal(d.out.data, "国家教育12", 14);
    zm_buf_free(&d.out);

    /* a supplementary character as a surrogate pair: U+1F600 */
    static const char pair[] = "\xFF\xFE\x3D\xD8\x00\xDE";
    decode(pair, sizeof pair - 1, &d);
    assert_int_equal(d.rc, 0);
    assert_int_equal(d.out.len, 4);
    assert_memory_equal(d.out.data, "\xF0\x9F\x98\x80", 4);
    zm_buf_free(&d.out);

    /* odd length: the last code unit is cut */
    decode(le, sizeof le - 2, &d);
    assert_int_equal(d.rc, ZM_E_INPUT);
    assert_non_null(strstr(d.msg, "UTF-16"));
    zm_buf_free(&d.out);

    /* a lone low surrogate */
    static const char lone[] = "\xFF\xFE\x31\x00\x00\xDC\x32\x00";
    decode(lone, sizeof lone - 1, &d);
    assert_int_equal(d.rc, ZM_E_INPUT);
    assert_non_null(strstr(d.msg, "not text"));
    zm_buf_free(&d.out);

    /* U+0000 inside UTF-16 is a NUL character too */
    static const char nul[] = "\xFF\xFE\x31\x00\x00\x00\x32\x00";
    decode(nul, sizeof nul - 1, &d);
    assert_int_equal(d.rc, ZM_E_INPUT);
    assert_non_null(strstr(d.msg, "NUL"));
    zm_buf_free(&d.out);
}

static void decode_gb18030(void **state)
{
    (void)state;
    static const char gb[] = "\xB9\xFA\xBC\xD2\xBD\xCC\xD3\xFD"; /* 国家教育 */
    decoded d;
    decode(gb, sizeof gb - 1, &d);
    assert_int_equal(d.rc, 0);
    assert_string_equal(d.enc, "gb18030");
    assert_int_equal(d.out.len, 12);
    assert_memory_equal(d.out.data, "国家教育", 12);
    assert_int_equal(d.out.data[12], 0);
    zm_buf_free(&d.out);

    /* mixed with ASCII: 共168所 */
    static const char gb2[] = "\xB9\xB2" "168" "\xCB\xF9";
    decode(gb2, sizeof gb2 - 1, &d);
    assert_int_equal(d.rc, 0);
    assert_string_equal(d.enc, "gb18030");
    assert_string_equal(d.out.data, "共168所");
    zm_buf_free(&d.out);
}

static void decode_nul_byte(void **state)
{
    (void)state;
    decoded d;
    decode("ab\0cd", 5, &d);
    assert_int_equal(d.rc, ZM_E_INPUT);
    assert_non_null(strstr(d.msg, "NUL"));
    assert_non_null(strstr(d.msg, "offset 2"));
    zm_buf_free(&d.out);

    /* the offset is into the file, BOM included */
    decode("\xEF\xBB\xBF" "abcdefghijklmn\0", 18, &d);
    assert_int_equal(d.rc, ZM_E_INPUT);
    assert_non_null(strstr(d.msg, "NUL"));
    assert_non_null(strstr(d.msg, "offset 17"));
    zm_buf_free(&d.out);

    /* a NUL at offset 0 */
    decode("\0abc", 4, &d);
    assert_int_equal(d.rc, ZM_E_INPUT);
    assert_non_null(strstr(d.msg, "offset 0"));
    zm_buf_free(&d.out);
}

static void decode_not_text(void **state)
{
    (void)state;
    decoded d;
    /* FF is neither a UTF-8 byte nor a GB18030 lead byte */
    decode("ab\xFF\xFF" "cd", 6, &d);
    assert_int_equal(d.rc, ZM_E_INPUT);
    assert_non_null(strstr(d.msg, "not text"));
    assert_non_null(strstr(d.msg, "UTF-8"));
    assert_non_null(strstr(d.msg, "offset 2"));
    assert_non_null(strstr(d.msg, "GB18030"));
    zm_buf_free(&d.out);

    /* 0x80 is not a GB18030 lead byte either */
    decode("a\x80" "b", 3, &d);
    assert_int_equal(d.rc, ZM_E_INPUT);
    assert_non_null(strstr(d.msg, "not text"));
    zm_buf_free(&d.out);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_next_valid),
        cmocka_unit_test(utf8_next_invalid),
        cmocka_unit_test(utf8_check_encode_count),
        cmocka_unit_test(cplead_filter),
        cmocka_unit_test(utf8_check_three_bytes),
        cmocka_unit_test(decode_utf8),
        cmocka_unit_test(decode_utf8_bom),
        cmocka_unit_test(decode_utf16),
        cmocka_unit_test(decode_gb18030),
        cmocka_unit_test(decode_nul_byte),
        cmocka_unit_test(decode_not_text),
    };
    return cmocka_run_group_tests_name("utf8_decode", tests, NULL, NULL) ? 1 : 0;
}
