/* Normalisation for matching: full-width digits and ％．－：∶ fold to
 * ASCII so rules see one form, while every offset can still be mapped
 * back into the original text.
 *   "入籍率79.68％"  => "入籍率79.68%"   (orig(19) = 19, orig(20) = 22)
 *   "１２３万元"     => "123万元"
 * Folds are rare, so the map is the list of folded positions with the
 * bytes saved so far, not one entry per byte.
 */
#ifndef ZM_NORM_H
#define ZM_NORM_H

#include <stddef.h>
#include <stdint.h>

typedef struct zm_norm {
    char *text; /* folded text, NUL-terminated */
    size_t len, cap;
    uint32_t *fold_at;    /* folded offset of each folded character */
    uint32_t *fold_delta; /* original bytes saved up to and including it */
    size_t nfold, capfold;
} zm_norm;

/* Folds src into n (reusing its buffers). Returns 0 or ZM_E_NOMEM. */
int zm_norm_run(zm_norm *n, const char *src, size_t len);
/* The same, dropping the line breaks that start at the ascending offsets
 * drop[0..ndrop) (unwrap.h: a paragraph wrapped at the page width). */
int zm_norm_run_drop(zm_norm *n, const char *src, size_t len, const uint32_t *drop, size_t ndrop);
void zm_norm_free(zm_norm *n);

/* Original offset of folded offset off. */
static inline size_t zm_norm_orig(const zm_norm *n, size_t off)
{
    size_t lo = 0, hi = n->nfold; /* folds with fold_at < off */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (n->fold_at[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return off + (lo ? n->fold_delta[lo - 1] : 0);
}

/* Folded offset of original offset orig (the start of its character). */
size_t zm_norm_from_orig(const zm_norm *n, size_t orig);

#endif
