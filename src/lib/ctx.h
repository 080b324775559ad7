/* Per-thread context for one document at a time, in the order of the
 * stages (docs/architecture.md): the text; the stage products, each
 * written by its stage and read by the later ones through a const pointer
 * (zm_layout: structure.c; zm_docfacts: docinfo.c, notes.c; zm_candidate:
 * extract.c, table.c, handed to resolve.c); and scratch (zm_work), the
 * working state every stage may use. Nothing here is shared between
 * threads. tests/arch/check.py checks who names a product writable.
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
} zm_heading;

typedef struct zm_sentence {
    size_t start, end;
    int line;
} zm_sentence;

/* Scratch: what is learnt of a heading or sentence lazily, the first time
 * a figure asks (structure.c fills them; indexed as layout.heads/sents). */
typedef struct zm_head_cache {
    int time_done, has_time;
    zm_time time;
} zm_head_cache;

typedef struct zm_sent_cache {
    int times_done;
    int time0, ntime; /* slice of scratch times */
    int cues_done;
    int cue0, ncue;   /* slice of scratch cuehits */
    uint32_t cue_classes; /* every class among them: most are absent */
} zm_sent_cache;

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

/* A stage product's array: its elements are const to every reader; the
 * stage that makes it appends through ZM_PUSH_RW. */
#define ZM_CVEC(T, name) \
    const T *name;       \
    size_t n_##name, cap_##name

/* Stage 3 product, the layout of the normalised text: written by
 * structure.c (zm_structure) only, read through `const zm_layout *` by
 * every later stage (ctx->layout). */
typedef struct zm_layout {
    ZM_CVEC(zm_line, lines);
    ZM_CVEC(zm_heading, heads);
    ZM_CVEC(zm_sentence, sents);
    ZM_CVEC(zm_range, ignores); /* conversion debris (sorted, disjoint) */
    ZM_CVEC(zm_range, quotes);  /* “…” and 《…》 (sorted, disjoint) */
} zm_layout;

/* Stage 4 product, the facts of the whole document that the figures'
 * stages read: written by docinfo.c (zm_docinfo) and notes.c
 * (zm_notes_collect) only, read through `const zm_docfacts *` by every
 * later stage (ctx->facts). */
typedef struct zm_docfacts {
    int has_period;
    zm_time period;
    char period_text[256];
    int has_date;
    zm_ymd date, ref;
    int has_ref;
    int plan_doc; /* genre plan: every figure a target unless it says otherwise */
    int year;     /* the document's year: a time without its year takes it */
    /* level-1 headings a mixed report's genre makes plan sections (三、扎实
     * 抓好2024年重点工作), beside those the layout marked by their words;
     * ascending (zm_heading_plan) */
    ZM_CVEC(int, plan_heads);
    /* numbered notes (注：2.常住人口城镇化率为…): number and defined term,
     * for footnote marks glued to a figure (notes.c) */
    int n_notes;
    int note_num[8];
    zm_range note_term[8];
} zm_docfacts;

/* Tokens of a text range: token k covers base + tok[k].start for
 * tok[k].len bytes. Valid until the next zm_seg_window. */
typedef struct zm_tokens {
    zm_token *tok;
    size_t n;
    size_t base;
} zm_tokens;

/* Stage 5 product, a candidate: a metric of the document with its value,
 * unit, qualifier and span, not resolved yet, and how it was read (for
 * --explain). extract.c reads it and hands it to resolution (resolve.c)
 * before it reads the next one: the figures of a clause then share its
 * segmentation window (a line's candidates resolved after the whole line
 * re-segmented windows: +0.7% of a document's instructions, callgrind). */
typedef struct zm_candidate {
    size_t metric;        /* index in the document's metrics */
    size_t ms, me;        /* the figure's span in the normalised text */
    const zm_rule *rule;  /* the metric rule that matched, or NULL (bare number, table cell) */
    const zm_unit *unit;  /* its unit entry, or NULL */
    int qpre, qafter;     /* qualifier words before / after the number, or -1 */
    int chinese;          /* a numeral word */
    const char *bare_of;  /* a bare number: the text of the figure it took its unit from */
    int table_year;       /* a plan table's cell (table.c): its column's year, else 0 */
} zm_candidate;

