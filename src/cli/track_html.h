/* `zhmetrics track --html FILE`: the review page's Targets table, one row
 * per track record (region, indicator name, target with qualifier and
 * deadline, actual, verdict); the target and the actual link to their
 * highlight in the page's text (#m-K) when the run extracted them. */
#ifndef ZM_TRACK_HTML_H
#define ZM_TRACK_HTML_H
#include <stdio.h>
#include "zhmetrics.h"

/* The table's head (with its style) and foot. */
extern const char track_html_head[], track_html_foot[];
/* One row; k_target and k_actual are the highlights' numbers, -1 for
 * none. Sets *io_error on a write error. */
void track_html_row(FILE *f, const zm_track *tr, long k_target, long k_actual, int *io_error);

#endif
