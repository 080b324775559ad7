#define _POSIX_C_SOURCE 200809L
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int zm_iconv_utf8(const char *from, const char *bytes, size_t len, zm_buf *out, size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *bad_at = 0;
        return -1;
    }
    out->len = 0;
    char *in = (char *)bytes;
    size_t inleft = len;
    int rc = 0;
    while (inleft > 0) {
        if (zm_buf_reserve(out, inleft * 2 + 16)) {
            rc = -1;
            break;
        }
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        out->len = (size_t)(o - out->data);
        if (r == (size_t)-1 && errno != E2BIG) {
            rc = -1;
            break;
        }
    }
    *bad_at = (size_t)(in - bytes);
    iconv_close(cd);
    if (out->data)
        out->data[out->len] = 0;
    return rc;
}

static const char *find_nul(const char *s, size_t len) { return memchr(s, 0, len); }

/* ---- plausibility: which reading looks like Chinese ----
 * Measured on the first 4096 non-ASCII characters (or byte pairs): enough
 * to decide, and cheap on large texts. */
enum { PLAUSIBLE_SAMPLE = 4096 };

/* Share (percent) of the non-ASCII characters of a UTF-8 text that are
 * CJK ideographs or CJK/full-width punctuation; 100 with none. A GBK text
 * that happens to be valid UTF-8 (学校3000元) reads as Cyrillic and Latin
 * letters: near 0. Only compared with 50: once half the sample is CJK the
 * share cannot fall below it, and the count stops there (100). */
static int utf8_cjk_share(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s, *e = u + n;
    size_t all = 0, cjk = 0;
    while (u < e && all < PLAUSIBLE_SAMPLE) {
        if (2 * cjk >= PLAUSIBLE_SAMPLE)
            return 100;
        if (*u < 0x80) {
            u++;
            continue;
        }
        int cp;
        int k = zm_utf8_next(u, e, &cp);
        u += k > 0 ? k : 1;
        all++;
        cjk += (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
               (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x2014 || cp == 0x2018 || cp == 0x2019 || cp == 0x201C ||
               cp == 0x201D || cp == 0x2026;
    }
    return all ? (int)(cjk * 100 / all) : 100;
}

/* Share (percent) of the two-byte characters of a GB18030/GBK text that
 * are GB2312 characters (lead A1-F7, trail A1-FE: the common hanzi and
 * punctuation of simplified text); 100 with none. Big5 text read as GBK
 * has most of its trails in 40-7E or its leads among the rare ones. */
static int gb_common_share(const unsigned char *u, size_t n)
{
    size_t all = 0, common = 0;
    for (size_t i = 0; i + 1 < n && all < PLAUSIBLE_SAMPLE; i++) {
        if (u[i] < 0x81)
            continue;
        if (i + 3 < n && u[i + 1] >= 0x30 && u[i + 1] <= 0x39) { /* four-byte GB18030 */
            all++;
            i += 3;
            continue;
        }
        all++;
        common += u[i] >= 0xA1 && u[i] <= 0xF7 && u[i + 1] >= 0xA1 && u[i + 1] <= 0xFE;
        i++;
    }
    return all ? (int)(common * 100 / all) : 100;
}

/* Same for Big5: the frequent hanzi (lead A4-C6) and punctuation (A1-A3). */
static int big5_common_share(const unsigned char *u, size_t n)
{
    size_t all = 0, common = 0;
    for (size_t i = 0; i + 1 < n && all < PLAUSIBLE_SAMPLE; i++) {
        if (u[i] < 0x81)
            continue;
        all++;
        common += u[i] >= 0xA1 && u[i] <= 0xC6 &&
                  ((u[i + 1] >= 0x40 && u[i + 1] <= 0x7E) || (u[i + 1] >= 0xA1 && u[i + 1] <= 0xFE));
        i++;
    }
    return all ? (int)(common * 100 / all) : 100;
}

int zm_decode_view(const char *bytes, size_t len, zm_buf *scratch, const char **text, size_t *text_len,
                   const char **encoding, char *msg, size_t msgsz)
{
    const unsigned char *u = (const unsigned char *)bytes;
    scratch->len = 0;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        int le = u[0] == 0xFF;
        size_t bad;
        if (zm_iconv_utf8(le ? "UTF-16LE" : "UTF-16BE", bytes + 2, len - 2, scratch, &bad)) {
            snprintf(msg, msgsz, "not text: invalid UTF-16 at offset %zu", bad + 2);
            return ZM_E_INPUT;
        }
        *encoding = le ? "utf-16le" : "utf-16be";
    } else {
        const char *s = bytes;
        size_t n = len;
        *encoding = "utf-8";
        if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
            s += 3;
            n -= 3;
            *encoding = "utf-8-bom";
        }
        const char *nul = find_nul(s, n);
        if (nul) {
            snprintf(msg, msgsz, "not text: NUL byte at offset %zu", (size_t)(nul - bytes));
            return ZM_E_INPUT;
        }
        size_t bad_utf8 = zm_utf8_check(s, n);
        /* valid UTF-8 that reads as Chinese is UTF-8; valid UTF-8 that
         * reads as Cyrillic or Latin letters while its bytes read as
         * common GBK characters is GBK (a short GBK text can be both) */
        if (bad_utf8 == n && (utf8_cjk_share(s, n) >= 50 || gb_common_share((const unsigned char *)s, n) < 90)) {
            *text = s; /* UTF-8 already: used where it lies */
            *text_len = n;
            return 0;
        }
        size_t bad;
        int gb_share = gb_common_share((const unsigned char *)s, n);
        /* Big5 (traditional) read as GBK gives valid but rare characters:
         * read as Big5 when that is the more plausible reading */
        if (gb_share < 60 && big5_common_share((const unsigned char *)s, n) >= 90 &&
            zm_iconv_utf8("BIG5", s, n, scratch, &bad) == 0) {
            *encoding = "big5";
        } else if (zm_iconv_utf8("GB18030", s, n, scratch, &bad)) {
            snprintf(msg, msgsz, "not text: invalid UTF-8 at offset %zu and not GB18030 (offset %zu)",
                     bad_utf8 + (size_t)(s - bytes), bad + (size_t)(s - bytes));
            return ZM_E_INPUT;
        } else {
            *encoding = "gb18030";
        }
    }
    if (zm_buf_reserve(scratch, 0)) {
        snprintf(msg, msgsz, "limit: out of memory decoding the text");
        return ZM_E_NOMEM;
    }
    scratch->data[scratch->len] = 0;
    const char *nul = find_nul(scratch->data, scratch->len);
    if (nul) {
        snprintf(msg, msgsz, "not text: NUL character at offset %zu", (size_t)(nul - scratch->data));
        return ZM_E_INPUT;
    }
    *text = scratch->data;
    *text_len = scratch->len;
    return 0;
}

