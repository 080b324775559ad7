#define _POSIX_C_SOURCE 200809L
#include "numex.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "util.h"
#include "utf8.h"

int zm_numerals_find(const zm_numerals *t, int cp)
{
    for (int i = 0; i < t->n; i++)
        if (t->cp[i] == cp)
            return i;
    return -1;
}

int zm_numerals_load(zm_numerals *t, const char *path, zm_error *err)
{
    zm_tsv in;
    int rc = zm_tsv_open(&in, path, err);
    if (rc)
        return rc;
    while (zm_tsv_next(&in)) {
        if ((rc = zm_tsv_utf8_error(&in, err)))
            break;
        char **f = in.f;
        if (in.nf != 3) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "expected 3 tab-separated columns (char value kind), got %d", in.nf);
            break;
        }
        int cp;
        int k = zm_utf8_next((const unsigned char *)f[0], (const unsigned char *)f[0] + strlen(f[0]), &cp);
        if (!*f[0] || cp < 0 || f[0][k] || cp >= 65536) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "'%s' is not one BMP character", f[0]);
            break;
        }
        char *e;
        errno = 0;
        long long v = strtoll(f[1], &e, 10);
        if (!*f[1] || *e || v < 0) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "bad value '%s'", f[1]);
            break;
        }
        if (errno == ERANGE) { /* strtoll gave LLONG_MAX */
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "value '%s' out of range (max %lld)", f[1], LLONG_MAX);
            break;
        }
        int kind = strcmp(f[2], "digit") == 0 ? ZM_NUM_DIGIT
                 : strcmp(f[2], "unit") == 0 ? ZM_NUM_UNIT
                 : strcmp(f[2], "section") == 0 ? ZM_NUM_SECTION : 0;
        if (!kind) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "kind must be digit, unit or section, not '%s'", f[2]);
            break;
        }
        int ix = zm_numerals_find(t, cp);
        if (ix < 0) {
            if (t->n == 64) {
                rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "too many numeral characters (max 64)");
                break;
            }
            ix = t->n++;
        }
        t->cp[ix] = cp;
        t->val[ix] = v;
        t->kind[ix] = kind;
        zm_cpset_add(t->bitmap, cp);
        if (k == 3)
            t->lead2[((unsigned char)f[0][0] & 0x0F) << 6 | ((unsigned char)f[0][1] & 0x3F)] = 1;
    }
    zm_tsv_close(&in);
    return rc;
}

static int mul_ok(int64_t a, int64_t b, int64_t *r) { return !__builtin_mul_overflow(a, b, r); }
static int add_ok(int64_t a, int64_t b, int64_t *r) { return !__builtin_add_overflow(a, b, r); }

int zm_dec_scale(zm_dec *a, int64_t mult)
{
    /* absorb factors of ten into the scale first to keep m small */
    while (mult % 10 == 0 && a->s > 0) {
        mult /= 10;
        a->s--;
    }
    return mul_ok(a->m, mult, &a->m) ? 0 : -1;
}

void zm_dec_norm(zm_dec *a)
{
    while (a->s > 0 && a->m % 10 == 0) {
        a->m /= 10;
        a->s--;
    }
}

void zm_dec_format(zm_dec a, char *buf)
{
    zm_dec_norm(&a);
    /* digits by hand, least significant first: a call per metric value */
    char tmp[48];
    int n = 0, neg = a.m < 0;
    uint64_t v = neg ? (uint64_t)0 - (uint64_t)a.m : (uint64_t)a.m;
    int sc = a.s > 0 ? a.s : 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
        if (n == sc)
            tmp[n++] = '.';
    } while ((v || n <= sc) && n < 46);
    if (tmp[n - 1] == '.')
        tmp[n++] = '0';
    int k = 0;
    if (neg)
        buf[k++] = '-';
    while (n)
        buf[k++] = tmp[--n];
    buf[k] = 0;
}

int zm_dec_cmp(zm_dec a, zm_dec b)
{
    /* same scale in 128 bits: 17 digits times 10^17 cannot overflow */
    __int128 x = a.m, y = b.m;
    for (int s = a.s; s < b.s; s++)
        x *= 10;
    for (int s = b.s; s < a.s; s++)
        y *= 10;
    return (x > y) - (x < y);
}

