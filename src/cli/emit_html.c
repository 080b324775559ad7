#define _GNU_SOURCE /* syscall(): getdents64 in the signal-safe removal */
#include "emit_html.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "review_assets.h" /* zm_review_js, zm_review_css: src/review/ (mk/review.mk) */
#include "sbuf.h"
#include "writer.h"

/* Chunk sizes: a docs chunk closes once it holds DOCS_CHUNK bytes (a few
 * documents; opening one loads its chunk), a rows chunk at ROWS_CHUNK
 * metrics (all are loaded, one after another, for the table). */
#define DOCS_CHUNK (512u * 1024)
#define ROWS_CHUNK 8192u

/* The metric fields come from the library's field table (zm_field_info):
 * each is written as one or more arrays of a rows chunk (a column per
 * array, no object per metric), and index.js describes them ("fields",
 * "cols"), so a field added to the table reaches the page's details, and
 * with ZM_FIELD_REVIEW its table, filters and counts, with no change here
 * or in review.js. How a field is stored follows its type:
 *   doc     the document's field on each metric: the document's number
 *   id      the metric's number in its document (n)
 *   code    a string of few values (kind, unit ...): its index in the
 *           strings table of index.js, counted for the summary and filters
 *   text    a string of many values (text, subject) or a number or JSON:
 *           the string itself
 *   pool    a string repeated over a sentence's figures (sentence,
 *           section joined with " › "): its index in the chunk's pool
 *   range   three pool arrays: text, from, to
 *   span    two number arrays
 *   int     a number or null
 * Array encodings in "cols": i (numbers), p (pool indexes), n (number or
 * null), s (strings). */
enum { T_DOC, T_ID, T_CODE, T_TEXT, T_NUMBER, T_POOL, T_RANGE, T_SPAN, T_INT };
static const char *const type_names[] = {"doc", "id", "code", "text", "number", "pool", "range", "span", "int"};

/* Strings fields of many distinct values, kept inline rather than in the
 * strings table that index.js loads first (a storage choice only: any other
 * string field is a code, and shows the same). */
static const char *const many_values[] = {"text", "subject"};

typedef struct mfield {
    size_t k;    /* index in the metric field table */
    const zm_field *info;
    int type;    /* T_* */
    int col;     /* its first array */
    int count;   /* its summary count (code fields), else -1 */
} mfield;

/* Distinct strings, each with its index (entry 0 is ""): an array and an
 * open-addressing index on it. */
typedef struct {
    char **str;
    size_t n, cap;
    uint32_t *slot;
    size_t nslot;
} strtab;

struct zm_html {
    char *path, *tmp_path; /* the page; its temporary name, inside tmp_dir */
    char *dir, *tmp_dir;   /* the data directory; its temporary name */
    char *dir_url;         /* the data directory's name as a relative URL */
    FILE *page;
    FILE *doclist;         /* the documents' rows of index.js, copied in at close */
    FILE *chunk;           /* the docs chunk being written */
    size_t chunk_no, chunk_bytes;
    mfield *mf;
    size_t nmf;
    sbuf *col;             /* the rows chunk's arrays, ncol */
    char *col_enc;         /* their encodings (i p n s), ncol */
    int ncol;
    sbuf pool, tmp;
    size_t chunk_rows, rows_chunks;
    strtab codes;          /* strings table of index.js (kinds, units ...) */
    strtab chunk_pool;     /* strings of the rows chunk being written (time, section, sentence) */
    size_t countcap;
    int ncount;            /* code fields' counts, then region's (documents, metrics) */
    size_t **count;        /* by code, countcap each */
    size_t ndocs, nerrors, nmetrics;
    int io_error;
    /* `zhmetrics track`: track records (SPEC 8) as track-NNNN.js, the
     * page's Targets tab */
    FILE *track;
    size_t track_chunks, track_in_chunk;
};

/* ---- small helpers (the CLI sees the library's public header only) ---- */

