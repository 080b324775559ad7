/* Time expressions => date ranges.
 *   "2020年上半年"        => 2020-01-01 .. 2020-06-30
 *   "3月30日至4月8日" (2020) => 2020-03-30 .. 2020-04-08
 *   "“十四五”"            => 2021-01-01 .. 2025-12-31
 *   "秋季学期" (2023)     => 2023-09-01 .. 2024-01-31
 * Groups come from the `time` rules; period words from periods.tsv.
 */
#ifndef ZM_TIMEX_H
#define ZM_TIMEX_H

#include <stddef.h>
#include "model.h"

typedef struct zm_ymd {
    int y, m, d;
} zm_ymd;

typedef struct zm_time {
    size_t start, end; /* in the normalised text */
    zm_ymd from, to;
    int explicit_year; /* the expression names its year */
    int day_level;     /* names a day or a day range */
    int mod;           /* ZM_TM_*: how the text around it reads it */
} zm_time;

enum { ZM_TM_NONE, ZM_TM_ASOF, ZM_TM_DEADLINE, ZM_TM_SINCE };

int zm_days_in_month(int y, int m);
int zm_ymd_cmp(zm_ymd a, zm_ymd b);
void zm_ymd_format(zm_ymd a, char *out); /* out >= 11 */
int zm_ymd_parse(const char *s, zm_ymd *out); /* "YYYY-MM-DD" */

/* Builds a time from a match of a time rule. ovec/text as from PCRE2;
 * ctx_year fills a missing year (0 = unknown: returns -1). */
int zm_time_from_match(const zm_model *m, const zm_rule *r, const char *text, const size_t *ovec,
                       int ctx_year, zm_time *out);

#endif
