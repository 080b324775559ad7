/* Target tracking (SPEC section 8, docs/tracking.md): each target beside
 * the actual of the same region and indicator that answers it.
 *   plan 2021: 毛入园率达到90%以上 (target, 2021)   summary 2021: 91.2% (2021)
 *     => {"type":"track", ..., "verdict":"met"}
 * Documents (zm_doc) or records already written (JSON Lines) come in any
 * order. Only what pairing needs is kept: per region its latest date, the
 * targets (with their sentence, for the review page), and the actuals
 * whose metric has an indicator, as compact figures, one per distinct
 * (region, indicator, time, value, unit). With two passes (pass 1 the
 * targets, pass 2 the actuals) an actual is kept only when a target of
 * its region and indicator waits for it, so memory follows the targets.
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indicator.h"
#include "model.h"
#include "zhmetrics.h"

typedef struct fig {
    zm_track_fig f;
    char *doc_date;     /* the date of the document it came from ("" none) */
    unsigned long seq;  /* input order, a last tie-break */
} fig;

typedef struct target {
    fig t;
    fig *best;          /* chosen actual (owned by the bucket) */
    fig **conf;         /* its rivals: the other actuals of its day and kind */
    size_t nconf, capconf;
    fig **prog;         /* earlier years of a multi-year period */
    size_t nprog, capprog;
} target;

/* One (region, indicator): its targets and candidate actuals. */
typedef struct bucket {
    char *key; /* region key \x1f indicator */
    int region;
    char *indicator;
    target *tg;
    size_t ntg, captg;
    fig *act;
    size_t nact, capact;
} bucket;

typedef struct region {
    char *key, *name; /* name: the longest spelling seen (清溪县 over 清溪) */
    char latest[11];
} region;

typedef struct strmap { /* open addressing: string -> index + 1 */
    char **keys;
    size_t *vals, cap, n;
} strmap;

struct zm_tracker {
    const zm_model *m;
    char **organ, **place; /* regions.tsv */
    size_t norgan, nplace;
    region *rg;
    size_t nrg, caprg;
    strmap rmap;
    bucket *bk;
    size_t nbk, capbk;
    strmap bmap;
    int pass; /* 0 one pass, 1 targets only, 2 actuals only */
    unsigned long seq;
    /* the current document of a record stream */
    char *cur_doc;
    int cur_region; /* -1: no region (left out) */
    char cur_date[11], cur_from[11], cur_to[11]; /* its date and period */
    size_t nfigs_kept;
};

static unsigned long hash_str(const char *s)
{
    unsigned long h = 1469598103934665603UL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211UL;
    return h;
}

static size_t map_get(const strmap *m, const char *k)
{
    if (!m->cap)
        return 0;
    for (size_t i = hash_str(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return 0;
        if (strcmp(m->keys[i], k) == 0)
            return m->vals[i];
    }
}

/* k is borrowed (owned by the region or bucket). */
static int map_put(strmap *m, char *k, size_t v)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 64;
        char **nk = calloc(nc, sizeof *nk);
        size_t *nv = calloc(nc, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return ZM_E_NOMEM;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = hash_str(m->keys[i]) & (nc - 1);
                while (nk[j])
                    j = (j + 1) & (nc - 1);
                nk[j] = m->keys[i];
                nv[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = nc;
    }
    size_t i = hash_str(k) & (m->cap - 1);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = k;
    m->vals[i] = v;
    m->n++;
    return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * size);
    if (!q)
        return ZM_E_NOMEM;
    *p = q;
    *cap = nc;
    return 0;
}

static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

static int add_word(char ***v, size_t *n, const char *w)
{
    char **q = realloc(*v, (*n + 1) * sizeof *q);
    if (!q)
        return ZM_E_NOMEM;
    *v = q;
    if (!(q[*n] = strdup(w)))
        return ZM_E_NOMEM;
    (*n)++;
    return 0;
}

