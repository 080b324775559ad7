/* CSV output (RFC 4180): a header row, then one row per metric with its
 * document's fields repeated in front, so the file loads as one table
 * (PostgreSQL COPY, spreadsheets, pandas).
 *   header => doc,title,org,...,id,n,kind,status,text,...\r\n
 *   metric => corpus/a.txt,建始县…,,...,corpus/a.txt#3,3,amount,...\r\n
 *   "a,b" / a"b / line break => quoted, quotes doubled ("a""b")
 * NULL fields are empty and unquoted, empty strings are "" (PostgreSQL's
 * CSV COPY reads the first as NULL, the second as ''). Documents without
 * metrics and error records give no row. Written only through the public
 * accessors of zhmetrics.h.
 */
#ifndef ZM_EMIT_CSV_H
#define ZM_EMIT_CSV_H

#include <stddef.h>
#include "sbuf.h"
#include "zhmetrics.h"

/* The header row (with its CRLF): a static string. */
const char *zm_csv_header(void);

/* Appends the rows of d's metrics to b. Returns 0 or ZM_E_NOMEM. */
int zm_csv_append(const zm_doc *d, sbuf *b);

#endif
