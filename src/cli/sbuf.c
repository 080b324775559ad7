#include "sbuf.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

int sbuf_reserve(sbuf *b, size_t extra)
{
    if (extra > (size_t)-1 / 2 - b->len)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int sbuf_add(sbuf *b, const void *p, size_t n)
{
    if (sbuf_reserve(b, n))
        return -1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return 0;
}

int sbuf_adds(sbuf *b, const char *s) { return sbuf_add(b, s, strlen(s)); }

int sbuf_addc(sbuf *b, char c) { return sbuf_add(b, &c, 1); }

int sbuf_add_json(sbuf *b, const char *s)
{
    cJSON *o = cJSON_CreateStringReference(s);
    char *t = o ? cJSON_PrintUnformatted(o) : NULL;
    int rc = t ? sbuf_adds(b, t) : -1;
    cJSON_free(t);
    cJSON_Delete(o);
    return rc;
}

void sbuf_free(sbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
