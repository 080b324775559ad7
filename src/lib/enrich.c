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

int zm_enrich(zm_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        zm_metric *m = &d->metrics[i];
        m->currency = currency_of(m);
        m->page = page_of(d, m);
    }
    return 0;
}