int zm_dec_div(zm_dec a, zm_dec b, int places, zm_dec *out)
{
    if (b.m == 0 || places < 0 || places > 8 || a.s > 18 || b.s > 18)
        return -1;
    /* a/b = (a.m / 10^a.s) / (b.m / 10^b.s), rounded to places decimals */
    __int128 num = a.m, den = b.m;
    for (int i = 0; i < places + b.s; i++)
        num *= 10;
    for (int i = 0; i < a.s; i++)
        den *= 10;
    int neg = (num < 0) != (den < 0);
    if (num < 0)
        num = -num;
    if (den < 0)
        den = -den;
    __int128 q = (num + den / 2) / den;
    if (q > INT64_MAX)
        return -1;
    out->m = neg ? -(int64_t)q : (int64_t)q;
    out->s = places;
    zm_dec_norm(out);
    return 0;
}

/* Chinese numeral with digits/units/sections, e.g. 三千五百万, 壹佰万. */
static int parse_chinese(const zm_numerals *t, const int *idx, int n, int64_t *out)
{
    int all_digits = 1;
    for (int i = 0; i < n; i++)
        if (t->kind[idx[i]] != ZM_NUM_DIGIT)
            all_digits = 0;
    if (all_digits) {
        if (n == 1) {
            *out = t->val[idx[0]];
            return 0;
        }
        /* positional (二〇二〇) only when it contains a zero or has 4+ digits */
        int zero = 0;
        for (int i = 0; i < n; i++)
            zero |= t->val[idx[i]] == 0;
        if (!zero && n < 4)
            return -1; /* 三四 = "three or four": not one value */
        int64_t v = 0;
        for (int i = 0; i < n; i++)
            if (!mul_ok(v, 10, &v) || !add_ok(v, t->val[idx[i]], &v))
                return -1;
        *out = v;
        return 0;
    }
    int64_t total = 0, section = 0, num = 0, last_unit = 0;
    int have_num = 0, prev_digit = 0;
    for (int i = 0; i < n; i++) {
        int64_t v = t->val[idx[i]];
        switch (t->kind[idx[i]]) {
        case ZM_NUM_DIGIT:
            if (prev_digit && v != 0 && num != 0)
                return -1; /* two non-zero digits in a row */
            num = v;
            have_num = 1;
            prev_digit = 1;
            break;
        case ZM_NUM_UNIT: {
            int64_t k = have_num ? num : 1;
            if (!mul_ok(k, v, &k) || !add_ok(section, k, &section))
                return -1;
            num = 0;
            have_num = 0;
            prev_digit = 0;
            last_unit = v;
            break;
        }
        default: { /* section: 万, 亿 */
            int64_t s;
            if (!add_ok(section, num, &s))
                return -1;
            if (s == 0 && total == 0)
                s = 1;
            if (v >= 100000000) {
                if (!add_ok(total, s, &total) || !mul_ok(total, v, &total))
                    return -1;
            } else {
                if (!mul_ok(s, v, &s) || !add_ok(total, s, &total))
                    return -1;
            }
            section = num = 0;
            have_num = 0;
            prev_digit = 0;
            last_unit = v;
            break;
        }
        }
    }
    /* 一万五 = 15000, 三百五 = 350: a trailing digit counts in the next lower unit */
    if (have_num && last_unit >= 100 && n >= 2 && t->kind[idx[n - 2]] != ZM_NUM_DIGIT)
        num *= last_unit / 10;
    int64_t r;
    if (!add_ok(total, section, &r) || !add_ok(r, num, &r))
        return -1;
    *out = r;
    return 0;
}

static int dec_add(zm_dec *a, zm_dec b)
{
    while (a->s < b.s)
        if (!mul_ok(a->m, 10, &a->m) || ++a->s > 18)
            return -1;
    while (b.s < a->s)
        if (!mul_ok(b.m, 10, &b.m) || ++b.s > 18)
            return -1;
    return add_ok(a->m, b.m, &a->m) ? 0 : -1;
}

