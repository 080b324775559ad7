#define _POSIX_C_SOURCE 200809L
#include "lexicon.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"
#include "util.h"

#define MAX_POS 256

struct zm_lexicon {
    zm_lex_entry *edge; /* open addressing on (parent, cp) */
    size_t nslot;       /* power of two */
    size_t nedge;       /* = nodes - 1 (the root has no edge) */
    char *pos_names[MAX_POS];
    int npos;
    double total;
    size_t nwords;
    void *map; /* set when the table lives in a mapped cache file */
    size_t maplen;
};

zm_lexicon *zm_lexicon_new(void)
{
    zm_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->nslot = 1 << 10; /* grows by doubling: small tries stay small */
    lx->edge = calloc(lx->nslot, sizeof *lx->edge);
    if (!lx->edge) {
        free(lx);
        return NULL;
    }
    lx->pos_names[0] = strdup("x");
    lx->npos = 1;
    return lx;
}

void zm_lexicon_free(zm_lexicon *lx)
{
    if (!lx)
        return;
    if (lx->map) {
        munmap(lx->map, lx->maplen);
    } else {
        free(lx->edge);
        for (int i = 0; i < lx->npos; i++)
            free(lx->pos_names[i]);
    }
    free(lx);
}

/* The slot of the edge (parent, cp), or the empty one where it goes. */
static size_t probe(const zm_lexicon *lx, uint32_t parent, uint32_t cp)
{
    size_t mask = lx->nslot - 1, i = zm_lex_slot(parent, cp, mask);
    while (lx->edge[i].node && !(lx->edge[i].parent == parent && lx->edge[i].cp == cp))
        i = (i + 1) & mask;
    return i;
}

static int rehash(zm_lexicon *lx)
{
    zm_lexicon big = *lx;
    big.nslot = lx->nslot * 2;
    big.edge = calloc(big.nslot, sizeof *big.edge);
    if (!big.edge)
        return ZM_E_NOMEM;
    for (size_t k = 0; k < lx->nslot; k++)
        if (lx->edge[k].node)
            big.edge[probe(&big, lx->edge[k].parent, lx->edge[k].cp)] = lx->edge[k];
    free(lx->edge);
    lx->edge = big.edge;
    lx->nslot = big.nslot;
    return 0;
}

static int pos_id(zm_lexicon *lx, const char *pos)
{
    if (!pos || !*pos)
        return 0;
    for (int i = 0; i < lx->npos; i++)
        if (strcmp(lx->pos_names[i], pos) == 0)
            return i;
    if (lx->npos == MAX_POS)
        return 0;
    lx->pos_names[lx->npos] = strdup(pos);
    return lx->pos_names[lx->npos] ? lx->npos++ : 0;
}

/* The node reached from parent by cp, created (as a prefix) if missing. */
static zm_lex_entry *child(zm_lexicon *lx, uint32_t parent, int cp)
{
    if ((lx->nedge + 1) * 4 > lx->nslot * 3 && rehash(lx))
        return NULL;
    zm_lex_entry *e = &lx->edge[probe(lx, parent, (uint32_t)cp)];
    if (!e->node) {
        if (lx->nedge + 1 >= UINT32_MAX)
            return NULL;
        e->parent = parent;
        e->cp = (uint32_t)cp;
        e->node = (uint32_t)++lx->nedge;
        e->pos = 0;
        e->freq = 0;
    }
    return e;
}

