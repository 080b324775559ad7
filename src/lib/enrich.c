#include "enrich.h"

#include <string.h>

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

int zm_enrich(zm_ctx *c, zm_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        zm_metric *m = &d->metrics[i];
        const char *cur = currency_of(c->m, m);
        /* a copy: the document may outlive the model */
        m->currency = cur ? zm_arena_strdup(&d->arena, cur) : NULL;
        if (cur && !m->currency)
            return ZM_E_NOMEM;
    }
    return 0;
}
