/* Review page: one self-contained HTML file per run (no external files,
 * no network), with each document's text and every metric highlighted in
 * place (colour by kind, outline for targets; fields on hover, all fields
 * on click) and a sortable table of the metrics filtered by kind and
 * status.
 *   zm_html_open("review.html")        => writes review.html.tmp.PID
 *   zm_html_add(h, doc, bytes, len)     => the document's section and rows
 *   zm_html_close(h, 1)                 => renamed to review.html
 * bytes are the input as read (any encoding zm_extract accepts): they are
 * decoded to UTF-8 here, where the spans point. When they are missing or
 * do not decode to the document's bytes, the figures are listed without
 * their text, still one highlight per metric. Written only through the
 * public accessors of zhmetrics.h.
 */
#ifndef ZM_EMIT_HTML_H
#define ZM_EMIT_HTML_H

#include <stddef.h>
#include "zhmetrics.h"

typedef struct zm_html zm_html;

/* Starts the page. Returns NULL and writes the reason to msg on failure. */
zm_html *zm_html_open(const char *path, char *msg, size_t msgsz);

/* The temporary file being written (removed by the caller on a fatal
 * signal), or NULL when the page is written in place. */
const char *zm_html_tmp_path(const zm_html *h);

/* Adds one document (or error record). Returns 0, or -1 on a write error. */
int zm_html_add(zm_html *h, const zm_doc *d, const char *bytes, size_t len);

/* Finishes the page and renames it into place when ok is non-zero (else
 * removes it); frees h (NULL ok). Returns 0, or -1 with msg. */
int zm_html_close(zm_html *h, int ok, char *msg, size_t msgsz);

#endif
