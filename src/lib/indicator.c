/* Indicator catalog: loading and validating dict/indicators.tsv, and
 * matching a resolved metric against it (format: docs/dict.md).
 *   "edu.ptr.primary 小学生师比 小学生师比|小学师生比 生师比:小学 @region ratio ratio none …"
 *     => entry edu.ptr.primary; words 小学生师比, 小学师生比; 生师比 only
 *        with 小学 in the subject, sentence or section
 *   "@sex 女|男" => a word list, used as @sex in later lines
 */
#define _POSIX_C_SOURCE 200809L
#include "indicator.h"

#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "lexicon.h"
#include "tsv.h"
#include "utf8.h"
#include "util.h"

enum { COL_ID, COL_NAME, COL_WORDS, COL_SCOPE, COL_EXCL, COL_KIND, COL_UNIT, COL_DIR, COL_DESC, NCOLS };
static const char *const dir_names[] = {"up", "down", "none"};

/* aux word roles (several may hold for one word) */
enum { AUX_WHOLE = 1, AUX_TAIL = 2, AUX_GROWTH = 4, AUX_CTX = 8, AUX_EXCL = 16, AUX_TOPIC = 32 };

typedef struct strlist {
    char **s;
    size_t n, cap;
} strlist;

typedef struct wlist { /* a named word list (@name) */
    char *name;
    strlist w;
    int *ids;     /* its words as aux ids, once used in an exclude column */
    size_t nids;  /* == w.n when ids is current */
} wlist;

typedef struct entry {
    char *id, *name, *desc, *file;
    int line, kind, dir;
    strlist units; /* empty: any unit of the kind */
    uint8_t *excl; /* bit set over aux ids: the exclude words */
    size_t nexcl;  /* bits in excl (0: none) */
} entry;

/* one way a catalog word names an entry: on its own, or in a context */
typedef struct use {
    int entry;
    int next;     /* next use of the same word, or -1 */
    int *ctx;     /* aux ids of its context words; none: on its own */
    int nctx;
    int near;     /* its contexts count in the subject and the figure's clause only (WORD:=CTX…) */
} use;

typedef struct pattern {
    char *text;
    int first; /* first use */
} pattern;

typedef struct aux {
    char *text;
    unsigned roles;
} aux;

struct zm_indicators {
    entry *e;
    size_t ne, cape;
    wlist *lists;
    size_t nlists, caplists;
    use *u;
    size_t nu, capu;
    pattern *p;
    size_t np, capp;
    aux *a;
    size_t na, capa;
    /* built while loading (each also finds a word already seen in one
     * walk: a catalog of thousands of words loads in linear time) */
    zm_lexicon *auxw;  /* every aux word (exclude, @whole, @tail, @growth, context), payload aux index + 1 */
    zm_lexicon *ids;   /* entry ids, payload entry index + 1 */
    /* naming words reversed, payload pattern index + 1 (the words a
     * subject ends with are found walking back from its end); @tail and
     * @growth words reversed */
    zm_lexicon *words_rev, *tail_rev;
    zm_lexicon *exw; /* the words a text is scanned for: exclude and @whole words, payload aux index + 1 */
    /* a start is walked only when its character is a one-character aux
     * word or its two characters begin a longer one (a hashed pair set):
     * nearly every character of a report begins some aux word, few pairs do */
    uint8_t aux_single[ZM_CPSET_BYTES];
    uint8_t aux_pair[ZM_CPSET_BYTES];
    uint8_t head_last[ZM_CPSET_BYTES]; /* last characters of naming, tail and growth words */
    uint8_t word_last[ZM_CPSET_BYTES]; /* of naming words */
    uint8_t tail_last[ZM_CPSET_BYTES]; /* of tail and growth words */
    int built;
};

/* ---- small helpers */

static int sl_push(strlist *l, const char *s, size_t n)
{
    if (zm_grow((void **)&l->s, l->n, &l->cap, sizeof *l->s, 4))
        return ZM_E_NOMEM;
    char *c = malloc(n + 1);
    if (!c)
        return ZM_E_NOMEM;
    memcpy(c, s, n);
    c[n] = 0;
    l->s[l->n++] = c;
    return 0;
}

static void sl_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
    memset(l, 0, sizeof *l);
}

zm_indicators *zm_indicators_new(void)
{
    zm_indicators *cat = calloc(1, sizeof(zm_indicators));
    if (cat && (!(cat->auxw = zm_lexicon_new()) || !(cat->ids = zm_lexicon_new()) || !(cat->words_rev = zm_lexicon_new()))) {
        zm_indicators_free(cat);
        return NULL;
    }
    return cat;
}

void zm_indicators_free(zm_indicators *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->ne; i++) {
        entry *e = &cat->e[i];
        free(e->id), free(e->name), free(e->desc), free(e->file), free(e->excl);
        sl_free(&e->units);
    }
    free(cat->e);
    for (size_t i = 0; i < cat->nlists; i++) {
        free(cat->lists[i].name);
        free(cat->lists[i].ids);
        sl_free(&cat->lists[i].w);
    }
    free(cat->lists);
    for (size_t i = 0; i < cat->nu; i++)
        free(cat->u[i].ctx);
    free(cat->u);
    for (size_t i = 0; i < cat->np; i++)
        free(cat->p[i].text);
    free(cat->p);
    for (size_t i = 0; i < cat->na; i++)
        free(cat->a[i].text);
    free(cat->a);
    zm_lexicon_free(cat->auxw);
    zm_lexicon_free(cat->ids);
    zm_lexicon_free(cat->words_rev);
    zm_lexicon_free(cat->tail_rev);
    zm_lexicon_free(cat->exw);
    free(cat);
}

static wlist *find_list(const zm_indicators *cat, const char *name)
{
    for (size_t i = 0; i < cat->nlists; i++)
        if (strcmp(cat->lists[i].name, name) == 0)
            return &cat->lists[i];
    return NULL;
}

/* id: lower-case segments [a-z0-9_] joined by '.', at least two, the first
 * starting with a letter; at most 127 bytes */
static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 127 || !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    int dots = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '.') {
            if (i + 1 == n || s[i + 1] == '.')
                return 0;
            dots++;
        } else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) {
            return 0;
        }
    }
    return dots >= 1;
}

/* list name after '@': [a-z_][a-z0-9_]* */
static int list_name_ok(const char *s)
{
    if (s[0] != '@' || !s[1])
        return 0;
    for (const char *p = s + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (p > s + 1 && *p >= '0' && *p <= '9')))
            return 0;
    return 1;
}

typedef struct loader {
    zm_indicators *cat;
    zm_tsv *in;
    zm_error *err;
    const char *col; /* column being read, for messages */
} loader;

static int bad(loader *L, const char *fmt, const char *arg)
{
    char msg[400];
    snprintf(msg, sizeof msg, fmt, arg);
    return zm_set_error(L->err, ZM_E_DATA, L->in->path, L->in->lineno, "%s: %s", L->col, msg);
}

/* Splits s at sep into out, expanding @lists: every item non-empty, at most
 * 255 bytes (a catalog word longer than that could not be matched). '-'
 * alone is the empty list when allow_dash. */
static int split_list(loader *L, const char *s, char sep, int allow_dash, strlist *out)
{
    if (allow_dash && strcmp(s, "-") == 0)
        return 0;
    if (!*s)
        return bad(L, "empty (write '-' for none)%s", "");
    const char *p = s;
    for (;;) {
        const char *q = strchr(p, sep);
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n == 0)
            return bad(L, "empty word in the list '%s'", s);
        if (n > 255)
            return bad(L, "word longer than 255 bytes in '%.60s'", p);
        if (p[0] == '@') {
            char name[256];
            memcpy(name, p, n);
            name[n] = 0;
            if (!list_name_ok(name))
                return bad(L, "bad list name '%s' (@ and [a-z0-9_])", name);
            const wlist *w = find_list(L->cat, name);
            if (!w)
                return bad(L, "unknown word list '%s' (define it on a line before)", name);
            for (size_t i = 0; i < w->w.n; i++)
                if (sl_push(out, w->w.s[i], strlen(w->w.s[i])))
                    return zm_set_error(L->err, ZM_E_NOMEM, L->in->path, L->in->lineno, "out of memory");
        } else if (sl_push(out, p, n)) {
            return zm_set_error(L->err, ZM_E_NOMEM, L->in->path, L->in->lineno, "out of memory");
        }
        if (!q)
            return 0;
        p = q + 1;
    }
}

/* The pair set's bit for characters c1 c2 (Fibonacci hashing to 16 bits). */
static inline int pair_hash(int c1, int c2)
{
    return (int)(((uint32_t)c1 * 0x9E3779B1u ^ (uint32_t)c2 * 0x85EBCA77u) >> 16);
}

/* Adds the last character of s[0..len) (valid UTF-8) to set. */
static void cpset_add_last(uint8_t *set, const char *s, size_t len)
{
    size_t at = len;
    while (at > 0 && ((unsigned char)s[at - 1] & 0xC0) == 0x80)
        at--;
    if (at > 0)
        zm_cpset_add_first(set, s + at - 1, len - at + 1);
}

/* Index + 1 of w in trie, or 0. */
static uint32_t trie_get(const zm_lexicon *trie, const char *w)
{
    const zm_lex_entry *e = zm_lexicon_find(trie, w, strlen(w));
    return e ? e->freq : 0;
}

