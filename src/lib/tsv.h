/* Line reader for the tab-separated data files in dict/, keeping line
 * numbers for error messages.
 *   "万元\tamount\t元\t-"  => f = {"万元","amount","元","-"}, nf = 4
 * Blank lines and lines starting with '#' are skipped.
 */
#ifndef ZM_TSV_H
#define ZM_TSV_H

#include <stddef.h>
#include "zhmetrics.h"

#define ZM_TSV_MAXF 12 /* indicators.tsv has 9 */

typedef struct zm_tsv {
    char *data, *p, *end;
    const char *path;
    int lineno;
    char *f[ZM_TSV_MAXF];
    int nf;
    int bad_utf8; /* the current line is not valid UTF-8 */
} zm_tsv;

/* Opens path; returns 0 or an error (ZM_E_IO when missing). */
int zm_tsv_open(zm_tsv *t, const char *path, zm_error *err);
/* Next record: 1, or 0 at the end. A line that is not UTF-8 still comes
 * back, flagged by bad_utf8, so the caller names it (zm_tsv_utf8_error). */
int zm_tsv_next(zm_tsv *t);
/* Fills err with "file:line: not valid UTF-8" when the line is not. */
int zm_tsv_utf8_error(const zm_tsv *t, zm_error *err);
void zm_tsv_close(zm_tsv *t);

#endif
