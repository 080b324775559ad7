#define _GNU_SOURCE
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "indicator.h"
#include "tsv.h"
#include "util.h"
#include "utf8.h"

#ifndef ZM_GENERAL_LEXICON
#define ZM_GENERAL_LEXICON "/usr/lib/python3/dist-packages/jieba/dict.txt"
#endif

const char *const zm_cue_names[ZM_CUE_N] = {
    "goal", "goal_pred", "actual", "present", "present_weak", "plan_heading", "present_section", "summary_title",
    "duration", "change_inc", "change_dec", "compare", "time_asof", "time_asof_end", "time_deadline", "time_since",
    "subject_stop", "duration_topic", "electricity", "review_heading", "mixed_title", "money", "level", "goal_firm"};

const char *const zm_docword_names[ZM_DW_N] = {"title", "header", "org_suffix", "notice_verb", "notice", "about",
                                                "title_summary", "title_and", "title_plan"};

static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

static int load_units(zm_model *m, const char *path, zm_error *err)
{
    zm_tsv in;
    int rc = zm_tsv_open(&in, path, err);
    if (rc)
        return rc;
    while (zm_tsv_next(&in)) {
        if ((rc = zm_tsv_utf8_error(&in, err)))
            break;
        if (in.nf != 4) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "expected 4 tab-separated columns (text kind canonical flags), got %d", in.nf);
            break;
        }
        int kind = zm_kind_parse(in.f[1]);
        if (kind < 0) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "unknown kind '%s'", in.f[1]);
            break;
        }
        zm_unit u = {0};
        u.kind = kind;
        u.need = -1;
        u.scale = 1;
        char *save = NULL;
        for (char *fl = strtok_r(in.f[3], ",", &save); fl; fl = strtok_r(NULL, ",", &save)) {
            if (strcmp(fl, "-") == 0)
                continue;
            if (strcmp(fl, "prefix") == 0)
                u.flags |= ZM_UNIT_PREFIX;
            else if (strcmp(fl, "chinese") == 0)
                u.flags |= ZM_UNIT_CHINESE;
            else if (strcmp(fl, "word") == 0)
                u.flags |= ZM_UNIT_WORD;
            else if (strcmp(fl, "alone") == 0)
                u.flags |= ZM_UNIT_ALONE;
            else if (strncmp(fl, "money=", 6) == 0 && fl[6] && !u.money && (u.money = strdup(fl + 6)))
                u.flags |= ZM_UNIT_MONEY;
            else if (strncmp(fl, "need=", 5) == 0 && (u.need = name_index(zm_cue_names, ZM_CUE_N, fl + 5)) >= 0)
                ;
            else if (strncmp(fl, "scale=", 6) == 0 && atoi(fl + 6) > 0)
                u.scale = atoi(fl + 6);
            else if (strncmp(fl, "minor=", 6) == 0 && (atoi(fl + 6) == 10 || atoi(fl + 6) == 100)) {
                u.flags |= ZM_UNIT_MINOR;
                u.minor = atoi(fl + 6);
            } else if (strncmp(fl, "cur=", 4) == 0 && strlen(fl + 4) == 3 && fl[4] >= 'A' && fl[4] <= 'Z' &&
                       fl[5] >= 'A' && fl[5] <= 'Z' && fl[6] >= 'A' && fl[6] <= 'Z')
                memcpy(u.currency, fl + 4, 4);
            else {
                rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "unknown flag '%s'", fl);
                break;
            }
        }
        if (rc) {
            free(u.money);
            break;
        }
        if (!*in.f[0] || !*in.f[2]) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "empty unit text or canonical unit");
            free(u.money);
            break;
        }
        /* SPEC 6: every amount carries its currency */
        if ((u.kind == ZM_K_AMOUNT) != (u.currency[0] != 0)) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno,
                              u.currency[0] ? "cur= on a unit that is not an amount" : "an amount unit needs cur=ISO (cur=CNY)");
            free(u.money);
            break;
        }
        if (zm_grow((void **)&m->units, (size_t)m->nunits, &m->capunits, sizeof *m->units, 32)) {
            rc = zm_set_error(err, ZM_E_NOMEM, path, in.lineno, "out of memory");
            free(u.money);
            break;
        }
        u.text = strdup(in.f[0]);
        u.len = strlen(in.f[0]);
        u.canon = strdup(in.f[2]);
        m->units[m->nunits++] = u;
    }
    zm_tsv_close(&in);
    return rc;
}