static int aux_id(zm_indicators *cat, const char *w, unsigned roles)
{
    uint32_t k = trie_get(cat->auxw, w);
    if (k) {
        cat->a[k - 1].roles |= roles;
        return (int)k - 1;
    }
    if (zm_grow((void **)&cat->a, cat->na, &cat->capa, sizeof *cat->a, 64))
        return -1;
    if (!(cat->a[cat->na].text = strdup(w)) ||
        zm_lexicon_add(cat->auxw, w, strlen(w), (uint32_t)cat->na + 1, NULL))
        return -1;
    cat->a[cat->na].roles = roles;
    return (int)cat->na++;
}

static int pattern_id(zm_indicators *cat, const char *w)
{
    char rev[256];
    size_t wl = strlen(w);
    if (wl > sizeof rev)
        return -1;
    zm_utf8_reverse(w, wl, rev);
    const zm_lex_entry *seen = zm_lexicon_find(cat->words_rev, rev, wl);
    if (seen && seen->freq)
        return (int)seen->freq - 1;
    if (zm_grow((void **)&cat->p, cat->np, &cat->capp, sizeof *cat->p, 128))
        return -1;
    if (!(cat->p[cat->np].text = strdup(w)) || zm_lexicon_add(cat->words_rev, rev, wl, (uint32_t)cat->np + 1, NULL))
        return -1;
    cat->p[cat->np].first = -1;
    cpset_add_last(cat->head_last, w, wl);
    cpset_add_last(cat->word_last, w, wl);
    return (int)cat->np++;
}

/* Adds a use of word w for entry ei (ctx: NULL or taken over). */
static int add_use(zm_indicators *cat, const char *w, int ei, strlist *ctx, int near)
{
    int pi = pattern_id(cat, w);
    if (pi < 0 || zm_grow((void **)&cat->u, cat->nu, &cat->capu, sizeof *cat->u, 256))
        return ZM_E_NOMEM;
    use *u = &cat->u[cat->nu];
    memset(u, 0, sizeof *u);
    u->entry = ei;
    u->near = near;
    if (ctx && ctx->n) {
        /* context words are aux words: one scan of a sentence finds them
         * with the exclude words */
        if (!(u->ctx = malloc(ctx->n * sizeof *u->ctx)))
            return ZM_E_NOMEM;
        for (size_t i = 0; i < ctx->n; i++) {
            int a = aux_id(cat, ctx->s[i], AUX_CTX);
            if (a < 0)
                return ZM_E_NOMEM;
            u->ctx[u->nctx++] = a;
        }
        sl_free(ctx);
    }
    /* appended at the end of the word's chain: file order decides ties */
    u->next = -1;
    int *link = &cat->p[pi].first;
    while (*link >= 0)
        link = &cat->u[*link].next;
    *link = (int)cat->nu++;
    return 0;
}

/* The exclude column as aux ids (appended to *ids): the same syntax and
 * errors as split_list, but a @list is turned into ids once, not copied
 * word by word into every entry that names it (most entries name the
 * same few lists). */
static int excl_ids(loader *L, const char *s, int **ids, size_t *n, size_t *cap)
{
    if (strcmp(s, "-") == 0)
        return 0;
    if (!*s)
        return bad(L, "empty (write '-' for none)%s", "");
    for (const char *p = s;;) {
        const char *q = strchr(p, '|');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        char w[256];
        if (len == 0)
            return bad(L, "empty word in the list '%s'", s);
        if (len > 255)
            return bad(L, "word longer than 255 bytes in '%.60s'", p);
        memcpy(w, p, len);
        w[len] = 0;
        if (w[0] == '@') {
            if (!list_name_ok(w))
                return bad(L, "bad list name '%s' (@ and [a-z0-9_])", w);
            wlist *wl = find_list(L->cat, w);
            if (!wl)
                return bad(L, "unknown word list '%s' (define it on a line before)", w);
            if (wl->nids != wl->w.n) { /* new, or grown since */
                int *a = realloc(wl->ids, (wl->w.n ? wl->w.n : 1) * sizeof *a);
                if (!a)
                    goto nomem;
                wl->ids = a;
                for (size_t i = 0; i < wl->w.n; i++)
                    if ((a[i] = aux_id(L->cat, wl->w.s[i], AUX_EXCL)) < 0)
                        goto nomem;
                wl->nids = wl->w.n;
            }
            for (size_t i = 0; i < wl->nids; i++) {
                if (zm_grow((void **)ids, *n, cap, sizeof **ids, 64))
                    goto nomem;
                (*ids)[(*n)++] = wl->ids[i];
            }
        } else {
            int a = aux_id(L->cat, w, AUX_EXCL);
            if (a < 0 || zm_grow((void **)ids, *n, cap, sizeof **ids, 64))
                goto nomem;
            (*ids)[(*n)++] = a;
        }
        if (!q)
            return 0;
        p = q + 1;
    }
nomem:
    return zm_set_error(L->err, ZM_E_NOMEM, L->in->path, L->in->lineno, "out of memory");
}

static int load_list_line(loader *L)
{
    zm_tsv *in = L->in;
    L->col = "word list";
    if (in->nf != 2)
        return zm_set_error(L->err, ZM_E_DATA, in->path, in->lineno,
                            "word list: expected 2 tab-separated columns (@name words), got %d", in->nf);
    if (!list_name_ok(in->f[0]))
        return bad(L, "bad list name '%s' (@ and [a-z0-9_])", in->f[0]);
    strlist words = {0};
    int rc = split_list(L, in->f[1], '|', 0, &words);
    if (rc) {
        sl_free(&words);
        return rc;
    }
    wlist *w = find_list(L->cat, in->f[0]);
    if (!w) { /* a new list; defining it again adds to it */
        if (zm_grow((void **)&L->cat->lists, L->cat->nlists, &L->cat->caplists, sizeof *L->cat->lists, 16) ||
            !(L->cat->lists[L->cat->nlists].name = strdup(in->f[0]))) {
            sl_free(&words);
            return zm_set_error(L->err, ZM_E_NOMEM, in->path, in->lineno, "out of memory");
        }
        w = &L->cat->lists[L->cat->nlists++];
        char *name = w->name;
        memset(w, 0, sizeof *w);
        w->name = name;
    }
    for (size_t i = 0; i < words.n && !rc; i++)
        rc = sl_push(&w->w, words.s[i], strlen(words.s[i]));
    sl_free(&words);
    return rc ? zm_set_error(L->err, ZM_E_NOMEM, in->path, in->lineno, "out of memory") : 0;
}

static int load_entry_line(loader *L)
{
    zm_tsv *in = L->in;
    zm_indicators *cat = L->cat;
    char **f = in->f;
    L->col = "line";
    if (in->nf != NCOLS)
        return zm_set_error(L->err, ZM_E_DATA, in->path, in->lineno,
                            "expected %d tab-separated columns (id name words scope exclude kind unit direction "
                            "description), got %d",
                            NCOLS, in->nf);
    L->col = "id";
    if (!id_ok(f[COL_ID]))
        return bad(L, "bad id '%s' (lower-case [a-z0-9_] segments joined by '.', at least two: edu.ptr.primary)",
                   f[COL_ID]);
    uint32_t dup = trie_get(cat->ids, f[COL_ID]);
    if (dup)
        return zm_set_error(L->err, ZM_E_DATA, in->path, in->lineno, "id: duplicate id '%s' (first at %s:%d)",
                            f[COL_ID], cat->e[dup - 1].file, cat->e[dup - 1].line);
    L->col = "name";
    if (!*f[COL_NAME] || strcmp(f[COL_NAME], "-") == 0)
        return bad(L, "empty canonical name%s", "");
    L->col = "kind";
    int kind = zm_kind_parse(f[COL_KIND]);
    if (kind < 0)
        return bad(L, "unknown kind '%s' (amount count ratio measure duration)", f[COL_KIND]);
    L->col = "direction";
    int dir = -1;
    for (int k = 0; k < 3; k++)
        if (strcmp(dir_names[k], f[COL_DIR]) == 0)
            dir = k;
    if (dir < 0)
        return bad(L, "unknown direction '%s' (up down none)", f[COL_DIR]);
    L->col = "description";
    if (!*f[COL_DESC])
        return bad(L, "empty description%s", "");

    strlist words = {0}, scope = {0}, units = {0}, ctx = {0};
    int *excl = NULL;
    size_t nexcl = 0, capexcl = 0;
    int rc = 0, ei = (int)cat->ne;
    L->col = "words";
    rc = split_list(L, f[COL_WORDS], '|', 1, &words);
    L->col = "scope";
    if (!rc)
        rc = split_list(L, f[COL_SCOPE], '|', 1, &scope);
    if (!rc && words.n == 0 && scope.n == 0) {
        L->col = "words";
        rc = bad(L, "no words: words and scope are both empty%s", "");
    }
    L->col = "exclude";
    if (!rc)
        rc = excl_ids(L, f[COL_EXCL], &excl, &nexcl, &capexcl);
    L->col = "unit";
    if (!rc)
        rc = split_list(L, f[COL_UNIT], '|', 1, &units);
    if (rc)
        goto done;
    /* the entry itself */
    if (zm_grow((void **)&cat->e, cat->ne, &cat->cape, sizeof *cat->e, 64)) {
        rc = zm_set_error(L->err, ZM_E_NOMEM, in->path, in->lineno, "out of memory");
        goto done;
    }
    entry *e = &cat->e[cat->ne];
    memset(e, 0, sizeof *e);
    e->id = strdup(f[COL_ID]);
    e->name = strdup(f[COL_NAME]);
    e->desc = strdup(f[COL_DESC]);
    e->file = strdup(in->path);
    e->line = in->lineno;
    e->kind = kind;
    e->dir = dir;
    e->units = units;
    memset(&units, 0, sizeof units);
    cat->ne++;
    if (!e->id || !e->name || !e->desc || !e->file || zm_lexicon_add(cat->ids, e->id, strlen(e->id), (uint32_t)cat->ne, NULL))
        goto nomem;
    if (nexcl) {
        if (!(e->excl = calloc((cat->na + 7) / 8, 1)))
            goto nomem;
        e->nexcl = cat->na; /* every id it holds is below */
        for (size_t i = 0; i < nexcl; i++)
            e->excl[excl[i] >> 3] |= (uint8_t)(1u << (excl[i] & 7));
    }
    for (size_t i = 0; i < words.n; i++)
        if (add_use(cat, words.s[i], ei, NULL, 0))
            goto nomem;
    L->col = "scope";
    for (size_t i = 0; i < scope.n; i++) {
        /* WORD:CTX,CTX... */
        char *colon = strchr(scope.s[i], ':');
        if (!colon || colon == scope.s[i]) {
            rc = bad(L, "'%s' is not WORD:CONTEXT,CONTEXT...", scope.s[i]);
            goto done;
        }
        *colon = 0;
        if (scope.s[i][0] == '@') {
            rc = bad(L, "'%s': a scope word is a word, not a list", scope.s[i]);
            goto done;
        }
        /* WORD:=CTX…: a context of the subject or the figure's clause only
         * (学校:=全县共有: 全县共有168所学校 is every school; 全县 in
         * another clause or the section does not make 项目学校 so) */
        int near = colon[1] == '=';
        if ((rc = split_list(L, colon + 1 + near, ',', 0, &ctx)))
            goto done;
        if (add_use(cat, scope.s[i], ei, &ctx, near))
            goto nomem;
    }
    goto done;
nomem:
    rc = zm_set_error(L->err, ZM_E_NOMEM, in->path, in->lineno, "out of memory");
done:
    sl_free(&words), sl_free(&scope), sl_free(&units), sl_free(&ctx);
    free(excl);
    return rc;
}