/* *p resized to count elements of elem bytes; 0, or -1 (p kept). */
static int resize(void **p, size_t count, size_t elem)
{
    if (elem && count > (size_t)-1 / elem)
        return -1;
    void *q = realloc(*p, count * elem);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

static uint32_t fnv32(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* One UTF-8 sequence at p (p < end): its length (>= 1), *cp its code
 * point, or -1 when the bytes are not valid UTF-8 (then length 1). */
static int utf8_next(const unsigned char *p, const unsigned char *end, int *cp)
{
    unsigned c = p[0];
    int n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    *cp = -1;
    if (!n || end - p < n)
        return 1;
    unsigned v = c & (0x7Fu >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 1;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) || (v >= 0xD800 && v <= 0xDFFF))
        return 1;
    *cp = (int)v;
    return n;
}

/* ---- strings as JavaScript literals ----------------------------------- */

/* Appends s[0..n) as a double-quoted JavaScript string that is safe
 * anywhere: < > & as \u003c.. (no </script>, no <!--), U+2028/2029
 * escaped, control characters escaped, and any byte that is not valid
 * UTF-8 as U+FFFD. A lone CR becomes LF (same length, so spans keep their
 * offsets): a browser shows a lone CR as a space. */
static void js_str(sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : ""), *end = p + (s ? n : 0);
    sbuf_reserve(b, n + 2);
    sbuf_addc(b, '"');
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\' && *p != '<' && *p != '>' && *p != '&')
            p++;
        if (p > run)
            sbuf_add(b, run, (size_t)(p - run));
        if (p >= end)
            break;
        unsigned char c = *p;
        if (c >= 0x80) {
            int cp;
            int len = utf8_next(p, end, &cp);
            if (cp < 0)
                sbuf_adds(b, "\\ufffd");
            else if (cp == 0x2028 || cp == 0x2029)
                sbuf_adds(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
            else
                sbuf_add(b, p, (size_t)len);
            p += len;
            continue;
        }
        p++;
        switch (c) {
        case '"': sbuf_adds(b, "\\\""); break;
        case '\\': sbuf_adds(b, "\\\\"); break;
        case '\n': sbuf_adds(b, "\\n"); break;
        case '\t': sbuf_adds(b, "\\t"); break;
        case '\r': sbuf_adds(b, p < end && *p == '\n' ? "\\r" : "\\n"); break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            sbuf_adds(b, u);
        }
        }
    }
    sbuf_addc(b, '"');
}

static void js_cstr(sbuf *b, const char *s) { js_str(b, s, s ? strlen(s) : 0); }

static void js_num(sbuf *b, size_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", v);
    sbuf_adds(b, num);
}

/* ---- strings tables ----------------------------------------------------- */

static void st_free(strtab *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->str[i]);
    free(t->str);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

/* Entry 0: "". Returns 0 or -1 (out of memory). */
static int st_init(strtab *t)
{
    if (t->n)
        return 0;
    if (resize((void **)&t->str, 64, sizeof *t->str) || !(t->str[0] = strdup("")))
        return -1;
    t->n = 1, t->cap = 64;
    return 0;
}

/* The index of s in t (0 for NULL or ""), added if new (*added set).
 * Returns (size_t)-1 when out of memory. */
static size_t st_index(strtab *t, const char *s, int *added)
{
    *added = 0;
    if (!s || !*s)
        return 0;
    if (st_init(t))
        return (size_t)-1;
    size_t n = strlen(s);
    if (t->n * 2 >= t->nslot) { /* rehash at half full */
        size_t ns = t->nslot ? t->nslot * 2 : 256;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return (size_t)-1;
        for (size_t i = 1; i < t->n; i++) {
            size_t j = fnv32(t->str[i], strlen(t->str[i])) & (ns - 1);
            while (sl[j])
                j = (j + 1) & (ns - 1);
            sl[j] = (uint32_t)i;
        }
        free(t->slot);
        t->slot = sl, t->nslot = ns;
    }
    size_t j = fnv32(s, n) & (t->nslot - 1);
    for (; t->slot[j]; j = (j + 1) & (t->nslot - 1))
        if (strcmp(t->str[t->slot[j]], s) == 0)
            return t->slot[j];
    if (t->n == t->cap) {
        if (resize((void **)&t->str, t->cap * 2, sizeof *t->str))
            return (size_t)-1;
        t->cap *= 2;
    }
    if (!(t->str[t->n] = strdup(s)))
        return (size_t)-1;
    t->slot[j] = (uint32_t)t->n;
    *added = 1;
    return t->n++;
}

/* The code of s in the strings table of index.js (0 for NULL, "" or out
 * of memory, which the caller reports at close); the count arrays grow
 * with it. */
static size_t intern(zm_html *h, const char *s)
{
    int added;
    size_t i = st_index(&h->codes, s, &added);
    if (i == (size_t)-1) {
        h->io_error = 1;
        return 0;
    }
    if (i >= h->countcap) {
        size_t cap = h->countcap ? h->countcap * 2 : 64;
        while (cap <= i)
            cap *= 2;
        for (int c = 0; c < h->ncount; c++) {
            if (resize((void **)&h->count[c], cap, sizeof **h->count)) {
                h->io_error = 1;
                return 0;
            }
            memset(h->count[c] + h->countcap, 0, (cap - h->countcap) * sizeof **h->count);
        }
        h->countcap = cap;
    }
    return i;
}

/* s written once per rows chunk (a sentence, section or time repeats over
 * the figures it holds): its index in the chunk's pool. */
