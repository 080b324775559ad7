#define _POSIX_C_SOURCE 200809L
#include "notes.h"

#include <string.h>

static int starts(const char *t, size_t at, size_t hi, const char *w)
{
    size_t n = strlen(w);
    return at + n <= hi && memcmp(t + at, w, n) == 0;
}

/* The term a note defines ends at the first of these. */
static size_t term_end(const char *t, size_t lo, size_t hi)
{
    static const char *const ends[] = {"是指", "指", "为", "：", ":", "，", "是", "="};
    for (size_t i = lo; i < hi; i++)
        for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
            if (starts(t, i, hi, ends[k]))
                return i;
    return hi;
}

static void add_note(zm_docfacts *F, const char *t, size_t at, size_t hi)
{
    /* N. or N、 or N．(folded to .) then the term */
    if (at >= hi || t[at] < '1' || t[at] > '9' || F->n_notes == 8)
        return;
    int n = t[at] - '0';
    size_t p = at + 1;
    if (p < hi && t[p] >= '0' && t[p] <= '9')
        return; /* one digit: marks are single digits */
    if (p < hi && t[p] == '.')
        p++;
    else if (starts(t, p, hi, "、"))
        p += 3;
    else
        return;
    size_t e = term_end(t, p, hi);
    if (e - p < 6 || e - p > 60) /* two to twenty characters */
        return;
    F->note_num[F->n_notes] = n;
    F->note_term[F->n_notes].start = p;
    F->note_term[F->n_notes++].end = e;
}

void zm_notes_collect(const zm_ctx *c, zm_docfacts *F)
{
    const char *t = c->norm.text;
    F->n_notes = 0;
    int in_notes = 0;
    for (size_t i = 0; i < c->layout->n_lines; i++) {
        const zm_line *ln = &c->layout->lines[i];
        size_t at = ln->content, hi = ln->end;
        if (starts(t, at, hi, "注")) {
            in_notes = 1;
            at += 3;
            if (starts(t, at, hi, "：") || starts(t, at, hi, ":"))
                at += t[at] == ':' ? 1 : 3;
            while (at < hi && t[at] == ' ')
                at++;
        } else if (!in_notes || at >= hi || t[at] < '1' || t[at] > '9') {
            in_notes = 0;
            continue;
        }
        /* notes may run on in one line: 1．…。2．…。 */
        for (size_t p = at; p < hi;) {
            add_note(F, t, p, hi);
            size_t q = p;
            while (q < hi && !starts(t, q, hi, "。"))
                q++;
            p = q < hi ? q + 3 : hi;
        }
    }
}

size_t zm_note_mark(const zm_ctx *c, size_t cs, size_t ns, size_t ne)
{
    const char *t = c->norm.text;
    if (ns + 1 >= ne || t[ns] < '1' || t[ns] > '9' || !(t[ns + 1] >= '0' && t[ns + 1] <= '9'))
        return 0;
    for (int k = 0; k < c->facts->n_notes; k++) {
        if (c->facts->note_num[k] != t[ns] - '0')
            continue;
        /* the term in the figure's clause, with at most a verb (达到, 为) between */
        size_t tl = c->facts->note_term[k].end - c->facts->note_term[k].start;
        for (size_t i = cs; i + tl <= ns; i++) {
            if (memcmp(t + i, t + c->facts->note_term[k].start, tl) != 0)
                continue;
            size_t gap = ns - (i + tl);
            if (gap <= 6)
                return 1;
        }
    }
    return 0;
}