int zm_indicators_load(zm_indicators *cat, const char *path, zm_error *err)
{
    zm_tsv in;
    int rc = zm_tsv_open(&in, path, err);
    if (rc)
        return rc;
    loader L = {cat, &in, err, ""};
    while (zm_tsv_next(&in)) {
        if ((rc = zm_tsv_utf8_error(&in, err)))
            break;
        rc = in.f[0][0] == '@' ? load_list_line(&L) : load_entry_line(&L);
        if (rc)
            break;
    }
    zm_tsv_close(&in);
    cat->built = 0;
    return rc;
}

int zm_indicators_finish(zm_indicators *cat)
{
    static const struct {
        const char *name;
        unsigned role;
    } roles[] = {{"@whole", AUX_WHOLE}, {"@tail", AUX_TAIL}, {"@growth", AUX_GROWTH}, {"@topic", AUX_TOPIC}};
    for (size_t r = 0; r < sizeof roles / sizeof *roles; r++) {
        const wlist *w = find_list(cat, roles[r].name);
        for (size_t i = 0; w && i < w->w.n; i++)
            if (aux_id(cat, w->w.s[i], roles[r].role) < 0)
                return ZM_E_NOMEM;
    }
    zm_lexicon_free(cat->tail_rev);
    zm_lexicon_free(cat->exw);
    cat->exw = NULL;
    if (!(cat->tail_rev = zm_lexicon_new()) || !(cat->exw = zm_lexicon_new()))
        return ZM_E_NOMEM;
    memset(cat->aux_single, 0, sizeof cat->aux_single);
    memset(cat->aux_pair, 0, sizeof cat->aux_pair);
    char rev[256];
    for (size_t i = 0; i < cat->na; i++) {
        const unsigned char *t = (const unsigned char *)cat->a[i].text;
        size_t l = strlen(cat->a[i].text);
        if (cat->a[i].roles & (AUX_EXCL | AUX_WHOLE)) {
            int c1, c2, k1 = zm_utf8_dec(t, &c1);
            if ((size_t)k1 >= l) {
                zm_cpset_add(cat->aux_single, c1);
            } else {
                zm_utf8_dec(t + k1, &c2);
                zm_cpset_add(cat->aux_pair, pair_hash(c1, c2));
            }
            if (zm_lexicon_add(cat->exw, cat->a[i].text, l, (uint32_t)i + 1, NULL))
                return ZM_E_NOMEM;
        }
        if (!(cat->a[i].roles & (AUX_TAIL | AUX_GROWTH)) || l > sizeof rev)
            continue;
        cpset_add_last(cat->head_last, cat->a[i].text, l);
        cpset_add_last(cat->tail_last, cat->a[i].text, l);
        zm_utf8_reverse(cat->a[i].text, l, rev);
        if (zm_lexicon_add(cat->tail_rev, rev, l, (uint32_t)i + 1, NULL))
            return ZM_E_NOMEM;
    }
    cat->built = 1;
    return 0;
}

int zm_indicators_count(const zm_indicators *cat) { return cat ? (int)cat->ne : 0; }

int zm_indicators_info(const zm_indicators *cat, const char *id, const char **name, const char **direction)
{
    for (size_t i = 0; cat && id && i < cat->ne; i++)
        if (strcmp(cat->e[i].id, id) == 0) {
            *name = cat->e[i].name;
            *direction = dir_names[cat->e[i].dir];
            return 1;
        }
    return 0;
}

int zm_indicators_write_tsv(const zm_indicators *cat, FILE *f)
{
    if (fputs("# id\tname\tkind\tunit\tdirection\n", f) < 0)
        return ZM_E_IO;
    for (size_t i = 0; cat && i < cat->ne; i++) {
        const entry *e = &cat->e[i];
        if (fprintf(f, "%s\t%s\t%s\t", e->id, e->name, zm_kind_name(e->kind)) < 0)
            return ZM_E_IO;
        for (size_t k = 0; k < e->units.n; k++)
            if (fprintf(f, "%s%s", k ? "|" : "", e->units.s[k]) < 0)
                return ZM_E_IO;
        if (fprintf(f, "%s\t%s\n", e->units.n ? "" : "-", dir_names[e->dir]) < 0)
            return ZM_E_IO;
    }
    return 0;
}

/* ---- matching */

#define MAX_HITS 64

typedef zm_ind_hit hit; /* bytes of the text searched; pattern or aux index */

/* Every aux word in s[0..n), at every character start: the trie step
 * inlined, and a start tried only when the pair filter lets it (see
 * aux_pair). s is valid UTF-8 (document text). */
static int find_aux(const zm_indicators *cat, const char *s, size_t n, hit *out, int max)
{
    const unsigned char *u = (const unsigned char *)s;
    zm_lex_table t = zm_lexicon_table(cat->exw);
    int k = 0;
    for (size_t i = 0; i < n && k < max;) {
        int cp, len = zm_utf8_len(u[i]);
        if (i + (size_t)len > n)
            break;
        zm_utf8_dec(u + i, &cp);
        int cp2 = -1;
        if (i + (size_t)len < n && i + (size_t)len + (size_t)zm_utf8_len(u[i + (size_t)len]) <= n)
            zm_utf8_dec(u + i + len, &cp2);
        if (zm_cpset_has(cat->aux_single, cp) || (cp2 >= 0 && zm_cpset_has(cat->aux_pair, pair_hash(cp, cp2)))) {
            uint32_t node = ZM_LEX_ROOT;
            for (size_t j = i; j < n && k < max;) {
                int c2, l2 = zm_utf8_len(u[j]);
                if (j + (size_t)l2 > n)
                    break;
                zm_utf8_dec(u + j, &c2);
                const zm_lex_entry *e = zm_lex_table_step(t, node, c2);
                if (!e)
                    break;
                node = e->node;
                j += (size_t)l2;
                if (e->freq)
                    out[k++] = (hit){(uint32_t)i, (uint32_t)j, e->freq - 1};
            }
        }
        i += (size_t)len;
    }
    return k;
}

/* The words of trie lx (first characters filtered by single and pair, as
 * in find_aux) starting at a character start in [from,to) of s[0..n),
 * appended to out[k..max): the new count, or -1 when out is full. */
static int scan_words(const zm_lexicon *lx, const uint8_t *single, const uint8_t *pair, const char *s, size_t from,
                      size_t to, size_t n, hit *out, int k, int max)
{
    const unsigned char *u = (const unsigned char *)s;
    zm_lex_table t = zm_lexicon_table(lx);
    for (size_t i = from; i < to && i < n;) {
        int cp, len = zm_utf8_len(u[i]);
        if (i + (size_t)len > n)
            break;
        zm_utf8_dec(u + i, &cp);
        int cp2 = -1;
        if (i + (size_t)len < n && i + (size_t)len + (size_t)zm_utf8_len(u[i + (size_t)len]) <= n)
            zm_utf8_dec(u + i + len, &cp2);
        if (zm_cpset_has(single, cp) || (cp2 >= 0 && zm_cpset_has(pair, pair_hash(cp, cp2)))) {
            uint32_t node = ZM_LEX_ROOT;
            for (size_t j = i; j < n;) {
                int c2, l2 = zm_utf8_len(u[j]);
                if (j + (size_t)l2 > n)
                    break;
                zm_utf8_dec(u + j, &c2);
                const zm_lex_entry *e = zm_lex_table_step(t, node, c2);
                if (!e)
                    break;
                node = e->node;
                j += (size_t)l2;
                if (e->freq) {
                    if (k >= max)
                        return -1;
                    out[k++] = (hit){(uint32_t)i, (uint32_t)j, e->freq - 1};
                }
            }
        }
        i += (size_t)len;
    }
    return k;
}

