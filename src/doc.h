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
    zm_date_range period;
    int has_period;
    int title_inferred; /* no title line: rebuilt from organ, period, genre */
    size_t bytes;
    /* issue 15 (formats): input kind; the extracted text of a non-text
     * input (malloc'd, freed with the document) and its page starts */
    const char *format;
    char *text;
    size_t *pages, npages;
    zm_metric *metrics;
    size_t n, cap;
};

zm_doc *zm_doc_new(const char *name);
zm_metric *zm_doc_add_metric(zm_doc *d);

#endif
