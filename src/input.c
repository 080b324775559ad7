/* The reader stage of zm_extract: a document that is not plain text
 * (HTML, DOCX, PDF) is read into UTF-8 text that the document then owns,
 * and the pipeline runs on that text; a PDF's page starts give each
 * metric its page.
 *   zm_input_load(d, "a.pdf", bytes, ...) => d->format "pdf", *text = d->text
 *   zm_input_pages(d)                     => metric at offset 5000 => page 3
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

void zm_input_pages(zm_doc *d)
{
    for (size_t i = 0; i < d->n && d->npages; i++) {
        size_t at = d->metrics[i].span[0], lo = 0, hi = d->npages;
        while (hi - lo > 1) { /* the last page starting at or before at */
            size_t mid = (lo + hi) / 2;
            if (d->pages[mid] <= at)
                lo = mid;
            else
                hi = mid;
        }
        d->metrics[i].page = (int)lo + 1;
    }
}