static size_t pooled(zm_html *h, const char *s)
{
    int added;
    size_t i = st_index(&h->chunk_pool, s ? s : "", &added);
    if (i == (size_t)-1) {
        h->io_error = 1;
        return 0;
    }
    if (added) {
        sbuf_addc(&h->pool, ',');
        js_cstr(&h->pool, s);
    }
    return i;
}

static void range_parts(sbuf *b, const zm_date_range *r)
{
    if (!r)
        return;
    sbuf_adds(b, r->text ? r->text : "");
    if (r->from[0]) {
        sbuf_adds(b, " (");
        sbuf_adds(b, r->from);
        sbuf_adds(b, "\xe2\x80\xa6"); /* … */
        sbuf_adds(b, r->to);
        sbuf_adds(b, ")");
    }
}

/* ---- files ------------------------------------------------------------- */

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Writes b to dir/name; returns 0 or -1 (errno set). */
static int write_file(const char *dir, const char *name, const void *data, size_t n)
{
    char *p = path_join(dir, name);
    FILE *f = p ? fopen(p, "wb") : NULL;
    int rc = f && fwrite(data, 1, n, f) == n ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(p);
    return rc;
}

/* Removes a data directory this writer made (flat: files only). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
                char *p = path_join(dir, e->d_name);
                if (p)
                    unlink(p);
                free(p);
            }
        closedir(d);
    }
    rmdir(dir);
}

/* A directory that a review page wrote: it holds index.js. */
static int is_data_dir(const char *dir)
{
    struct stat st;
    char *p = path_join(dir, "index.js");
    int yes = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return yes;
}

/* The data directory beside the page: review.html -> review.data; its name
 * percent-encoded as the page's relative URL to it. */
static int data_dir_names(zm_html *h)
{
    const char *base = strrchr(h->path, '/');
    base = base ? base + 1 : h->path;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot > base ? (size_t)(dot - h->path) : strlen(h->path);
    size_t n = stem + 32;
    if (!(h->dir = malloc(n)) || !(h->tmp_dir = malloc(n + 32)))
        return -1;
    snprintf(h->dir, n, "%.*s.data", (int)stem, h->path);
    snprintf(h->tmp_dir, n + 32, "%s.tmp.%ld", h->dir, (long)getpid());
    const char *name = h->dir + (base - h->path);
    if (!(h->dir_url = malloc(strlen(name) * 3 + 2)))
        return -1;
    char *o = h->dir_url;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    strcpy(o, "/");
    return 0;
}

static void free_html(zm_html *h)
{
    for (int c = 0; c < h->ncol; c++)
        sbuf_free(&h->col[c]);
    free(h->col);
    free(h->col_enc);
    free(h->mf);
    sbuf_free(&h->pool);
    sbuf_free(&h->tmp);
    st_free(&h->codes);
    st_free(&h->chunk_pool);
    for (int c = 0; c < h->ncount; c++)
        free(h->count[c]);
    free(h->count);
    free(h->path);
    free(h->tmp_path);
    free(h->dir);
    free(h->tmp_dir);
    free(h->dir_url);
    free(h);
}

/* The metric fields' storage (mfield), from the field table. */
static int layout(zm_html *h)
{
    size_t nf = zm_field_count(ZM_RECORD_METRIC);
    if (!(h->mf = calloc(nf ? nf : 1, sizeof *h->mf)) || !(h->col_enc = calloc(3 * nf + 1, 1)))
        return -1;
    int ncode = 0;
    for (size_t k = 0; k < nf; k++) {
        const zm_field *f = zm_field_info(ZM_RECORD_METRIC, k);
        mfield *m = &h->mf[h->nmf++];
        m->k = k, m->info = f, m->col = h->ncol, m->count = -1;
        const char *enc = "s";
        switch (f->type) {
        case ZM_FT_STRING:
            m->type = f->flags & ZM_FIELD_FROM_DOC ? T_DOC : f->flags & ZM_FIELD_REPEATS ? T_POOL : T_CODE;
            for (size_t j = 0; m->type == T_CODE && j < sizeof many_values / sizeof *many_values; j++)
                if (strcmp(f->name, many_values[j]) == 0)
                    m->type = T_TEXT;
            enc = m->type == T_DOC ? "i" : m->type == T_POOL ? "p" : m->type == T_CODE ? "i" : "s";
            break;
        case ZM_FT_NUMBER: m->type = T_NUMBER; break;
        case ZM_FT_JSON: m->type = T_TEXT; break;
        case ZM_FT_STRINGS: m->type = T_POOL, enc = "p"; break;
        case ZM_FT_RANGE: m->type = T_RANGE, enc = "ppp"; break;
        case ZM_FT_SPAN: m->type = T_SPAN, enc = "ii"; break;
        case ZM_FT_ID: m->type = T_ID, enc = "i"; break;
        case ZM_FT_INT:
        case ZM_FT_BOOL: m->type = T_INT, enc = "n"; break;
        }
        if (m->type == T_CODE)
            m->count = ncode++;
        strcpy(h->col_enc + h->ncol, enc);
        h->ncol += (int)strlen(enc);
    }
    h->ncount = ncode + 2;
    return (h->col = calloc((size_t)h->ncol + 1, sizeof *h->col)) && (h->count = calloc((size_t)h->ncount, sizeof *h->count))
               ? 0
               : -1;
}

