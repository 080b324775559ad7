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

/* Length of the foldable sequence at p (a full-width digit or sign, an
 * ideographic or no-break space), or 0; *to gets its ASCII form. Checked on
 * bytes: this runs at every character of every document. */
static int foldable(const unsigned char *p, const unsigned char *end, char *to)
{
    int cp, k;
    switch (p[0]) {
    case 0xEF: /* ０-９ ％ ． － ： = EF BC 90-99/85/8E/8D/9A; ﹪ = EF B9 AA */
        if (end - p < 3 || (p[1] != 0xBC && p[1] != 0xB9))
            return 0;
        break;
    case 0xE2: /* ∶ = E2 88 B6 */
        if (end - p < 3 || p[1] != 0x88)
            return 0;
        break;
    case 0xE3: /* ideographic space = E3 80 80 */
        if (end - p < 3 || p[1] != 0x80 || p[2] != 0x80)
            return 0;
        break;
    case 0xC2: /* no-break space = C2 A0 */
        if (end - p < 2 || p[1] != 0xA0)
            return 0;
        break;
    default:
        return 0;
    }
    k = zm_utf8_next(p, end, &cp);
    int f = cp > 0 ? fold_cp(cp) : 0;
    if (!f)
        return 0;
    *to = (char)f;
    return k;
}

/* Records a fold ending the folded text at o, with the bytes saved so far. */
static int add_fold(zm_norm *n, size_t o, size_t saved)
{
    if (n->nfold == n->capfold) {
        size_t cap = n->capfold ? n->capfold * 2 : 64;
        if (zm_resize((void **)&n->fold_at, cap, sizeof *n->fold_at) ||
            zm_resize((void **)&n->fold_delta, cap, sizeof *n->fold_delta))
            return ZM_E_NOMEM;
        n->capfold = cap;
    }
    n->fold_at[n->nfold] = (uint32_t)o;
    n->fold_delta[n->nfold++] = (uint32_t)saved;
    return 0;
}

int zm_norm_run(zm_norm *n, const char *src, size_t len) { return zm_norm_run_drop(n, src, len, NULL, 0); }

int zm_norm_run_drop(zm_norm *n, const char *src, size_t len, const uint32_t *drop, size_t ndrop)
{
    /* room for the text, its NUL and 16 bytes more: PCRE2's JIT reads the
     * subject 16 bytes at a time (valgrind: invalid reads past the end) */
    size_t had = n->cap;
    if (zm_grow((void **)&n->text, len + 16, &n->cap, 1, len + 17))
        return ZM_E_NOMEM;
    if (n->cap != had) /* and those bytes defined (they decide nothing) */
        memset(n->text, 0, n->cap);
    const unsigned char *p = (const unsigned char *)src, *end = p + len;
    static const unsigned char may_fold[256] = {[0xEF] = 1, [0xE2] = 1, [0xE3] = 1, [0xC2] = 1};
    n->nfold = 0;
    size_t o = 0, saved = 0;
    const unsigned char *run = p;
    size_t di = 0;
    const unsigned char *stop = ndrop && drop[0] < len ? (const unsigned char *)src + drop[0] : end;
    for (;;) {
        if (p >= stop && stop < end) {
            /* a wrapping line break ("\n" or "\r\n") dropped: it is folded to
             * nothing, recorded at the character before it so that the
             * character after it maps to its own original offset */
            size_t k = p > stop ? 0 : *p == '\r' && p + 1 < end && p[1] == '\n' ? 2 : *p == '\n' ? 1 : 0;
            memcpy(n->text + o, run, (size_t)(p - run));
            o += (size_t)(p - run);
            run = p;
            if (k && o > 0) { /* else not a break after text: kept */
                saved += k;
                if (add_fold(n, o - 1, saved))
                    return ZM_E_NOMEM;
                p += k;
                run = p;
            }
            /* the next drop after this one (out-of-order ones are ignored) */
            while (++di < ndrop && (const unsigned char *)src + drop[di] <= stop)
                ;
            stop = di < ndrop && drop[di] < len ? (const unsigned char *)src + drop[di] : end;
            continue;
        }
        if (p >= end)
            break;
        /* by characters: the text is checked UTF-8 (a stray byte steps 1) */
        if (!may_fold[*p]) {
            p += zm_utf8_len(*p);
            continue;
        }
        char f;
        int k = foldable(p, end, &f);
        if (!k) {
            p += zm_utf8_len(*p);
            continue;
        }
        /* copy the run before it, then the folded character */
        memcpy(n->text + o, run, (size_t)(p - run));
        o += (size_t)(p - run);
        saved += (size_t)k - 1;
        if (add_fold(n, o, saved))
            return ZM_E_NOMEM;
        n->text[o++] = f;
        p += k;
        run = p;
    }
    if (p > end) /* a truncated last character stepped past the end */
        p = end;
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
