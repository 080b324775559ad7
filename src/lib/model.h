/* The loaded model: dictionary tables, compiled rules and the lexicon,
 * built once from dict/ (plus an optional user dictionary) and shared
 * read-only by every thread.
 *   units.tsv "名 count 人 -"     => zm_unit{text 名, kind count, canon 人}
 *   cues.tsv  "力争 goal"          => zm_cue{力争, ZM_CUE_GOAL}
 *   periods.tsv "上半年 01-01 06-30" => relative period
 */
#ifndef ZM_MODEL_H
#define ZM_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "lexicon.h"
#include "numex.h"
#include "rules.h"
#include "zhmetrics.h"

/* kinds (zm_kind) and qualifiers (zm_qualifier): include/zhmetrics.h,
 * named in names.c */
enum zm_qpos { ZM_QP_PRE, ZM_QP_INFIX, ZM_QP_POST, ZM_QP_N, ZM_QP_REACH = 8 /* flag: governs its clause */ };

enum zm_cue_class {
    ZM_CUE_GOAL, ZM_CUE_GOAL_PRED, ZM_CUE_ACTUAL, ZM_CUE_PRESENT, ZM_CUE_PRESENT_WEAK,
    ZM_CUE_PLAN_HEADING, ZM_CUE_PRESENT_SECTION, ZM_CUE_SUMMARY_TITLE, ZM_CUE_DURATION, ZM_CUE_CHANGE_INC,
    ZM_CUE_CHANGE_DEC, ZM_CUE_COMPARE, ZM_CUE_TIME_ASOF, ZM_CUE_TIME_ASOF_END, ZM_CUE_TIME_DEADLINE,
    ZM_CUE_TIME_SINCE, ZM_CUE_SUBJECT_STOP, ZM_CUE_DURATION_TOPIC, ZM_CUE_ELECTRICITY,
    ZM_CUE_REVIEW_HEADING, ZM_CUE_MIXED_TITLE, ZM_CUE_MONEY, ZM_CUE_LEVEL, ZM_CUE_GOAL_FIRM, ZM_CUE_N
};
extern const char *const zm_cue_names[ZM_CUE_N];

/* Classes of dict/docwords.tsv: the words of the document record. */
enum zm_docword_class {
    ZM_DW_TITLE, ZM_DW_HEADER, ZM_DW_ORG_SUFFIX, ZM_DW_NOTICE_VERB, ZM_DW_NOTICE, ZM_DW_ABOUT,
    ZM_DW_TITLE_SUMMARY, ZM_DW_TITLE_AND, ZM_DW_TITLE_PLAN, ZM_DW_N
};
extern const char *const zm_docword_names[ZM_DW_N];

#define ZM_UNIT_PREFIX 1u
#define ZM_UNIT_CHINESE 2u
#define ZM_UNIT_MINOR 4u   /* 角/分: only after a whole amount of money (5元3角) */
#define ZM_UNIT_WORD 8u    /* also a common word (台, 度, 斤): needs a number of its own, not a list's */
#define ZM_UNIT_ALONE 16u  /* a minor unit that may stand alone (上涨8角 => 0.8 元) */
#define ZM_UNIT_MONEY 32u  /* a measure word that is also money (补助200块 => 200 元): money= */

typedef struct zm_unit {
    char *text;
    size_t len;
    int kind;
    char *canon;
    unsigned flags;
    int need;   /* cue class required before the number, or -1 */
    int scale;  /* multiplier applied to the value (成 = 10) */
    int minor;  /* ZM_UNIT_MINOR: parts of the main unit (角 = 10) */
    char currency[4]; /* ISO 4217 code of money units (cur=USD), else "" */
    char *money; /* ZM_UNIT_MONEY: the money unit it reads as (块 => 块钱, 元), else NULL */
} zm_unit;

typedef struct zm_word {
    char *text;
    size_t len;
    int cls; /* qualifier (with pos) or cue class */
    int pos;
} zm_word;

typedef struct zm_period {
    char *text;
    size_t len;
    int absolute;           /* from/to are full dates */
    int from_y, from_m, from_d; /* from_y: year offset when relative */
    int to_y, to_m, to_d;
} zm_period;

typedef struct zm_list {
    void *items;
    int n, cap;
} zm_list;