static int add_word(zm_word **arr, int *n, size_t *cap, const char *text, int cls, int pos)
{
    if (zm_grow((void **)arr, (size_t)*n, cap, sizeof **arr, 32))
        return ZM_E_NOMEM;
    zm_word *a = *arr;
    a[*n].text = strdup(text);
    a[*n].len = strlen(text);
    a[*n].cls = cls;
    a[*n].pos = pos;
    if (!a[*n].text)
        return ZM_E_NOMEM;
    (*n)++;
    return 0;
}

static int load_quals(zm_model *m, const char *path, zm_error *err)
{
    static const char *const pos_names[] = {"pre", "infix", "post"};
    zm_tsv in;
    int rc = zm_tsv_open(&in, path, err);
    if (rc)
        return rc;
    while (zm_tsv_next(&in)) {
        if ((rc = zm_tsv_utf8_error(&in, err)))
            break;
        int ok = in.nf == 3 || in.nf == 4;
        int pos = ok ? name_index(pos_names, 3, in.f[1]) : -1;
        int q = ok ? zm_qualifier_parse(in.f[2]) : -1;
        int reach = in.nf == 4 && strcmp(in.f[3], "reach") == 0;
        if (!ok || pos < 0 || q < 0 || !*in.f[0] || (in.nf == 4 && !reach)) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno,
                              !ok ? "expected 3 or 4 tab-separated columns (text position qualifier [reach])"
                                  : "bad position, qualifier or flag");
            break;
        }
        if (add_word(&m->quals, &m->nquals, &m->capquals, in.f[0], q, pos | (reach ? ZM_QP_REACH : 0))) {
            rc = zm_set_error(err, ZM_E_NOMEM, path, in.lineno, "out of memory");
            break;
        }
    }
    zm_tsv_close(&in);
    return rc;
}

/* A "word<TAB>class" file (cues.tsv, docwords.tsv): classes named by
 * names[0..n), `what` names them in errors. */
static int load_word_classes(const char *path, const char *const *names, int n, const char *what, zm_word **arr,
                             int *count, size_t *cap, zm_error *err)
{
    zm_tsv in;
    int rc = zm_tsv_open(&in, path, err);
    if (rc)
        return rc;
    while (zm_tsv_next(&in)) {
        if ((rc = zm_tsv_utf8_error(&in, err)))
            break;
        if (in.nf != 2 || !*in.f[0]) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "expected 2 tab-separated columns (word class), got %d", in.nf);
            break;
        }
        int cls = name_index(names, n, in.f[1]);
        if (cls < 0) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "unknown %s '%s'", what, in.f[1]);
            break;
        }
        if (add_word(arr, count, cap, in.f[0], cls, 0)) {
            rc = zm_set_error(err, ZM_E_NOMEM, path, in.lineno, "out of memory");
            break;
        }
    }
    zm_tsv_close(&in);
    return rc;
}

static int load_docwords(zm_model *m, const char *path, zm_error *err)
{
    return load_word_classes(path, zm_docword_names, ZM_DW_N, "document word class", &m->docwords, &m->ndocwords,
                             &m->capdocwords, err);
}

int zm_model_docword_in(const zm_model *m, int cls, const char *t, size_t lo, size_t hi)
{
    for (int k = 0; k < m->ndocwords; k++) {
        const zm_word *w = &m->docwords[k];
        if (w->cls != cls)
            continue;
        for (size_t i = lo; i + w->len <= hi; i++)
            if (memcmp(t + i, w->text, w->len) == 0)
                return 1;
    }
    return 0;
}

size_t zm_model_docword_end(const zm_model *m, int cls, const char *t, size_t lo, size_t hi, size_t min_before)
{
    size_t best = 0;
    for (int k = 0; k < m->ndocwords; k++) {
        const zm_word *w = &m->docwords[k];
        if (w->cls == cls && w->len > best && hi - lo >= w->len + min_before && memcmp(t + hi - w->len, w->text, w->len) == 0)
            best = w->len;
    }
    return best;
}