zm_html *zm_html_open(const char *path, char *msg, size_t msgsz)
{
    zm_html *h = calloc(1, sizeof *h);
    if (!h || !(h->path = strdup(path)) || data_dir_names(h) || layout(h) || st_init(&h->codes) ||
        (intern(h, NULL), h->io_error)) {
        snprintf(msg, msgsz, "out of memory");
        if (h)
            free_html(h);
        return NULL;
    }
    struct stat st;
    if (lstat(h->dir, &st) == 0 && !(S_ISDIR(st.st_mode) && is_data_dir(h->dir))) {
        /* never replaces what it did not write */
        snprintf(msg, msgsz, "%s: exists and is not a review page's data directory", h->dir);
        free_html(h);
        return NULL;
    }
    /* the page goes with its data: a plain file (or a new one), never a
     * device, a pipe or a symlink, whose data directory would land in /dev
     * or beside the link */
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(msg, msgsz, "%s: not a plain file: the review page needs a file name, its data directory "
                 "goes beside it", path);
        free_html(h);
        return NULL;
    }
    /* the page is written inside the temporary data directory, so that
     * one directory holds everything unfinished (removed on a signal) */
    if (!(h->tmp_path = path_join(h->tmp_dir, ".page.tmp"))) {
        snprintf(msg, msgsz, "out of memory");
        free_html(h);
        return NULL;
    }
    const char *target = h->tmp_path;
    /* owner only while written (issue 16): the data goes public by the
     * renames at commit, with the modes below */
    if (mkdir(h->tmp_dir, 0700) != 0) {
        snprintf(msg, msgsz, "%s: %s", h->tmp_dir, strerror(errno));
        free_html(h);
        return NULL;
    }
    h->page = fopen(target, "wb");
    h->doclist = h->page ? tmpfile() : NULL;
    if (!h->page || !h->doclist || write_file(h->tmp_dir, "review.js", zm_review_js, strlen(zm_review_js)) ||
        write_file(h->tmp_dir, "review.css", zm_review_css, strlen(zm_review_css))) {
        snprintf(msg, msgsz, "%s: %s", h->page && h->doclist ? h->tmp_dir : target, strerror(errno));
        if (h->page)
            fclose(h->page);
        if (h->doclist)
            fclose(h->doclist);
        remove_dir(h->tmp_dir);
        free_html(h);
        return NULL;
    }
    return h;
}

const char *zm_html_tmp_path(const zm_html *h) { return h->tmp_dir; }

void zm_html_remove_tmp(const char *tmp)
{
    rmdir(tmp);
    int fd = open(tmp, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return;
#ifdef SYS_getdents64
    /* no opendir (it allocates): the entries read straight from the
     * kernel, passes repeated until one removes nothing */
    for (int removed = 1; removed;) {
        char buf[4096];
        long n;
        removed = 0;
        lseek(fd, 0, SEEK_SET);
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
            for (long off = 0; off < n;) {
                const char *name = buf + off + 19; /* d_ino 8, d_off 8, d_reclen 2, d_type 1 */
                unsigned short reclen;
                memcpy(&reclen, buf + off + 16, sizeof reclen);
                if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && unlinkat(fd, name, 0) == 0)
                    removed = 1;
                off += reclen;
            }
    }
#endif
    close(fd);
    rmdir(tmp);
}

static void put(zm_html *h, FILE *f, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, f) != n)
        h->io_error = 1;
}

/* Writes the rows buffered so far as the next rows-NNNN.js. */
static void flush_rows(zm_html *h)
{
    if (!h->chunk_rows)
        return;
    char name[32];
    snprintf(name, sizeof name, "rows-%04zu.js", ++h->rows_chunks);
    char *p = path_join(h->tmp_dir, name);
    FILE *f = p ? fopen(p, "wb") : NULL;
    free(p);
    if (!f) {
        h->io_error = 1;
        return;
    }
    if (fprintf(f, "zmLoad(\"rows\",%zu,{\"n\":%zu,\"p\":[\"\"", h->rows_chunks, h->chunk_rows) < 0)
        h->io_error = 1;
    put(h, f, h->pool.data, h->pool.len);
    put(h, f, "],\"c\":[", 7);
    for (int c = 0; c < h->ncol; c++) {
        put(h, f, c ? ",[" : "[", c ? 2 : 1);
        put(h, f, h->col[c].data, h->col[c].len - 1);
        put(h, f, "]", 1);
        h->col[c].len = 0;
    }
    put(h, f, "]});\n", 5);
    if (fclose(f) != 0)
        h->io_error = 1;
    h->pool.len = 0;
    st_free(&h->chunk_pool);
    h->chunk_rows = 0;
}