int zm_lexicon_add(zm_lexicon *lx, const char *word, size_t len, uint32_t freq, const char *pos)
{
    if (len == 0 || len > 255 || lx->map)
        return 0;
    const unsigned char *u = (const unsigned char *)word, *end = u + len;
    /* a word that is not valid UTF-8 can never be met in decoded text */
    for (const unsigned char *p = u; p < end;) {
        int cp;
        p += zm_utf8_next(p, end, &cp);
        if (cp <= 0)
            return 0;
    }
    int p = pos_id(lx, pos);
    zm_lex_entry *e = NULL;
    uint32_t node = ZM_LEX_ROOT;
    while (u < end) {
        int cp;
        u += zm_utf8_next(u, end, &cp);
        if (!(e = child(lx, node, cp)))
            return ZM_E_NOMEM;
        node = e->node;
    }
    uint32_t f = freq ? freq : 1;
    if (e->freq == 0)
        lx->nwords++;
    lx->total += (double)f - (double)e->freq;
    e->freq = f;
    e->pos = (uint32_t)p;
    return 0;
}

int zm_lexicon_load(zm_lexicon *lx, const char *path, uint32_t default_freq, zm_error *err)
{
    char *data;
    size_t len;
    int rc = zm_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    int lineno = 0;
    char *p = data, *end = data + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        lineno++;
        if (le > p && le[-1] == '\r')
            le--;
        *le = 0;
        char *line = p;
        p = nl ? nl + 1 : end;
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line || *line == '#')
            continue;
        char *f[3] = {0};
        int nf = 0;
        char *save = NULL;
        for (char *t = strtok_r(line, " \t", &save); t && nf < 4; t = strtok_r(NULL, " \t", &save))
            f[nf < 3 ? nf : 2] = t, nf++;
        if (zm_utf8_check(f[0], strlen(f[0])) != strlen(f[0])) {
            rc = zm_set_error(err, ZM_E_DATA, path, lineno, "not valid UTF-8");
            break;
        }
        if (nf > 3) {
            rc = zm_set_error(err, ZM_E_DATA, path, lineno, "expected 'word [freq [pos]]', got %d columns", nf);
            break;
        }
        uint32_t freq = default_freq;
        if (f[1]) {
            char *e;
            unsigned long v = strtoul(f[1], &e, 10);
            if (*e || v > 0xFFFFFFFFul) {
                rc = zm_set_error(err, ZM_E_DATA, path, lineno, "bad frequency '%s'", f[1]);
                break;
            }
            freq = (uint32_t)v;
        }
        if (zm_lexicon_add(lx, f[0], strlen(f[0]), freq, f[2])) {
            rc = zm_set_error(err, ZM_E_NOMEM, path, lineno, "out of memory");
            break;
        }
    }
    free(data);
    return rc;
}

zm_lex_table zm_lexicon_table(const zm_lexicon *lx)
{
    zm_lex_table t = {lx->edge, lx->nslot - 1};
    return t;
}

const zm_lex_entry *zm_lexicon_step(const zm_lexicon *lx, uint32_t node, int cp)
{
    return zm_lex_table_step(zm_lexicon_table(lx), node, cp);
}

int zm_lexicon_prefixes(const zm_lexicon *lx, const char *text, size_t at, size_t hi, zm_lex_hit *out)
{
    const unsigned char *u = (const unsigned char *)text;
    uint32_t node = ZM_LEX_ROOT;
    int n = 0;
    for (size_t i = at; i < hi && n < ZM_LEX_MAX_HITS;) {
        int cp, k = zm_utf8_next(u + i, u + hi, &cp);
        const zm_lex_entry *e = zm_lexicon_step(lx, node, cp);
        if (!e)
            break;
        node = e->node;
        i += (size_t)k;
        if (e->freq)
            out[n++] = (zm_lex_hit){(uint32_t)(i - at), e->freq};
    }
    return n;
}

int zm_lexicon_suffixes(const zm_lexicon *lx, const char *text, size_t lo, size_t at, zm_lex_hit *out)
{
    uint32_t node = ZM_LEX_ROOT;
    int n = 0;
    for (size_t i = at; i > lo && n < ZM_LEX_MAX_HITS;) {
        int cp;
        size_t k = (size_t)zm_utf8_prev(text, lo, i, &cp);
        const zm_lex_entry *e = zm_lexicon_step(lx, node, cp);
        if (!e)
            break;
        node = e->node;
        i -= k;
        if (e->freq)
            out[n++] = (zm_lex_hit){(uint32_t)(at - i), e->freq};
    }
    return n;
}