static int load_regions(zm_tracker *t, const char *path, zm_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (err) {
            err->code = ZM_E_DATA;
            snprintf(err->file, sizeof err->file, "%.500s", path);
            err->line = 0;
            snprintf(err->msg, sizeof err->msg, "cannot read the region words");
        }
        return ZM_E_DATA;
    }
    char line[512];
    int ln = 0, rc = 0;
    while (!rc && fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (tab)
            *tab = 0;
        if (tab && tab[1] && strcmp(line, "organ") == 0)
            rc = add_word(&t->organ, &t->norgan, tab + 1);
        else if (tab && tab[1] && strcmp(line, "place") == 0)
            rc = add_word(&t->place, &t->nplace, tab + 1);
        else {
            if (err) {
                err->code = ZM_E_DATA;
                snprintf(err->file, sizeof err->file, "%.500s", path);
                err->line = ln;
                snprintf(err->msg, sizeof err->msg, "expected 'organ' or 'place', a TAB and a word");
            }
            rc = ZM_E_DATA;
        }
    }
    fclose(f);
    return rc;
}

zm_tracker *zm_tracker_new(const zm_model *m, const char *dict_dir, zm_error *err)
{
    zm_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->m = m;
    t->cur_region = -1;
    if (dict_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/regions.tsv", dict_dir);
        if (load_regions(t, path, err)) {
            zm_tracker_free(t);
            return NULL;
        }
    }
    return t;
}

void zm_tracker_set_pass(zm_tracker *t, int pass)
{
    t->pass = pass;
    free(t->cur_doc);
    t->cur_doc = NULL;
    t->cur_region = -1;
}

static int ends_with(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return k < n && memcmp(s + n - k, w, k) == 0;
}

/* Longest word of v ending s[0..n), its length, or 0. */
static size_t suffix(char *const *v, size_t nv, const char *s, size_t n)
{
    size_t best = 0;
    for (size_t i = 0; i < nv; i++)
        if (ends_with(s, n, v[i]) && strlen(v[i]) > best)
            best = strlen(v[i]);
    return best;
}

/* The region index of a document's region name (organ suffixes dropped,
 * a place suffix optional), created when new; -1 when nothing is left. */
static int region_of(zm_tracker *t, const char *name, const char *date)
{
    if (!name || !*name)
        return -1;
    size_t n = strlen(name), k;
    while ((k = suffix(t->organ, t->norgan, name, n)) > 0)
        n -= k;
    size_t kn = n;
    if ((k = suffix(t->place, t->nplace, name, n)) > 0 && n - k >= 6) /* two characters stay */
        kn = n - k;
    if (n == 0)
        return -1;
    char key[256];
    if (kn >= sizeof key)
        kn = sizeof key - 1;
    memcpy(key, name, kn);
    key[kn] = 0;
    size_t v = map_get(&t->rmap, key);
    region *r;
    if (!v) {
        if (grow((void **)&t->rg, &t->caprg, t->nrg + 1, sizeof *t->rg))
            return -2;
        r = &t->rg[t->nrg];
        memset(r, 0, sizeof *r);
        r->key = strdup(key);
        r->name = strndup(name, n);
        if (!r->key || !r->name || map_put(&t->rmap, r->key, t->nrg + 1))
            return -2;
        v = ++t->nrg;
    }
    r = &t->rg[v - 1];
    if (strlen(r->name) < n) {
        char *nm = strndup(name, n);
        if (!nm)
            return -2;
        free(r->name);
        r->name = nm;
    }
    if (date && *date && strcmp(date, r->latest) > 0)
        snprintf(r->latest, sizeof r->latest, "%s", date);
    return (int)(v - 1);
}

static bucket *bucket_of(zm_tracker *t, int region, const char *ind, int create)
{
    char key[512];
    snprintf(key, sizeof key, "%d\x1f%s", region, ind);
    size_t v = map_get(&t->bmap, key);
    if (v)
        return &t->bk[v - 1];
    if (!create)
        return NULL;
    if (grow((void **)&t->bk, &t->capbk, t->nbk + 1, sizeof *t->bk))
        return NULL;
    bucket *b = &t->bk[t->nbk];
    memset(b, 0, sizeof *b);
    b->key = strdup(key);
    b->indicator = strdup(ind);
    b->region = region;
    if (!b->key || !b->indicator || map_put(&t->bmap, b->key, t->nbk + 1))
        return NULL;
    t->nbk++;
    return b;
}

static void fig_free(fig *f)
{
    free((char *)f->f.doc);
    free((char *)f->f.id);
    free((char *)f->f.value);
    free((char *)f->f.unit);
    free((char *)f->f.qualifier);
    free((char *)f->f.change);
    free((char *)f->f.text);
    free((char *)f->f.sentence);
    free(f->doc_date);
}