static void col_num(zm_html *h, int c, size_t v)
{
    js_num(&h->col[c], v);
    sbuf_addc(&h->col[c], ',');
}

static void col_str(zm_html *h, int c, const char *s)
{
    js_cstr(&h->col[c], s);
    sbuf_addc(&h->col[c], ',');
}

static void col_ll(zm_html *h, int c, long long v)
{
    char num[32];
    snprintf(num, sizeof num, "%lld,", v);
    sbuf_adds(&h->col[c], num);
}

/* One metric's compact row: each field of the table into its arrays. */
static void add_row(zm_html *h, const zm_doc *d, size_t doc, size_t region, size_t i)
{
    zm_value v;
    for (size_t j = 0; j < h->nmf; j++) {
        const mfield *f = &h->mf[j];
        int c = f->col;
        zm_field_get(d, ZM_RECORD_METRIC, f->k, i, &v);
        const char *str = v.is_null ? NULL : v.str;
        switch (f->type) {
        case T_DOC: col_num(h, c, doc); break;
        case T_ID: col_ll(h, c, v.num); break;
        case T_CODE: {
            size_t code = intern(h, str);
            col_num(h, c, code);
            if (!h->io_error)
                h->count[f->count][code]++;
            break;
        }
        case T_TEXT:
        case T_NUMBER: col_str(h, c, str); break;
        case T_POOL:
            if (f->info->type == ZM_FT_STRINGS) {
                h->tmp.len = 0;
                sbuf_adds(&h->tmp, "");
                for (size_t k = 0; k < v.nstrs; k++) {
                    if (k)
                        sbuf_adds(&h->tmp, " \xe2\x80\xba "); /* › */
                    sbuf_adds(&h->tmp, v.strs[k] ? v.strs[k] : "");
                }
                str = h->tmp.data;
            }
            col_num(h, c, pooled(h, str));
            break;
        case T_RANGE:
            col_num(h, c, pooled(h, v.is_null ? NULL : v.range->text));
            col_num(h, c + 1, pooled(h, v.is_null ? NULL : v.range->from));
            col_num(h, c + 2, pooled(h, v.is_null ? NULL : v.range->to));
            break;
        case T_SPAN:
            col_num(h, c, v.span[0]);
            col_num(h, c + 1, v.span[1]);
            break;
        case T_INT:
            if (v.is_null)
                sbuf_adds(&h->col[c], "null,");
            else
                col_ll(h, c, v.num);
            break;
        }
    }
    if (!h->io_error)
        h->count[h->ncount - 1][region]++; /* region (metrics) */
    if (++h->chunk_rows == ROWS_CHUNK)
        flush_rows(h);
}

/* The document's text as segments, plain and highlighted in turn
 * ([plain, mark, plain, ..., plain]), and its marks as row, kind, status
 * triples; without its text, the figures' texts alone. */
static void doc_entry(zm_html *h, sbuf *b, size_t id, const zm_doc *d, const char *bytes, size_t len)
{
    size_t n = zm_doc_metric_count(d), tlen = 0;
    /* the text the spans point into: the one a reader extracted (HTML,
     * Word, PDF), else the input decoded by the library as it was for
     * extraction */
    char *text = NULL;
    const char *xt = zm_doc_text(d, &tlen);
    if (xt) {
        if ((text = malloc(tlen + 1)))
            memcpy(text, xt, tlen + 1);
    } else if (bytes && zm_decode_text(bytes, len, &text, &tlen, NULL, NULL)) {
        text = NULL;
    }
    if (text && tlen != zm_doc_bytes(d)) {
        free(text);
        text = NULL;
    }
    js_num(b, id);
    sbuf_adds(b, ",[");
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const zm_metric *m = zm_doc_metric(d, i);
        if (text) {
            size_t s = m->span[0], e = m->span[1];
            if (e > tlen)
                e = tlen;
            if (s < at) /* overlapping spans: the later one starts where the earlier ended */
                s = at;
            if (e < s)
                e = s;
            js_str(b, text + at, s - at);
            sbuf_addc(b, ',');
            js_str(b, text + s, e - s);
            at = e;
        } else {
            js_cstr(b, i ? " \xc2\xb7 " : "");
            sbuf_addc(b, ',');
            js_cstr(b, m->text);
        }
        sbuf_addc(b, ',');
    }
    if (text)
        js_str(b, text + at, tlen - at);
    else
        js_cstr(b, "");
    sbuf_adds(b, "],[");
    for (size_t i = 0; i < n; i++) {
        const zm_metric *m = zm_doc_metric(d, i);
        char t[96];
        snprintf(t, sizeof t, "%s%zu,%zu,%zu", i ? "," : "", h->nmetrics + i, intern(h, m->kind),
                 intern(h, m->status));
        sbuf_adds(b, t);
    }
    sbuf_adds(b, text ? "],1" : bytes ? "],0" : "],-1");
    free(text);
}

