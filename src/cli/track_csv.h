/* `zhmetrics track --format csv`: one row per track record (RFC 4180, as
 * emit_csv.h quotes): the target's and the actual's fields side by side,
 * progress and conflicts as JSON arrays in one column each.
 *   region,indicator,indicator_name,verdict,target_doc,target_id,...\r\n
 */
#ifndef ZM_TRACK_CSV_H
#define ZM_TRACK_CSV_H
#include "sbuf.h"
#include "zhmetrics.h"

/* The header row (with its CRLF). */
const char *zm_track_csv_header(void);
/* Figures (progress, conflicts) as a JSON array of {doc,id,value,unit,to}:
 * the CSV column and the SQLite column. 0 or -1 (no memory). */
int zm_track_figs_json(sbuf *b, const zm_track_fig *v, size_t n);
/* Appends tr's row; 0 or -1 when out of memory. */
int zm_track_csv_append(const zm_track *tr, sbuf *b);

#endif
