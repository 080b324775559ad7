/* Track records as CSV rows (track_csv.h). */
#include "track_csv.h"

#include "csv_cell.h"

const char *zm_track_csv_header(void)
{
    return "region,indicator,indicator_name,verdict,"
           "target_doc,target_id,target_value,target_qualifier,target_unit,target_from,target_to,target_text,"
           "actual_doc,actual_id,actual_value,actual_unit,actual_change,actual_from,actual_to,actual_text,"
           "progress,conflicts\r\n";
}

/* A cell (csv_cell.h); no formula guard: the track rows have always been
 * written as they are. */
static int field(sbuf *b, const char *s, int last) { return zm_csv_cell(b, s, 0, last); }

int zm_track_figs_json(sbuf *j, const zm_track_fig *v, size_t n)
{
    int rc = sbuf_addc(j, '[');
    for (size_t i = 0; i < n; i++) {
        rc |= sbuf_adds(j, i ? ",{\"doc\":" : "{\"doc\":") | sbuf_add_json(j, v[i].doc);
        rc |= sbuf_adds(j, ",\"id\":") | (v[i].id ? sbuf_add_json(j, v[i].id) : sbuf_adds(j, "null"));
        rc |= sbuf_adds(j, ",\"value\":") | sbuf_adds(j, v[i].value);
        rc |= sbuf_adds(j, ",\"unit\":") | sbuf_add_json(j, v[i].unit);
        rc |= sbuf_adds(j, ",\"to\":") | sbuf_add_json(j, v[i].to) | sbuf_addc(j, '}');
    }
    rc |= sbuf_addc(j, ']');
    return rc ? -1 : 0;
}

/* A list of figures as one JSON-array column. */
static int figs(sbuf *b, const zm_track_fig *v, size_t n, int last)
{
    sbuf j = {0};
    int rc = zm_track_figs_json(&j, v, n);
    rc |= rc ? 0 : field(b, j.data, last);
    sbuf_free(&j);
    return rc ? -1 : 0;
}

int zm_track_csv_append(const zm_track *tr, sbuf *b)
{
    const zm_track_fig *t = tr->target, *a = tr->actual;
    int rc = field(b, tr->region, 0) | field(b, tr->indicator, 0) | field(b, tr->indicator_name, 0) |
             field(b, tr->verdict, 0);
    rc |= field(b, t->doc, 0) | field(b, t->id, 0) | field(b, t->value, 0) | field(b, t->qualifier, 0) |
          field(b, t->unit, 0) | field(b, t->from, 0) | field(b, t->to, 0) | field(b, t->text, 0);
    rc |= field(b, a ? a->doc : NULL, 0) | field(b, a ? a->id : NULL, 0) | field(b, a ? a->value : NULL, 0) |
          field(b, a ? a->unit : NULL, 0) | field(b, a ? a->change : NULL, 0) | field(b, a ? a->from : NULL, 0) |
          field(b, a ? a->to : NULL, 0) | field(b, a ? a->text : NULL, 0);
    rc |= figs(b, tr->progress, tr->nprogress, 0) | figs(b, tr->conflicts, tr->nconflicts, 1);
    return rc ? -1 : 0;
}
