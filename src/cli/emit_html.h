/* Review page (--html PATH): an index page plus a data directory beside it,
 * so that an archive of any size opens at once in a browser, from file://
 * with no server (docs/integration.md, "Review page").
 *   zm_html_open("out/review.html")   => out/review.data.tmp.PID/ (the
 *                                        page written inside it too)
 *   zm_html_add(h, doc, bytes, len)    => its text into a docs-NNNN.js
 *                                        chunk, its metrics' compact rows
 *                                        into rows-NNNN.js chunks
 *   zm_html_close(h, 1)                => index.js and the page written,
 *                                        both renamed into place (0: both
 *                                        removed, nothing left)
 * bytes are the input as read (any encoding zm_extract accepts): they are
 * decoded to UTF-8 here, where the spans point. When they are missing or do
 * not decode to the document's bytes, the figures are listed without their
 * text, still one highlight per metric. Written only through the public
 * accessors of zhmetrics.h. The page's code and style (src/review/) are
 * compiled in and written into the data directory.
 */
#ifndef ZM_EMIT_HTML_H
#define ZM_EMIT_HTML_H

#include <stddef.h>
#include "zhmetrics.h"

typedef struct zm_html zm_html;

/* Starts the page. Returns NULL and writes the reason to msg on failure. */
zm_html *zm_html_open(const char *path, char *msg, size_t msgsz);

/* The temporary directory holding everything being written: the caller
 * removes it with zm_html_remove_tmp on a fatal signal. */
const char *zm_html_tmp_path(const zm_html *h);

/* Removes that directory and its files; async-signal-safe (no allocation). */
void zm_html_remove_tmp(const char *tmp);

/* Adds one document (or error record). Returns 0, or -1 on a write error. */
int zm_html_add(zm_html *h, const zm_doc *d, const char *bytes, size_t len);
/* `zhmetrics track`: one track record into track-NNNN.js (the Targets
 * tab); 0, or -1 on a write error. */
int zm_html_add_track(zm_html *h, const zm_track *tr);

/* Finishes the page and renames it and its data directory into place when
 * ok is non-zero (else removes both); frees h (NULL ok). Returns 0, or -1
 * with msg. */
int zm_html_close(zm_html *h, int ok, char *msg, size_t msgsz);

#endif