const char *zm_model_docword(const zm_model *m, int cls)
{
    for (int k = 0; k < m->ndocwords; k++)
        if (m->docwords[k].cls == cls)
            return m->docwords[k].text;
    return "";
}

static int load_cues(zm_model *m, const char *path, zm_error *err)
{
    return load_word_classes(path, zm_cue_names, ZM_CUE_N, "cue class", &m->cues, &m->ncues, &m->capcues, err);
}

/* "MM-DD", "+1-MM-DD" or "YYYY-MM-DD" */
static int parse_md(const char *s, int *y, int *mo, int *d, int *absolute)
{
    int a, b, c;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &a, &b, &c, &tail) == 3 && a >= 1000) {
        *y = a, *mo = b, *d = c, *absolute = 1;
    } else if (sscanf(s, "+%1d-%2d-%2d%c", &a, &b, &c, &tail) == 3) {
        *y = a, *mo = b, *d = c, *absolute = 0;
    } else if (sscanf(s, "-%1d-%2d-%2d%c", &a, &b, &c, &tail) == 3) {
        *y = -a, *mo = b, *d = c, *absolute = 0; /* years before: 过去五年 */
    } else if (sscanf(s, "%2d-%2d%c", &b, &c, &tail) == 2) {
        *y = 0, *mo = b, *d = c, *absolute = 0;
    } else {
        return -1;
    }
    if (*mo < 1 || *mo > 12 || *d < 1)
        return -1;
    /* a day the month has: in that year when absolute; 02-29 is allowed in
     * a relative period (it is clipped to the 28th in common years) */
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = *absolute ? (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0 : 1;
    return *d <= (*mo == 2 && !leap ? 28 : mdays[*mo - 1]) ? 0 : -1;
}

static int load_periods(zm_model *m, const char *path, zm_error *err)
{
    zm_tsv in;
    int rc = zm_tsv_open(&in, path, err);
    if (rc)
        return rc;
    while (zm_tsv_next(&in)) {
        if ((rc = zm_tsv_utf8_error(&in, err)))
            break;
        zm_period p = {0};
        int a1, a2;
        if (in.nf != 3 || !*in.f[0]) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "expected 3 tab-separated columns (text from to), got %d", in.nf);
            break;
        }
        if (parse_md(in.f[1], &p.from_y, &p.from_m, &p.from_d, &a1) ||
            parse_md(in.f[2], &p.to_y, &p.to_m, &p.to_d, &a2) || a1 != a2) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "bad dates '%s' '%s' (MM-DD, +1-MM-DD, -5-MM-DD or YYYY-MM-DD, both alike, days that exist)", in.f[1], in.f[2]);
            break;
        }
        p.absolute = a1;
        if (zm_grow((void **)&m->periods, (size_t)m->nperiods, &m->capperiods, sizeof *m->periods, 32)) {
            rc = zm_set_error(err, ZM_E_NOMEM, path, in.lineno, "out of memory");
            break;
        }
        p.text = strdup(in.f[0]);
        p.len = strlen(in.f[0]);
        m->periods[m->nperiods++] = p;
    }
    zm_tsv_close(&in);
    return rc;
}

static int add_regex_escaped(zm_buf *b, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\^$.|?*+()[]{}-/", *s) && zm_buf_addc(b, '\\'))
            return ZM_E_NOMEM;
        if (zm_buf_addc(b, *s))
            return ZM_E_NOMEM;
    }
    return 0;
}

static int by_bytes(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The words texts[lo..hi) (sorted, unique), which share their first depth
 * bytes, as a regex over the rest: a character trie. PCRE2 tries the
 * alternatives of a list one by one at every numeral, so a unit list costs
 * a compare per unit; factored, it costs about one per character. A word
 * that ends where longer ones go on is the trie's optional tail ((?:..)?
 * tries the longer ones first), so matches come longest first, as from a
 * list sorted longest first, backtracking included. */
