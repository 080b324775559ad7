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
    zm_buf pool;
    zm_lex_entry *ent;
    size_t nent, capent;
    uint32_t *slot; /* entry index + 1; 0 empty */
    size_t nslot;   /* power of two */
    char *pos_names[MAX_POS];
    int npos;
    double total;
    size_t nwords;
    void *map; /* set when the arrays live in a mapped cache file */
    size_t maplen;
};


zm_lexicon *zm_lexicon_new(void)
{
    zm_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->nslot = 1 << 16;
    lx->slot = calloc(lx->nslot, sizeof *lx->slot);
    if (!lx->slot) {
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
        zm_buf_free(&lx->pool);
        free(lx->ent);
        free(lx->slot);
        for (int i = 0; i < lx->npos; i++)
            free(lx->pos_names[i]);
    }
    free(lx);
}

static size_t probe(const zm_lexicon *lx, const char *s, size_t n)
{
    size_t mask = lx->nslot - 1, i = zm_fnv32(s, n) & mask;
    while (lx->slot[i]) {
        const zm_lex_entry *e = &lx->ent[lx->slot[i] - 1];
        if (e->len == n && memcmp(lx->pool.data + e->off, s, n) == 0)
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

static int rehash(zm_lexicon *lx)
{
    size_t n = lx->nslot * 2;
    uint32_t *ns = calloc(n, sizeof *ns);
    if (!ns)
        return ZM_E_NOMEM;
    for (size_t k = 0; k < lx->nent; k++) {
        const zm_lex_entry *e = &lx->ent[k];
        size_t i = zm_fnv32(lx->pool.data + e->off, e->len) & (n - 1);
        while (ns[i])
            i = (i + 1) & (n - 1);
        ns[i] = (uint32_t)(k + 1);
    }
    free(lx->slot);
    lx->slot = ns;
    lx->nslot = n;
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

/* Inserts or updates s; prefix-only entries keep freq 0. */
static int put(zm_lexicon *lx, const char *s, size_t n, uint32_t freq, int pos, int is_word)
{
    if ((lx->nent + 1) * 2 > lx->nslot && rehash(lx))
        return ZM_E_NOMEM;
    size_t i = probe(lx, s, n);
    if (lx->slot[i]) {
        zm_lex_entry *e = &lx->ent[lx->slot[i] - 1];
        if (is_word) {
            if (e->freq == 0)
                lx->nwords++;
            uint32_t f = freq ? freq : 1;
            lx->total += (double)f - (double)e->freq;
            e->freq = f;
            e->pos = (uint16_t)pos;
        }
        return 0;
    }
    if (zm_grow((void **)&lx->ent, lx->nent, &lx->capent, sizeof *lx->ent, 4096))
        return ZM_E_NOMEM;
    zm_lex_entry *e = &lx->ent[lx->nent];
    e->off = (uint32_t)lx->pool.len;
    e->len = (uint16_t)n;
    e->pos = (uint16_t)(is_word ? pos : 0);
    e->freq = is_word ? (freq ? freq : 1) : 0;
    if (zm_buf_add(&lx->pool, s, n))
        return ZM_E_NOMEM;
    lx->slot[i] = (uint32_t)(++lx->nent);
    if (is_word) {
        lx->total += e->freq;
        lx->nwords++;
    }
    return 0;
}

int zm_lexicon_add(zm_lexicon *lx, const char *word, size_t len, uint32_t freq, const char *pos)
{
    if (len == 0 || len > 255)
        return 0;
    int p = pos_id(lx, pos);
    /* prefixes at every UTF-8 character boundary */
    for (size_t k = 1; k < len; k++) {
        if (((unsigned char)word[k] & 0xC0) == 0x80)
            continue;
        int rc = put(lx, word, k, 0, 0, 0);
        if (rc)
            return rc;
    }
    return put(lx, word, len, freq, p, 1);
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

const zm_lex_entry *zm_lexicon_find(const zm_lexicon *lx, const char *s, size_t len)
{
    size_t i = probe(lx, s, len);
    return lx->slot[i] ? &lx->ent[lx->slot[i] - 1] : NULL;
}

const char *zm_lexicon_pos_name(const zm_lexicon *lx, uint16_t pos)
{
    return pos < lx->npos ? lx->pos_names[pos] : "x";
}

double zm_lexicon_log_total(const zm_lexicon *lx) { return log(lx->total > 1 ? lx->total : 1); }
size_t zm_lexicon_words(const zm_lexicon *lx) { return lx->nwords; }

/* ---- compiled cache: the hash table as built, written once and mapped
 * read-only afterwards, so start-up does not re-parse 350,000 words ---- */

#define CACHE_MAGIC "ZMLEX001"

typedef struct cache_header {
    char magic[8];
    uint64_t key;
    uint64_t nent, nslot, pool_len, pos_len, nwords;
    double total;
    uint32_t npos, pad;
} cache_header;

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

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
    h.nent = lx->nent;
    h.nslot = lx->nslot;
    h.pool_len = lx->pool.len;
    h.nwords = lx->nwords;
    h.total = lx->total;
    h.npos = (uint32_t)lx->npos;
    for (int i = 0; i < lx->npos; i++)
        h.pos_len += strlen(lx->pos_names[i]) + 1;
    static const char zeros[8] = {0};
    int ok = fwrite(&h, sizeof h, 1, f) == 1 &&
             (h.pool_len == 0 || fwrite(lx->pool.data, 1, h.pool_len, f) == h.pool_len) &&
             fwrite(zeros, 1, pad8(h.pool_len) - h.pool_len, f) == pad8(h.pool_len) - h.pool_len &&
             (h.nent == 0 || fwrite(lx->ent, sizeof *lx->ent, h.nent, f) == h.nent) &&
             fwrite(lx->slot, sizeof *lx->slot, h.nslot, f) == h.nslot;
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
    size_t need = sizeof *h + pad8(h->pool_len) + h->nent * sizeof(zm_lex_entry) + h->nslot * sizeof(uint32_t) + h->pos_len;
    zm_lexicon *lx = NULL;
    if (memcmp(h->magic, CACHE_MAGIC, 8) != 0 || h->key != key || need != len || h->npos > MAX_POS ||
        h->nslot == 0 || (h->nslot & (h->nslot - 1)) || h->nent >= h->nslot ||
        !(lx = calloc(1, sizeof *lx))) {
        munmap(map, len);
        return NULL;
    }
    char *p = (char *)map + sizeof *h;
    lx->pool.data = p;
    lx->pool.len = lx->pool.cap = h->pool_len;
    p += pad8(h->pool_len);
    lx->ent = (zm_lex_entry *)(void *)p;
    lx->nent = lx->capent = h->nent;
    p += h->nent * sizeof(zm_lex_entry);
    lx->slot = (uint32_t *)(void *)p;
    lx->nslot = h->nslot;
    p += h->nslot * sizeof(uint32_t);
    const char *end = (const char *)map + len;
    for (uint32_t i = 0; i < h->npos; i++) {
        const char *z = memchr(p, 0, (size_t)(end - p));
        if (!z) {
            free(lx);
            munmap(map, len);
            return NULL;
        }
        lx->pos_names[i] = p;
        p = (char *)z + 1;
    }
    /* a damaged file must not send lookups out of bounds */
    for (size_t i = 0; i < lx->nslot; i++) {
        if (lx->slot[i] > lx->nent)
            goto corrupt;
    }
    for (size_t i = 0; i < lx->nent; i++) {
        if ((size_t)lx->ent[i].off + lx->ent[i].len > h->pool_len || lx->ent[i].pos >= h->npos)
            goto corrupt;
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
