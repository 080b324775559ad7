/* The enrichment stage: runs once per document after every metric is
 * resolved, and adds what follows from a resolved metric (and the
 * document's facts) without touching the stages before it.
 *   amount in 元 => currency "CNY", in 美元 => "USD" (units.tsv cur=)
 *   "学前三年毛入园率达到90%" => indicator edu.preschool.gross_enrolment_rate
 *   a PDF's figure at byte 5000 of its text => page 3 (from d->pages)
 * A new enrichment (indicator ids, targets ...) is one more step in
 * zm_enrich (enrich.c): it reads the resolved metrics and writes only its
 * own fields.
 */
#ifndef ZM_ENRICH_H
#define ZM_ENRICH_H

#include "ctx.h"
#include "doc.h"

/* Enriches every metric of d (c: the model's catalogs, --explain's
 * buffer); 0 or ZM_E_NOMEM. */
int zm_enrich(zm_ctx *c, zm_doc *d);

#endif