/* Per-thread working state, mutable by every stage and never a stage's
 * product: match data, segmentation buffers, the lazily computed caches of
 * headings and sentences (their times, their cue words), strings shared by
 * consecutive figures, the explanation being built. A cache is computed
 * from the products, so who fills it first does not change an answer (the
 * times read facts->year: docinfo.c asks for a heading's time only after
 * it has set the year). */
typedef struct zm_work {
    pcre2_match_data *md;
    zm_seg seg;       /* a range segmented outside any sentence window */
    zm_seg sseg;      /* tokens of a window of one sentence, reused by its figures */
    long sseg_sentence;
    size_t sseg_lo, sseg_hi;
    zm_tokens tv; /* tokens of the range last asked for (zm_seg_window) */
    /* lazy caches of headings and sentences (structure.c), one slot per
     * layout heading / sentence, reset with each layout */
    zm_head_cache *hcache;
    zm_sent_cache *scache;
    size_t cap_hcache, cap_scache;
    ZM_VEC(zm_time, times);
    ZM_VEC(zm_cuehit, cuehits);
    size_t sent_hint; /* the sentence last found: the next question is mostly about it */
    /* strings shared by consecutive figures of one sentence or section */
    long last_sentence;
    const char *last_sentence_text;
    int last_head;
    const char *const *last_section;
    size_t last_section_len;
    /* --explain: members of the current metric's explanation object */
    int explain;
    zm_buf why;
} zm_work;

/* One document at a time: its inputs, the products of the stages in
 * order, each read-only to the stages after it, and the working state. */
struct zm_ctx {
    /* inputs */
    const zm_model *m;
    const zm_doc_options *opt;
    /* stages 1-3a product, the text (extract.c: reader, decode, norm.c;
     * traditional script simplified in place): fixed before the layout */
    zm_buf text;      /* the text converted to UTF-8, when it was not */
    const char *src;  /* the document's UTF-8 text: its bytes as given (no copy), or text */
    size_t src_len;
    zm_unwrap unwrap; /* line breaks of a paragraph wrapped at the page width */
    zm_norm norm;     /* folded for matching; offsets map back to text */
    /* stage 3 product: layout_rw is written by structure.c alone (and
     * freed with the context); the others read it through layout */
    zm_layout layout_rw;
    const zm_layout *layout; /* = &layout_rw */
    /* stage 4 product: facts_rw is written by docinfo.c and notes.c
     * alone; the others read it through facts */
    zm_docfacts facts_rw;
    const zm_docfacts *facts; /* = &facts_rw */
    /* scratch */
    zm_work w;
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
/* The producer's append to its product's ZM_CVEC: the new element, writable. */
#define ZM_PUSH_RW(T, p, name) ((T *)zm_vec_push((void **)&(p)->name, &(p)->n_##name, &(p)->cap_##name, sizeof(T)))

/* structure.c */
/* Writes the layout L (c->layout_rw) from c->norm and resets the lazy
 * caches to its size. */
int zm_structure(zm_ctx *c, zm_layout *L);
void zm_layout_free(zm_layout *L);
int zm_in_ranges(const zm_range *r, size_t n, size_t at);
int zm_sentence_at(zm_ctx *c, size_t at); /* index or -1 */
int zm_line_at(const zm_layout *L, size_t at);
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

/* docinfo.c: writes the document's fields in d and the facts F
 * (c->facts_rw) from the layout. */
int zm_docinfo(zm_ctx *c, zm_docfacts *F, zm_doc *d);

/* Is heading h a plan section by its words (layout) or by the document's
 * genre (facts)? */
static inline int zm_heading_plan(const zm_layout *L, const zm_docfacts *F, int h)
{
    if (L->heads[h].plan)
        return 1;
    for (size_t k = 0; k < F->n_plan_heads && F->plan_heads[k] <= h; k++)
        if (F->plan_heads[k] == h)
            return 1;
    return 0;
}

/* resolve.c */
/* Fills the context fields of mt (one of d's metrics, those before it
 * resolved), whose figure spans [ms,me) in the normalised text. */
int zm_resolve_metric(zm_ctx *c, zm_doc *d, zm_metric *mt, size_t ms, size_t me);

#endif
