/* Units, qualifiers and period words found in text: each table sits in a
 * character trie whose payload (the lexicon's freq) is the entry's index
 * plus one, so a later (user) entry of the same text overrides an earlier
 * one, and a lookup costs a probe per character instead of a pass over
 * the table.
 *   zm_model_unit(m, "万元", 6)               => {万元, amount, canon 元}
 *   zm_model_qual_before(m, "不少于3所", 0, 9, ...) => at_least (不少于)
 *   zm_model_qual_reach(m, "至少建成学校3所", lo, hi) => at_least
 */
#include "model.h"
#include "utf8.h"

/* Adds text with payload index + 1 to trie (and, reversed, to rev). */
static int add_word(zm_lexicon *trie, zm_lexicon *rev, const char *text, size_t len, int index)
{
    if (!len || len > 255)
        return 0;
    if (zm_lexicon_add(trie, text, len, (uint32_t)index + 1, NULL))
        return ZM_E_NOMEM;
    if (!rev)
        return 0;
    char r[256];
    zm_utf8_reverse(text, len, r);
    return zm_lexicon_add(rev, r, len, (uint32_t)index + 1, NULL) ? ZM_E_NOMEM : 0;
}

int zm_words_build(zm_model *m)
{
    m->unit_trie = zm_lexicon_new();
    m->period_trie = zm_lexicon_new();
    m->qual_pre_rev = zm_lexicon_new();
    m->qual_reach = zm_lexicon_new();
    for (int p = 0; p < ZM_QP_N; p++)
        m->qual_trie[p] = zm_lexicon_new();
    if (!m->unit_trie || !m->period_trie || !m->qual_pre_rev || !m->qual_reach || !m->qual_trie[0] ||
        !m->qual_trie[1] || !m->qual_trie[2])
        return ZM_E_NOMEM;
    for (int i = 0; i < m->nunits; i++)
        if (add_word(m->unit_trie, NULL, m->units[i].text, m->units[i].len, i))
            return ZM_E_NOMEM;
    for (int i = 0; i < m->nperiods; i++)
        if (add_word(m->period_trie, NULL, m->periods[i].text, m->periods[i].len, i))
            return ZM_E_NOMEM;
    for (int i = 0; i < m->nquals; i++) {
        const zm_word *w = &m->quals[i];
        int pos = w->pos & ~ZM_QP_REACH;
        if (pos < 0 || pos >= ZM_QP_N)
            continue;
        if (add_word(m->qual_trie[pos], pos == ZM_QP_PRE ? m->qual_pre_rev : NULL, w->text, w->len, i) ||
            ((w->pos & ZM_QP_REACH) && add_word(m->qual_reach, NULL, w->text, w->len, i)))
            return ZM_E_NOMEM;
        if (w->pos & ZM_QP_REACH)
            zm_cpset_add_first(m->reach_first, w->text, w->len);
    }
    return 0;
}

void zm_words_free(zm_model *m)
{
    zm_lexicon_free(m->unit_trie);
    zm_lexicon_free(m->period_trie);
    zm_lexicon_free(m->qual_pre_rev);
    zm_lexicon_free(m->qual_reach);
    for (int p = 0; p < ZM_QP_N; p++)
        zm_lexicon_free(m->qual_trie[p]);
}

/* Index of the entry whose text is exactly s[0..len), or -1. */
static int exact(const zm_lexicon *trie, const char *s, size_t len)
{
    if (!len)
        return -1;
    const zm_lex_entry *e = zm_lexicon_find(trie, s, len);
    return e && e->freq ? (int)e->freq - 1 : -1;
}

const zm_unit *zm_model_unit(const zm_model *m, const char *s, size_t len)
{
    int i = exact(m->unit_trie, s, len);
    return i >= 0 ? &m->units[i] : NULL;
}

const zm_period *zm_model_period(const zm_model *m, const char *s, size_t len)
{
    int i = exact(m->period_trie, s, len);
    return i >= 0 ? &m->periods[i] : NULL;
}

int zm_model_qual(const zm_model *m, int pos, const char *s, size_t len)
{
    int i = pos >= 0 && pos < ZM_QP_N ? exact(m->qual_trie[pos], s, len) : -1;
    return i >= 0 ? m->quals[i].cls : -1;
}

int zm_model_qual_before(const zm_model *m, const char *text, size_t lo, size_t at, int reach_only, size_t *qlen)
{
    zm_lex_hit h[ZM_LEX_MAX_HITS];
    for (int k = zm_lexicon_suffixes(m->qual_pre_rev, text, lo, at, h); k-- > 0;) {
        const zm_word *w = &m->quals[h[k].payload - 1];
        if (!reach_only || (w->pos & ZM_QP_REACH)) {
            *qlen = h[k].len;
            return w->cls;
        }
    }
    *qlen = 0;
    return -1;
}

int zm_model_qual_reach(const zm_model *m, const char *text, size_t lo, size_t hi)
{
    /* the nearest governing word before hi: the last start that opens one */
    const unsigned char *u = (const unsigned char *)text;
    for (size_t p = hi; p-- > lo;) {
        if ((u[p] & 0xC0) == 0x80)
            continue;
        int c0;
        zm_utf8_next(u + p, u + hi, &c0);
        if (!zm_cpset_has(m->reach_first, c0))
            continue;
        zm_lex_hit h[ZM_LEX_MAX_HITS];
        int n = zm_lexicon_prefixes(m->qual_reach, text, p, hi, h);
        int q = n ? m->quals[h[n - 1].payload - 1].cls : -1;
        if (q >= 0)
            return q;
    }
    return -1;
}