/* The sentence's exclude and @whole words starting before upto, read on
 * from where its last figure left off: *n hits, or -1 when they did not
 * fit. */
static const hit *sentence_ex(const zm_indicators *cat, zm_ind_scan *ss, const char *s, size_t upto, int *n)
{
    if (ss->hit_sentence != s)
        ss->hit_sentence = s, ss->hit_len = strlen(s), ss->ex_to = 0, ss->nex = 0;
    if (ss->nex >= 0 && upto > ss->ex_to) {
        ss->nex = scan_words(cat->exw, cat->aux_single, cat->aux_pair, s, ss->ex_to, upto, ss->hit_len, ss->ex, ss->nex,
                             ZM_IND_EX_HITS);
        ss->ex_to = upto;
    }
    *n = ss->nex;
    return ss->ex;
}

static int in_excl(const entry *e, uint32_t a) { return a < e->nexcl && (e->excl[a >> 3] >> (a & 7) & 1); }

/* Is [at,end) inside an occurrence of word (wl bytes) in text[0..n)? */
static int inside_word(const char *text, size_t n, const char *word, size_t wl, size_t at, size_t end)
{
    size_t lo = end > wl ? end - wl : 0; /* an occurrence covering it starts in [lo, at] */
    for (size_t s = lo; s <= at && s + wl <= n; s++)
        if (memcmp(text + s, word, wl) == 0)
            return 1;
    return 0;
}

/* The first exclude word of e among hits[0..n) of text[0..tn) within
 * [lo,hi) that lies outside every occurrence of the matched word and
 * outside every longer @whole word, or NULL. skip: hits to ignore (in
 * brackets), or NULL. */
static const char *excluded_by(const zm_indicators *cat, const entry *e, const char *text, size_t tn, const hit *h,
                               int n, size_t lo, size_t hi, const char *word, size_t wl, const unsigned char *skip)
{
    for (int i = 0; i < n; i++) {
        if (h[i].at < lo || h[i].end > hi || (skip && skip[i]) || !in_excl(e, h[i].id))
            continue;
        int inside = 0;
        for (int j = 0; j < n && !inside; j++)
            inside = j != i && (cat->a[h[j].id].roles & AUX_WHOLE) && h[j].at <= h[i].at && h[j].end >= h[i].end &&
                     h[j].end - h[j].at > h[i].end - h[i].at;
        if (!inside && !inside_word(text, tn, word, wl, h[i].at, h[i].end))
            return cat->a[h[i].id].text;
    }
    return NULL;
}

/* The naming words a subject is headed by: those ending at its end, or
 * followed only by @tail words (在校生总数) or @growth words (地区生产总值
 * 增速: growth set), found walking back from each such end through the
 * reversed tries. Returns how many; a word not at the head (专任教师 in
 * 专任教师中具有研究生学历) is never a hit. */
#define MAX_ENDS 8
static int head_words(const zm_indicators *cat, const char *subj, size_t sn, hit *out, int *growth_of, int max)
{
    /* most subjects end in a character no catalog word ends with */
    size_t at = sn;
    while (at > 0 && ((unsigned char)subj[at - 1] & 0xC0) == 0x80)
        at--;
    int cp;
    if (at == 0 || sn - at > 4 || (zm_utf8_dec((const unsigned char *)subj + at - 1, &cp), !zm_cpset_has(cat->head_last, cp)))
        return 0;
    size_t ends[MAX_ENDS];
    int growth[MAX_ENDS], nends = 1, k = 0;
    ends[0] = sn, growth[0] = 0;
    zm_lex_hit h[ZM_LEX_MAX_HITS];
    for (int e = 0; e < nends; e++) {
        /* each trie is walked only when a word of it can end here */
        if (ends[e] == 0)
            continue;
        zm_utf8_dec((const unsigned char *)subj + zm_utf8_start(subj, ends[e] - 1), &cp);
        int m = zm_cpset_has(cat->word_last, cp) ? zm_lexicon_suffixes(cat->words_rev, subj, 0, ends[e], h) : 0;
        for (int j = 0; j < m && k < max; j++) {
            out[k] = (hit){(uint32_t)(ends[e] - h[j].len), (uint32_t)ends[e], h[j].payload - 1};
            growth_of[k++] = growth[e];
        }
        m = zm_cpset_has(cat->tail_last, cp) ? zm_lexicon_suffixes(cat->tail_rev, subj, 0, ends[e], h) : 0;
        for (int j = 0; j < m && nends < MAX_ENDS; j++) {
            ends[nends] = ends[e] - h[j].len;
            growth[nends++] = growth[e] | ((cat->a[h[j].payload - 1].roles & AUX_GROWTH) != 0);
        }
    }
    return k;
}

static int unit_in(const entry *e, const char *unit)
{
    if (e->units.n == 0)
        return 1;
    for (size_t i = 0; unit && i < e->units.n; i++)
        if (strcmp(e->units.s[i], unit) == 0)
            return 1;
    return 0;
}

/* A level of the entry in its kind and unit, or a change of it (change
 * set, a growth word after it, or 个百分点) in its own terms or in % or
 * 个百分点. A count is never a rate. */
/* What compatible() needs of a metric, worked out once for it. */
typedef struct mfacts {
    int kind; /* zm_kind, or -1 */
    int pct;  /* a ratio in % or 个百分点 */
    int points;
} mfacts;

static mfacts facts_of(const zm_metric *mt)
{
    mfacts f = {(int)mt->kind_id, 0, 0};
    f.points = f.kind == ZM_K_RATIO && mt->unit && strcmp(mt->unit, "个百分点") == 0;
    f.pct = f.points || (f.kind == ZM_K_RATIO && mt->unit && strcmp(mt->unit, "%") == 0);
    return f;
}

static int compatible(const entry *e, const zm_metric *mt, const mfacts *f, int growth)
{
    int same = f->kind == e->kind && unit_in(e, mt->unit);
    if (!(mt->change_id != ZM_C_NONE || growth || f->points))
        return same;
    if (f->points) /* points are a change of a rate only */
        return e->kind == ZM_K_RATIO;
    return same || f->pct;
}

/* The clause separators of the matcher: ，；：。 and , ; : */
enum { CLAUSE_END = ZM_PU_COMMA | ZM_PU_SEMI | ZM_PU_COLON | ZM_PU_STOP };

/* Does a clause separator end at byte i (its last byte)? Checked from its
 * last byte, so a scan may go backwards: a full-width one is the three
 * bytes ending at i. */
static inline int sep_ends_at(const unsigned char *u, size_t i)
{
    const char *s = (const char *)u;
    size_t len = 0;
    if (u[i] < 0x80)
        return (zm_punct_at(s, i, i + 1, &len) & CLAUSE_END) != 0;
    return i >= 2 && (zm_punct_at(s, i - 2, i + 1, &len) & CLAUSE_END) && len == 3;
}

/* Start of the clause holding byte at: after the last separator before
 * it, looked for from at back (a clause is short, a sentence may not be). */
static size_t clause_start(const char *s, size_t at)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = at; i > 0; i--)
        if (sep_ends_at(u, i - 1))
            return i;
    return 0;
}

/* End of the clause holding byte at (the separator's first byte). */
static size_t clause_end(const char *s, size_t at)
{
    size_t n = strlen(s), len;
    for (size_t i = at; i < n; i++)
        if (zm_punct_at(s, i, n, &len) & CLAUSE_END)
            return i;
    return n;
}

/* Levels of a context, most specific first; an entry without one ranks
 * below every context found. */
enum { CTX_NONE_NEEDED = 0, CTX_SECTION = 1, CTX_AFTER = 2, CTX_SENTENCE = 3, CTX_SUBJECT = 4 };

/* What is known of the sentence of the figures being matched: whether it
 * has brackets (（）or ()) at all, so the bracket depth of a word is
 * computed only in the few sentences that have one. A bracket holds a
 * note or a list of parts (其中幼儿园612所、小学894所), whose words neither
 * name the figure's context nor make it a part. Kept from one figure to
 * the next of the same sentence (figures of one sentence share it by
 * pointer). */
typedef zm_ind_scan sent_scan;

/* Brackets open at byte at of u (from depth at byte 0): （( and ）). */
static int depth_at(const unsigned char *u, size_t at, int depth)
{
    size_t len;
    for (size_t i = 0; i < at; i++) {
        /* a bracket starting before at is read whole (u ends in a NUL) */
        unsigned k = zm_punct_at((const char *)u, i, i + 3, &len);
        if (k & ZM_PU_OPEN)
            depth++;
        else if ((k & ZM_PU_CLOSE) && depth > 0)
            depth--;
    }
    return depth;
}

/* What a metric's matching has read so far: each is read once, and only
 * when a candidate needs it. */
typedef struct scan {
    const zm_metric *mt;
    const char *subj; /* the metric's subject, or the words read from its clause */
    size_t sn, fig, fig_end;
    int has_fig;
    int ns; /* aux hits of the subject, -1 until read */
    hit sh[MAX_HITS];
    sent_scan *ss;
    long r0; /* start of the region whose aux hits are in rh, -1 none */
    int nr;
    hit rh[MAX_HITS];
    unsigned char rbr[MAX_HITS]; /* the hit is in brackets */
    int subj_in_region;          /* the subject is a part of the region (no brackets) */
    long fig_clause;             /* start of the figure's clause, -1 until needed */
} scan;

