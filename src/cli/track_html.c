/* The Targets table of the review page (track_html.h). */
#include "track_html.h"

#include <string.h>

const char track_html_head[] =
    "<style>\n"
    "#targets { flex: 0 0 auto; max-height: 35%; overflow: auto; border-bottom: 1px solid #ddd; }\n"
    "#targets h2 { font-size: 14px; margin: 4px 10px; }\n"
    "#targets td.v-met { color: #1b5e20; } #targets td.v-missed { color: #b00020; }\n"
    "#targets td.v-pending, #targets td.v-no_report, #targets td.v-not_comparable { color: #666; }\n"
    "</style>\n"
    "<div id=\"targets\">\n<h2>Targets</h2>\n<table id=\"tracking\">\n<thead><tr><th>region</th><th>indicator</th>"
    "<th>target</th><th>deadline</th><th>actual</th><th>verdict</th></tr></thead>\n<tbody>\n";
const char track_html_foot[] = "</tbody>\n</table>\n</div>\n";

static void out(FILE *f, const char *s, int *io_error)
{
    for (; s && *s; s++) {
        int rc;
        switch (*s) {
        case '<': rc = fputs("&lt;", f); break;
        case '>': rc = fputs("&gt;", f); break;
        case '&': rc = fputs("&amp;", f); break;
        case '"': rc = fputs("&quot;", f); break;
        default: rc = fputc(*s, f);
        }
        if (rc == EOF)
            *io_error = 1;
    }
}

static const char *qual_word(const char *q)
{
    if (!q)
        return "";
    if (!strcmp(q, "at_least"))
        return "\xe2\x89\xa5 "; /* ≥ */
    if (!strcmp(q, "over"))
        return "> ";
    if (!strcmp(q, "at_most"))
        return "\xe2\x89\xa4 "; /* ≤ */
    if (!strcmp(q, "under"))
        return "< ";
    if (!strcmp(q, "about"))
        return "\xe2\x89\x88 "; /* ≈ */
    return "";
}

/* value unit, linked to highlight k when there is one */
static void figure(FILE *f, const zm_track_fig *x, const char *qual, long k, int *io_error)
{
    if (k >= 0 && fprintf(f, "<a href=\"#m-%ld\" data-k=\"%ld\">", k, k) < 0)
        *io_error = 1;
    out(f, qual, io_error);
    out(f, x->value, io_error);
    out(f, x->unit, io_error);
    if (x->change)
        out(f, x->change[0] == 'i' ? " (increase)" : " (decrease)", io_error);
    if (k >= 0 && fputs("</a>", f) == EOF)
        *io_error = 1;
    if (fputs(" <small>", f) == EOF)
        *io_error = 1;
    out(f, x->doc, io_error);
    if (fputs("</small>", f) == EOF)
        *io_error = 1;
}

void track_html_row(FILE *f, const zm_track *tr, long k_target, long k_actual, int *io_error)
{
    if (fputs("<tr><td>", f) == EOF)
        *io_error = 1;
    out(f, tr->region, io_error);
    fputs("</td><td title=\"", f);
    out(f, tr->indicator, io_error);
    fputs("\">", f);
    out(f, tr->indicator_name ? tr->indicator_name : tr->indicator, io_error);
    fputs("</td><td>", f);
    figure(f, tr->target, qual_word(tr->target->qualifier), k_target, io_error);
    fputs("</td><td>", f);
    out(f, tr->target->to, io_error);
    fputs("</td><td>", f);
    if (tr->actual)
        figure(f, tr->actual, "", k_actual, io_error);
    fprintf(f, "</td><td class=\"v-%s\">", tr->verdict);
    out(f, tr->verdict, io_error);
    if (fputs("</td></tr>\n", f) == EOF)
        *io_error = 1;
}
