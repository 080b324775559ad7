/* Numeral values, exact: Arabic decimals, Chinese and financial numerals,
 * and mixed forms, read without binary floats.
 *   "2644.2375" x 万 => 26442375      "一百二十"  => 120
 *   "壹佰万"          => 1000000       "1.2万"     => 12000
 *   "二〇二〇"        => 2020 (positional digits)
 * The character table (value and role of 两, 十, 万 ...) is data
 * (dict/numerals.tsv).
 */
#ifndef ZM_NUMEX_H
#define ZM_NUMEX_H

#include <stddef.h>
#include <stdint.h>
#include "utf8.h"
#include "zhmetrics.h"

/* value = m / 10^s */
typedef struct zm_dec {
    int64_t m;
    int s;
} zm_dec;

enum { ZM_NUM_DIGIT = 1, ZM_NUM_UNIT = 2, ZM_NUM_SECTION = 3 };

typedef struct zm_numerals {
    int n;
    int cp[64];
    int64_t val[64];
    int kind[64];
    uint8_t bitmap[ZM_CPSET_BYTES]; /* BMP code points that are numeral chars */
    uint8_t lead2[1024];       /* first two UTF-8 bytes of a numeral char (E?-xx) */
} zm_numerals;

int zm_numerals_load(zm_numerals *t, const char *path, zm_error *err);
/* Table index of code point cp, or -1. */
int zm_numerals_find(const zm_numerals *t, int cp);
static inline int zm_numerals_is(const zm_numerals *t, int cp)
{
    return zm_cpset_has(t->bitmap, cp);
}

/* Parses the whole of s[0..len) as one numeral. Returns 0 or -1. */
/* Does a thousands group separated by a space start at u[i] (exactly three
 * digits, no digit after them: 2 700, 12 345.6, as PDF converters and
 * statistics tables write them)? */
static inline int zm_space_group(const unsigned char *u, size_t i, size_t len)
{
    return i + 3 <= len && u[i] >= '0' && u[i] <= '9' && u[i + 1] >= '0' && u[i + 1] <= '9' && u[i + 2] >= '0' &&
           u[i + 2] <= '9' && (i + 3 == len || u[i + 3] < '0' || u[i + 3] > '9');
}
int zm_numex_parse(const zm_numerals *t, const char *s, size_t len, zm_dec *out);
/* out = a * 10^k (k >= 0) ; returns -1 on overflow. */
int zm_dec_scale(zm_dec *a, int64_t mult);
void zm_dec_norm(zm_dec *a);
/* Formats as a plain decimal ("26442375", "79.68"). buf >= 48. */
void zm_dec_format(zm_dec a, char *buf);
int zm_dec_cmp(zm_dec a, zm_dec b);
/* out = a / b rounded to places decimals (<= 8); -1 on b = 0 or overflow. */
int zm_dec_div(zm_dec a, zm_dec b, int places, zm_dec *out);

#endif