/* A figure as given (strings borrowed), to be copied into the store. */
typedef struct in_fig {
    const char *doc, *id, *value, *unit, *qualifier, *change, *text, *sentence, *indicator, *status;
    const char *from, *to;
    int line;
    const char *doc_from, *doc_to; /* its document's period ("" or NULL: none) */
} in_fig;

static int fig_copy(fig *o, const in_fig *in, int keep_text, const char *doc_date, unsigned long seq)
{
    memset(o, 0, sizeof *o);
    o->f.doc = dup0(in->doc);
    o->f.id = dup0(in->id);
    o->f.value = dup0(in->value);
    o->f.unit = dup0(in->unit ? in->unit : "");
    o->f.qualifier = dup0(in->qualifier ? in->qualifier : "exact");
    o->f.change = dup0(in->change);
    o->f.text = dup0(in->text);
    o->f.sentence = keep_text ? dup0(in->sentence) : NULL;
    o->f.line = in->line;
    snprintf(o->f.from, sizeof o->f.from, "%s", in->from ? in->from : "");
    snprintf(o->f.to, sizeof o->f.to, "%s", in->to ? in->to : "");
    o->doc_date = strdup(doc_date ? doc_date : "");
    o->seq = seq;
    if (!o->f.doc || !o->f.value || !o->f.unit || !o->f.qualifier || !o->doc_date ||
        (in->id && !o->f.id) || (in->change && !o->f.change) || (in->text && !o->f.text)) {
        fig_free(o);
        return ZM_E_NOMEM;
    }
    return 0;
}

static int same_figure(const zm_track_fig *a, const zm_track_fig *b)
{
    return strcmp(a->from, b->from) == 0 && strcmp(a->to, b->to) == 0 && strtod(a->value, NULL) == strtod(b->value, NULL) &&
           strcmp(a->unit, b->unit) == 0 && !a->change == !b->change && (!a->change || strcmp(a->change, b->change) == 0);
}

static int year_of(const char *d) { return atoi(d); }

/* A target whose deadline falls in the last year of its document's
 * multi-year period (a 2021-2025 plan's 到2025年, or its target table's
 * 2025年 column: time 2025) is tracked over that period: SPEC 3, a
 * deadline ends the period and the document's period starts it. So the
 * target is 2021-01-01..2025-12-31, and the yearly actuals of 2021-2024
 * are its progress (a five-year target, issue 14). The metric record
 * keeps its own time; only the pairing widens it. */
static void deadline_period(in_fig *in)
{
    const char *pf = in->doc_from, *pt = in->doc_to;
    if (!pf || !pt || strlen(pf) != 10 || strlen(pt) != 10 || year_of(pf) >= year_of(pt))
        return; /* no period, or a one-year document */
    if (year_of(in->from) == year_of(pt) && strcmp(in->from, pf) > 0 && strcmp(in->to, pt) <= 0)
        in->from = pf;
}

/* One metric of a document of region `region` (dated doc_date). */
static int add_figure(zm_tracker *t, int region, const char *doc_date, const in_fig *in)
{
    if (region < 0 || !in->indicator || !in->value || !in->status)
        return 0;
    int is_target = strcmp(in->status, "target") == 0;
    if ((is_target && t->pass == 2) || (!is_target && t->pass == 1))
        return 0;
    /* an actual needs a time to be placed; a target without one is for
     * its document's period (the caller fills from/to) */
    if (!in->from || !in->to || !*in->from || !*in->to)
        return 0;
    bucket *b = bucket_of(t, region, in->indicator, is_target || t->pass == 0);
    if (!b)
        return t->pass == 2 ? 0 : ZM_E_NOMEM;
    if (is_target) {
        in_fig wide = *in;
        deadline_period(&wide);
        in = &wide;
        if (grow((void **)&b->tg, &b->captg, b->ntg + 1, sizeof *b->tg))
            return ZM_E_NOMEM;
        target *g = &b->tg[b->ntg];
        memset(g, 0, sizeof *g);
        if (fig_copy(&g->t, in, 1, doc_date, t->seq++))
            return ZM_E_NOMEM;
        b->ntg++;
        return 0;
    }
    if (t->pass == 2 && b->ntg == 0)
        return 0;
    fig tmp;
    if (fig_copy(&tmp, in, 0, doc_date, t->seq++))
        return ZM_E_NOMEM;
    /* the same figure again (a later report repeating it): the first
     * copy is enough, unless this one comes from a later document */
    for (size_t i = 0; i < b->nact; i++)
        if (same_figure(&b->act[i].f, &tmp.f)) {
            fig_free(&tmp);
            return 0;
        }
    if (grow((void **)&b->act, &b->capact, b->nact + 1, sizeof *b->act)) {
        fig_free(&tmp);
        return ZM_E_NOMEM;
    }
    b->act[b->nact++] = tmp;
    t->nfigs_kept++;
    return 0;
}

