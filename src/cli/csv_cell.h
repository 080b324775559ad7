/* One CSV cell (RFC 4180), shared by the metric rows (emit_csv.c) and the
 * track rows (track_csv.c):
 *   NULL => empty, unquoted (PostgreSQL's CSV COPY reads NULL)
 *   ""   => "" (an empty string)
 *   a,b / a"b / a line break => quoted, quotes doubled ("a""b")
 * tick: a leading ' before the text (inside the quotes when quoted), the
 * guard against a spreadsheet running a formula-like cell (emit_csv.h).
 */
#ifndef ZM_CSV_CELL_H
#define ZM_CSV_CELL_H
#include "sbuf.h"

/* Appends the cell and its separator (',' or, when last, CRLF).
 * 0, or -1 when out of memory. */
int zm_csv_cell(sbuf *b, const char *s, int tick, int last);

#endif
