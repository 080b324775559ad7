/* Fuzz target: exact numeral values (src/numex.c) with the table of
 * dict/numerals.tsv.
 *   "2644.2375万" => 26442375     "三千五百万" => 35000000
 * Checks, for every input the parser accepts: the value is negative only
 * when the input starts with a sign (- or 负, SPEC 6), formats as a plain
 * decimal (with its sign) that fits its buffer and reads back to the
 * same value; an all-ASCII-digit input of up to 17 digits is its strtoull
 * value. The input is also split at its first '-' or 至 and the halves
 * compared as a range is (value <= value_max), and scaled by 万 and 亿 as
 * multipliers are, so the decimal helpers run on every parsed value.
 * Overflow must be reported (-1), never wrap (UBSan aborts on it).
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_common.h"

#include <ctype.h>

#include "numex.h"
#include "util.h"

static zm_numerals table;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char path[4096];
    snprintf(path, sizeof path, "%s/numerals.tsv", fuzz_dict_dir());
    zm_error err;
    memset(&err, 0, sizeof err);
    if (zm_numerals_load(&table, path, &err)) {
        fprintf(stderr, "fuzz_numex: %s:%d: %s\n", err.file, err.line, err.msg);
        exit(2);
    }
    return 0;
}

static void check_format(zm_dec v, const char *in, size_t len)
{
    char buf[64];
    memset(buf, 'X', sizeof buf);
    zm_dec_format(v, buf);
    FUZZ_CHECK(memchr(buf, 0, 48) != NULL, "format of '%.*s' overflows 48 bytes", (int)len, in);
    size_t n = strlen(buf), dots = 0;
    const char *num = buf[0] == '-' ? buf + 1 : buf; /* a kept sign */
    for (size_t i = (size_t)(num - buf); i < n; i++) {
        FUZZ_CHECK(isdigit((unsigned char)buf[i]) || buf[i] == '.', "'%.*s' => '%s': not a plain decimal",
                   (int)len, in, buf);
        dots += buf[i] == '.';
    }
    FUZZ_CHECK(n > (size_t)(num - buf) && dots <= 1 && num[0] != '.' && buf[n - 1] != '.', "'%.*s' => '%s'", (int)len, in, buf);
    zm_dec back;
    if (zm_numex_parse(&table, buf, n, &back) == 0) {
        zm_dec a = v;
        zm_dec_norm(&a);
        zm_dec_norm(&back);
        FUZZ_CHECK(a.m == back.m && a.s == back.s, "'%.*s' => '%s' reads back as %lld/10^%d, was %lld/10^%d",
                   (int)len, in, buf, (long long)back.m, back.s, (long long)a.m, a.s);
    }
}

static int parse(const char *s, size_t len, zm_dec *v)
{
    if (zm_numex_parse(&table, s, len, v))
        return -1;
    int signed_in = (len >= 1 && s[0] == '-') || (len >= 3 && memcmp(s, "负", 3) == 0);
    FUZZ_CHECK((v->m >= 0 || signed_in) && v->s >= 0, "'%.*s' => %lld/10^%d", (int)len, s, (long long)v->m, v->s);
    check_format(*v, s, len);
    zm_dec w = *v;
    if (zm_dec_scale(&w, 10000) == 0)
        check_format(w, s, len);
    w = *v;
    if (zm_dec_scale(&w, 100000000) == 0)
        check_format(w, s, len);
    FUZZ_CHECK(zm_dec_cmp(*v, *v) == 0, "'%.*s' != itself", (int)len, s);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    zm_dec v;
    if (parse(s, size, &v) == 0) {
        int digits = size > 0 && size <= 17;
        for (size_t i = 0; i < size && digits; i++)
            digits = s[i] >= '0' && s[i] <= '9';
        if (digits) {
            char *z = fuzz_strndup(data, size);
            unsigned long long want = strtoull(z, NULL, 10);
            free(z);
            FUZZ_CHECK(v.s == 0 && (unsigned long long)v.m == want, "'%.*s' => %lld", (int)size, s, (long long)v.m);
        }
    }
    /* a range: the halves around the first '-' or 至 */
    for (size_t i = 0; i < size; i++) {
        size_t sep = data[i] == '-' ? 1 : (i + 3 <= size && memcmp(s + i, "至", 3) == 0) ? 3 : 0;
        if (!sep)
            continue;
        zm_dec a, b;
        if (parse(s, i, &a) == 0 && parse(s + i + sep, size - i - sep, &b) == 0) {
            int c1 = zm_dec_cmp(a, b), c2 = zm_dec_cmp(b, a);
            FUZZ_CHECK(c1 == -c2, "cmp not antisymmetric on '%.*s'", (int)size, s);
        }
        break;
    }
    return 0;
}
