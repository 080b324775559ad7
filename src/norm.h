/* Normalisation for matching: full-width digits and ％．－：∶ fold to
 * ASCII so rules see one form, while a map keeps every offset pointing
 * into the original text.
 *   "入籍率79.68％"  => "入籍率79.68%"   (map: 19 -> 19, 20 -> 20+2 ...)
 *   "１２３万元"     => "123万元"
 */
#ifndef ZM_NORM_H
#define ZM_NORM_H

#include <stddef.h>
#include <stdint.h>

typedef struct zm_norm {
    char *text;      /* folded text, NUL-terminated */
    size_t len;
    uint32_t *map;   /* len+1 entries: folded offset -> original offset;
                        NULL when nothing was folded (identity) */
    uint32_t *mapbuf; /* storage behind map */
    size_t cap, mapcap;
} zm_norm;

/* Folds src into n (reusing its buffers). Returns 0 or ZM_E_NOMEM. */
int zm_norm_run(zm_norm *n, const char *src, size_t len);
void zm_norm_free(zm_norm *n);

static inline size_t zm_norm_orig(const zm_norm *n, size_t off)
{
    return n->map ? n->map[off] : off;
}

#endif