static const char *doc_date_of(const char *date, const zm_date_range *period)
{
    if (date && *date)
        return date;
    return period && period->to[0] ? period->to : NULL;
}

int zm_tracker_add_doc(zm_tracker *t, const zm_doc *d)
{
    if (zm_doc_error(d))
        return ZM_TRACK_SKIPPED;
    const zm_date_range *per = zm_doc_period(d);
    const char *date = doc_date_of(zm_doc_date(d), per);
    int r = region_of(t, zm_doc_region(d), date);
    if (r == -2)
        return ZM_E_NOMEM;
    if (r < 0)
        return ZM_TRACK_NO_REGION;
    for (size_t i = 0; i < zm_doc_metric_count(d); i++) {
        const zm_metric *mt = zm_doc_metric(d, i);
        char id[64 + 4096];
        snprintf(id, sizeof id, "%s#%zu", zm_doc_name(d), i + 1);
        const zm_date_range *tm = mt->time ? mt->time : (mt->status_id == ZM_S_TARGET ? per : NULL);
        in_fig in = {zm_doc_name(d), id, mt->value, mt->unit, mt->qualifier, mt->change, mt->text, mt->sentence,
                     mt->indicator, mt->status, tm ? tm->from : NULL, tm ? tm->to : NULL, mt->line,
                     per ? per->from : NULL, per ? per->to : NULL};
        int rc = add_figure(t, r, date, &in);
        if (rc)
            return rc;
    }
    return 0;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int bad(char *msg, size_t msgsz, const char *fmt, const char *arg)
{
    if (msg)
        snprintf(msg, msgsz, fmt, arg);
    return ZM_E_INPUT;
}

/* The decimal text of a JSON number as written in the record. */
static const char *jnum(const cJSON *o, const char *k, char *buf, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v))
        return NULL;
    snprintf(buf, n, "%.15g", v->valuedouble);
    return buf;
}