static int trie_regex(zm_buf *b, const char **texts, int lo, int hi, size_t depth)
{
    int ends = lo < hi && texts[lo][depth] == 0;
    if (ends)
        lo++;
    zm_buf leaves = {0};
    int nleaves = 0, nalts = 0, rc = zm_buf_adds(b, "(?:");
    for (int i = lo; i < hi && !rc;) {
        size_t cl = (size_t)zm_utf8_len((unsigned char)texts[i][depth]);
        if (strlen(texts[i] + depth) < cl)
            cl = strlen(texts[i] + depth);
        int j = i + 1;
        while (j < hi && strncmp(texts[j] + depth, texts[i] + depth, cl) == 0)
            j++;
        char ch[8];
        memcpy(ch, texts[i] + depth, cl);
        ch[cl] = 0;
        if (j == i + 1 && texts[i][depth + cl] == 0) {
            rc = add_regex_escaped(&leaves, ch); /* a one-character word: into a class */
            nleaves++;
        } else {
            rc = (nalts++ && zm_buf_addc(b, '|')) || add_regex_escaped(b, ch) ||
                 trie_regex(b, texts, i, j, depth + cl);
        }
        i = j;
    }
    if (!rc && nleaves)
        rc = (nalts && zm_buf_addc(b, '|')) || (nleaves > 1 && zm_buf_addc(b, '[')) ||
             zm_buf_adds(b, leaves.data) || (nleaves > 1 && zm_buf_addc(b, ']'));
    zm_buf_free(&leaves);
    return rc || zm_buf_adds(b, ends ? ")?" : ")") ? ZM_E_NOMEM : 0;
}

/* Alternation of texts as a character trie (longest match first); "(?!)"
 * when empty. */
static int alternation(zm_rules *r, const char *name, const char **texts, int n)
{
    qsort(texts, (size_t)n, sizeof *texts, by_bytes);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (texts[i][0] && (k == 0 || strcmp(texts[k - 1], texts[i]) != 0))
            texts[k++] = texts[i];
    zm_buf b = {0};
    int rc = k ? trie_regex(&b, texts, 0, k, 0) : 0;
    if (!rc)
        rc = zm_rules_define(r, name, k ? b.data : "(?!)");
    zm_buf_free(&b);
    return rc;
}

