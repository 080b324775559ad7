/* The reader stage of zm_extract: a document that is not plain text
 * (HTML, DOCX, PDF) is read into UTF-8 text that the document then owns,
 * and the pipeline runs on that text; a PDF's page starts are kept on
 * the document (the enrichment stage gives each metric its page).
 *   zm_input_load(d, "a.pdf", bytes, ...) => d->format "pdf", *text = d->text
 */
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "input.h"

int zm_input_load(zm_doc *d, const char *name, const char *bytes, size_t len, size_t max, const char **text,
                  size_t *text_len, char *msg, size_t msgsz)
{
    zm_input_kind kind = zm_input_detect(bytes, len, name);
    d->format = zm_input_names[kind];
    if (kind == ZM_IN_TEXT)
        return 1; /* decode.c reads it */
    zm_input in;
    int rc = zm_input_read(kind, bytes, len, name, max, &in, msg, msgsz);
    if (rc)
        return rc;
    if (in.npages) {
        d->pages = zm_arena_alloc(&d->arena, in.npages * sizeof *d->pages);
        if (!d->pages) {
            zm_input_free(&in);
            snprintf(msg, msgsz, "out of memory");
            return ZM_E_NOMEM;
        }
        memcpy(d->pages, in.pages, in.npages * sizeof *d->pages);
        d->npages = in.npages;
    }
    d->text = in.text; /* the spans' text: the document frees it */
    d->encoding = in.encoding ? in.encoding : "utf-8";
    *text = in.text;
    *text_len = in.len;
    in.text = NULL;
    zm_input_free(&in);
    return 0;
}
