/* --explain: the explanation object of the metric being built, opened
 * and closed by its builder (extract.c) around the stages that add to it.
 *   zm_why_begin(c); zm_why(c, "rule", ...); ...; zm_why_end(c, d, mt)
 *     => mt->explain = {"rule":"...",...} (in the document's arena)
 */
#include <stdarg.h>
#include <stdio.h>

#include "ctx.h"

void zm_why_begin(zm_ctx *c)
{
    if (!c->w.explain)
        return;
    c->w.why.len = 0;
    zm_buf_adds(&c->w.why, "{");
}

void zm_why(zm_ctx *c, const char *key, const char *value, size_t len)
{
    if (!c->w.explain)
        return;
    zm_buf *b = &c->w.why;
    zm_buf_adds(b, b->len > 1 ? ",\"" : "\"");
    zm_buf_adds(b, key);
    zm_buf_adds(b, "\":");
    zm_buf_add_json(b, value, len);
}

void zm_whyf(zm_ctx *c, const char *key, const char *fmt, ...)
{
    if (!c->w.explain)
        return;
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        zm_why(c, key, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

int zm_why_end(zm_ctx *c, zm_doc *d, zm_metric *mt)
{
    if (!c->w.explain || zm_buf_reserve(&c->w.why, 2))
        return 0; /* an explanation that does not fit is left out */
    zm_buf_addc(&c->w.why, '}');
    mt->explain = zm_arena_strndup(&d->arena, c->w.why.data, c->w.why.len);
    return 0;
}