/* Does t[0..n) hold w[0..wn)? */
static int contains(const char *t, size_t n, const char *w, size_t wn)
{
    for (size_t i = 0; wn && i + wn <= n; i++)
        if (t[i] == w[0] && memcmp(t + i, w, wn) == 0)
            return 1;
    return 0;
}

/* Does the metric's sentence have brackets? (Worked out once a sentence.) */
static int sentence_has_brackets(scan *sc)
{
    const char *s = sc->mt->sentence;
    if (sc->ss->sentence != s) {
        sc->ss->sentence = s;
        sc->ss->has_br = strchr(s, '(') || strstr(s, "（");
        sc->ss->lead = (size_t)-1; /* read when needed */
    }
    return sc->ss->has_br;
}

static const hit *subject_hits(const zm_indicators *cat, scan *sc, int *n)
{
    if (sc->ns < 0)
        sc->ns = find_aux(cat, sc->subj, sc->sn, sc->sh, MAX_HITS);
    *n = sc->ns;
    return sc->sh;
}

/* Does the bracket holding byte at of s say what it includes (（含民办幼儿园）,
 * (包括…)): its words widen the population, so a part word in it counts. */
static int inclusion_bracket(const char *s, size_t lo, size_t at)
{
    int depth = 0;
    for (size_t i = at; i > lo; i--) {
        size_t k = i - 1;
        int open = s[k] == '(' || (k + 3 <= at && memcmp(s + k, "（", 3) == 0);
        int close = s[k] == ')' || (k + 3 <= at && memcmp(s + k, "）", 3) == 0);
        if (close)
            depth++;
        else if (open && depth > 0)
            depth--;
        else if (open) {
            size_t b = k + (s[k] == '(' ? 1 : 3);
            return strncmp(s + b, "含", 3) == 0 || strncmp(s + b, "包括", 6) == 0;
        }
    }
    return 0;
}

/* Are bytes a and b of s in the same bracket (none opens or closes
 * between them)? A note's words name its own figures: （其中“特岗教师”80名）. */
static int same_bracket(const char *s, size_t a, size_t b)
{
    size_t len;
    if (a > b) {
        size_t t = a;
        a = b, b = t;
    }
    for (size_t i = a; i < b; i++)
        if (zm_punct_at(s, i, b, &len) & (ZM_PU_OPEN | ZM_PU_CLOSE))
            return 0;
    return 1;
}

/* Where one of u's context words is found: in the subject; in the
 * sentence before the figure (the nearest), or after it in its clause,
 * outside brackets; in the section path (the innermost). Returns the
 * level or 0; *at is the word's offset in the sentence (or -1), *dist how
 * near it is. Context words are rare in a sentence: a strstr each costs
 * less than reading the sentence through the trie. */
static int find_ctx(const zm_indicators *cat, const use *u, scan *sc, const char **which, long *at, size_t *dist)
{
    const zm_metric *mt = sc->mt;
    *at = -1;
    for (int i = 0; i < u->nctx; i++)
        if (strstr(sc->subj, cat->a[u->ctx[i]].text)) {
            *which = cat->a[u->ctx[i]].text;
            *dist = 0;
            return CTX_SUBJECT;
        }
    int best = 0;
    size_t bd = (size_t)-1;
    if (mt->sentence) {
        const char *s = mt->sentence;
        size_t fig = sc->fig;
        if (sc->fig_end == (size_t)-1)
            sc->fig_end = sc->has_fig ? clause_end(s, fig) : fig;
        for (int i = 0; i < u->nctx; i++) {
            const char *w = cat->a[u->ctx[i]].text;
            size_t wl = strlen(w);
            for (const char *p = s; (p = strstr(p, w)) != NULL && (size_t)(p - s) < sc->fig_end; p += wl) {
                size_t o = (size_t)(p - s);
                int lvl = o + wl <= fig ? CTX_SENTENCE : o >= fig ? CTX_AFTER : 0;
                if (u->near && sc->fig_clause < 0)
                    sc->fig_clause = (long)clause_start(s, fig);
                if (!lvl || (u->near && o < (size_t)sc->fig_clause) ||
                    (sentence_has_brackets(sc) && depth_at((const unsigned char *)s, o, 0) > 0 &&
                             !same_bracket(s, o, fig)))
                    continue;
                size_t d = lvl == CTX_SENTENCE ? fig - (o + wl) : o - fig;
                if (lvl > best || (lvl == best && d < bd))
                    best = lvl, bd = d, *which = w, *at = (long)o;
            }
        }
    }
    if (best) {
        *dist = bd;
        return best;
    }
    for (size_t k = u->near ? 0 : mt->section_len; k-- > 0;)
        for (int i = 0; i < u->nctx; i++)
            if (mt->section[k] && strstr(mt->section[k], cat->a[u->ctx[i]].text)) {
                *which = cat->a[u->ctx[i]].text;
                *dist = mt->section_len - 1 - k;
                return CTX_SECTION;
            }
    return 0;
}

typedef struct cand {
    int entry;
    uint32_t end, len;
    int level;
    size_t dist;
    const char *word, *ctx;
} cand;

static int better(const cand *a, const cand *b)
{
    if (a->end != b->end)
        return a->end > b->end;
    if (a->len != b->len)
        return a->len > b->len;
    if (a->level != b->level)
        return a->level > b->level;
    return a->dist < b->dist;
}

/* Does s[a,b) hold a figure (an ASCII digit)? */
static int has_digit(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* The figure's topic: a part named before the figure's clause that its
 * figures inherit.
 *   - the sentence's lead, a clause with no figure of its own: when short
 *     (义务教育阶段，共12792人次建档立卡学生…) every exclude word counts,
 *     else its @topic words (完成两乡镇中职学生资助工作，…资助资金9.45万元);
 *   - for a word that names the entry only in a context (学位 with
 *     新增), the clause just before the figure's, whose @topic words
 *     (城区, 公办 …) say whose it is (新建、改扩建公办幼儿园3所，新增学位
 *     2700个: the places of public kindergartens). A naming word of its
 *     own (在园幼儿) does not inherit: 其中公办幼儿园47所，在园幼儿1.2万人.
 * r0 is the start of the region already read. NULL or the exclude word. */
/* Keeps the @topic and @whole hits of h[0..n) (moved by off bytes). */
static int topic_hits(const zm_indicators *cat, hit *h, int n, size_t off)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (cat->a[h[i].id].roles & (AUX_TOPIC | AUX_WHOLE))
            h[k] = h[i], h[k].at += (uint32_t)off, h[k++].end += (uint32_t)off;
    return k;
}

#define TOPIC_MAX_BYTES 24 /* a lead of at most 8 characters */
static const char *topic_part(const zm_indicators *cat, const entry *e, scan *sc, size_t r0, const char *word,
                              size_t wl, int scoped)
{
    const char *s = sc->mt->sentence;
    if (r0 == 0)
        return NULL;
    hit h[MAX_HITS];
    int br = sentence_has_brackets(sc); /* also resets the sentence's facts */
    if (sc->ss->lead == (size_t)-1) {
        size_t l = clause_end(s, 0);
        sc->ss->lead = l;
        sc->ss->lead_topic = !has_digit(s, 0, l) && (!br || depth_at((const unsigned char *)s, l, 0) == 0);
    }
    size_t lead = sc->ss->lead;
    if (lead < r0 && sc->ss->lead_topic) {
        int n = find_aux(cat, s, lead, h, MAX_HITS);
        if (lead > TOPIC_MAX_BYTES) /* a longer lead: its @topic parts only */
            n = topic_hits(cat, h, n, 0);
        const char *x = excluded_by(cat, e, s, lead, h, n, 0, lead, word, wl, NULL);
        if (x)
            return x;
    }
    if (!scoped || (sentence_has_brackets(sc) && depth_at((const unsigned char *)s, r0, 0) > 0))
        return NULL;
    size_t p = clause_start(s, r0 - 1);
    int n = topic_hits(cat, h, find_aux(cat, s + p, r0 - p, h, MAX_HITS), p);
    return excluded_by(cat, e, s, r0, h, n, p, r0, word, wl, NULL);
}

/* A subject that repeats the head of an earlier subject of its sentence
 * without its modifier inherits the modifier: 小学专任教师4.02万人，…，
 * 专任教师学历合格率99.96% is the rate of the 小学 teachers. The
 * subject's first characters (ELIDED_CHARS) are looked for in the clauses
 * before the figure's (outside brackets); an exclude word before them in
 * their clause is the part. */
#define ELIDED_CHARS 4
static const char *elided_part(const zm_indicators *cat, const entry *e, scan *sc, size_t r0, const char *word,
                               size_t wl)
{
    const char *s = sc->mt->sentence, *subj = sc->subj;
    size_t hl = 0;
    for (int k = 0; k < ELIDED_CHARS && hl < sc->sn; k++)
        hl += (size_t)zm_utf8_len((unsigned char)subj[hl]);
    if (hl > sc->sn || hl < 6 || r0 < hl) /* two characters at least */
        return NULL;
    for (size_t i = r0 - hl + 1; i-- > 0;) {
        if (s[i] != subj[0] || memcmp(s + i, subj, hl) != 0)
            continue;
        if (sentence_has_brackets(sc) && depth_at((const unsigned char *)s, i, 0) > 0)
            return NULL;
        size_t c = clause_start(s, i);
        hit h[MAX_HITS];
        int n = find_aux(cat, s + c, i - c, h, MAX_HITS);
        for (int j = 0; j < n; j++)
            h[j].at += (uint32_t)c, h[j].end += (uint32_t)c;
        return excluded_by(cat, e, s, i, h, n, c, i, word, wl, NULL);
    }
    return NULL;
}

