/* Word lexicon for segmentation: word -> frequency and part of speech.
 * Every proper prefix of a word is stored with frequency 0 so the DAG
 * builder can stop extending a match as soon as no word continues it
 * (as jieba's prefix dictionary does).
 *   zm_lexicon_find(lx, "入学率", 9)  => {freq 835, pos "n"}
 *   zm_lexicon_find(lx, "入学", 6)    => a word itself (freq > 0)
 *   zm_lexicon_find(lx, "入学率x", 10) => NULL
 * Files: "word [freq [pos]]" per line, '#' comments; later files override.
 */
#ifndef ZM_LEXICON_H
#define ZM_LEXICON_H

#include <stddef.h>
#include <stdint.h>
#include "zhmetrics.h"

typedef struct zm_lexicon zm_lexicon;

typedef struct zm_lex_entry {
    uint32_t off;   /* word bytes in the pool */
    uint16_t len;
    uint16_t pos;   /* index into the POS name table */
    uint32_t freq;  /* 0: prefix only */
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
const char *zm_lexicon_pos_name(const zm_lexicon *lx, uint16_t pos);
double zm_lexicon_log_total(const zm_lexicon *lx);
size_t zm_lexicon_words(const zm_lexicon *lx);

/* Compiled cache: save writes the built table (atomically, via a
 * temporary file); map returns a read-only lexicon backed by the file, or
 * NULL when it is missing, corrupt or was built from other sources (key). */
int zm_lexicon_save(const zm_lexicon *lx, const char *path, uint64_t key);
zm_lexicon *zm_lexicon_map(const char *path, uint64_t key);

#endif