static int build_macros(zm_model *m)
{
    int n = m->nunits + m->nquals + m->nperiods + 1;
    const char **t = malloc((size_t)n * sizeof *t);
    if (!t)
        return ZM_E_NOMEM;
    int rc = 0, k = 0;
    for (int i = 0; i < m->nunits; i++)
        if (!(m->units[i].flags & ZM_UNIT_PREFIX) &&
            (!(m->units[i].flags & ZM_UNIT_MINOR) || (m->units[i].flags & ZM_UNIT_ALONE)))
            t[k++] = m->units[i].text;
    rc = alternation(&m->rules, "UNIT", t, k);
    k = 0;
    for (int i = 0; i < m->nunits; i++)
        if (m->units[i].flags & ZM_UNIT_PREFIX)
            t[k++] = m->units[i].text;
    if (!rc)
        rc = alternation(&m->rules, "PREUNIT", t, k);
    for (int pos = ZM_QP_INFIX; pos <= ZM_QP_POST && !rc; pos++) {
        k = 0;
        for (int i = 0; i < m->nquals; i++)
            if ((m->quals[i].pos & ~ZM_QP_REACH) == pos)
                t[k++] = m->quals[i].text;
        rc = alternation(&m->rules, pos == ZM_QP_INFIX ? "INFIX" : "POST", t, k);
    }
    for (int abs = 0; abs <= 1 && !rc; abs++) {
        k = 0;
        for (int i = 0; i < m->nperiods; i++)
            if (m->periods[i].absolute == abs)
                t[k++] = m->periods[i].text;
        rc = alternation(&m->rules, abs ? "ABSPERIOD" : "PERIOD", t, k);
    }
    free(t);
    /* numeral character classes */
    zm_buf all = {0}, mult = {0};
    rc = rc || zm_buf_adds(&all, "[") || zm_buf_adds(&mult, "[");
    for (int i = 0; i < m->num.n && !rc; i++) {
        /* escaped: a user's numeral may be \ ] ^ - (found by fuzz_dict: the
         * class broke the repository's rules, and they were blamed) */
        char u[8];
        u[zm_utf8_encode(m->num.cp[i], u)] = 0;
        rc = add_regex_escaped(&all, u);
        if (!rc && m->num.kind[i] != ZM_NUM_DIGIT)
            rc = add_regex_escaped(&mult, u);
    }
    rc = rc || zm_buf_adds(&all, "]+") || zm_buf_adds(&mult, "]");
    if (!rc)
        rc = zm_rules_define(&m->rules, "CNNUM", all.data);
    /* a unit that starts with a multiplier (千米, 千克, 千瓦) is the unit,
     * not 千 and 米: {MULT} does not match where one begins (SPEC 6:
     * 12.3千米 is 12.3 千米, while 35.2千公顷 is 35200 公顷) */
    zm_buf mu = {0};
    t = rc || mult.len <= 2 ? NULL : malloc((size_t)m->nunits * sizeof *t);
    if (!rc && mult.len > 2 && !t)
        rc = ZM_E_NOMEM;
    if (t) {
        k = 0;
        for (int i = 0; i < m->nunits; i++) {
            int cp, ix;
            const char *ut = m->units[i].text;
            if (zm_utf8_next((const unsigned char *)ut, (const unsigned char *)ut + strlen(ut), &cp) > 0 &&
                (ix = zm_numerals_find(&m->num, cp)) >= 0 && m->num.kind[ix] != ZM_NUM_DIGIT &&
                !(m->units[i].flags & (ZM_UNIT_PREFIX | ZM_UNIT_MINOR)))
                t[k++] = ut;
        }
        rc = alternation(&m->rules, "MULTUNIT", t, k);
        free(t);
        const char *alt = NULL; /* macro values are stored expanded */
        for (int i = 0; !rc && i < m->rules.nmacro; i++)
            if (strcmp(m->rules.macro[i].name, "MULTUNIT") == 0)
                alt = m->rules.macro[i].value;
        if (!rc)
            rc = zm_buf_adds(&mu, "(?:") || (k && alt && (zm_buf_adds(&mu, "(?!") || zm_buf_adds(&mu, alt) ||
                                                        zm_buf_adds(&mu, ")"))) ||
                 zm_buf_adds(&mu, mult.data) || zm_buf_adds(&mu, ")");
    }
    if (!rc)
        rc = zm_rules_define(&m->rules, "MULT", mult.len > 2 ? mu.data : "(?!)");
    zm_buf_free(&mu);
    zm_buf_free(&all);
    zm_buf_free(&mult);
    return rc;
}

/* The characters a time expression can start with, and the markers one
 * holds (zm_scan of the time rules tries a start only near a marker). */