int zm_tracker_add_record(zm_tracker *t, const char *line, size_t len, char *msg, size_t msgsz)
{
    if (msg && msgsz)
        msg[0] = 0;
    cJSON *o = cJSON_ParseWithLength(line, len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return bad(msg, msgsz, "%snot a JSON object", "");
    }
    int rc = 0;
    const char *type = jstr(o, "type");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(o, "version");
    if (ver && !(cJSON_IsNumber(ver) && ver->valuedouble >= 1 && ver->valuedouble <= 2)) {
        rc = bad(msg, msgsz, "a record of an unknown version (this program reads versions 1 and 2)%s", "");
    } else if (!type) {
        rc = bad(msg, msgsz, "%sno \"type\"", "");
    } else if (strcmp(type, "document") == 0) {
        const char *doc = jstr(o, "doc");
        if (!doc) {
            rc = bad(msg, msgsz, "%sa document record without \"doc\"", "");
        } else {
            const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "period");
            zm_date_range per = {0};
            if (cJSON_IsObject(p)) {
                snprintf(per.from, sizeof per.from, "%s", jstr(p, "from") ? jstr(p, "from") : "");
                snprintf(per.to, sizeof per.to, "%s", jstr(p, "to") ? jstr(p, "to") : "");
            }
            const char *date = doc_date_of(jstr(o, "date"), &per);
            free(t->cur_doc);
            t->cur_doc = strdup(doc);
            snprintf(t->cur_date, sizeof t->cur_date, "%s", date ? date : "");
            snprintf(t->cur_from, sizeof t->cur_from, "%s", per.from);
            snprintf(t->cur_to, sizeof t->cur_to, "%s", per.to);
            int failed = jstr(o, "error") != NULL;
            t->cur_region = failed ? -1 : region_of(t, jstr(o, "region"), date);
            if (t->cur_region == -2 || !t->cur_doc)
                rc = ZM_E_NOMEM;
            else if (failed)
                rc = ZM_TRACK_SKIPPED;
            else if (t->cur_region < 0) {
                rc = ZM_TRACK_NO_REGION;
                if (msg)
                    snprintf(msg, msgsz, "%s: no region: left out of pairing", doc);
            }
        }
    } else if (strcmp(type, "metric") == 0) {
        const char *doc = jstr(o, "doc");
        if (!doc || !t->cur_doc || strcmp(t->cur_doc, doc) != 0) {
            rc = bad(msg, msgsz, "a metric record not after its document's record (%s)", doc ? doc : "no \"doc\"");
        } else if (!cJSON_GetObjectItemCaseSensitive(o, "indicator")) {
            rc = bad(msg, msgsz, "%sa metric record without \"indicator\" (version 1): extract again to track", "");
        } else if (t->cur_region >= 0) {
            char vbuf[64];
            const char *status = jstr(o, "status");
            const cJSON *tm = cJSON_GetObjectItemCaseSensitive(o, "time");
            const char *from = cJSON_IsObject(tm) ? jstr(tm, "from") : NULL;
            const char *to = cJSON_IsObject(tm) ? jstr(tm, "to") : NULL;
            if (!from && status && strcmp(status, "target") == 0 && t->cur_from[0])
                from = t->cur_from, to = t->cur_to;
            const cJSON *ln = cJSON_GetObjectItemCaseSensitive(o, "line");
            in_fig in = {doc, jstr(o, "id"), jnum(o, "value", vbuf, sizeof vbuf), jstr(o, "unit"), jstr(o, "qualifier"),
                         jstr(o, "change"), jstr(o, "text"), jstr(o, "sentence"), jstr(o, "indicator"), status,
                         from, to, cJSON_IsNumber(ln) ? ln->valueint : 0, t->cur_from, t->cur_to};
            if (!in.value && cJSON_GetObjectItemCaseSensitive(o, "value") &&
                !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "value")))
                rc = bad(msg, msgsz, "%sa metric whose value is not a number", "");
            else
                rc = add_figure(t, t->cur_region, t->cur_date, &in);
        }
    } else if (strcmp(type, "track") == 0) {
        rc = ZM_TRACK_SKIPPED; /* output of this command read back: nothing to pair */
    } else {
        rc = bad(msg, msgsz, "unknown record type \"%s\"", type);
    }
    cJSON_Delete(o);
    return rc;
}

static int ptr_push(fig ***v, size_t *n, size_t *cap, fig *f)
{
    if (grow((void **)v, cap, *n + 1, sizeof **v))
        return ZM_E_NOMEM;
    (*v)[(*n)++] = f;
    return 0;
}

/* A level (no change) answers a level target, a change (同比增长8.2%) a
 * change target. */
static int of_kind(const fig *a, const zm_track_fig *T) { return !a->f.change == !T->change; }

/* Two actuals ending on the same day that conflict: both levels or both
 * changes (覆盖率达到86.5%，比上年提高2.6个百分点 is one report, not two
 * that disagree). */
static int rivals(const fig *a, const fig *b)
{
    return strcmp(a->f.to, b->f.to) == 0 && !a->f.change == !b->f.change;
}

/* Is a a better answer to T than b (both end in the period)? Later end
 * first, then the target's kind (a level before a change of the same
 * sentence), then the later document (a correction), then input order. */
static int better(const fig *a, const fig *b, const zm_track_fig *T)
{
    int c = strcmp(a->f.to, b->f.to);
    if (c)
        return c > 0;
    c = of_kind(a, T) - of_kind(b, T);
    if (c)
        return c > 0;
    c = strcmp(a->doc_date, b->doc_date);
    if (c)
        return c > 0;
    c = strcmp(a->f.doc, b->f.doc);
    if (c)
        return c > 0;
    return a->seq > b->seq;
}

/* Keeps best and its rivals (conf) as actuals come, in any order: the
 * rivals of the best one are all the others of its day and kind. */