/* The population part that rules entry e out, or NULL: an exclude word in
 * the subject, or in the sentence from the clause of the matched word (or
 * of the context word, when earlier) to the figure, outside brackets. */
static const char *part_of(const zm_indicators *cat, const entry *e, scan *sc, const char *word, size_t wl,
                           long ctx_at, int scoped)
{
    const zm_metric *mt = sc->mt;
    if (!mt->sentence || !sc->has_fig || sc->fig == 0) {
        int n;
        const hit *h = subject_hits(cat, sc, &n);
        return excluded_by(cat, e, sc->subj, sc->sn, h, n, 0, sc->sn, word, wl, NULL);
    }
    const char *s = mt->sentence;
    size_t fig = sc->fig;
    if (sc->fig_clause < 0)
        sc->fig_clause = (long)clause_start(s, fig);
    size_t r0 = (size_t)sc->fig_clause;
    /* the last occurrence of the word before the figure, when not in the
     * figure's own clause (mostly it is: the subject just before it) */
    if (!contains(s + r0, fig - r0, word, wl))
        for (size_t i = r0 >= wl ? r0 - wl + 1 : 0; i-- > 0;)
            if (s[i] == word[0] && memcmp(s + i, word, wl) == 0) {
                r0 = clause_start(s, i);
                break;
            }
    if (ctx_at >= 0 && (size_t)ctx_at < fig) {
        size_t c = clause_start(s, (size_t)ctx_at);
        r0 = c < r0 ? c : r0;
    }
    if (sc->r0 != (long)r0) { /* the region's words: once per region, not the whole sentence */
        const unsigned char *u = (const unsigned char *)s;
        sc->r0 = (long)r0;
        int nx;
        const hit *xh = sentence_ex(cat, sc->ss, s, fig, &nx);
        if (nx >= 0) { /* the region's words are the sentence's within it, in the same order */
            sc->nr = 0;
            for (int i = 0; i < nx && sc->nr < MAX_HITS; i++)
                if (xh[i].at >= r0 && xh[i].end <= fig)
                    sc->rh[sc->nr++] = xh[i];
        } else {
            sc->nr = find_aux(cat, s + r0, fig - r0, sc->rh, MAX_HITS);
            for (int i = 0; i < sc->nr; i++)
                sc->rh[i].at += (uint32_t)r0, sc->rh[i].end += (uint32_t)r0;
        }
        int br = sentence_has_brackets(sc), depth = br ? depth_at(u, r0, 0) : 0;
        size_t pos = r0;
        for (int i = 0; i < sc->nr; i++) {
            if (br) {
                depth = depth_at(u + pos, sc->rh[i].at - pos, depth);
                pos = sc->rh[i].at;
            }
            sc->rbr[i] = depth > 0 && !inclusion_bracket(s, r0, sc->rh[i].at);
        }
        /* the subject is mostly the text just before the figure: then its
         * words are among the region's, and it needs no scan of its own */
        sc->subj_in_region = !br && contains(s + r0, fig - r0, sc->subj, sc->sn);
    }
    const char *x = excluded_by(cat, e, s, fig, sc->rh, sc->nr, r0, fig, word, wl, sc->rbr);
    if (!x)
        x = topic_part(cat, e, sc, r0, word, wl, scoped);
    if (!x)
        x = elided_part(cat, e, sc, r0, word, wl);
    if (!x && sc->ss->qz && sc->ss->host_sentence == s && sc->ss->qz_end <= r0) {
        /* a part after 其中 inherits its host's clause: 招录教师148人，其中，
         * 幼儿教师16人 are recruits, not the stock of preschool teachers */
        hit h[MAX_HITS];
        size_t a = sc->ss->qz_start, b = sc->ss->qz_end;
        int n = find_aux(cat, s + a, b - a, h, MAX_HITS);
        for (int i = 0; i < n; i++)
            h[i].at += (uint32_t)a, h[i].end += (uint32_t)a;
        x = excluded_by(cat, e, s, b, h, n, a, b, word, wl, NULL);
    }
    if (x || sc->subj_in_region)
        return x;
    int n;
    const hit *h = subject_hits(cat, sc, &n);
    return excluded_by(cat, e, sc->subj, sc->sn, h, n, 0, sc->sn, word, wl, NULL);
}

/* The match itself; ss carries what is known of a sentence from one
 * figure to the next (ss->sentence NULL: nothing yet). */
#define REJ_PART "a part of the population"

/* The entry the words subj[0..sn) name for the metric: its index, -1 when
 * none does, -2 when the best was turned down as a part of the population
 * (then no other reading of the figure's words may give it one). */
static int match_words(const zm_indicators *cat, const zm_metric *mt, const char *subj, size_t sn, zm_ind_why *why,
                       sent_scan *ss, const char **fpp, int *located)
{
    if (why)
        memset(why, 0, sizeof *why);
    hit wh[MAX_HITS];
    int wgrowth[MAX_HITS];
    int nw = head_words(cat, subj, sn, wh, wgrowth, MAX_HITS);
    if (nw == 0)
        return -1; /* most figures: a walk back from the subject's end and done */
    /* the figure in its sentence */
    if (!*located)
        *fpp = mt->sentence && mt->text ? strstr(mt->sentence, mt->text) : NULL, *located = 1;
    const char *fp = *fpp;
    size_t fig = fp ? (size_t)(fp - mt->sentence) : mt->sentence ? strlen(mt->sentence) : 0;
    scan sc;
    sc.mt = mt, sc.subj = subj, sc.sn = sn, sc.fig = fig, sc.fig_end = (size_t)-1, sc.has_fig = fp != NULL, sc.ns = -1, sc.ss = ss;
    sc.r0 = -1, sc.nr = 0, sc.subj_in_region = 0, sc.fig_clause = -1;
    mfacts mf = facts_of(mt);
    cand best = {.entry = -1};
    /* the best-ranked candidate turned down, for --explain */
    const char *rej = NULL, *rej_word = NULL;
    int rej_entry = -1;
    cand rej_c = {.entry = -1};
#define REJECT(why_, word_)                                                    \
    do {                                                                       \
        if (rej_entry < 0 || better(&c, &rej_c))                               \
            rej = (why_), rej_word = (word_), rej_entry = u->entry, rej_c = c; \
    } while (0)
    for (int i = 0; i < nw; i++) {
        int growth = wgrowth[i];
        const pattern *p = &cat->p[wh[i].id];
        size_t wl = wh[i].end - wh[i].at;
        for (int ui = p->first; ui >= 0; ui = cat->u[ui].next) {
            const use *u = &cat->u[ui];
            const entry *e = &cat->e[u->entry];
            cand c = {u->entry, wh[i].end, (uint32_t)wl, CTX_SUBJECT + 1, 0, p->text, NULL};
            if (best.entry >= 0 && !better(&c, &best))
                continue; /* cannot win even with the best context */
            if (!compatible(e, mt, &mf, growth)) {
                REJECT("kind or unit does not fit", p->text);
                continue;
            }
            long ctx_at = -1;
            c.level = CTX_NONE_NEEDED;
            if (u->nctx && !(c.level = find_ctx(cat, u, &sc, &c.ctx, &ctx_at, &c.dist))) {
                REJECT("no context word", p->text);
                continue;
            }
            if (best.entry >= 0 && !better(&c, &best))
                continue;
            const char *x = e->nexcl ? part_of(cat, e, &sc, p->text, wl, ctx_at, u->nctx > 0) : NULL;
            if (x) {
                REJECT(REJ_PART, x);
                continue;
            }
            best = c;
        }
    }
#undef REJECT
    if (best.entry < 0) {
        if (why && rej_entry >= 0) {
            why->file = cat->e[rej_entry].file;
            why->line = cat->e[rej_entry].line;
            why->word = cat->e[rej_entry].id;
            why->reject = rej;
            why->reject_word = rej_word;
        }
        return rej && strcmp(rej, REJ_PART) == 0 ? -2 : -1;
    }
    const entry *e = &cat->e[best.entry];
    if (why) {
        why->id = e->id;
        why->file = e->file;
        why->line = e->line;
        why->word = best.word;
        why->ctx = best.ctx;
        why->where = best.level == CTX_SUBJECT                                 ? "subject"
                     : best.level == CTX_SENTENCE || best.level == CTX_AFTER ? "sentence"
                     : best.level == CTX_SECTION                              ? "section"
                                                                              : NULL;
    }
    return best.entry;
}

/* ---- words read from the figure's clause, when its subject names no
 * indicator (cut short, or none): the clause holds them before the figure */

#define CLAUSE_MAX 189 /* bytes of clause words tried (63 characters) */

/* Where w first / last occurs in s[a,b), or -1. */
static long first_in(const char *s, size_t a, size_t b, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = a; i + n <= b; i++)
        if (s[i] == w[0] && memcmp(s + i, w, n) == 0)
            return (long)i;
    return -1;
}

static long last_in(const char *s, size_t a, size_t b, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = b; i >= a + n; i--)
        if (s[i - n] == w[0] && memcmp(s + i - n, w, n) == 0)
            return (long)(i - n);
    return -1;
}