const zm_lex_entry *zm_lexicon_find(const zm_lexicon *lx, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + len;
    const zm_lex_entry *e = NULL;
    uint32_t node = ZM_LEX_ROOT;
    while (u < end) {
        int cp;
        u += zm_utf8_next(u, end, &cp);
        if (!(e = zm_lexicon_step(lx, node, cp)))
            return NULL;
        node = e->node;
    }
    return e;
}

const char *zm_lexicon_pos_name(const zm_lexicon *lx, uint16_t pos)
{
    return pos < lx->npos ? lx->pos_names[pos] : "x";
}

double zm_lexicon_log_total(const zm_lexicon *lx) { return log(lx->total > 1 ? lx->total : 1); }
size_t zm_lexicon_words(const zm_lexicon *lx) { return lx->nwords; }

/* ---- compiled cache: the trie table as built, written once and mapped
 * read-only afterwards, so start-up does not re-parse 350,000 words ---- */

#define CACHE_MAGIC "ZMLEX002"

typedef struct cache_header {
    char magic[8];
    uint64_t key;
    uint64_t nslot, nedge, pos_len, nwords;
    double total;
    uint32_t npos, pad;
} cache_header;

int zm_lexicon_save(const zm_lexicon *lx, const char *path, uint64_t key)
{
    if (lx->map)
        return 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return ZM_E_IO;
    cache_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CACHE_MAGIC, 8);
    h.key = key;
    h.nslot = lx->nslot;
    h.nedge = lx->nedge;
    h.nwords = lx->nwords;
    h.total = lx->total;
    h.npos = (uint32_t)lx->npos;
    for (int i = 0; i < lx->npos; i++)
        h.pos_len += strlen(lx->pos_names[i]) + 1;
    int ok = fwrite(&h, sizeof h, 1, f) == 1 && fwrite(lx->edge, sizeof *lx->edge, h.nslot, f) == h.nslot;
    for (int i = 0; ok && i < lx->npos; i++)
        ok = fwrite(lx->pos_names[i], 1, strlen(lx->pos_names[i]) + 1, f) == strlen(lx->pos_names[i]) + 1;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return ZM_E_IO;
    }
    return 0;
}

zm_lexicon *zm_lexicon_map(const char *path, uint64_t key)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(cache_header))
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return NULL;
    size_t len = (size_t)st.st_size;
    const cache_header *h = map;
    zm_lexicon *lx = NULL;
    if (memcmp(h->magic, CACHE_MAGIC, 8) != 0 || h->key != key || h->npos == 0 || h->npos > MAX_POS ||
        h->nslot == 0 || (h->nslot & (h->nslot - 1)) || h->nslot > (len - sizeof *h) / sizeof(zm_lex_entry) ||
        h->nedge >= h->nslot || sizeof *h + h->nslot * sizeof(zm_lex_entry) + h->pos_len != len ||
        !(lx = calloc(1, sizeof *lx))) {
        munmap(map, len);
        return NULL;
    }
    char *p = (char *)map + sizeof *h;
    lx->edge = (zm_lex_entry *)(void *)p;
    lx->nslot = h->nslot;
    lx->nedge = h->nedge;
    p += h->nslot * sizeof(zm_lex_entry);
    const char *end = (const char *)map + len;
    for (uint32_t i = 0; i < h->npos; i++) {
        const char *z = memchr(p, 0, (size_t)(end - p));
        if (!z)
            goto corrupt;
        lx->pos_names[i] = p;
        p = (char *)z + 1;
    }
    lx->npos = (int)h->npos;
    lx->total = h->total;
    lx->nwords = h->nwords;
    lx->map = map;
    lx->maplen = len;
    return lx;
corrupt:
    free(lx);
    munmap(map, len);
    return NULL;
}