static int reduce(target *g, fig *a)
{
    const zm_track_fig *T = &g->t.f, *A = &a->f;
    if (strcmp(A->from, T->from) < 0 || strcmp(A->to, T->to) > 0)
        return 0; /* outside the period */
    int multi = year_of(T->from) != year_of(T->to);
    if (multi && year_of(A->to) != year_of(T->to))
        return ptr_push(&g->prog, &g->nprog, &g->capprog, a);
    if (!g->best || better(a, g->best, T)) {
        fig *old = g->best;
        g->best = a;
        /* earlier rivals stay only when they are a's too (any of a's
         * rivals seen before was kept: it lost to old, a rival of a) */
        size_t k = 0;
        for (size_t i = 0; i < g->nconf; i++)
            if (rivals(g->conf[i], a))
                g->conf[k++] = g->conf[i];
        g->nconf = k;
        if (old && rivals(old, a))
            return ptr_push(&g->conf, &g->nconf, &g->capconf, old);
        return 0;
    }
    if (rivals(a, g->best))
        return ptr_push(&g->conf, &g->nconf, &g->capconf, a);
    return 0;
}

static const char *verdict(const target *g, const region *r, const char *direction)
{
    const zm_track_fig *T = &g->t.f;
    if (!g->best)
        return r->latest[0] && strcmp(r->latest, T->to) > 0 ? "no_report" : "pending";
    const zm_track_fig *A = &g->best->f;
    if (strcmp(A->unit, T->unit) != 0 || !A->change != !T->change)
        return "not_comparable";
    double a = strtod(A->value, NULL), t = strtod(T->value, NULL);
    int q = zm_qualifier_parse(T->qualifier);
    int ok;
    switch (q) {
    case ZM_Q_OVER: ok = a > t; break;
    case ZM_Q_AT_LEAST: ok = a >= t; break;
    case ZM_Q_UNDER: ok = a < t; break;
    case ZM_Q_AT_MOST: ok = a <= t; break;
    default: /* exact, about: by the indicator's direction */
        if (direction && strcmp(direction, "up") == 0)
            ok = a >= t;
        else if (direction && strcmp(direction, "down") == 0)
            ok = a <= t;
        else
            ok = a == t;
    }
    return ok ? "met" : "missed";
}

static int cmp_prog(const void *x, const void *y)
{
    const fig *a = *(fig *const *)x, *b = *(fig *const *)y;
    int c = strcmp(a->f.to, b->f.to);
    if (!c)
        c = strcmp(a->f.doc, b->f.doc);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

typedef struct order {
    const zm_tracker *t;
    size_t b, g;
} order;

static long id_num(const char *id)
{
    const char *h = id ? strrchr(id, '#') : NULL;
    return h ? atol(h + 1) : 0;
}

static const zm_tracker *sort_t;
static int cmp_order(const void *x, const void *y)
{
    const order *a = x, *b = y;
    const bucket *ba = &sort_t->bk[a->b], *bb = &sort_t->bk[b->b];
    const target *ga = &ba->tg[a->g], *gb = &bb->tg[b->g];
    int c = strcmp(sort_t->rg[ba->region].name, sort_t->rg[bb->region].name);
    if (!c)
        c = strcmp(ga->t.f.doc, gb->t.f.doc);
    if (!c) {
        long na = id_num(ga->t.f.id), nb = id_num(gb->t.f.id);
        c = (na > nb) - (na < nb);
    }
    if (!c)
        c = (ga->t.f.line > gb->t.f.line) - (ga->t.f.line < gb->t.f.line);
    return c;
}

int zm_tracker_finish(zm_tracker *t, zm_track_fn fn, void *arg)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nbk; i++) {
        bucket *b = &t->bk[i];
        for (size_t k = 0; k < b->ntg; k++)
            for (size_t a = 0; a < b->nact; a++)
                if (reduce(&b->tg[k], &b->act[a]))
                    return ZM_E_NOMEM;
        n += b->ntg;
    }
    order *ord = malloc((n ? n : 1) * sizeof *ord);
    if (!ord)
        return ZM_E_NOMEM;
    n = 0;
    for (size_t i = 0; i < t->nbk; i++)
        for (size_t k = 0; k < t->bk[i].ntg; k++)
            ord[n++] = (order){t, i, k};
    sort_t = t;
    if (n)
        qsort(ord, n, sizeof *ord, cmp_order);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        bucket *b = &t->bk[ord[i].b];
        target *g = &b->tg[ord[i].g];
        const char *name = NULL, *dir = NULL;
        zm_indicators_info(t->m ? t->m->ind : NULL, b->indicator, &name, &dir);
        /* qsort wants a non-null base even for no elements (UBSan) */
        if (g->nprog)
            qsort(g->prog, g->nprog, sizeof *g->prog, cmp_prog);
        if (g->nconf)
            qsort(g->conf, g->nconf, sizeof *g->conf, cmp_prog);
        zm_track_fig *prog = calloc(g->nprog + g->nconf + 1, sizeof *prog);
        if (!prog) {
            rc = ZM_E_NOMEM;
            break;
        }
        for (size_t k = 0; k < g->nprog; k++)
            prog[k] = g->prog[k]->f;
        for (size_t k = 0; k < g->nconf; k++)
            prog[g->nprog + k] = g->conf[k]->f;
        zm_track tr = {t->rg[b->region].name, b->indicator, name, verdict(g, &t->rg[b->region], dir), &g->t.f,
                       g->best ? &g->best->f : NULL, prog, g->nprog, prog + g->nprog, g->nconf};
        rc = fn(&tr, arg);
        free(prog);
    }
    free(ord);
    return rc;
}

