#include "enrich.h"

#include <string.h>

#include "indicator.h"
#include "script.h"

/* ISO 4217 code of an amount: the currency of its canonical unit's entry
 * in units.tsv (元 => CNY, 美元 => USD, 澳门元 => MOP; cur= flags, SPEC 6);
 * NULL for other kinds. */
static const char *currency_of(const zm_model *md, const zm_metric *m)
{
    if (m->kind_id != ZM_K_AMOUNT || !m->unit)
        return NULL;
    const zm_unit *u = zm_model_unit(md, m->unit, strlen(m->unit));
    return u && u->currency[0] ? u->currency : NULL;
}

/* 1-based page where the figure starts: the last page starting at or
 * before it (d->pages: a PDF's page starts, input.c); 0 for an input
 * without pages. */
static int page_of(const zm_doc *d, const zm_metric *m)
{
    if (!d->npages)
        return 0;
    size_t at = m->span[0], lo = 0, hi = d->npages;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->pages[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo + 1;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* indicator ids from the catalog (indicator.c), and with --explain the
 * entry and words that decided them */
/* A copy of s read as simplified script (same length, same offsets). */
static char *simplified(zm_arena *a, const char *s)
{
    char *t = s ? zm_arena_strdup(a, s) : NULL;
    if (t)
        zm_script_simplify(t, strlen(t));
    return t;
}

/* The words a figure is matched on, in a document of traditional script:
 * its subject, text, sentence and section read as simplified, since the
 * catalog is written in simplified (學額 is 学额). Metrics of one sentence
 * or section share the copy, as they share the original, so the matcher's
 * per-sentence facts still carry from one figure to the next. */
typedef struct simp_cache {
    const char *sent_from, *sent_to;
    const char *const *sec_from;
    const char **sec_to;
} simp_cache;

static int simplified_view(zm_arena *a, const zm_metric *mt, zm_metric *v, simp_cache *sc)
{
    *v = *mt;
    if ((mt->subject && !(v->subject = simplified(a, mt->subject))) || (mt->text && !(v->text = simplified(a, mt->text))))
        return ZM_E_NOMEM;
    if (mt->sentence && mt->sentence != sc->sent_from) {
        if (!(sc->sent_to = simplified(a, mt->sentence)))
            return ZM_E_NOMEM;
        sc->sent_from = mt->sentence;
    }
    v->sentence = mt->sentence ? sc->sent_to : NULL;
    if (mt->section_len && mt->section != sc->sec_from) {
        if (!(sc->sec_to = zm_arena_alloc(a, mt->section_len * sizeof *sc->sec_to)))
            return ZM_E_NOMEM;
        for (size_t k = 0; k < mt->section_len; k++)
            if (mt->section[k] && !(sc->sec_to[k] = simplified(a, mt->section[k])))
                return ZM_E_NOMEM;
            else if (!mt->section[k])
                sc->sec_to[k] = NULL;
        sc->sec_from = mt->section;
    }
    v->section = mt->section_len ? (const char *const *)sc->sec_to : mt->section;
    return 0;
}

static int enrich_indicators(zm_ctx *c, zm_doc *d)
{
    const zm_indicators *cat = c->m->ind;
    zm_ind_scan ss = {0};
    int trad = d->script && strcmp(d->script, "traditional") == 0;
    simp_cache sc = {0};
    for (size_t i = 0; i < d->n; i++) {
        zm_metric *mt = &d->metrics[i], view;
        if (trad && simplified_view(&d->arena, mt, &view, &sc))
            return ZM_E_NOMEM;
        zm_ind_why w;
        const char *id = zm_indicator_match_in(cat, trad ? &view : mt, mt->explain ? &w : NULL, &ss);
        mt->indicator = NULL;
        if (id && !(mt->indicator = zm_arena_strdup(&d->arena, id)))
            return ZM_E_NOMEM;
        if (!mt->explain || (!id && !w.reject))
            continue;
        /* the metric's explanation object gets one more member */
        size_t el = strlen(mt->explain);
        if (el < 2 || mt->explain[el - 1] != '}')
            continue;
        c->w.why.len = 0;
        if (zm_buf_add(&c->w.why, mt->explain, el - 1))
            return ZM_E_NOMEM;
        if (id)
            zm_whyf(c, "indicator", "%s (%s:%d): word %s in the %s%s%s%s%s", id, base_name(w.file), w.line,
                    w.word, w.from ? w.from : "subject", w.ctx ? ", context " : "", w.ctx ? w.ctx : "", w.ctx ? " in the " : "",
                    w.ctx ? w.where : "");
        else
            zm_whyf(c, "indicator", "none: %s (%s:%d) turned down, %s (%s)", w.word, base_name(w.file), w.line,
                    w.reject, w.reject_word);
        if (zm_buf_addc(&c->w.why, '}') || !(mt->explain = zm_arena_strndup(&d->arena, c->w.why.data, c->w.why.len)))
            return ZM_E_NOMEM;
    }
    return 0;
}

int zm_enrich(zm_ctx *c, zm_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        zm_metric *m = &d->metrics[i];
        const char *cur = currency_of(c->m, m);
        /* a copy: the document may outlive the model */
        m->currency = cur ? zm_arena_strdup(&d->arena, cur) : NULL;
        if (cur && !m->currency)
            return ZM_E_NOMEM;
        m->page = page_of(d, m);
    }
    return enrich_indicators(c, d);
}
