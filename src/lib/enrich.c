#include "enrich.h"

#include <string.h>

/* ISO 4217 code of an amount's canonical unit; NULL for other kinds.
 * Amounts are all in yuan today (units.tsv folds 万元, 亿元 ... into 元). */
static const char *currency_of(const zm_metric *m)
{
    if (m->kind_id != ZM_K_AMOUNT)
        return NULL;
    if (m->unit && strcmp(m->unit, "元") == 0)
        return "CNY";
    return NULL;
}

int zm_enrich(zm_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        zm_metric *m = &d->metrics[i];
        m->currency = currency_of(m);
    }
    return 0;
}