int zm_html_add(zm_html *h, const zm_doc *d, const char *bytes, size_t len)
{
    size_t id = h->ndocs++, n = zm_doc_metric_count(d);
    const char *err = zm_doc_error(d);
    size_t region = intern(h, zm_doc_region(d)), chunk = 0;
    sbuf *b = &h->tmp;
    if (err) {
        h->nerrors++;
    } else {
        if (!h->io_error)
            h->count[h->ncount - 2][region]++; /* region (documents) */
        if (!h->chunk) {
            char name[32];
            snprintf(name, sizeof name, "docs-%04zu.js", ++h->chunk_no);
            char *p = path_join(h->tmp_dir, name);
            if (!p || !(h->chunk = fopen(p, "wb"))) {
                free(p);
                return h->io_error = 1, -1;
            }
            free(p);
            if (fprintf(h->chunk, "zmLoad(\"docs\",%zu,[\n", h->chunk_no) < 0)
                h->io_error = 1;
            h->chunk_bytes = 0;
        }
        chunk = h->chunk_no;
        b->len = 0;
        sbuf_adds(b, h->chunk_bytes ? ",\n[" : "["); /* strict JSON inside: no trailing comma */
        doc_entry(h, b, id, d, bytes, len);
        sbuf_addc(b, ']');
        put(h, h->chunk, b->data, b->len);
        h->chunk_bytes += b->len;
        if (h->chunk_bytes >= DOCS_CHUNK) {
            put(h, h->chunk, "\n]);\n", 5);
            if (fclose(h->chunk) != 0)
                h->io_error = 1;
            h->chunk = NULL;
        }
    }
    /* its row in the documents' list of index.js: the page's own numbers,
     * then the document fields of the field table ("docfields") */
    b->len = 0;
    char t[160];
    snprintf(t, sizeof t, "%s[%zu,%zu,%zu,", id ? ",\n" : "", n, h->nmetrics, chunk);
    sbuf_adds(b, t);
    js_cstr(b, err);
    snprintf(t, sizeof t, ",%zu", region);
    sbuf_adds(b, t);
    zm_value v;
    for (size_t k = 0; k < zm_field_count(ZM_RECORD_DOCUMENT); k++) {
        const zm_field *f = zm_field_info(ZM_RECORD_DOCUMENT, k);
        zm_field_get(d, ZM_RECORD_DOCUMENT, k, 0, &v);
        sbuf_addc(b, ',');
        if (v.is_null) {
            sbuf_adds(b, "null");
        } else if (f->type == ZM_FT_INT || f->type == ZM_FT_BOOL) {
            snprintf(t, sizeof t, "%lld", v.num);
            sbuf_adds(b, t);
        } else if (f->type == ZM_FT_RANGE) {
            sbuf period = {0}; /* the period as written, with its dates */
            range_parts(&period, v.range);
            js_str(b, period.data, period.len);
            sbuf_free(&period);
        } else if (f->type == ZM_FT_STRINGS) {
            sbuf all = {0};
            sbuf_adds(&all, "");
            for (size_t j = 0; j < v.nstrs; j++) {
                sbuf_adds(&all, j ? " \xe2\x80\xba " : ""); /* › */
                sbuf_adds(&all, v.strs[j] ? v.strs[j] : "");
            }
            js_str(b, all.data, all.len);
            sbuf_free(&all);
        } else if (f->type == ZM_FT_SPAN) {
            snprintf(t, sizeof t, "\"[%zu, %zu)\"", v.span[0], v.span[1]);
            sbuf_adds(b, t);
        } else {
            js_cstr(b, v.str);
        }
    }
    sbuf_addc(b, ']');
    put(h, h->doclist, b->data, b->len);
    for (size_t i = 0; i < n && !err; i++)
        add_row(h, d, id, region, i);
    h->nmetrics += err ? 0 : n;
    return h->io_error ? -1 : 0;
}

/* ---- track records (zhmetrics track): track-NNNN.js chunks of
 * TRACK_CHUNK records, zmLoad("track", n, [record, ...]) */
enum { TRACK_CHUNK = 2000 };

static void track_chunk_end(zm_html *h)
{
    if (!h->track)
        return;
    put(h, h->track, "\n]);\n", 5);
    if (fclose(h->track) != 0)
        h->io_error = 1;
    h->track = NULL;
    h->track_in_chunk = 0;
}

