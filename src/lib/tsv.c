#include "tsv.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

int zm_tsv_open(zm_tsv *t, const char *path, zm_error *err)
{
    memset(t, 0, sizeof *t);
    size_t len;
    int rc = zm_read_file(path, &t->data, &len, err);
    if (rc)
        return rc;
    t->p = t->data;
    t->end = t->data + len;
    t->path = path;
    return 0;
}

int zm_tsv_next(zm_tsv *t)
{
    while (t->p < t->end) {
        char *nl = memchr(t->p, '\n', (size_t)(t->end - t->p));
        char *le = nl ? nl : t->end;
        char *line = t->p;
        t->p = nl ? nl + 1 : t->end;
        t->lineno++;
        if (le > line && le[-1] == '\r')
            le--;
        *le = 0;
        if (!*line || *line == '#')
            continue;
        t->bad_utf8 = zm_utf8_check(line, (size_t)(le - line)) != (size_t)(le - line);
        t->nf = 0;
        char *c = line;
        for (;;) {
            char *tab = strchr(c, '\t');
            if (t->nf < ZM_TSV_MAXF)
                t->f[t->nf] = c;
            t->nf++;
            if (!tab)
                break;
            *tab = 0;
            c = tab + 1;
        }
        return 1;
    }
    return 0;
}

void zm_tsv_close(zm_tsv *t)
{
    free(t->data);
    t->data = NULL;
}

int zm_tsv_utf8_error(const zm_tsv *t, zm_error *err)
{
    return t->bad_utf8 ? zm_set_error(err, ZM_E_DATA, t->path, t->lineno, "not valid UTF-8") : 0;
}