static void set_time_starts(zm_model *m)
{
    for (int d = '0'; d <= '9'; d++)
        zm_cpset_add(m->time_start, d);
    for (int i = 0; i < m->num.n; i++)
        zm_cpset_add(m->time_start, m->num.cp[i]);
    for (int i = 0; i < m->nperiods; i++) {
        zm_cpset_add_first(m->time_start, m->periods[i].text, m->periods[i].len);
        /* its last character marks a time expression */
        const char *s = m->periods[i].text;
        size_t at = m->periods[i].len;
        while (at > 0 && ((unsigned char)s[at - 1] & 0xC0) == 0x80)
            at--;
        if (at > 0)
            zm_cpset_add_first(m->time_mark, s + at - 1, m->periods[i].len - at + 1);
    }
    static const char *const marks[] = {"年", "月", "日", "号", "旬"};
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
        zm_cpset_add_first(m->time_mark, marks[k], strlen(marks[k]));
    zm_cplead_of(m->time_start_lead, m->time_start);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

typedef int (*loader)(zm_model *, const char *, zm_error *);

static int load_numerals(zm_model *m, const char *path, zm_error *err) { return zm_numerals_load(&m->num, path, err); }

/* Loads name from the main dir (required) then the user dir (optional). */
static int load_both(zm_model *m, const char *dir, const char *udir, const char *name, loader fn, zm_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = fn(m, path, err);
    if (rc)
        return rc;
    if (udir) {
        snprintf(path, sizeof path, "%s/%s", udir, name);
        if (file_exists(path))
            rc = fn(m, path, err);
    }
    return rc;
}

static int load_words(zm_model *m, const char *path, zm_error *err)
{
    return zm_lexicon_load(m->lex, path, 100000, err);
}

static int load_rules(zm_model *m, const char *path, zm_error *err) { return zm_rules_load(&m->rules, path, err); }

static int load_indicators(zm_model *m, const char *path, zm_error *err) { return zm_indicators_load(m->ind, path, err); }

/* Identity of the lexicon sources: path, size and modification time. */

static uint64_t source_key(uint64_t h, const char *path)
{
    struct stat st;
    h = zm_fnv64(h, path, strlen(path) + 1);
    if (stat(path, &st) == 0) {
        int64_t v[3] = {(int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec, (int64_t)st.st_mtim.tv_nsec};
        h = zm_fnv64(h, v, sizeof v);
    }
    return h;
}

/* The option first (the caller's choice), then the environment. */
static const char *cache_dir(const zm_model_options *opt, char *buf, size_t sz)
{
    if (opt && opt->cache_dir)
        return *opt->cache_dir ? opt->cache_dir : NULL; /* empty: no cache */
    const char *d = getenv("ZHMETRICS_CACHE");
    if (d)
        return *d ? d : NULL; /* empty: no cache */
    const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (x && *x)
        snprintf(buf, sz, "%s/zhmetrics", x);
    else if (home && *home)
        snprintf(buf, sz, "%s/.cache/zhmetrics", home);
    else
        return NULL;
    return buf;
}

static void mkdirs(const char *dir)
{
    char p[4096];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0755);
            *s = '/';
        }
    mkdir(p, 0755);
}

/* The cache directory keeps the newest few compiled lexicons: each set of
 * sources (a checkout, a --dict directory) has its own, 16 MB each, and
 * without a bound they pile up. A lexicon in use is touched at start-up,
 * so it is among the newest. */
#define ZM_CACHE_KEEP 8

typedef struct cached_file {
    char name[64];
    time_t mtime;
} cached_file;

static int newer_first(const void *a, const void *b)
{
    const cached_file *x = a, *y = b;
    return (x->mtime < y->mtime) - (x->mtime > y->mtime);
}

static void prune_cache(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    cached_file *f = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    char path[4096 + 2 + sizeof e->d_name];
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        struct stat st;
        if (l >= sizeof f->name || strncmp(e->d_name, "lexicon-", 8) != 0 || l < 12 ||
            strcmp(e->d_name + l - 4, ".bin") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || zm_grow((void **)&f, n, &cap, sizeof *f, 16))
            continue;
        memcpy(f[n].name, e->d_name, l + 1);
        f[n++].mtime = st.st_mtime;
    }
    closedir(d);
    if (n > ZM_CACHE_KEEP) {
        qsort(f, n, sizeof *f, newer_first);
        for (size_t i = ZM_CACHE_KEEP; i < n; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, f[i].name);
            unlink(path);
        }
    }
    free(f);
}

/* General lexicon, then the domain words (which override it); through the
 * compiled cache when one matches the sources, building it otherwise. */
static int load_lexicon(zm_model *m, const char *dict_dir, const char *udir, const zm_model_options *opt, zm_error *err)
{
    const char *gen = opt && opt->general_lexicon ? opt->general_lexicon : ZM_GENERAL_LEXICON;
    char words[4096], uwords[4096], dir[4096], path[4200];
    snprintf(words, sizeof words, "%s/words.txt", dict_dir);
    snprintf(uwords, sizeof uwords, "%s/words.txt", udir ? udir : "");
    int has_gen = *gen && file_exists(gen), has_user = udir && file_exists(uwords);
    uint64_t key = zm_fnv64(1469598103934665603ull, "zhmetrics-lexicon-1", 19);
    key = source_key(key, has_gen ? gen : "");
    key = source_key(key, words);
    key = source_key(key, has_user ? uwords : "");
    const char *cd = cache_dir(opt, dir, sizeof dir);
    if (cd) {
        snprintf(path, sizeof path, "%s/lexicon-%016llx.bin", cd, (unsigned long long)key);
        zm_lexicon *lx = zm_lexicon_map(path, key);
        if (lx) {
            zm_lexicon_free(m->lex);
            m->lex = lx;
            utimensat(AT_FDCWD, path, NULL, 0); /* in use: not pruned */
            return 0;
        }
    }
    if (has_gen && zm_lexicon_load(m->lex, gen, 1, err))
        return err ? err->code : ZM_E_DATA;
    if (load_both(m, dict_dir, udir, "words.txt", load_words, err))
        return err ? err->code : ZM_E_DATA;
    if (cd) {
        mkdirs(cd);
        if (zm_lexicon_save(m->lex, path, key) == 0) /* best effort: a read-only home just means no cache */
            prune_cache(cd);
    }
    return 0;
}