int zm_html_add_track(zm_html *h, const zm_track *tr)
{
    if (!h->track) {
        char name[32];
        snprintf(name, sizeof name, "track-%04zu.js", h->track_chunks + 1);
        char *p = path_join(h->tmp_dir, name);
        h->track = p ? fopen(p, "wb") : NULL;
        free(p);
        if (!h->track || fprintf(h->track, "zmLoad(\"track\",%zu,[\n", h->track_chunks + 1) < 0) {
            h->io_error = 1;
            return -1;
        }
        h->track_chunks++;
    }
    char *j = zm_track_json(tr); /* a JSON object: a JavaScript expression */
    if (!j)
        return -1;
    if (h->track_in_chunk)
        put(h, h->track, ",\n", 2);
    put(h, h->track, j, strlen(j));
    free(j);
    if (++h->track_in_chunk == TRACK_CHUNK)
        track_chunk_end(h);
    return h->io_error ? -1 : 0;
}

/* index.js: the run's totals, strings table, summary counts and the
 * documents' list; the page starts from it. */
static void write_index(zm_html *h)
{
    char *p = path_join(h->tmp_dir, "index.js");
    FILE *f = p ? fopen(p, "wb") : NULL;
    free(p);
    if (!f) {
        h->io_error = 1;
        return;
    }
    if (fprintf(f,
                "zmLoad(\"index\",0,{\"v\":2,\"generator\":\"zhmetrics " ZM_VERSION "\",\"documents\":%zu,"
                "\"metrics\":%zu,\"errors\":%zu,\"chunks\":{\"docs\":%zu,\"rows\":%zu,\"track\":%zu},\n\"strings\":[",
                h->ndocs, h->nmetrics, h->nerrors, h->chunk_no, h->rows_chunks, h->track_chunks) < 0)
        h->io_error = 1;
    sbuf *b = &h->tmp;
    b->len = 0;
    for (size_t i = 0; i < h->codes.n; i++) {
        if (i)
            sbuf_addc(b, ',');
        js_cstr(b, h->codes.str[i]);
    }
    sbuf_adds(b, "],\n\"counts\":{");
    for (int c = 0; c < h->ncount; c++) {
        sbuf_adds(b, c ? "],\"" : "\"");
        const char *name = c == h->ncount - 2 ? "region_docs" : c == h->ncount - 1 ? "region_metrics" : NULL;
        for (size_t j = 0; !name && j < h->nmf; j++)
            if (h->mf[j].count == c)
                name = h->mf[j].info->name;
        sbuf_adds(b, name);
        sbuf_adds(b, "\":[");
        int first = 1;
        for (size_t i = 0; i < h->codes.n; i++)
            if (h->count[c][i]) {
                char t[64];
                snprintf(t, sizeof t, "%s%zu,%zu", first ? "" : ",", i, h->count[c][i]);
                sbuf_adds(b, t);
                first = 0;
            }
    }
    sbuf_adds(b, "]},\n\"fields\":[");
    for (size_t j = 0; j < h->nmf; j++) {
        const mfield *f = &h->mf[j];
        char t[96];
        sbuf_adds(b, j ? ",{\"name\":" : "{\"name\":");
        js_cstr(b, f->info->name);
        snprintf(t, sizeof t, ",\"type\":\"%s\",\"review\":%d,\"col\":%d}", type_names[f->type],
                 f->info->flags & ZM_FIELD_REVIEW ? 1 : 0, f->col);
        sbuf_adds(b, t);
    }
    sbuf_adds(b, "],\n\"cols\":");
    js_cstr(b, h->col_enc);
    sbuf_adds(b, ",\n\"docfields\":[");
    for (size_t k = 0; k < zm_field_count(ZM_RECORD_DOCUMENT); k++) {
        const zm_field *f = zm_field_info(ZM_RECORD_DOCUMENT, k);
        sbuf_adds(b, k ? "," : "");
        js_cstr(b, f->name);
    }
    sbuf_adds(b, "],\n\"docs\":[\n");
    put(h, f, b->data, b->len);
    char buf[65536];
    size_t n;
    if (fflush(h->doclist) != 0 || fseek(h->doclist, 0, SEEK_SET) != 0)
        h->io_error = 1;
    while (!h->io_error && (n = fread(buf, 1, sizeof buf, h->doclist)) > 0)
        put(h, f, buf, n);
    if (ferror(h->doclist))
        h->io_error = 1;
    put(h, f, "\n]});\n", 6);
    if (fclose(f) != 0)
        h->io_error = 1;
}

/* The page: a shell whose script builds everything from index.js. No
 * inline script or style, so the policy can forbid them (and any event
 * handler attribute a hostile text might smuggle in). */
