/* zhmetrics: extract figures (counts, money, ratios, measures, durations)
 * from Chinese government reports as structured records.
 *
 *   "共投入资金2269万元"  => amount 22690000 元, subject 投入资金
 *   "入籍率79.68％"        => ratio 79.68 %
 *   "再增加2所以上" (计划) => count 2 所, at_least, target
 *
 * Usage:
 *   zm_model *m = zm_model_load("dict", NULL, &err);   // once, read-only
 *   zm_ctx *c = zm_ctx_new(m);                          // one per thread
 *   zm_doc *d = NULL;
 *   zm_extract(c, "a.txt", bytes, len, NULL, &d, &err);
 *   ... zm_doc_metric(d, i) ...
 *   zm_doc_write(d, ZM_FORMAT_JSONL, stdout);
 *   zm_doc_free(d); zm_ctx_free(c); zm_model_free(m);
 *
 * Ownership: every object returned by a *_new/_load/zm_extract call is the
 * caller's and is released with the matching *_free (all accept NULL).
 * Pointers returned by accessors (const) are borrowed from their owner and
 * live until it is freed. The library never prints and never exits.
 */
#ifndef ZHMETRICS_H
#define ZHMETRICS_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ZM_VERSION "0.1.0"

/* Status codes: 0 ok, negative on error. */
typedef enum {
    ZM_OK = 0,
    ZM_E_NOMEM = -1,
    ZM_E_IO = -2,
    ZM_E_DATA = -3,    /* a dictionary or rule file is malformed */
    ZM_E_INPUT = -4,   /* a document cannot be read as text */
    ZM_E_LIMIT = -5,   /* a document exceeds a configured limit */
    ZM_E_USAGE = -6
} zm_status;

/* Filled by failing calls when non-NULL. `file`/`line` locate data errors. */
typedef struct zm_error {
    int code;
    char file[512];
    int line;
    char msg[512];
} zm_error;

typedef struct zm_model zm_model; /* dictionaries and compiled rules */
typedef struct zm_ctx zm_ctx;     /* per-thread scratch state */
typedef struct zm_doc zm_doc;     /* one extracted document */

typedef struct zm_model_options {
    /* Extra dictionary directory whose files extend the main one. */
    const char *user_dict_dir;
    /* General lexicon (jieba format "word freq pos"); NULL = default
     * Debian location, "" = none. */
    const char *general_lexicon;
} zm_model_options;

/* Loads every table and rule under dict_dir. Returns NULL on error and
 * fills err (ZM_E_DATA with file:line for a bad line). Caller frees. */
zm_model *zm_model_load(const char *dict_dir, const zm_model_options *opt,
                        zm_error *err);
void zm_model_free(zm_model *m);
/* Number of words in the lexicon (general + domain). */
size_t zm_model_lexicon_size(const zm_model *m);

/* Per-thread context; borrows the model, which must outlive it. */
zm_ctx *zm_ctx_new(const zm_model *m);
void zm_ctx_free(zm_ctx *c);

typedef struct zm_doc_options {
    const char *ref_date;  /* "YYYY-MM-DD": overrides the document's own */
    size_t max_bytes;      /* 0 = default (64 MiB) */
    int explain;           /* attach rule/cue provenance to each metric */
} zm_doc_options;

/* Extracts one document from raw bytes (any supported encoding). On
 * success *out holds the document (caller frees with zm_doc_free). When
 * the input is not usable text, returns ZM_E_INPUT or ZM_E_LIMIT and
 * *out still holds a document whose zm_doc_error() says why, so callers
 * can always emit one record per input. */
int zm_extract(zm_ctx *c, const char *name, const char *bytes, size_t len,
               const zm_doc_options *opt, zm_doc **out, zm_error *err);

/* An error record for an input that could not even be read. */
zm_doc *zm_doc_new_error(const char *name, const char *message);
void zm_doc_free(zm_doc *d);

typedef struct zm_date_range {
    const char *text; /* as written, or the heading/title it came from */
    char from[11];    /* YYYY-MM-DD */
    char to[11];
} zm_date_range;

typedef struct zm_metric {
    const char *kind;      /* amount count ratio measure duration */
    const char *status;    /* actual target */
    const char *text;      /* bytes of span */
    size_t span[2];        /* [start,end) bytes in the UTF-8 text */
    int line;              /* 1-based */
    const char *value;     /* exact decimal, e.g. "26442375", "79.68" */
    const char *value_max; /* NULL unless a range */
    const char *unit;      /* canonical unit */
    const char *unit_text; /* unit as written */
    const char *qualifier; /* exact over at_least under at_most about */
    const char *subject;   /* may be NULL */
    const zm_date_range *time; /* NULL when nothing dates it */
    const char *change;    /* increase decrease or NULL */
    const char *const *section; /* heading path */
    size_t section_len;
    const char *sentence;
    const char *explain;   /* JSON object text, NULL unless requested */
    int page;              /* 1-based page of a PDF's figure, 0 for other inputs */
} zm_metric;

/* Document fields; strings may be NULL. */
const char *zm_doc_name(const zm_doc *d);
const char *zm_doc_error(const zm_doc *d); /* NULL when extracted */
const char *zm_doc_title(const zm_doc *d);
/* 1 when the document has no title line and the title was rebuilt from
 * its organ, period and genre headings. */
int zm_doc_title_inferred(const zm_doc *d);
const char *zm_doc_org(const zm_doc *d);
const char *zm_doc_region(const zm_doc *d);
const char *zm_doc_doc_no(const zm_doc *d);
const char *zm_doc_date(const zm_doc *d);
const zm_date_range *zm_doc_period(const zm_doc *d);
const char *zm_doc_genre(const zm_doc *d);
const char *zm_doc_encoding(const zm_doc *d);
/* The input's kind, read from its content: "text", "html", "docx", "pdf"
 * (NULL for an input that could not be read). */
const char *zm_doc_format(const zm_doc *d);
/* The text the spans point into when the reader made it (HTML, DOCX,
 * PDF), with its length in *len; NULL for plain text (its decoded bytes). */
const char *zm_doc_text(const zm_doc *d, size_t *len);
size_t zm_doc_bytes(const zm_doc *d);
size_t zm_doc_metric_count(const zm_doc *d);
const zm_metric *zm_doc_metric(const zm_doc *d, size_t i);

/* Serialises the document and its metrics as SPEC JSON Lines (format 0)
 * or one pretty JSON object (format 1). JSON Lines go out in 64 KB
 * pieces as they are made: a large document's output is never whole in
 * memory. Returns 0, ZM_E_IO or ZM_E_NOMEM. */
enum { ZM_FORMAT_JSONL = 0, ZM_FORMAT_JSON = 1 };
int zm_doc_write(const zm_doc *d, int format, FILE *f);
/* Same, appended to a malloc'd buffer (*buf, *len, *cap grow); a NUL
 * follows the text (not counted in *len). */
int zm_doc_append(const zm_doc *d, int format, char **buf, size_t *len,
                  size_t *cap);

#ifdef __cplusplus
}
#endif
#endif
