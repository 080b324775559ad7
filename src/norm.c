#include "norm.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "utf8.h"

/* ASCII replacement for a full-width form, or 0. */
static int fold_cp(int cp)
{
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return '0' + (cp - 0xFF10);
    switch (cp) {
    case 0xFF05: /* ％ */
    case 0xFE6A: /* ﹪ */
        return '%';
    case 0xFF0E: /* ． */
        return '.';
    case 0xFF0D: /* － */
        return '-';
    case 0xFF1A: /* ： */
    case 0x2236: /* ∶ */
        return ':';
    case 0x00A0:
    case 0x3000:
        return ' ';
    default:
        return 0;
    }
}

static int grow(zm_norm *n, size_t len)
{
    if (n->cap < len + 1) {
        char *t = realloc(n->text, len + 1);
        if (!t)
            return ZM_E_NOMEM;
        n->text = t;
        n->cap = len + 1;
    }
    return 0;
}

int zm_norm_run(zm_norm *n, const char *src, size_t len)
{
    if (grow(n, len))
        return ZM_E_NOMEM;
    const unsigned char *p = (const unsigned char *)src, *end = p + len;
    /* Fast path on bytes: is any foldable sequence present at all? */
    int any = 0;
    for (const unsigned char *q = p; q + 1 < end && !any; q++) {
        switch (*q) {
        case 0xEF: /* ０-９ ％ ． － ： = EF BC xx; ﹪ = EF B9 AA */
            any = q + 2 < end && ((q[1] == 0xBC && ((q[2] >= 0x90 && q[2] <= 0x99) || q[2] == 0x85 || q[2] == 0x8E ||
                                                    q[2] == 0x8D || q[2] == 0x9A)) ||
                                  (q[1] == 0xB9 && q[2] == 0xAA));
            break;
        case 0xE2: /* ∶ */
            any = q + 2 < end && q[1] == 0x88 && q[2] == 0xB6;
            break;
        case 0xE3: /* ideographic space */
            any = q + 2 < end && q[1] == 0x80 && q[2] == 0x80;
            break;
        case 0xC2: /* no-break space */
            any = q[1] == 0xA0;
            break;
        default:
            break;
        }
    }
    n->map = NULL;
    if (!any) {
        memcpy(n->text, src, len);
        n->text[len] = 0;
        n->len = len;
        return 0;
    }
    if (n->mapcap < len + 1) {
        uint32_t *m = realloc(n->mapbuf, (len + 1) * sizeof *m);
        if (!m)
            return ZM_E_NOMEM;
        n->mapbuf = m;
        n->mapcap = len + 1;
    }
    n->map = n->mapbuf;
    size_t o = 0;
    while (p < end) {
        int cp;
        int k = zm_utf8_next(p, end, &cp);
        int f = cp > 0 ? fold_cp(cp) : 0;
        size_t at = (size_t)(p - (const unsigned char *)src);
        if (f) {
            n->text[o] = (char)f;
            n->map[o++] = (uint32_t)at;
        } else {
            for (int i = 0; i < k; i++) {
                n->text[o] = (char)p[i];
                n->map[o++] = (uint32_t)(at + (size_t)i);
            }
        }
        p += k;
    }
    n->map[o] = (uint32_t)len;
    n->text[o] = 0;
    n->len = o;
    return 0;
}

void zm_norm_free(zm_norm *n)
{
    free(n->text);
    free(n->mapbuf);
    memset(n, 0, sizeof *n);
}