static void write_page(zm_html *h)
{
    static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                              "connect-src 'none'; base-uri 'none'; form-action 'none'";
    if (fprintf(h->page,
                "<!DOCTYPE html>\n<html lang=\"zh\" data-zm-data=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"generator\" content=\"zhmetrics " ZM_VERSION "\">\n"
                "<meta name=\"referrer\" content=\"no-referrer\">\n"
                "<title>zhmetrics review</title>\n<link rel=\"stylesheet\" href=\"%sreview.css\">\n</head>\n<body>\n"
                "<noscript>The review page needs JavaScript; its data is in %sindex.js and the chunk files "
                "beside it.</noscript>\n<div id=\"app\"></div>\n"
                "<script src=\"%sreview.js\"></script>\n<script src=\"%sindex.js\"></script>\n</body>\n</html>\n",
                h->dir_url, csp, h->dir_url, h->dir_url, h->dir_url, h->dir_url) < 0)
        h->io_error = 1;
}

int zm_html_close(zm_html *h, int ok, char *msg, size_t msgsz)
{
    if (!h)
        return 0;
    int rc = 0;
    if (ok) {
        flush_rows(h);
        track_chunk_end(h);
        if (h->chunk) {
            put(h, h->chunk, "\n]);\n", 5);
            if (fclose(h->chunk) != 0)
                h->io_error = 1;
            h->chunk = NULL;
        }
        write_index(h);
        write_page(h);
    }
    if (h->chunk)
        fclose(h->chunk);
    if (h->track)
        fclose(h->track);
    int io = h->io_error || fflush(h->page) != 0 || ferror(h->page);
    int saved = errno;
    io |= fclose(h->page) != 0;
    fclose(h->doclist);
    if (ok && io) {
        snprintf(msg, msgsz, "write error on %s: %s", h->path, strerror(saved ? saved : EIO));
        rc = -1;
    }
    if (ok && !rc) {
        /* the data first, then the page that points to it; a previous
         * run's data directory is moved aside, then removed */
        char *old = malloc(strlen(h->dir) + 40);
        struct stat st;
        int had_old = old && lstat(h->dir, &st) == 0;
        if (old)
            snprintf(old, strlen(h->dir) + 40, "%s.old.%ld", h->dir, (long)getpid());
        char *moved = path_join(h->dir, ".page.tmp"); /* the page, once its directory is in place */
        /* the page keeps an existing page's mode (else the umask's); the
         * data directory opens as a directory of that mode would */
        struct stat pst;
        mode_t um = umask(0);
        umask(um);
        mode_t pmode = stat(h->path, &pst) == 0 ? (pst.st_mode & 07777) : (0666 & ~um);
        int step = 0; /* renames done: the previous data aside (1), the new in place (2) */
        if (!old || !moved || chmod(h->tmp_dir, (pmode | ((pmode & 0444) >> 2)) & 0777) != 0 ||
            chmod(h->tmp_path, pmode) != 0 || (had_old && rename(h->dir, old) != 0) || (step = 1, rename(h->tmp_dir, h->dir) != 0) ||
            (step = 2, rename(moved, h->path) != 0)) {
            snprintf(msg, msgsz, "%s: %s", step == 2 ? h->path : h->dir, strerror(errno ? errno : ENOMEM));
            rc = -1;
            /* put things back as they were: the previous page keeps its data */
            if (step == 2)
                rename(h->dir, h->tmp_dir);
            if (step >= 1 && had_old)
                rename(old, h->dir);
        } else if (had_old) {
            remove_dir(old);
        }
        free(moved);
        free(old);
    }
    if (!ok || rc)
        remove_dir(h->tmp_dir);
    free_html(h);
    return rc;
}

/* ---- as an output of the run (writer.h) ---- */
static void *out_open(const char *path, int format, char *msg, size_t msgsz)
{
    (void)format;
    return zm_html_open(path, msg, msgsz);
}

static int out_add(void *w, const zm_doc *d, const char *input, size_t input_len, const char *prepared,
                   size_t prepared_len, char *msg, size_t msgsz)
{
    zm_html *h = w;
    (void)prepared, (void)prepared_len;
    errno = 0;
    if (zm_html_add(h, d, input, input_len)) {
        snprintf(msg, msgsz, "write error on %s: %s", h->path, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

static int out_close(void *w, int commit, char *msg, size_t msgsz) { return zm_html_close(w, commit, msg, msgsz); }

static const char *out_tmp_path(void *w) { return zm_html_tmp_path(w); }

static int out_add_track(void *w, const zm_track *tr, char *msg, size_t msgsz)
{
    zm_html *h = w;
    errno = 0;
    if (zm_html_add_track(h, tr)) {
        snprintf(msg, msgsz, "write error on %s: %s", h->path, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

const writer_class zm_writer_html = {"html", 1, out_open, NULL, out_add, out_close, out_tmp_path, zm_html_remove_tmp,
                                     out_add_track};
