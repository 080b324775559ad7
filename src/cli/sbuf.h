/* A growable byte buffer for the command line's own text (output rows,
 * input lines). The CLI uses the library through include/zhmetrics.h
 * only, so it cannot borrow the library's internal buffer.
 *   sbuf b = {0}; sbuf_adds(&b, "万元"); ... sbuf_free(&b);
 */
#ifndef ZM_CLI_SBUF_H
#define ZM_CLI_SBUF_H

#include <stddef.h>

typedef struct sbuf {
    char *data;
    size_t len, cap;
} sbuf;

/* Room for extra more bytes and a NUL; 0, or -1 when out of memory (b kept). */
int sbuf_reserve(sbuf *b, size_t extra);
int sbuf_add(sbuf *b, const void *p, size_t n);
int sbuf_adds(sbuf *b, const char *s);
int sbuf_addc(sbuf *b, char c);
/* s as a quoted JSON string, escaped as the JSON output escapes it (cJSON). */
int sbuf_add_json(sbuf *b, const char *s);
void sbuf_free(sbuf *b);

#endif
