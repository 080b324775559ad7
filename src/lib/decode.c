#define _POSIX_C_SOURCE 200809L
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Converts with iconv; returns 0 or the input offset where it failed. */
static int convert(const char *from, const char *bytes, size_t len, zm_buf *out,
                   size_t *bad_at)
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

int zm_decode_view(const char *bytes, size_t len, zm_buf *scratch, const char **text, size_t *text_len,
                   const char **encoding, char *msg, size_t msgsz)
{
    const unsigned char *u = (const unsigned char *)bytes;
    scratch->len = 0;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        int le = u[0] == 0xFF;
        size_t bad;
        if (convert(le ? "UTF-16LE" : "UTF-16BE", bytes + 2, len - 2, scratch, &bad)) {
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
        if (bad_utf8 == n) {
            *text = s; /* UTF-8 already: used where it lies */
            *text_len = n;
            return 0;
        }
        size_t bad;
        if (convert("GB18030", s, n, scratch, &bad)) {
            snprintf(msg, msgsz, "not text: invalid UTF-8 at offset %zu and not GB18030 (offset %zu)",
                     bad_utf8 + (size_t)(s - bytes), bad + (size_t)(s - bytes));
            return ZM_E_INPUT;
        }
        *encoding = "gb18030";
    }
    if (zm_buf_reserve(scratch, 0)) {
        snprintf(msg, msgsz, "out of memory");
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
        snprintf(msg, msgsz, "out of memory");
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
