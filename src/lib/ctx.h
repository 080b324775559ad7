/* Per-thread working state for one document at a time: the decoded and
 * normalised text, its structure (lines, headings, sentences) and reusable
 * scratch buffers. Nothing here is shared between threads.
 */
#ifndef ZM_CTX_H
#define ZM_CTX_H

#include <stddef.h>
#include "doc.h"
#include "model.h"
#include "norm.h"
#include "unwrap.h"
#include "seg.h"
#include "timex.h"

typedef struct zm_range {
    size_t start, end;
} zm_range;

typedef struct zm_line {
    size_t start, end; /* end excludes the line break */
    size_t content;    /* after indentation and conversion debris */
    int heading;       /* innermost heading in force on this line, or -1 */
} zm_line;

typedef struct zm_heading {
    size_t start, end; /* the heading text (numbering included) */
    int style, level, parent;
    int plan;          /* names a plan section */
    int time_done, has_time;
    zm_time time;
} zm_heading;

typedef struct zm_sentence {
    size_t start, end;
    int line;
    int times_done;
    int time0, ntime; /* slice of ctx->times */
    int cues_done;
    int cue0, ncue;   /* slice of ctx->cuehits */
    uint32_t cue_classes; /* every class among them: most are absent */
} zm_sentence;

/* A cue word found in a sentence: every class it belongs to. */
typedef struct zm_cuehit {
    uint32_t at, len, mask;
} zm_cuehit;

/* A sentence longer than this (a line without sentence ends) is quoted
 * around its figure only. */
#define ZM_SENTENCE_MAX 1024

#define ZM_VEC(T, name) \
    T *name;            \
    size_t n_##name, cap_##name

/* Tokens of a text range: token k covers base + tok[k].start for
 * tok[k].len bytes. Valid until the next zm_seg_window. */
typedef struct zm_tokens {
    zm_token *tok;
    size_t n;
    size_t base;
} zm_tokens;

struct zm_ctx {
    const zm_model *m;
    pcre2_match_data *md;
    zm_buf text;      /* the text converted to UTF-8, when it was not */
    const char *src;  /* the document's UTF-8 text: its bytes as given (no copy), or text */
    size_t src_len;
    zm_unwrap unwrap; /* line breaks of a paragraph wrapped at the page width */
    zm_norm norm;     /* folded for matching; offsets map back to text */
    zm_seg seg;       /* a range segmented outside any sentence window */
    zm_seg sseg;      /* tokens of a window of one sentence, reused by its figures */
    long sseg_sentence;
    size_t sseg_lo, sseg_hi;
    zm_tokens tv; /* tokens of the range last asked for (zm_seg_window) */
    ZM_VEC(zm_line, lines);
    ZM_VEC(zm_heading, heads);
    ZM_VEC(zm_sentence, sents);
    ZM_VEC(zm_range, ignores);
    ZM_VEC(zm_range, quotes);
    ZM_VEC(zm_time, times);
    ZM_VEC(zm_cuehit, cuehits);
    /* document facts */
    int has_period;
    zm_time period;
    char period_text[256];
    int has_date;
    zm_ymd date, ref;
    int has_ref;
    int plan_doc; /* genre plan: every figure a target unless it says otherwise */
    int year;     /* the document's year (docinfo, read-only after it): a time without its year takes it */
    const zm_doc_options *opt;
    size_t sent_hint; /* the sentence last found: the next question is mostly about it */
    /* strings shared by consecutive figures of one sentence or section */
    long last_sentence;
    const char *last_sentence_text;
    int last_head;
    const char *const *last_section;
    size_t last_section_len;
    /* numbered notes (注：2.常住人口城镇化率为…): number and defined term,
     * for footnote marks glued to a figure (notes.c) */
    int n_notes;
    int note_num[8];
    zm_range note_term[8];
    /* --explain: members of the current metric's explanation object */
    int explain;
    zm_buf why;
};

/* --explain (explain.c): the builder of a metric opens its explanation,
 * the stages add to it, the builder closes it onto the metric. */
void zm_why_begin(zm_ctx *c);
int zm_why_end(zm_ctx *c, zm_doc *d, zm_metric *mt);
/* Adds "key":"value" to the current explanation (no-op unless explaining). */
void zm_why(zm_ctx *c, const char *key, const char *value, size_t len);
void zm_whyf(zm_ctx *c, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* End of the window rules anchored at `at` look at (a char boundary <= hi). */
size_t zm_window_end(const char *t, size_t at, size_t hi);

/* Appends one zeroed element to a ZM_VEC; returns it or NULL. */
void *zm_vec_push(void **arr, size_t *n, size_t *cap, size_t elem);
#define ZM_PUSH(c, name) ((__typeof__((c)->name))zm_vec_push((void **)&(c)->name, &(c)->n_##name, &(c)->cap_##name, sizeof *(c)->name))

/* structure.c */
int zm_structure(zm_ctx *c);
int zm_in_ranges(const zm_range *r, size_t n, size_t at);
int zm_sentence_at(zm_ctx *c, size_t at); /* index or -1 */
int zm_line_at(const zm_ctx *c, size_t at);
/* Runs an unanchored rule action over [lo,hi); calls fn per match. */
typedef int (*zm_match_fn)(zm_ctx *c, const zm_rule *r, const size_t *ovec, void *arg);
int zm_scan(zm_ctx *c, int action, size_t lo, size_t hi, zm_match_fn fn, void *arg);
/* Times of a sentence (computed once). */
int zm_sentence_times(zm_ctx *c, int si);
int zm_heading_time(zm_ctx *c, int hi, zm_time *out);
int zm_time_in(zm_ctx *c, size_t lo, size_t hi, int year, zm_time *out);

/* Tokens of [lo,hi) into c->tv, from a cached window of the enclosing
 * sentence when there is one (no copy: its tokens keep what resolve
 * learnt of them for the next figure). lo must start a clause (or the
 * sentence). */
int zm_seg_window(zm_ctx *c, size_t lo, size_t hi);
/* Length of a clause separator (，；：、（）。！？ and ASCII forms) at at, or 0. */
size_t zm_sep_len(const char *t, size_t at, size_t hi);
/* Start of the clause holding `at`: just after the last separator in
 * [lo,at), else lo. Looked for from `at` back: a clause is short, the text
 * before it may not be. A clause is read at most ZM_CLAUSE_MAX bytes back
 * (the start of the character there): every figure of a clause without
 * separators (三所 三所 ... over 200 KB) looked at the whole clause before
 * it, a time quadratic in the figures (issue 16). */
#define ZM_CLAUSE_MAX 768 /* 256 characters of Chinese */
size_t zm_clause_start(const char *t, size_t lo, size_t at);

/* First cue of class cls in [lo,hi) (offset, *len), or -1: through the
 * sentence's cue index, built once, when [lo,hi) lies in one sentence. */
long zm_cue_find(zm_ctx *c, int cls, size_t lo, size_t hi, size_t *len);

/* docinfo.c */
int zm_docinfo(zm_ctx *c, zm_doc *d);

/* resolve.c */
/* Fills the context fields of mt, whose figure spans [ms,me) in the
 * normalised text. */
int zm_resolve_metric(zm_ctx *c, zm_doc *d, zm_metric *mt, size_t ms, size_t me);

#endif