static int ends_with(const char *s, size_t a, size_t b, const char *w)
{
    size_t n = strlen(w);
    return b - a >= n && memcmp(s + b - n, w, n) == 0;
}

/* The naming words of the clause s[a,b) before a figure, narrowed to
 * [*pa,*pb): before 由 when a figure follows it (地区生产总值由2015年的
 * 1286.7亿元增加到2020年的: 地区生产总值); after an earlier figure's 、
 * (招收一年级新生4860人、七年级新生) or a date (2021年全县…); without
 * trailing spaces, 的 or a bracket (地区生产总值（GDP）). */
static void clause_words(const char *s, size_t *pa, size_t *pb)
{
    size_t a = *pa, b = *pb, d = a; /* d: after the last digit */
    long y = -1, y_digit = 0;        /* the first 由; a digit after it */
    for (size_t i = a; i < b; i++)
        if (s[i] >= '0' && s[i] <= '9')
            d = i + 1, y_digit = y >= 0;
        else if (y < 0 && i + 3 <= b && memcmp(s + i, "由", 3) == 0)
            y = (long)i;
    if (y_digit) {
        b = (size_t)y;
    } else if (d > a) {
        long e = last_in(s, d, b, "、");
        if (e >= 0)
            a = (size_t)e + 3;
        else if (ends_with(s, a, d + 3, "年") || ends_with(s, a, d + 3, "月") || ends_with(s, a, d + 3, "日"))
            a = d + 3;
        else
            a = b; /* another figure's words */
    }
    /* the words of a sum (随班就读和送教上门学生) name none of its parts */
    for (size_t i = a; i + 3 <= b; i++)
        if ((unsigned char)s[i] >= 0xE4 &&
            (memcmp(s + i, "和", 3) == 0 || memcmp(s + i, "及", 3) == 0 || memcmp(s + i, "与", 3) == 0)) {
            a = b;
            break;
        }
    *pa = a, *pb = b;
}

/* Can the clause before byte fig end in words that name an indicator?
 * Its last character (spaces aside) ends a catalog word, @tail or @growth
 * word, or is what clause_words and copy_words take off (的, a closing
 * bracket). Most clauses cannot: they are read no further. */
static int clause_may_name(const zm_indicators *cat, const char *s, size_t fig)
{
    size_t b = fig;
    while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    if (b == 0)
        return 0;
    if (s[b - 1] == ')')
        return 1;
    int cp;
    zm_utf8_dec((const unsigned char *)s + zm_utf8_start(s, b - 1), &cp);
    return zm_cpset_has(cat->head_last, cp) || cp == 0x7684 /* 的 */ || cp == 0xFF09 /* ） */ ||
           cp == 0x3000;
}

/* The clause words s[a,b) copied to buf without their notes in brackets
 * (地区生产总值（GDP）, 固定资产投资(不含农户)比上年增长) and trailing spaces
 * or 的: their length, or 0 when a bracket widens the name (民办学校（含
 * 民办幼儿园）) or they do not fit. */
static size_t copy_words(const char *s, size_t a, size_t b, char *buf, size_t cap)
{
    size_t n = 0, len;
    int depth = 0;
    for (size_t i = a; i < b;) {
        unsigned k = zm_punct_at(s, i, b, &len);
        if (!k)
            len = (size_t)zm_utf8_len((unsigned char)s[i]);
        if (k & ZM_PU_OPEN) {
            if (depth++ == 0 && first_in(s, i + len, b, "含") == (long)(i + len))
                return 0;
        } else if ((k & ZM_PU_CLOSE) && depth > 0) {
            depth--;
        } else if (depth == 0) {
            if (n + len >= cap)
                return 0;
            memcpy(buf + n, s + i, len), n += len;
        }
        i += len;
    }
    for (;;) {
        if (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
            n--;
        else if (n >= 3 && (memcmp(buf + n - 3, "\xE3\x80\x80", 3) == 0 || memcmp(buf + n - 3, "的", 3) == 0))
            n -= 3;
        else
            break;
    }
    buf[n] = 0;
    return n;
}

/* The first 分别 of the sentence (read once a sentence), or -1. */
static long fenbie_at(zm_ind_scan *ss, const char *s)
{
    if (ss->rec_sentence != s) {
        ss->rec_sentence = s, ss->nrec = 0;
        const char *f = strstr(s, "分别");
        ss->fb_at = f ? (long)(f - s) : -1;
    }
    return ss->fb_at;
}

/* How many 、 and 和 lie in s[a,b): the place of a figure in a list. */
static int list_place(const char *s, size_t a, size_t b)
{
    int k = 0;
    for (size_t i = a; i + 3 <= b; i++)
        if (memcmp(s + i, "、", 3) == 0 || memcmp(s + i, "和", 3) == 0)
            k++, i += 2;
    return k;
}

/* A list the figures after 分别 share out (城镇、农村居民人均可支配收入
 * 分别达到41256元、19872元): the words of the figure's item, written to
 * buf. The items but the last are the heads of the last one's words, as
 * long as they are (城镇 + 居民人均可支配收入). 0 when the figure is not in
 * such a list. */
static size_t respective_words(const char *s, size_t cs, size_t fig, char *buf, size_t cap)
{
    long f = last_in(s, cs, fig, "分别");
    if (f < 0 || has_digit(s, cs, (size_t)f))
        return 0;
    int k = list_place(s, (size_t)f, fig);
    size_t a = cs, b = (size_t)f, items[8][2];
    int m = 0;
    for (size_t i = a; i <= b && m < 8;) {
        if (i == b || memcmp(s + i, "、", 3) == 0) {
            items[m][0] = a, items[m][1] = i, m++;
            a = i + 3, i += 3;
            if (i > b)
                break;
        } else {
            i++;
        }
    }
    if (m < 2 || k >= m)
        return 0;
    size_t ia = items[k][0], ib = items[k][1], la = items[m - 1][0], lb = items[m - 1][1];
    size_t chars = zm_utf8_count(s + ia, ib - ia), skip = la;
    for (size_t c = 0; c < chars && skip < lb; c++)
        skip += (size_t)zm_utf8_len((unsigned char)s[skip]);
    if (k == m - 1 || skip >= lb) /* the last item is whole */
        ia = la, ib = lb, skip = lb;
    size_t n = (ib - ia) + (lb - skip);
    if (ib == ia || n > cap - 1)
        return 0;
    memcpy(buf, s + ia, ib - ia);
    memcpy(buf + (ib - ia), s + skip, lb - skip);
    buf[n] = 0;
    return n;
}

/* Start of the clause of the j-th figure recorded in sentence s. */
static size_t rec_clause(zm_ind_scan *ss, const char *s, int j)
{
    if (ss->rec[j].clause == (size_t)-1)
        ss->rec[j].clause = clause_start(s, ss->rec[j].at);
    return ss->rec[j].clause;
}

/* A change in a clause of its own, with no words but its change words
 * (…286.43亿元，按可比价格计算，比上年增长7.9%; 同口径增长6.1%; 分别增长
 * 5.2%、6.8%): the change of the figure of the clause before, when no
 * other figure stands between (…占总投入的76.8%，提高0.4个百分点 is the
 * share's). Its entry, or -1. */
#define CARRY_REST 12 /* bytes a clause may hold beside its change words (五年, 同口径) */
static int carried(const zm_indicators *cat, const zm_metric *mt, zm_ind_scan *ss, const char *s, size_t cs,
                   size_t fig)
{
    mfacts f = facts_of(mt);
    if ((mt->change_id == ZM_C_NONE && !f.points) || ss->nrec == 0)
        return -1;
    /* in a list (分别增长5.2%、6.8%) the change words are those before its first figure */
    long fb = last_in(s, cs, fig, "分别");
    size_t b = fig;
    if (fb >= 0)
        for (b = (size_t)fb; b < fig && !(s[b] >= '0' && s[b] <= '9');)
            b++;
    if (has_digit(s, cs, b))
        return -1;
    zm_lex_hit h[ZM_LEX_MAX_HITS];
    int growth = 0;
    for (int round = 0; round < 4 && b > cs; round++) {
        while (b > cs && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        if (ends_with(s, cs, b, "分别")) {
            b -= strlen("分别");
            continue;
        }
        int m = zm_lexicon_suffixes(cat->tail_rev, s, cs, b, h);
        if (m == 0)
            break;
        growth |= (cat->a[h[m - 1].payload - 1].roles & AUX_GROWTH) != 0;
        b -= h[m - 1].len; /* the longest */
    }
    if (!growth && !f.points && mt->change_id == ZM_C_NONE)
        return -1;
    if (b - cs > CARRY_REST)
        return -1;
    int last = -1;
    for (int j = 0; j < ss->nrec && j < 8; j++)
        if (ss->rec[j].end <= cs)
            last = j;
    if (last < 0 || has_digit(s, ss->rec[last].end, cs))
        return -1;
    int first = last;
    while (first > 0 && rec_clause(ss, s, first - 1) == rec_clause(ss, s, last))
        first--;
    int j = fb >= 0 ? first + list_place(s, (size_t)fb, fig) : last;
    if (j > last)
        return -1;
    int ei = ss->rec[j].entry;
    return compatible(&cat->e[ei], mt, &f, 1) ? ei : -1;
}

static const char *match(const zm_indicators *cat, const zm_metric *mt, zm_ind_why *why, sent_scan *ss,
                         const char *fp, int located)
{
    if (why)
        memset(why, 0, sizeof *why);
    if (!cat || !cat->built)
        return NULL;
    const char *s = mt->sentence;
    size_t sn = mt->subject ? strlen(mt->subject) : 0;
    char buf[CLAUSE_MAX + 1];
    zm_ind_why tmp, *tw = why ? &tmp : NULL;
    const char *from = NULL;
    int ei = -1;
    size_t fig = 0, cs = 0;
    if (s && mt->text && fenbie_at(ss, s) >= 0) { /* also starts the sentence's record */
        if (!located)
            fp = strstr(s, mt->text), located = 1;
        if (fp) {
            fig = (size_t)(fp - s), cs = clause_start(s, fig);
            size_t bl = respective_words(s, cs, fig, buf, sizeof buf);
            if (bl && (ei = match_words(cat, mt, buf, bl, tw, ss, &fp, &located)) >= 0)
                from = "list";
        }
    }
    if (ei < 0 && sn)
        ei = match_words(cat, mt, mt->subject, sn, why, ss, &fp, &located);
    if (ei == -1 && s && mt->text) {
        if (!located)
            fp = strstr(s, mt->text), located = 1;
        if (fp) {
            fig = (size_t)(fp - s);
            int have_cs = 0;
            if (clause_may_name(cat, s, fig)) {
                cs = clause_start(s, fig), have_cs = 1;
                size_t a = cs, b = fig;
                clause_words(s, &a, &b);
                size_t bl = b > a ? copy_words(s, a, b, buf, sizeof buf) : 0;
                if (bl && !(bl == sn && memcmp(buf, mt->subject, sn) == 0)) {
                    if ((ei = match_words(cat, mt, buf, bl, tw, ss, &fp, &located)) >= 0)
                        from = "clause";
                    else if (ei == -2)
                        return NULL;
                }
            }
            if (ei < 0 && ss->nrec > 0 && (mt->change_id != ZM_C_NONE || facts_of(mt).points) &&
                (ei = carried(cat, mt, ss, s, have_cs ? cs : clause_start(s, fig), fig)) >= 0) {
                from = "figure before";
                if (tw) {
                    memset(tw, 0, sizeof *tw);
                    tw->id = cat->e[ei].id, tw->file = cat->e[ei].file, tw->line = cat->e[ei].line;
                    tw->word = cat->e[ei].name;
                }
            }
        }
    }
    if (ei < 0)
        return NULL;
    if (why && from) {
        *why = tmp;
        why->from = from;
    }
    if (fp && s && mt->text) {
        if (ss->nrec < 8) {
            fig = (size_t)(fp - s);
            ss->rec[ss->nrec].at = fig;
            ss->rec[ss->nrec].end = fig + strlen(mt->text);
            ss->rec[ss->nrec].clause = (size_t)-1; /* worked out when a change needs it */
            ss->rec[ss->nrec++].entry = ei;
        }
    }
    return cat->e[ei].id;
}

/* Where the bracket holding byte at of u opens (the innermost one still
 * open there), or -1. */
static long open_bracket(const unsigned char *u, size_t at)
{
    int depth = 0;
    for (size_t i = at; i-- > 0;) {
        int close = u[i] == ')' || (i + 2 < at && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] == 0x89);
        int open = u[i] == '(' || (i + 2 < at && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] == 0x88);
        if (close)
            depth++;
        else if (open && depth-- == 0)
            return (long)i;
    }
    return -1;
}

