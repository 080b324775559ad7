/* Input names as valid UTF-8 (name_utf8.h). */
#define _DEFAULT_SOURCE
#include "name_utf8.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (shortest form, no surrogates,
 * at most U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return n;
}

static int valid_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_seq(p);
        if (!n)
            return 0;
        p += n;
    }
    return 1;
}

/* GB18030 to UTF-8, NULL unless every byte converts. */
static char *from_gb18030(const char *s)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t inl = strlen(s), cap = inl * 4 + 1, outl = cap - 1;
    char *out = malloc(cap), *in = (char *)s, *o = out;
    if (out && (iconv(cd, &in, &inl, &o, &outl) == (size_t)-1 || inl)) {
        free(out);
        out = NULL;
    }
    if (out)
        *o = 0;
    iconv_close(cd);
    if (out && !valid_utf8(out)) {
        free(out);
        out = NULL;
    }
    return out;
}

char *zm_name_utf8(const char *name)
{
    if (valid_utf8(name))
        return strdup(name);
    char *g = from_gb18030(name);
    if (g)
        return g;
    /* neither: the valid sequences as they are, each other byte as \xNN */
    size_t len = strlen(name);
    char *out = malloc(len * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)name; *p;) {
        size_t n = utf8_seq(p);
        if (n) {
            memcpy(o, p, n);
            o += n;
            p += n;
        } else {
            o += sprintf(o, "\\x%02X", *p++);
        }
    }
    *o = 0;
    return out;
}
