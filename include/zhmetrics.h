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
 * live until it is freed. A document owns all its strings (or points at
 * the library's constant name tables): it stays readable after the
 * context and the model that made it are freed. A context borrows its
 * model, which must outlive the context. The library never prints and
 * never exits.
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

/* Option structs only grow at their end: a shorter initializer
 * ({dir, ""}) leaves the newer members zero, their default. */
typedef struct zm_model_options {
    /* Extra dictionary directory whose files extend the main one. */
    const char *user_dict_dir;
    /* General lexicon (jieba format "word freq pos"); NULL = default
     * Debian location, "" = none. */
    const char *general_lexicon;
    /* Where the compiled lexicon (about 16 MB) is cached: NULL = the
     * default ($ZHMETRICS_CACHE, else $XDG_CACHE_HOME/zhmetrics, else
     * ~/.cache/zhmetrics), "" = no cache. */
    const char *cache_dir;
} zm_model_options;

/* Loads every table and rule under dict_dir. Returns NULL on error and
 * fills err (ZM_E_DATA with file:line for a bad line). Caller frees. */
zm_model *zm_model_load(const char *dict_dir, const zm_model_options *opt,
                        zm_error *err);
void zm_model_free(zm_model *m);
/* Number of words in the lexicon (general + domain). */
size_t zm_model_lexicon_size(const zm_model *m);
/* Writes the indicator catalog as TSV (id name kind unit direction, a
 * header line first). Returns 0 or ZM_E_IO. */
int zm_model_write_indicators(const zm_model *m, FILE *f);

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

/* An error record for an input that could not even be read (a NULL
 * message gives "internal error: no message given"); NULL when out of memory. */
zm_doc *zm_doc_new_error(const char *name, const char *message);
void zm_doc_free(zm_doc *d);

/* Enumerated metric fields. The library works with these; their names
 * (the strings of the output and of zm_metric's string members) come from
 * one table each, read with the *_name functions. */
typedef enum zm_kind { ZM_K_AMOUNT, ZM_K_COUNT, ZM_K_RATIO, ZM_K_MEASURE, ZM_K_DURATION, ZM_K_N } zm_kind;
typedef enum zm_metric_status { ZM_S_ACTUAL, ZM_S_TARGET, ZM_S_N } zm_metric_status;
typedef enum zm_qualifier { ZM_Q_EXACT, ZM_Q_OVER, ZM_Q_AT_LEAST, ZM_Q_UNDER, ZM_Q_AT_MOST, ZM_Q_ABOUT, ZM_Q_N } zm_qualifier;
typedef enum zm_change { ZM_C_NONE, ZM_C_INCREASE, ZM_C_DECREASE, ZM_C_N } zm_change;
/* "amount" ...; NULL for a value out of range (and for ZM_C_NONE). */
const char *zm_kind_name(int kind);
const char *zm_status_name(int status);
const char *zm_qualifier_name(int qualifier);
const char *zm_change_name(int change);
/* The value whose name is s, or -1. */
int zm_kind_parse(const char *s);
int zm_status_parse(const char *s);
int zm_qualifier_parse(const char *s);
int zm_change_parse(const char *s);

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
    /* the enumerated fields above as values (the strings are their names) */
    zm_kind kind_id;
    zm_metric_status status_id;
    zm_qualifier qualifier_id;
    zm_change change_id;
    /* version 2 (SPEC section 6, 9) */
    const char *currency;  /* ISO 4217 code of an amount ("CNY"), else NULL */
    int page;              /* 1-based page of a PDF's figure, 0 for other inputs */
    const char *indicator; /* catalog id (dict/indicators.tsv) or NULL */
    const char *target_type; /* cell of a plan's target table: "binding" (约束性), "expected" (预期性), else NULL */
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
size_t zm_doc_bytes(const zm_doc *d);
/* Warnings about an extracted document that was kept (regex matches
 * stopped by a limit: figures there may be missing), in order; strings
 * borrowed from d. */
size_t zm_doc_warning_count(const zm_doc *d);
const char *zm_doc_warning(const zm_doc *d, size_t i);
/* "traditional" when the text is in traditional script (read as
 * simplified), else "simplified". */
const char *zm_doc_script(const zm_doc *d);
/* The input's kind, read from its content: "text", "html", "docx", "pdf"
 * (on an error document also "zip", "ole2"; NULL when the input was
 * refused for its size before it was read). */
const char *zm_doc_format(const zm_doc *d);
/* The text the spans point into when a reader made it (HTML, DOCX, PDF),
 * with its length in *len; NULL for plain text (its decoded bytes). */
const char *zm_doc_text(const zm_doc *d, size_t *len);
size_t zm_doc_metric_count(const zm_doc *d);
const zm_metric *zm_doc_metric(const zm_doc *d, size_t i);

/* ---- The record fields, as one table ----
 * Every output (JSON Lines, JSON, CSV, SQLite, the review page) is written
 * from this table: a field added here appears in all of them. Fields are
 * in output order; CSV columns and SQLite columns are ordered by `since`
 * (the format version that added the field), documents before metrics,
 * then table order, so that new columns come last. */
typedef enum zm_field_type {
    ZM_FT_STRING,  /* str; NULL is null */
    ZM_FT_NUMBER,  /* str: an exact decimal, unquoted in JSON; NULL is null */
    ZM_FT_INT,     /* num; is_null when absent */
    ZM_FT_BOOL,    /* num 0 or 1 */
    ZM_FT_RANGE,   /* range: {text, from, to}; NULL is null */
    ZM_FT_SPAN,    /* span[2]: [start, end) */
    ZM_FT_STRINGS, /* strs[0..nstrs): a JSON array of strings */
    ZM_FT_ID,      /* str "#" num: a metric's id (CSV and SQLite: id, n) */
    ZM_FT_JSON     /* str: JSON text written as is; NULL is null */
} zm_field_type;

#define ZM_FIELD_NOT_NULL 1u /* never null */
#define ZM_FIELD_KEY 2u      /* identifies the record (SQLite key column) */
#define ZM_FIELD_REPEATS 4u  /* mostly the same pointer as the previous metric's: writers may reuse */
#define ZM_FIELD_EXPLAIN 8u  /* present only when extracted with zm_doc_options.explain */
#define ZM_FIELD_REVIEW 16u  /* a column of the review page's table */
#define ZM_FIELD_FROM_DOC 32u /* the document's field, repeated on each metric */

typedef struct zm_field {
    const char *name;   /* JSON key, CSV and SQLite column name */
    zm_field_type type;
    unsigned flags;
    int since;          /* format version that added it (1, 2) */
    const char *column; /* CSV column name when it differs (doc_bytes) */
} zm_field;

typedef struct zm_value {
    int is_null;
    const char *str;
    long long num;
    const zm_date_range *range;
    size_t span[2];
    const char *const *strs;
    size_t nstrs;
} zm_value;

enum { ZM_RECORD_DOCUMENT = 0, ZM_RECORD_METRIC = 1 };
size_t zm_field_count(int record);
/* Field k of a record type, NULL past the end. */
const zm_field *zm_field_info(int record, size_t k);
/* Field k of document d (record ZM_RECORD_DOCUMENT) or of its metric i
 * (ZM_RECORD_METRIC). Strings are borrowed from d. */
void zm_field_get(const zm_doc *d, int record, size_t k, size_t i, zm_value *out);

/* Reads a whole file into a malloc'd buffer (NUL-terminated, caller
 * frees), failing with ZM_E_LIMIT beyond max bytes (devices, pipes) and
 * ZM_E_IO when it cannot be read (err says why). */
int zm_read_file_max(const char *path, size_t max, char **out, size_t *len, zm_error *err);
/* The same for an open stream (stdin); name is for the error. */
int zm_read_stream_max(FILE *f, const char *name, size_t max, char **out, size_t *len, zm_error *err);

/* The UTF-8 text of raw input bytes, decoded as zm_extract decodes them
 * (BOM dropped; UTF-16 and GB18030 converted): the text a plain-text
 * document's spans point into (zm_doc_text for HTML, DOCX, PDF). *text is
 * malloc'd (NUL-terminated, caller frees); *encoding
 * (may be NULL) gets the name zm_doc_encoding reports. ZM_E_INPUT with
 * err's message when the bytes are not text. */
int zm_decode_text(const char *bytes, size_t len, char **text, size_t *text_len, const char **encoding,
                   zm_error *err);

/* Version of the library (ZM_VERSION it was built as). */
const char *zm_version(void);

/* Serialises the document and its metrics as SPEC JSON Lines (format 0)
 * or one pretty JSON object (format 1). JSON Lines go out in 64 KB
 * pieces as they are made: a large document's output is never whole in
 * memory. Returns 0, ZM_E_IO, ZM_E_NOMEM, or ZM_E_USAGE for another
 * format (nothing written). */
enum { ZM_FORMAT_JSONL = 0, ZM_FORMAT_JSON = 1 };
int zm_doc_write(const zm_doc *d, int format, FILE *f);
/* Same, appended to a malloc'd buffer (*buf, *len, *cap grow); a NUL
 * follows the text (not counted in *len). */
int zm_doc_append(const zm_doc *d, int format, char **buf, size_t *len,
                  size_t *cap);

/* ---- Target tracking (SPEC section 8, docs/tracking.md) ----
 * Each target beside the actual of the same region and indicator that
 * answers it, with a verdict. Documents or records come in any order:
 *   zm_tracker *t = zm_tracker_new(model, "dict", &err);
 *   zm_tracker_add_doc(t, doc);                 // or, for written records:
 *   zm_tracker_add_record(t, line, len, msg, sizeof msg);
 *   zm_tracker_finish(t, on_track, arg);        // one call per target
 *   zm_tracker_free(t);
 * Two passes over records (pass 1 targets, pass 2 actuals, set with
 * zm_tracker_set_pass) keep only the actuals a target waits for. */
typedef struct zm_tracker zm_tracker;

typedef struct zm_track_fig {
    const char *doc, *id;  /* id NULL when the record had none */
    const char *value;     /* exact decimal */
    const char *unit, *qualifier, *change; /* change NULL unless a change */
    const char *text;      /* as written, may be NULL */
    const char *sentence;  /* targets only, may be NULL */
    char from[11], to[11]; /* its time */
    int line;
} zm_track_fig;

typedef struct zm_track {
    const char *region, *indicator;
    const char *indicator_name; /* from the catalog, NULL if not there */
    const char *verdict;        /* met missed pending no_report not_comparable */
    const zm_track_fig *target;
    const zm_track_fig *actual; /* NULL when none */
    const zm_track_fig *progress; /* earlier years of a multi-year target, in time order */
    size_t nprogress;
    const zm_track_fig *conflicts; /* other actuals ending as late as the chosen one */
    size_t nconflicts;
} zm_track;

/* Add calls return 0, ZM_TRACK_NO_REGION (the document is left out of
 * pairing), ZM_TRACK_SKIPPED (an error record, a track record), or a
 * negative status: ZM_E_INPUT for a record that cannot be used (msg says
 * why), ZM_E_NOMEM. */
enum { ZM_TRACK_NO_REGION = 1, ZM_TRACK_SKIPPED = 2 };
/* m gives the indicators' directions and names (may be NULL: every exact
 * target is judged by equality); dict_dir holds regions.tsv (NULL: names
 * are compared as written). NULL with err filled on a bad file. */
zm_tracker *zm_tracker_new(const zm_model *m, const char *dict_dir, zm_error *err);
/* 0 one pass (default), 1 targets only, 2 actuals only. */
void zm_tracker_set_pass(zm_tracker *t, int pass);
int zm_tracker_add_doc(zm_tracker *t, const zm_doc *d);
int zm_tracker_add_record(zm_tracker *t, const char *line, size_t len, char *msg, size_t msgsz);
typedef int (*zm_track_fn)(const zm_track *tr, void *arg);
/* Calls fn for each target, by region, document and place in it; stops
 * at fn's first non-zero return and returns it. Call once. */
int zm_tracker_finish(zm_tracker *t, zm_track_fn fn, void *arg);
/* Regions seen, targets and actuals kept (memory follows these). */
void zm_tracker_counts(const zm_tracker *t, size_t *regions, size_t *targets, size_t *actuals);
void zm_tracker_free(zm_tracker *t);
/* The track record as one JSON line (no newline), malloc'd; NULL: no memory. */
char *zm_track_json(const zm_track *tr);

#ifdef __cplusplus
}
#endif
#endif
