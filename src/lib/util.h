/* Small shared helpers: growable byte buffers, a bump arena for per-document
 * strings, and error filling.
 *   zm_buf_add(&b, "万元", 6)       => b.data = "...万元"
 *   zm_arena_strndup(&a, s, n)      => NUL-terminated copy freed with the arena
 */
#ifndef ZM_UTIL_H
#define ZM_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "zhmetrics.h"

typedef struct zm_buf {
    char *data;
    size_t len, cap;
} zm_buf;

int zm_buf_reserve(zm_buf *b, size_t extra);
/* Inline: the output is assembled from many short pieces (a key, a
 * comma), and with a constant n the copy is a move or two, not a call. */
static inline int zm_buf_add(zm_buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap && zm_buf_reserve(b, n))
        return ZM_E_NOMEM;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return 0;
}
int zm_buf_adds(zm_buf *b, const char *s);
/* Appends s[0..len) as a quoted JSON string, escaped as cJSON escapes it
 * ("\n", "\u0001"): the output's records and --explain share it. */
int zm_buf_add_json(zm_buf *b, const char *s, size_t len);
/* Writes s[0..len) as a JSON string (quoted, escaped as cJSON does) at
 * out, which has room for 6 * len + 2 bytes; returns the end. */
char *zm_json_escape(char *out, const char *s, size_t len);
int zm_buf_addc(zm_buf *b, char c);
void zm_buf_free(zm_buf *b);

/* Reallocates *p to count elements; 0 or ZM_E_NOMEM (*p kept on failure). */
int zm_resize(void **p, size_t count, size_t elem);
/* Room for element n in *p (capacity *cap elements, doubling from
 * `first`, at least n + 1): the one growth helper of the library's arrays
 * and buffers. 0, or ZM_E_NOMEM with *p and *cap kept.
 *   zm_grow((void **)&a, n, &cap, sizeof *a, 16); a[n++] = x; */
int zm_grow(void **p, size_t n, size_t *cap, size_t elem, size_t first);

typedef struct zm_arena_block zm_arena_block;
typedef struct zm_arena {
    zm_arena_block *head;
} zm_arena;

void *zm_arena_alloc(zm_arena *a, size_t n);
char *zm_arena_strndup(zm_arena *a, const char *s, size_t n);
char *zm_arena_strdup(zm_arena *a, const char *s);
void zm_arena_free(zm_arena *a);

/* Fills err (if non-NULL) and returns code. */
int zm_set_error(zm_error *err, int code, const char *file, int line,
                 const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Reads a whole file into a malloc'd buffer (NUL-terminated). */
int zm_read_file(const char *path, char **out, size_t *len, zm_error *err);
/* zm_read_file_max, zm_read_stream_max: include/zhmetrics.h */

/* FNV-1a: hash tables of words and cache keys */
static inline uint32_t zm_fnv32(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

static inline uint64_t zm_fnv64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

#define ZM_MIN(a, b) ((a) < (b) ? (a) : (b))
#define ZM_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
