/* Word lexicon for segmentation: word -> frequency and part of speech,
 * kept as a character trie. Segmentation extends a match one character at
 * a time (jieba's prefix dictionary), so a step costs one hash probe on
 * (node, character) instead of hashing and comparing the whole prefix.
 *   zm_lexicon_find(lx, "入学率", 9)  => {freq 835, pos "n"}
 *   zm_lexicon_find(lx, "入学", 6)    => a word itself (freq > 0)
 *   zm_lexicon_find(lx, "入", 3)      => a prefix only (freq 0)
 *   zm_lexicon_find(lx, "入学率x", 10) => NULL
 * Files: "word [freq [pos]]" per line, '#' comments; later files override.
 */
#ifndef ZM_LEXICON_H
#define ZM_LEXICON_H

#include <stddef.h>
#include <stdint.h>
#include "zhmetrics.h"

typedef struct zm_lexicon zm_lexicon;

#define ZM_LEX_ROOT 0u

/* A trie node, stored on the one edge that reaches it (16 bytes: one
 * cache line holds four, and a step touches one). */
typedef struct zm_lex_entry {
    uint32_t parent;   /* node the edge leaves */
    uint32_t node;     /* node it reaches; 0: empty slot */
    uint32_t cp : 21;  /* the edge's character */
    uint32_t pos : 11; /* index into the POS name table */
    uint32_t freq;     /* 0: prefix only */
} zm_lex_entry;

zm_lexicon *zm_lexicon_new(void);
void zm_lexicon_free(zm_lexicon *lx);
/* Adds words from a file. default_freq applies to lines without one.
 * Errors carry file:line. */
int zm_lexicon_load(zm_lexicon *lx, const char *path, uint32_t default_freq,
                    zm_error *err);
int zm_lexicon_add(zm_lexicon *lx, const char *word, size_t len, uint32_t freq,
                   const char *pos);
const zm_lex_entry *zm_lexicon_find(const zm_lexicon *lx, const char *s, size_t len);
/* The edge from node by character cp, or NULL. */
const zm_lex_entry *zm_lexicon_step(const zm_lexicon *lx, uint32_t node, int cp);

/* The table itself, for a loop of many steps (segmentation steps a few
 * times per character): the step inlined, not a call each. */
typedef struct zm_lex_table {
    const zm_lex_entry *edge; /* open addressing on (parent, cp) */
    size_t mask;              /* slots - 1 (a power of two) */
} zm_lex_table;
zm_lex_table zm_lexicon_table(const zm_lexicon *lx);

/* Fibonacci hashing of the (node, character) pair: the first slot probed. */
static inline size_t zm_lex_slot(uint32_t node, uint32_t cp, size_t mask)
{
    return (size_t)((((uint64_t)node << 21 | cp) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* At most every slot is probed: a mapped cache is not read whole at
 * start-up (zm_lexicon_map), so a table damaged in place may have no empty
 * slot left; a lookup in it must still end. */
static inline const zm_lex_entry *zm_lex_table_step(zm_lex_table t, uint32_t node, int cp)
{
    if (cp <= 0)
        return NULL;
    size_t i = zm_lex_slot(node, (uint32_t)cp, t.mask);
    for (size_t k = 0; k <= t.mask; k++, i = (i + 1) & t.mask) {
        const zm_lex_entry *e = &t.edge[i];
        if (!e->node)
            return NULL;
        if (e->parent == node && e->cp == (uint32_t)cp)
            return e;
    }
    return NULL;
}

/* Words found in text, for tries used as word tables (cues, units,
 * qualifiers: the payload is what the lexicon calls freq). Words are at
 * most 255 bytes, so ZM_LEX_MAX_HITS holds every one that can be found. */
#define ZM_LEX_MAX_HITS 256
typedef struct zm_lex_hit {
    uint32_t len;     /* bytes of text */
    uint32_t payload; /* the entry's freq, never 0 */
} zm_lex_hit;
/* The words that text[at..hi) starts with, shortest first. */
int zm_lexicon_prefixes(const zm_lexicon *lx, const char *text, size_t at, size_t hi, zm_lex_hit *out);
/* In a trie of reversed words: the words that text[lo..at) ends with,
 * shortest first. */
int zm_lexicon_suffixes(const zm_lexicon *lx, const char *text, size_t lo, size_t at, zm_lex_hit *out);
const char *zm_lexicon_pos_name(const zm_lexicon *lx, uint16_t pos);
double zm_lexicon_log_total(const zm_lexicon *lx);
size_t zm_lexicon_words(const zm_lexicon *lx);

/* Compiled cache: save writes the built table (atomically, via a
 * temporary file); map returns a read-only lexicon backed by the file, or
 * NULL when it is missing, truncated, not a cache or was built from other
 * sources (key). The table itself is not read at start-up (16 MB: a third
 * of the start-up's instructions went to checking it): its pages come in
 * as lookups touch them. A table damaged in place is used as it is, and is
 * safe to use: a node is never an index (only a hash key), a POS past the
 * table reads as "x" and a probe ends after every slot. */
int zm_lexicon_save(const zm_lexicon *lx, const char *path, uint64_t key);
zm_lexicon *zm_lexicon_map(const char *path, uint64_t key);

#endif
