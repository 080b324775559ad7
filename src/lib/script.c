#define _POSIX_C_SOURCE 200809L
#include "script.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "tschars.inc"

/* code point => simplified code point, filled once from zm_ts_pairs */
static uint16_t ts_map[65536];
static pthread_once_t ts_once = PTHREAD_ONCE_INIT;

static void ts_init(void)
{
    for (size_t i = 0; i < ZM_TS_N; i++)
        ts_map[zm_ts_pairs[i][0]] = zm_ts_pairs[i][1];
}

size_t zm_script_table_size(void) { return ZM_TS_N; }

/* Code point of the 3-byte UTF-8 character at u (lead byte E0-EF). */
static inline unsigned cp3(const unsigned char *u)
{
    return (unsigned)(u[0] & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
}

static inline int lead3(const unsigned char *u, const unsigned char *end)
{
    return u[0] >= 0xE0 && u[0] <= 0xEF && end - u >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80;
}

int zm_script_is_traditional(const char *text, size_t len)
{
    if (!ZM_TS_N)
        return 0;
    pthread_once(&ts_once, ts_init);
    const unsigned char *u = (const unsigned char *)text, *end = u + len;
    size_t han = 0, trad = 0;
    /* the first 256 Han characters tell (a document is in one script) */
    while (u < end && han < 256) {
        if (lead3(u, end)) {
            unsigned c = cp3(u);
            if (c >= 0x3400 && c <= 0x9FFF) {
                han++;
                trad += ts_map[c] != 0;
            }
            u += 3;
        } else {
            u++;
        }
    }
    return trad >= 2 && trad * 20 >= han;
}

size_t zm_script_simplify(char *text, size_t len)
{
    if (!ZM_TS_N)
        return 0;
    pthread_once(&ts_once, ts_init);
    unsigned char *u = (unsigned char *)text, *end = u + len;
    size_t n = 0;
    while (u < end) {
        if (!lead3(u, end)) {
            u++;
            continue;
        }
        unsigned s = ts_map[cp3(u)];
        if (s >= 0x800) { /* 3 bytes, as the table guarantees */
            u[0] = (unsigned char)(0xE0 | s >> 12);
            u[1] = (unsigned char)(0x80 | (s >> 6 & 0x3F));
            u[2] = (unsigned char)(0x80 | (s & 0x3F));
            n++;
        }
        u += 3;
    }
    return n;
}
