#include "seg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "utf8.h"

static int is_alnum_ascii(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '.' || c == '%';
}

static int reserve(zm_seg *sg, size_t n)
{
    if (sg->cap >= n + 1)
        return 0;
    size_t cap = n + 1 > 256 ? n + 1 : 256;
    if (zm_resize((void **)&sg->coff, cap, sizeof *sg->coff) || zm_resize((void **)&sg->cp, cap, sizeof *sg->cp) || zm_resize((void **)&sg->route, cap, sizeof *sg->route) ||
        zm_resize((void **)&sg->next, cap, sizeof *sg->next) || zm_resize((void **)&sg->rpos, cap, sizeof *sg->rpos) ||
        zm_resize((void **)&sg->rknown, cap, sizeof *sg->rknown) ||
        zm_resize((void **)&sg->tok, cap, sizeof *sg->tok)) /* a token is a character at least */
        return ZM_E_NOMEM;
    for (int l = 0; l < ZM_SEG_LEVELS; l++)
        if (zm_resize((void **)&sg->first[l], cap, sizeof *sg->first[l]))
            return ZM_E_NOMEM;
    sg->cap = cap;
    return 0;
}

static double log_freq(zm_seg *sg, uint32_t freq)
{
    struct zm_seg_log *e = &sg->logc[freq & 2047];
    if (e->freq != freq) {
        e->freq = freq;
        e->log = log((double)freq);
    }
    return e->log;
}

int zm_seg_run(zm_seg *sg, const zm_lexicon *lx, const char *s, size_t len)
{
    sg->ntok = 0;
    if (reserve(sg, len))
        return ZM_E_NOMEM;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    /* The first steps of every walk, level by level: the lookups of one
     * level do not wait on each other, so their cache misses (the general
     * lexicon's table is megabytes) overlap instead of queueing. The first
     * level is taken as the text is decoded. */
    const zm_lex_table tab = zm_lexicon_table(lx);
    for (size_t i = 0; i < len;) {
        int cp;
        sg->coff[n] = (uint32_t)i;
        i += (size_t)zm_utf8_next(u + i, u + len, &cp);
        sg->first[0][n] = zm_lex_table_step(tab, ZM_LEX_ROOT, cp);
        sg->cp[n++] = cp;
    }
    sg->coff[n] = (uint32_t)len;
    for (int l = 1; l < ZM_SEG_LEVELS; l++)
        for (size_t ci = 0; ci < n; ci++) {
            const zm_lex_entry *prev = l ? sg->first[l - 1][ci] : NULL;
            sg->first[l][ci] = ci + (size_t)l >= n || (l && !prev)
                                   ? NULL
                                   : zm_lex_table_step(tab, l ? prev->node : ZM_LEX_ROOT, sg->cp[ci + (size_t)l]);
        }
    double logtotal = zm_lexicon_log_total(lx);
    sg->route[n] = 0;
    for (size_t ci = n; ci-- > 0;) {
        size_t b = sg->coff[ci];
        double best;
        size_t bestj;
        uint16_t bpos = 0;
        uint8_t bknown = 0;
        if (is_alnum_ascii(u[b])) {
            size_t cj = ci + 1;
            while (cj < n && is_alnum_ascii(u[sg->coff[cj]]))
                cj++;
            /* a run is one token: jump from its first character only */
            if (ci > 0 && is_alnum_ascii(u[sg->coff[ci - 1]])) {
                sg->route[ci] = -1e300;
                sg->next[ci] = (uint32_t)cj;
                sg->rpos[ci] = 0;
                sg->rknown[ci] = 0;
                continue;
            }
            best = -logtotal + sg->route[cj];
            bestj = cj;
        } else {
            best = -logtotal + sg->route[ci + 1]; /* unknown single char, freq 1 */
            bestj = ci + 1;
            uint32_t node = ZM_LEX_ROOT;
            for (size_t cj = ci + 1; cj <= n; cj++) {
                size_t l = cj - ci - 1;
                const zm_lex_entry *e =
                    l < ZM_SEG_LEVELS ? sg->first[l][ci] : zm_lex_table_step(tab, node, sg->cp[cj - 1]);
                if (!e)
                    break;
                node = e->node;
                if (e->freq) {
                    double r = log_freq(sg, e->freq) - logtotal + sg->route[cj];
                    if (r > best || (cj == ci + 1 && bestj == ci + 1 && !bknown)) {
                        best = r;
                        bestj = cj;
                        bpos = e->pos;
                        bknown = 1;
                    }
                }
            }
        }
        sg->route[ci] = best;
        sg->next[ci] = (uint32_t)bestj;
        sg->rpos[ci] = bpos;
        sg->rknown[ci] = bknown;
    }
    for (size_t ci = 0; ci < n;) {
        size_t cj = sg->next[ci];
        zm_token *t = &sg->tok[sg->ntok++];
        t->start = sg->coff[ci];
        t->len = sg->coff[cj] - sg->coff[ci];
        t->pos = sg->rpos[ci];
        t->known = sg->rknown[ci];
        t->memo = 0;
        ci = cj;
    }
    return 0;
}

void zm_seg_free(zm_seg *sg)
{
    free(sg->tok);
    free(sg->coff);
    free(sg->cp);
    for (int l = 0; l < ZM_SEG_LEVELS; l++)
        free(sg->first[l]);
    free(sg->route);
    free(sg->next);
    free(sg->rpos);
    free(sg->rknown);
    memset(sg, 0, sizeof *sg);
}