int zm_decode(const char *bytes, size_t len, zm_buf *out, const char **encoding,
              char *msg, size_t msgsz)
{
    const char *text;
    size_t n;
    int rc = zm_decode_view(bytes, len, out, &text, &n, encoding, msg, msgsz);
    if (rc || text == out->data)
        return rc;
    out->len = 0;
    if (zm_buf_add(out, text, n)) {
        snprintf(msg, msgsz, "limit: out of memory decoding the text");
        return ZM_E_NOMEM;
    }
    out->data[n] = 0;
    return 0;
}

int zm_decode_text(const char *bytes, size_t len, char **text, size_t *text_len, const char **encoding,
                   zm_error *err)
{
    zm_buf scratch = {0};
    const char *t = NULL, *enc = NULL;
    size_t tl = 0;
    char msg[256];
    *text = NULL;
    *text_len = 0;
    int rc = zm_decode_view(bytes, len, &scratch, &t, &tl, &enc, msg, sizeof msg);
    if (rc) {
        zm_buf_free(&scratch);
        return zm_set_error(err, rc, "", 0, "%s", msg);
    }
    char *out = malloc(tl + 1);
    if (!out) {
        zm_buf_free(&scratch);
        return zm_set_error(err, ZM_E_NOMEM, "", 0, "out of memory");
    }
    memcpy(out, t, tl);
    out[tl] = 0;
    zm_buf_free(&scratch);
    *text = out;
    *text_len = tl;
    if (encoding)
        *encoding = enc;
    return 0;
}
