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
    n->nfold = 0;
    if (!any) {
        memcpy(n->text, src, len);
        n->text[len] = 0;
        n->len = len;
        return 0;
    }
    size_t o = 0, saved = 0;
    const unsigned char *run = p;
    while (p < end) {
        unsigned char b = *p;
        if (b != 0xEF && b != 0xE2 && b != 0xE3 && b != 0xC2) {
            p++;
            continue;
        }
        int cp;
        int k = zm_utf8_next(p, end, &cp);
        int f = cp > 0 ? fold_cp(cp) : 0;
        if (!f) {
            p += k;
            continue;
        }
        /* copy the run before it, then the folded character */
        memcpy(n->text + o, run, (size_t)(p - run));
        o += (size_t)(p - run);
        if (n->nfold == n->capfold) {
            size_t cap = n->capfold ? n->capfold * 2 : 64;
            if (zm_resize((void **)&n->fold_at, cap, sizeof *n->fold_at) ||
                zm_resize((void **)&n->fold_delta, cap, sizeof *n->fold_delta))
                return ZM_E_NOMEM;
            n->capfold = cap;
        }
        saved += (size_t)k - 1;
        n->fold_at[n->nfold] = (uint32_t)o;
        n->fold_delta[n->nfold++] = (uint32_t)saved;
        n->text[o++] = (char)f;
        p += k;
        run = p;
    }
    memcpy(n->text + o, run, (size_t)(p - run));
    o += (size_t)(p - run);
    n->text[o] = 0;
    n->len = o;
    return 0;
}

size_t zm_norm_from_orig(const zm_norm *n, size_t orig)
{
    /* the folds whose character starts before orig in the original: the
     * i-th starts at fold_at[i] plus what the folds before it saved, which
     * grows with i, so by bisection */
    size_t lo = 0, hi = n->nfold;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (n->fold_at[mid] + (mid ? n->fold_delta[mid - 1] : 0) < orig)
            lo = mid + 1;
        else
            hi = mid;
    }
    return orig - (lo ? n->fold_delta[lo - 1] : 0);
}

void zm_norm_free(zm_norm *n)
{
    free(n->text);
    free(n->fold_at);
    free(n->fold_delta);
    memset(n, 0, sizeof *n);
}