/* open_bracket for figures met in order: the sentence is read forwards
 * once, keeping the open brackets (the figures of a long list in brackets
 * would otherwise each read back to its start). */
static long open_bracket_at(zm_ind_scan *ss, const unsigned char *u, size_t at)
{
    const int max = (int)(sizeof ss->br_open / sizeof *ss->br_open);
    if (at < ss->br_pos || ss->br_n > max)
        return open_bracket(u, at);
    for (size_t i = ss->br_pos; i < at; i++) {
        if (u[i] == '(' || (u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] == 0x88)) {
            if (ss->br_n < max)
                ss->br_open[ss->br_n] = i;
            ss->br_n++;
        } else if ((u[i] == ')' || (u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] == 0x89)) && ss->br_n > 0) {
            ss->br_n--;
        }
    }
    ss->br_pos = at;
    if (ss->br_n > max)
        return open_bracket(u, at);
    return ss->br_n ? (long)ss->br_open[ss->br_n - 1] : -1;
}

/* Does the metric count people? */
static int counts_people(const zm_metric *mt)
{
    return mt->kind_id == ZM_K_COUNT && mt->unit && (strcmp(mt->unit, "人") == 0 || strcmp(mt->unit, "名") == 0);
}

/* A figure in brackets opened right after another figure is a part of
 * that one (涉及学校38所（其中幼儿园9所、小学17所）: kindergartens of the
 * programme, not of the county): when the host figure is no indicator,
 * its parts are none either (幼儿园70所（含公办9所） keeps its id). */
static const char *bracket_host(const zm_metric *mt, const char *fp, const char *id, zm_ind_why *why,
                                zm_ind_scan *ss)
{
    const char *s = mt->sentence;
    if (!fp)
        return id;
    size_t fig = (size_t)(fp - s);
    const unsigned char *u = (const unsigned char *)s;
    long o = ss->host_br ? open_bracket_at(ss, u, fig) : -1;
    if (o < 0) {
        if (!ss->qz) {
            ss->host_end = fig + strlen(mt->text), ss->host_id = id != NULL;
            ss->host_people = counts_people(mt);
        } else if (id && !ss->host_id && ss->host_people && counts_people(mt)) {
            /* people after 其中 of a count of people that is no indicator are
             * a group of that group (共申报贫困寄宿生812人，其中建档立卡贫困
             * 家庭学生613人: the registered students who applied) */
            if (why) {
                why->word = id;
                why->id = why->ctx = why->where = NULL;
                why->reject = "a part of the figure before 其中, which is no indicator";
                why->reject_word = "其中";
            }
            return NULL;
        }
        return id;
    }
    if (!id || ss->host_id || ss->host_end != (size_t)o)
        return id;
    if (why) { /* the entry (file, line) stays: its id is what was turned down */
        why->word = id;
        why->id = why->ctx = why->where = NULL;
        why->reject = "a part of the figure before the bracket, which is no indicator";
        why->reject_word = "（";
    }
    return NULL;
}

/* The figure in its sentence: the figures of a sentence come in order,
 * so it is looked for after the one before (8所 after 涉及学校38所 is not
 * the 8所 inside 38所), else anywhere. */
static const char *locate(const zm_metric *mt, zm_ind_scan *ss, int *tracked)
{
    const char *s = mt->sentence;
    *tracked = 0;
    if (!s || !mt->text || !*mt->text)
        return NULL;
    if (ss->host_sentence != s) {
        ss->host_sentence = s, ss->host_end = (size_t)-1, ss->host_id = 0, ss->next_from = 0, ss->qz = 0;
        ss->br_pos = 0, ss->br_n = 0;
        const char *q = strstr(s, "其中"); /* mostly none: the sentence is read once for it */
        ss->qz_next = q ? (size_t)(q - s) : (size_t)-1;
        ss->host_br = strchr(s, '(') || strstr(s, "（");
    }
    *tracked = ss->host_br || ss->qz_next != (size_t)-1;
    if (!*tracked) /* no bracket, no 其中: match() finds the figure when it needs it */
        return NULL;
    const char *fp = strstr(s + ss->next_from, mt->text);
    if (!fp)
        fp = strstr(s, mt->text);
    if (!fp)
        return NULL;
    size_t fig = (size_t)(fp - s);
    ss->next_from = fig + strlen(mt->text);
    /* 其中 between the last figure outside brackets and this one: this and
     * the sentence's later figures are its parts */
    if (ss->qz && fig >= ss->qz_until)
        ss->qz = 0;
    if (!ss->qz && ss->host_end < fig && ss->qz_next != (size_t)-1) {
        if (ss->qz_next < ss->host_end) {
            const char *n = strstr(s + ss->host_end, "其中");
            ss->qz_next = n ? (size_t)(n - s) : (size_t)-1;
        }
        const char *q = ss->qz_next != (size_t)-1 ? s + ss->qz_next : NULL;
        size_t qa = q ? (size_t)(q - s) : 0, qe = q ? clause_end(s, qa) : 0;
        if (q && qa < fig && (!ss->host_br || depth_at((const unsigned char *)s, qa, 0) == 0)) {
            ss->qz = 1;
            ss->qz_start = clause_start(s, ss->host_end - 1), ss->qz_end = ss->host_end;
            ss->qz_until = qe == qa + strlen("其中") ? (size_t)-1 : qe;
            if (fig >= ss->qz_until)
                ss->qz = 0;
        }
    }
    return fp;
}

const char *zm_indicator_match_in(const zm_indicators *cat, const zm_metric *mt, zm_ind_why *why, zm_ind_scan *scan)
{
    int tracked;
    const char *fp = locate(mt, scan, &tracked);
    const char *id = match(cat, mt, why, scan, fp, tracked);
    return tracked ? bracket_host(mt, fp, id, why, scan) : id;
}

const char *zm_indicator_match(const zm_indicators *cat, const zm_metric *mt, zm_ind_why *why)
{
    sent_scan *ss = malloc(sizeof *ss);
    if (!ss)
        return NULL;
    memset(ss, 0, sizeof *ss);
    const char *id = match(cat, mt, why, ss, NULL, 0);
    free(ss);
    return id;
}
