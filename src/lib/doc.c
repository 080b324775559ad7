#include "doc.h"

#include <stdlib.h>
#include <string.h>

zm_doc *zm_doc_new(const char *name)
{
    zm_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->name = zm_arena_strdup(&d->arena, name ? name : "-");
    if (!d->name) {
        free(d);
        return NULL;
    }
    return d;
}

/* Always an error record: a NULL message (a caller's bug) still says
 * that the input failed, and a copy that cannot be made is NULL, never a
 * document record without its error. */
zm_doc *zm_doc_new_error(const char *name, const char *message)
{
    zm_doc *d = zm_doc_new(name);
    if (d && !(d->error = zm_arena_strdup(&d->arena, message ? message : "internal error: no message given"))) {
        zm_doc_free(d);
        d = NULL;
    }
    return d;
}

void zm_doc_free(zm_doc *d)
{
    if (!d)
        return;
    free(d->metrics);
    free(d->text);
    zm_arena_free(&d->arena);
    free(d);
}

zm_metric *zm_doc_add_metric(zm_doc *d)
{
    if (zm_grow((void **)&d->metrics, d->n, &d->cap, sizeof *d->metrics, 64))
        return NULL;
    zm_metric *m = &d->metrics[d->n++];
    memset(m, 0, sizeof *m);
    return m;
}

void zm_doc_name_fields(zm_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        zm_metric *m = &d->metrics[i];
        m->kind = zm_kind_name(m->kind_id);
        m->status = zm_status_name(m->status_id);
        m->qualifier = zm_qualifier_name(m->qualifier_id);
        m->change = zm_change_name(m->change_id);
    }
}

int zm_doc_add_warning(zm_doc *d, const char *msg)
{
    const char **w = zm_arena_alloc(&d->arena, (d->nwarnings + 1) * sizeof *w);
    char *copy = zm_arena_strdup(&d->arena, msg);
    if (!w || !copy)
        return ZM_E_NOMEM;
    if (d->nwarnings)
        memcpy(w, d->warnings, d->nwarnings * sizeof *w); /* few: one per kind of trouble */
    w[d->nwarnings++] = copy;
    d->warnings = w;
    return 0;
}

size_t zm_doc_warning_count(const zm_doc *d) { return d->nwarnings; }
const char *zm_doc_warning(const zm_doc *d, size_t i) { return i < d->nwarnings ? d->warnings[i] : NULL; }

const char *zm_doc_name(const zm_doc *d) { return d->name; }
const char *zm_doc_error(const zm_doc *d) { return d->error; }
const char *zm_doc_title(const zm_doc *d) { return d->title; }
int zm_doc_title_inferred(const zm_doc *d) { return d->title_inferred; }
const char *zm_doc_org(const zm_doc *d) { return d->org; }
const char *zm_doc_region(const zm_doc *d) { return d->region; }
const char *zm_doc_doc_no(const zm_doc *d) { return d->doc_no; }
const char *zm_doc_date(const zm_doc *d) { return d->date; }
const zm_date_range *zm_doc_period(const zm_doc *d) { return d->has_period ? &d->period : NULL; }
const char *zm_doc_genre(const zm_doc *d) { return d->genre; }
const char *zm_doc_encoding(const zm_doc *d) { return d->encoding; }
const char *zm_doc_script(const zm_doc *d) { return d->script; }
const char *zm_doc_format(const zm_doc *d) { return d->format; }
const char *zm_doc_text(const zm_doc *d, size_t *len)
{
    if (len)
        *len = d->text ? d->bytes : 0;
    return d->text;
}
size_t zm_doc_bytes(const zm_doc *d) { return d->bytes; }
size_t zm_doc_metric_count(const zm_doc *d) { return d->n; }
const zm_metric *zm_doc_metric(const zm_doc *d, size_t i) { return i < d->n ? &d->metrics[i] : NULL; }