void zm_tracker_counts(const zm_tracker *t, size_t *regions, size_t *targets, size_t *actuals)
{
    size_t ng = 0;
    for (size_t i = 0; i < t->nbk; i++)
        ng += t->bk[i].ntg;
    *regions = t->nrg;
    *targets = ng;
    *actuals = t->nfigs_kept;
}

void zm_tracker_free(zm_tracker *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nbk; i++) {
        bucket *b = &t->bk[i];
        for (size_t k = 0; k < b->ntg; k++) {
            fig_free(&b->tg[k].t);
            free(b->tg[k].conf);
            free(b->tg[k].prog);
        }
        for (size_t k = 0; k < b->nact; k++)
            fig_free(&b->act[k]);
        free(b->tg);
        free(b->act);
        free(b->key);
        free(b->indicator);
    }
    for (size_t i = 0; i < t->nrg; i++) {
        free(t->rg[i].key);
        free(t->rg[i].name);
    }
    for (size_t i = 0; i < t->norgan; i++)
        free(t->organ[i]);
    for (size_t i = 0; i < t->nplace; i++)
        free(t->place[i]);
    free(t->organ);
    free(t->place);
    free(t->bk);
    free(t->rg);
    free(t->rmap.keys);
    free(t->rmap.vals);
    free(t->bmap.keys);
    free(t->bmap.vals);
    free(t->cur_doc);
    free(t);
}

/* ---- the track record as JSON (SPEC section 8) */

static cJSON *fig_json(const zm_track_fig *f, int target, int progress)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "doc", f->doc);
    if (f->id)
        cJSON_AddStringToObject(o, "id", f->id);
    else
        cJSON_AddNullToObject(o, "id");
    cJSON_AddRawToObject(o, "value", f->value);
    if (target)
        cJSON_AddStringToObject(o, "qualifier", f->qualifier);
    (void)progress;
    cJSON_AddStringToObject(o, "unit", f->unit);
    cJSON *tm = cJSON_AddObjectToObject(o, "time");
    if (tm) {
        cJSON_AddStringToObject(tm, "from", f->from);
        cJSON_AddStringToObject(tm, "to", f->to);
    }
    if (f->change)
        cJSON_AddStringToObject(o, "change", f->change);
    if (f->text)
        cJSON_AddStringToObject(o, "text", f->text);
    return o;
}

static cJSON *figs_json(const zm_track_fig *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, fig_json(&v[i], 0, 1));
    return a;
}

char *zm_track_json(const zm_track *tr)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "type", "track");
    cJSON_AddStringToObject(o, "region", tr->region);
    cJSON_AddStringToObject(o, "indicator", tr->indicator);
    cJSON_AddItemToObject(o, "target", fig_json(tr->target, 1, 0));
    if (tr->actual)
        cJSON_AddItemToObject(o, "actual", fig_json(tr->actual, 0, 0));
    else
        cJSON_AddNullToObject(o, "actual");
    cJSON_AddItemToObject(o, "progress", figs_json(tr->progress, tr->nprogress));
    cJSON_AddItemToObject(o, "conflicts", figs_json(tr->conflicts, tr->nconflicts));
    cJSON_AddStringToObject(o, "verdict", tr->verdict);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}
