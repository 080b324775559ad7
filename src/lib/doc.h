/* The extracted document: its fields and metric records, all strings in
 * one arena freed with the document.
 *   zm_doc_add_metric(d) => a zeroed zm_metric owned by d
 */
#ifndef ZM_DOC_H
#define ZM_DOC_H

#include "util.h"
#include "zhmetrics.h"

struct zm_doc {
    zm_arena arena;
    char *name, *error;
    char *title, *org, *region, *doc_no, *date;
    const char *genre, *encoding;
    /* "simplified" or "traditional"; the input's kind (input.c: "text", "html",
     * "docx", "pdf") */
    const char *script, *format;
    zm_date_range period;
    int has_period;
    int title_inferred; /* no title line: rebuilt from organ, period, genre */
    size_t bytes;
    /* the extracted text of an HTML, DOCX or PDF input (malloc'd, freed
     * with the document) and a PDF's page starts (input.c) */
    char *text;
    size_t *pages, npages;
    zm_metric *metrics;
    size_t n, cap;
    const char **warnings; /* in the arena */
    size_t nwarnings;
};

zm_doc *zm_doc_new(const char *name);
zm_metric *zm_doc_add_metric(zm_doc *d);
/* Sets each metric's kind, status, qualifier and change strings from its
 * enum values (names.c): the pipeline works with the values only. */
void zm_doc_name_fields(zm_doc *d);
/* Every field of metric i at once, in table order (the JSON Lines
 * writer's row): the number of fields, 0 when more than max or no such
 * metric. Only the members of each value its type reads are set. */
size_t zm_field_get_row(const zm_doc *d, size_t i, zm_value *out, size_t max);
/* Adds a warning (copied); 0 or ZM_E_NOMEM. */
int zm_doc_add_warning(zm_doc *d, const char *msg);

#endif