/* A run of Arabic digits with , and . at u[*i]; advances *i. */
static int arabic_run(const unsigned char *u, size_t len, size_t *i, zm_dec *out)
{
    int64_t m = 0;
    int sc = 0, digits = 0, frac = 0;
    for (; *i < len; (*i)++) {
        unsigned char c = u[*i];
        if (c >= '0' && c <= '9') {
            if (++digits > 17)
                return -1;
            m = m * 10 + (c - '0');
            if (frac)
                sc++;
        } else if (c == ',' && !frac && *i + 1 < len && u[*i + 1] >= '0' && u[*i + 1] <= '9') {
            continue;
        } else if (c == ' ' && !frac && zm_space_group(u, *i + 1, len)) {
            continue;
        } else if (c == '.' && !frac && *i + 1 < len && u[*i + 1] >= '0' && u[*i + 1] <= '9') {
            frac = 1;
        } else {
            break;
        }
    }
    if (!digits)
        return -1;
    out->m = m;
    out->s = sc;
    return 0;
}

/* A space or line break a PDF converter left inside a figure (2586.4\n亿). */
static int is_gap(unsigned char b) { return b == ' ' || b == '\n' || b == '\r' || b == '\t'; }

#define CP_POINT 0x70B9 /* 点: Chinese decimal point (三点五, 百分之一百二十点五) */
#define CP_POINT_T 0x9EDE /* 點, its traditional form: also where a simplified text has it */

/* Mixed and decimal forms the plain readers leave: Arabic parts between
 * multipliers (1亿2000万, 3万5千), Chinese decimals (三点五万, 零点五),
 * spaces a PDF converter put before a multiplier (2.31 万). */
static int parse_mixed(const zm_numerals *t, const unsigned char *u, size_t len, zm_dec *out)
{
    zm_dec total = {0, 0}, section = {0, 0}, num = {0, 0};
    int have_num = 0, prev_digit = 0, items = 0, need_mult = 0;
    size_t i = 0;
    while (i < len) {
        if (is_gap(u[i])) {
            i++;
            continue;
        }
        items++;
        if (u[i] >= '0' && u[i] <= '9') {
            if (have_num || arabic_run(u, len, &i, &num))
                return -1;
            /* 1亿2000万: digits after a multiplier need one of their own (3万5 is not one value) */
            need_mult = total.m != 0 || section.m != 0;
            have_num = 1;
            prev_digit = 0;
            continue;
        }
        int cp;
        int k = zm_utf8_next(u + i, u + len, &cp);
        if (k <= 0)
            return -1;
        i += (size_t)k;
        if (cp == CP_POINT || cp == CP_POINT_T) {
            if (!have_num && section.m == 0)
                return -1; /* 点五: no whole part */
            zm_dec ip = section;
            if (have_num && dec_add(&ip, num))
                return -1;
            section = (zm_dec){0, 0};
            int64_t fm = 0;
            int nd = 0;
            while (i < len) {
                int c2;
                int k2 = zm_utf8_next(u + i, u + len, &c2);
                int ix = k2 > 0 ? zm_numerals_find(t, c2) : -1;
                if (ix < 0 || t->kind[ix] != ZM_NUM_DIGIT)
                    break;
                if (++nd > 17)
                    return -1;
                fm = fm * 10 + t->val[ix];
                i += (size_t)k2;
            }
            if (!nd || ip.s > 0)
                return -1;
            num = ip;
            if (dec_add(&num, (zm_dec){fm, nd}))
                return -1;
            have_num = 1;
            prev_digit = 0;
            continue;
        }
        int ix = zm_numerals_find(t, cp);
        if (ix < 0)
            return -1;
        int64_t v = t->val[ix];
        switch (t->kind[ix]) {
        case ZM_NUM_DIGIT:
            if (have_num && prev_digit && num.s == 0) { /* 二〇二〇, 一百零五 */
                if (!mul_ok(num.m, 10, &num.m) || !add_ok(num.m, v, &num.m))
                    return -1;
            } else if (have_num) {
                return -1;
            } else {
                num = (zm_dec){v, 0};
            }
            have_num = 1;
            prev_digit = 1;
            break;
        case ZM_NUM_UNIT: {
            zm_dec x = have_num ? num : (zm_dec){1, 0};
            if (zm_dec_scale(&x, v) || dec_add(&section, x))
                return -1;
            have_num = prev_digit = need_mult = 0;
            break;
        }
        default: { /* 万 亿 */
            zm_dec x = section;
            if (have_num && dec_add(&x, num))
                return -1;
            if (x.m == 0 && !have_num) {
                if (total.m == 0)
                    total = (zm_dec){1, 0};
                if (zm_dec_scale(&total, v)) /* 万亿 */
                    return -1;
            } else if (zm_dec_scale(&x, v) || dec_add(&total, x)) {
                return -1;
            }
            section = (zm_dec){0, 0};
            have_num = prev_digit = need_mult = 0;
            break;
        }
        }
    }
    if (!items || need_mult || dec_add(&total, section) || (have_num && dec_add(&total, num)))
        return -1;
    zm_dec_norm(&total);
    *out = total;
    return 0;
}

