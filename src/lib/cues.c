/* Cue words (dict/cues.tsv) found in text: each class is a bit, and the
 * words sit in two small character tries, one forward, one over the
 * reversed words, whose payload (the lexicon's freq) is the class mask.
 *   zm_model_cue_at(m, ZM_CUE_GOAL, "力争到2025年", 0, hi)  => 6 (力争)
 *   zm_model_cue_before(m, ZM_CUE_CHANGE_INC, "增长12%", 0, 6) => 6 (增长)
 * A walk stops at the first character no cue continues, so finding every
 * cue of a sentence costs about one probe per character, with no limit
 * on how many lengths the words have.
 */
#include <string.h>

#include "model.h"
#include "utf8.h"

/* Adds cls to the mask of w (a word may belong to several classes). */
static int add_cue(zm_lexicon *trie, const char *w, size_t len, int cls)
{
    const zm_lex_entry *e = zm_lexicon_find(trie, w, len);
    uint32_t mask = (e ? e->freq : 0) | 1u << cls;
    return zm_lexicon_add(trie, w, len, mask, NULL);
}

int zm_cues_build(zm_model *m)
{
    m->cue_fwd = zm_lexicon_new();
    m->cue_rev = zm_lexicon_new();
    if (!m->cue_fwd || !m->cue_rev)
        return ZM_E_NOMEM;
    char rev[256];
    for (int i = 0; i < m->ncues; i++) {
        const zm_word *w = &m->cues[i];
        if (w->len == 0 || w->len > sizeof rev)
            continue;
        zm_utf8_reverse(w->text, w->len, rev);
        if (add_cue(m->cue_fwd, w->text, w->len, w->cls) || add_cue(m->cue_rev, rev, w->len, w->cls))
            return ZM_E_NOMEM;
        zm_cpset_add_first(m->cue_first, w->text, w->len);
    }
    return 0;
}

void zm_cues_free(zm_model *m)
{
    zm_lexicon_free(m->cue_fwd);
    zm_lexicon_free(m->cue_rev);
}

int zm_cues_at(const zm_model *m, const char *text, size_t at, size_t hi, zm_lex_hit *out)
{
    return zm_lexicon_prefixes(m->cue_fwd, text, at, hi, out);
}

/* The longest of hits[0..n) (shortest first) of class cls: its length or 0. */
static size_t longest_of(const zm_lex_hit *hits, int n, int cls)
{
    while (n-- > 0)
        if (hits[n].payload >> cls & 1)
            return hits[n].len;
    return 0;
}

size_t zm_model_cue_at(const zm_model *m, int cls, const char *text, size_t at, size_t hi)
{
    zm_lex_hit h[ZM_LEX_MAX_HITS];
    return longest_of(h, zm_lexicon_prefixes(m->cue_fwd, text, at, hi, h), cls);
}

size_t zm_model_cue_before(const zm_model *m, int cls, const char *text, size_t lo, size_t at)
{
    zm_lex_hit h[ZM_LEX_MAX_HITS];
    return longest_of(h, zm_lexicon_suffixes(m->cue_rev, text, lo, at, h), cls);
}

uint32_t zm_model_cue_mask(const zm_model *m, const char *s, size_t len)
{
    if (!len)
        return 0;
    int c0; /* most words asked about are not cues: the first character tells */
    zm_utf8_next((const unsigned char *)s, (const unsigned char *)s + len, &c0);
    if (!zm_cpset_has(m->cue_first, c0))
        return 0;
    const zm_lex_entry *e = zm_lexicon_find(m->cue_fwd, s, len);
    return e ? e->freq : 0;
}

int zm_model_is_cue(const zm_model *m, int cls, const char *s, size_t len)
{
    return zm_model_cue_mask(m, s, len) >> cls & 1;
}

long zm_model_cue_find(const zm_model *m, int cls, const char *text, size_t lo, size_t hi, size_t *clen)
{
    *clen = 0;
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = lo; i < hi; i++) {
        if ((u[i] & 0xC0) == 0x80)
            continue;
        int cp;
        zm_utf8_next(u + i, u + hi, &cp);
        if (!zm_cpset_has(m->cue_first, cp))
            continue;
        size_t l = zm_model_cue_at(m, cls, text, i, hi);
        if (l) {
            *clen = l;
            return (long)i;
        }
    }
    return -1;
}
