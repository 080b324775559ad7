/* The indicator catalog (dict/indicators.tsv, SPEC section 7) and the
 * matcher that gives a resolved metric its `indicator` id.
 *   subject 学前三年毛入园率, ratio %            => edu.preschool.gross_enrolment_rate
 *   subject 生师, ratio 17.15:1, sentence 小学专任教师4.02万人，生师比为17.15:1
 *                                                => edu.ptr.primary (context 小学)
 *   subject 农村学校专任教师, count 人            => none (a part of the population)
 *   subject 地区生产总值, 增长8.3% (change)       => econ.gdp
 * The words of the catalog sit in a character trie (the lexicon's), so a
 * metric costs one walk over its subject; its sentence and section are
 * read only for the few candidates that need a context or an exclusion.
 */
#ifndef ZM_INDICATOR_H
#define ZM_INDICATOR_H

#include <stdint.h>
#include <stdio.h>
#include "zhmetrics.h"

typedef struct zm_indicators zm_indicators;

/* Caller frees with zm_indicators_free (NULL ok). */
zm_indicators *zm_indicators_new(void);
void zm_indicators_free(zm_indicators *cat);
/* Adds the entries and word lists of one catalog file (the main one,
 * then a user one). A bad line: ZM_E_DATA with path:line in err. */
int zm_indicators_load(zm_indicators *cat, const char *path, zm_error *err);
/* Builds the tries once every file is loaded. 0 or ZM_E_NOMEM. */
int zm_indicators_finish(zm_indicators *cat);

int zm_indicators_count(const zm_indicators *cat);
/* The name and direction ("up" "down" "none") of entry id: 1, or 0 when
 * the catalog has no such entry (target tracking, track.c). */
int zm_indicators_info(const zm_indicators *cat, const char *id, const char **name, const char **direction);
/* The catalog as TSV (id name kind unit direction), in file order. */
int zm_indicators_write_tsv(const zm_indicators *cat, FILE *f);

/* What decided a match (or, with id NULL, why the best candidate was
 * turned down): for --explain. Strings borrowed from the catalog and the
 * metric. */
typedef struct zm_ind_why {
    const char *id, *file;
    int line;
    const char *word;    /* the catalog word found in the subject */
    const char *ctx;     /* the context word that decided, or NULL */
    const char *where;   /* subject, sentence or section */
    const char *reject;  /* why the best candidate was not taken */
    const char *reject_word;
    const char *from;    /* where the word was read: NULL (the subject), "clause"
                          * (the figure's clause), "list" (its item of a 分别 list)
                          * or "figure before" (a change carrying its level's id) */
} zm_ind_why;

/* The id of the catalog entry the metric is a value or a change of, or
 * NULL. why may be NULL. */
const char *zm_indicator_match(const zm_indicators *cat, const zm_metric *mt, zm_ind_why *why);

/* A catalog word found in a text: bytes [at,end), its aux index. */
typedef struct zm_ind_hit {
    uint32_t at, end, id;
} zm_ind_hit;
#define ZM_IND_EX_HITS 256

/* What one sentence's scan found, kept from one figure to the next of the
 * same sentence (figures of one sentence share it by pointer); start
 * with sentence NULL. */
typedef struct zm_ind_scan {
    const char *sentence; /* or NULL */
    int has_br;           /* holds brackets */
    size_t lead;          /* end of its first clause */
    int lead_topic;       /* that clause has no figure and is outside brackets: a topic */
    /* the last figure outside brackets in host_sentence: where it ends
     * and whether it got an id (a list in brackets right after it is a
     * breakdown of it: 涉及学校38所（其中幼儿园9所、小学17所）) */
    const char *host_sentence;
    int host_br;
    size_t host_end;
    int host_id;
    int host_people; /* the host counts people (人, 名) */
    size_t next_from; /* where the next figure of host_sentence is looked for */
    /* after 其中 (招录教师148人，其中，幼儿教师16人…): the figures that
     * follow are parts of the host figure, whose clause is [qz_start,
     * qz_end) */
    int qz;
    size_t qz_start, qz_end;
    size_t qz_until; /* the 其中 clause's end; its list's, when 其中 stands alone (其中，…) */
    size_t qz_next;  /* the first 其中 of the sentence not before host_end, or (size_t)-1 */
    /* brackets open at br_pos (read forwards once a sentence): where the
     * innermost ZM_IND_BR_MAX open, and how many are open */
    size_t br_pos;
    int br_n;
    size_t br_open[8];
    /* the figures of rec_sentence that got an id, in order: a change in a
     * clause of its own (…286.43亿元，按可比价格计算，比上年增长7.9%)
     * carries the id of the figure before it */
    const char *rec_sentence;
    int nrec;
    struct {
        size_t at, end, clause; /* clause: (size_t)-1 until needed */
        int entry;
    } rec[8];
    long fb_at; /* the first 分别 of rec_sentence, or -1 */
    /* the exclude and @whole words of hit_sentence starting before ex_to,
     * in text order: read once a sentence, as far as its figures need
     * (they come in order), not again for every figure and candidate; -1
     * when more than fit (then each region is read on its own) */
    const char *hit_sentence;
    size_t hit_len, ex_to;
    int nex;
    zm_ind_hit ex[ZM_IND_EX_HITS];
} zm_ind_scan;

/* zm_indicator_match for consecutive figures of a document: scan carries
 * the sentence facts from one call to the next. */
const char *zm_indicator_match_in(const zm_indicators *cat, const zm_metric *mt, zm_ind_why *why, zm_ind_scan *scan);

#endif