/* Does s[0..len) need parse_mixed: a 点, a space, or an Arabic digit
 * after a multiplier? */
static int needs_mixed(const unsigned char *u, size_t len)
{
    int seen_mult = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_gap(u[i]))
            return 1;
        if (u[i] >= 0x80) {
            if (i + 2 < len && ((u[i] == 0xE7 && u[i + 1] == 0x82 && u[i + 2] == 0xB9) ||
                                (u[i] == 0xE9 && u[i + 1] == 0xBB && u[i + 2] == 0x9E)))
                return 1; /* 点 點 */
            seen_mult = 1;
        } else if (seen_mult && u[i] >= '0' && u[i] <= '9') {
            return 1;
        }
    }
    return 0;
}

static int parse_unsigned(const zm_numerals *t, const char *s, size_t len, zm_dec *out);

int zm_numex_parse(const zm_numerals *t, const char *s, size_t len, zm_dec *out)
{
    const unsigned char *u = (const unsigned char *)s;
    /* a line break between two digits is a hard wrap a PDF converter left
     * inside the number (34\n0 => 340): read without it */
    for (size_t i = 1; i + 1 < len; i++) {
        if (u[i] == '\n' && u[i - 1] >= '0' && u[i - 1] <= '9' && u[i + 1] >= '0' && u[i + 1] <= '9') {
            char buf[64];
            size_t n = 0;
            for (size_t j = 0; j < len && n < sizeof buf; j++)
                if (!(u[j] == '\n' && j > 0 && j + 1 < len && u[j - 1] >= '0' && u[j - 1] <= '9' && u[j + 1] >= '0' &&
                      u[j + 1] <= '9'))
                    buf[n++] = s[j];
            return n >= len || n == sizeof buf ? -1 : zm_numex_parse(t, buf, n, out);
        }
    }
    /* a sign as written: -1.5, 负3.9 (SPEC 6) */
    size_t sk = len >= 1 && u[0] == '-' ? 1 : len >= 3 && u[0] == 0xE8 && u[1] == 0xB4 && u[2] == 0x9F ? 3 : 0;
    if (parse_unsigned(t, s + sk, len - sk, out))
        return -1;
    if (sk)
        out->m = -out->m;
    return 0;
}

static int parse_unsigned(const zm_numerals *t, const char *s, size_t len, zm_dec *out)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + len;
    size_t i = 0;
    if (len == 0)
        return -1;
    if (needs_mixed(u, len))
        return parse_mixed(t, u, len, out);
    if (u[0] >= '0' && u[0] <= '9') {
        zm_dec d;
        if (arabic_run(u, len, &i, &d))
            return -1;
        /* Chinese multipliers after the digits: 1.2万, 3千万 */
        while (i < len) {
            int cp;
            int k = zm_utf8_next(u + i, end, &cp);
            int ix = zm_numerals_find(t, cp);
            if (ix < 0 || t->kind[ix] == ZM_NUM_DIGIT)
                return -1;
            if (zm_dec_scale(&d, t->val[ix]))
                return -1;
            i += (size_t)k;
        }
        zm_dec_norm(&d);
        *out = d;
        return 0;
    }
    int idx[64];
    int n = 0;
    while (i < len) {
        int cp;
        int k = zm_utf8_next(u + i, end, &cp);
        int ix = zm_numerals_find(t, cp);
        if (ix < 0 || n == 64)
            return -1;
        idx[n++] = ix;
        i += (size_t)k;
    }
    int64_t v;
    if (parse_chinese(t, idx, n, &v))
        return -1;
    out->m = v;
    out->s = 0;
    return 0;
}