zm_model *zm_model_load(const char *dict_dir, const zm_model_options *opt, zm_error *err)
{
    zm_model *m = calloc(1, sizeof *m);
    if (!m) {
        zm_set_error(err, ZM_E_NOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    const char *udir = opt ? opt->user_dict_dir : NULL;
    if (zm_rules_init(&m->rules) || !(m->lex = zm_lexicon_new())) {
        zm_set_error(err, ZM_E_NOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    struct stat st;
    if (stat(dict_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        zm_set_error(err, ZM_E_DATA, dict_dir, 0, "dictionary directory not found");
        goto fail;
    }
    if (udir && (stat(udir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        zm_set_error(err, ZM_E_DATA, udir, 0, "user dictionary directory not found");
        goto fail;
    }
    if (load_both(m, dict_dir, udir, "numerals.tsv", load_numerals, err) ||
        load_both(m, dict_dir, udir, "units.tsv", load_units, err) ||
        load_both(m, dict_dir, udir, "qualifiers.tsv", load_quals, err) ||
        load_both(m, dict_dir, udir, "cues.tsv", load_cues, err) ||
        load_both(m, dict_dir, udir, "docwords.tsv", load_docwords, err) ||
        load_both(m, dict_dir, udir, "periods.tsv", load_periods, err))
        goto fail;
    if (build_macros(m)) {
        zm_set_error(err, ZM_E_NOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    if (load_both(m, dict_dir, udir, "rules.tsv", load_rules, err) || zm_rules_finish(&m->rules, err))
        goto fail;
    if (load_lexicon(m, dict_dir, udir, opt, err))
        goto fail;
    if (!(m->ind = zm_indicators_new())) {
        zm_set_error(err, ZM_E_NOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    if (load_both(m, dict_dir, udir, "indicators.tsv", load_indicators, err))
        goto fail;
    if (zm_indicators_finish(m->ind)) {
        zm_set_error(err, ZM_E_NOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    set_time_starts(m);
    if (zm_cues_build(m) || zm_words_build(m)) {
        zm_set_error(err, ZM_E_NOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    m->max_groups = zm_rules_max_groups(&m->rules);
    return m;
fail:
    zm_model_free(m);
    return NULL;
}

void zm_model_free(zm_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->nunits; i++) {
        free(m->units[i].text);
        free(m->units[i].canon);
        free(m->units[i].money);
    }
    free(m->units);
    for (int i = 0; i < m->nquals; i++)
        free(m->quals[i].text);
    free(m->quals);
    for (int i = 0; i < m->ndocwords; i++)
        free(m->docwords[i].text);
    free(m->docwords);
    for (int i = 0; i < m->ncues; i++)
        free(m->cues[i].text);
    free(m->cues);
    zm_cues_free(m);
    zm_words_free(m);
    for (int i = 0; i < m->nperiods; i++)
        free(m->periods[i].text);
    free(m->periods);
    zm_rules_free(&m->rules);
    zm_lexicon_free(m->lex);
    zm_indicators_free(m->ind);
    free(m);
}

size_t zm_model_lexicon_size(const zm_model *m) { return zm_lexicon_words(m->lex); }

int zm_model_write_indicators(const zm_model *m, FILE *f) { return zm_indicators_write_tsv(m->ind, f); }