struct zm_model {
    zm_numerals num;
    zm_unit *units;
    int nunits;
    size_t capunits;
    zm_word *quals;
    int nquals;
    size_t capquals;
    zm_word *cues;
    int ncues;
    size_t capcues;
    zm_word *docwords; /* dict/docwords.tsv, few: looked through in order */
    int ndocwords;
    size_t capdocwords;
    zm_period *periods;
    int nperiods;
    size_t capperiods;
    zm_rules rules;
    zm_lexicon *lex;
    int max_groups;
    /* cue words as tries (forward and reversed), payload the class mask */
    zm_lexicon *cue_fwd, *cue_rev;
    uint8_t cue_first[ZM_CPSET_BYTES];    /* first characters of cue words */
    /* units, periods and qualifiers as tries, payload the index + 1
     * (words.c); pre qualifiers also reversed, reach ones apart */
    zm_lexicon *unit_trie, *period_trie, *qual_trie[ZM_QP_N], *qual_pre_rev, *qual_reach;
    uint8_t reach_first[ZM_CPSET_BYTES]; /* first characters of reach qualifiers */
    /* characters a time expression can start with: digits, numerals,
     * the first character of each period word, “ */
    uint8_t time_start[ZM_CPSET_BYTES];
    uint8_t time_start_lead[ZM_CPSET_BYTES]; /* its filter (zm_cplead_may) */
    /* characters every time expression holds one of: 年月日号旬 and the
     * last character of each period word; a start without one near it is
     * not tried */
    uint8_t time_mark[ZM_CPSET_BYTES];
    struct zm_indicators *ind; /* the indicator catalog (indicator.h) */
};

/* Lookups in the word tables (words.c). */
int zm_words_build(zm_model *m);
void zm_words_free(zm_model *m);
const zm_unit *zm_model_unit(const zm_model *m, const char *s, size_t len);
const zm_period *zm_model_period(const zm_model *m, const char *s, size_t len);
/* Qualifier at position `pos` whose text is exactly s[0..len), or -1. */
int zm_model_qual(const zm_model *m, int pos, const char *s, size_t len);
/* Longest pre-qualifier ending at text+at (not before text+lo); sets *qlen.
 * reach_only: only those marked to govern their clause. */
int zm_model_qual_before(const zm_model *m, const char *text, size_t lo, size_t at, int reach_only, size_t *qlen);
/* Qualifier of the nearest `reach` word (qualifiers.tsv) in [lo,hi), or -1. */
int zm_model_qual_reach(const zm_model *m, const char *text, size_t lo, size_t hi);
/* Document words (docwords.tsv, on title and signature lines only). */
/* Does a word of class cls occur in [lo,hi)? */
int zm_model_docword_in(const zm_model *m, int cls, const char *t, size_t lo, size_t hi);
/* Length of the longest word of class cls ending at hi with at least
 * min_before bytes before it in [lo,hi), or 0. */
size_t zm_model_docword_end(const zm_model *m, int cls, const char *t, size_t lo, size_t hi, size_t min_before);
/* The first word of class cls ("" when none): words written into a record. */
const char *zm_model_docword(const zm_model *m, int cls);
/* Cue lookups (cues.c). */
int zm_cues_build(zm_model *m);
void zm_cues_free(zm_model *m);
/* Every cue word starting at `at` (ending <= hi), shortest first: its
 * length and classes (payload). Returns how many; out has room for
 * ZM_LEX_MAX_HITS. */
int zm_cues_at(const zm_model *m, const char *text, size_t at, size_t hi, zm_lex_hit *out);
/* Longest cue of class ending at `at` (>= lo); returns its length or 0. */
size_t zm_model_cue_before(const zm_model *m, int cls, const char *text, size_t lo, size_t at);
/* Longest cue of class starting at `at` (< hi); returns its length or 0. */
size_t zm_model_cue_at(const zm_model *m, int cls, const char *text, size_t at, size_t hi);
/* Classes (bit mask) of which s[0..len) is a cue word; 0 for none. */
uint32_t zm_model_cue_mask(const zm_model *m, const char *s, size_t len);
/* Is s[0..len) exactly a cue of class? */
int zm_model_is_cue(const zm_model *m, int cls, const char *s, size_t len);
/* First occurrence of any cue of class in [lo,hi); returns offset or -1, *clen its length. */
long zm_model_cue_find(const zm_model *m, int cls, const char *text, size_t lo, size_t hi, size_t *clen);

#endif
