/* lexicon + seg: dictionary and max-probability segmentation.
 *   - zm_lexicon_add/find: words, their prefixes (freq 0), POS names,
 *     overrides, word counts;
 *   - zm_lexicon_load: "word [freq [pos]]" files, comments, CRLF, default
 *     frequency; a bad frequency or too many columns => ZM_E_DATA file:line;
 *   - the compiled cache: zm_lexicon_save then zm_lexicon_map gives the same
 *     lexicon and segmentation; another key, a missing, truncated or
 *     damaged file => NULL;
 *   - zm_seg_run with a small hand-built lexicon: the route with the highest
 *     sum of log(freq/total) wins (checked against brute force), unknown
 *     characters are single tokens, ASCII runs stay one token;
 *   - with Debian's jieba dict.txt (skipped when absent): 进一步加强 =>
 *     进一步/加强, 三支驻村尖刀班队伍 starts with 三支.
 */
#define _POSIX_C_SOURCE 200809L
#include "zm_test.h"

#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>

#include "lexicon.h"
#include "seg.h"
#include "utf8.h"

typedef struct wf {
    const char *w;
    uint32_t f;
} wf;

static zm_lexicon *lexicon_of(const wf *words, size_t n)
{
    zm_lexicon *lx = zm_lexicon_new();
    assert_non_null(lx);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(zm_lexicon_add(lx, words[i].w, strlen(words[i].w), words[i].f, "n"), 0);
    return lx;
}

/* Tokens of s joined with '/'. */
static void joined(const zm_seg *sg, const char *s, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < sg->ntok; i++) {
        int k = snprintf(out + o, cap - o, "%s%.*s", i ? "/" : "", (int)sg->tok[i].len, s + sg->tok[i].start);
        assert_true(k > 0 && (size_t)k < cap - o);
        o += (size_t)k;
    }
}

static void assert_seg(zm_seg *sg, const zm_lexicon *lx, const char *s, const char *want)
{
    assert_int_equal(zm_seg_run(sg, lx, s, strlen(s)), 0);
    char got[1024];
    joined(sg, s, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("segment '%s': expected %s, got %s", s, want, got);
    /* tokens tile the text */
    size_t at = 0;
    for (size_t i = 0; i < sg->ntok; i++) {
        assert_int_equal(sg->tok[i].start, at);
        assert_true(sg->tok[i].len > 0);
        at += sg->tok[i].len;
    }
    assert_int_equal(at, strlen(s));
}

/* Score of a token in the DAG: log(freq/total), unknown single chars freq 1. */
static double tok_score(const zm_lexicon *lx, const char *s, size_t len, int *ok)
{
    const zm_lex_entry *e = zm_lexicon_find(lx, s, len);
    double lt = zm_lexicon_log_total(lx);
    if (e && e->freq) {
        *ok = 1;
        return log((double)e->freq) - lt;
    }
    int cp;
    int k = zm_utf8_next((const unsigned char *)s, (const unsigned char *)s + len, &cp);
    *ok = (size_t)k == len; /* a single character may always stand alone */
    return -lt;
}

/* Best score over every segmentation of s[0..len) (no ASCII). */
static double brute_best(const zm_lexicon *lx, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    double best = -INFINITY;
    for (size_t k = 1; k <= len; k++) {
        if (k < len && ((unsigned char)s[k] & 0xC0) == 0x80)
            continue;
        int ok;
        double sc = tok_score(lx, s, k, &ok);
        if (!ok)
            continue;
        double r = sc + brute_best(lx, s + k, len - k);
        if (r > best)
            best = r;
    }
    return best;
}

static double seg_score(const zm_seg *sg, const zm_lexicon *lx, const char *s)
{
    double sum = 0;
    for (size_t i = 0; i < sg->ntok; i++) {
        int ok;
        sum += tok_score(lx, s + sg->tok[i].start, sg->tok[i].len, &ok);
        assert_true(ok);
    }
    return sum;
}

/* ------------------------------------------------------------------ */

static void lexicon_find_and_prefixes(void **state)
{
    (void)state;
    zm_lexicon *lx = zm_lexicon_new();
    assert_non_null(lx);
    assert_int_equal(zm_lexicon_words(lx), 0);
    assert_int_equal(zm_lexicon_add(lx, "入学率", strlen("入学率"), 835, "n"), 0);
    assert_int_equal(zm_lexicon_add(lx, "入学", strlen("入学"), 2000, "v"), 0);
    assert_int_equal(zm_lexicon_words(lx), 2);

    const zm_lex_entry *e = zm_lexicon_find(lx, "入学率", 9);
    assert_non_null(e);
    assert_int_equal(e->freq, 835);
    assert_string_equal(zm_lexicon_pos_name(lx, e->pos), "n");
    e = zm_lexicon_find(lx, "入学", 6);
    assert_non_null(e);
    assert_int_equal(e->freq, 2000);
    assert_string_equal(zm_lexicon_pos_name(lx, e->pos), "v");
    e = zm_lexicon_find(lx, "入", 3); /* prefix only */
    assert_non_null(e);
    assert_int_equal(e->freq, 0);
    assert_null(zm_lexicon_find(lx, "入学率x", 10));
    assert_null(zm_lexicon_find(lx, "学", 3));
    assert_null(zm_lexicon_find(lx, "\xE5\x85", 2)); /* not at a char boundary */

    /* a prefix later added as a word becomes one; re-adding overrides */
    assert_int_equal(zm_lexicon_add(lx, "入", 3, 7, NULL), 0);
    assert_int_equal(zm_lexicon_find(lx, "入", 3)->freq, 7);
    assert_int_equal(zm_lexicon_words(lx), 3);
    assert_int_equal(zm_lexicon_add(lx, "入学", 6, 10, "n"), 0);
    assert_int_equal(zm_lexicon_find(lx, "入学", 6)->freq, 10);
    assert_int_equal(zm_lexicon_words(lx), 3);
    /* total = 835 + 10 + 7 */
    assert_true(fabs(zm_lexicon_log_total(lx) - log(852.0)) < 1e-9);
    /* Regression (was a bug): re-adding a word with frequency 0 stores frequency 1 but takes
     * the old frequency off the total without adding the 1 back, so
     * log_total no longer matches the sum of the frequencies. */
    assert_int_equal(zm_lexicon_add(lx, "入学", 6, 0, NULL), 0);
    assert_int_equal(zm_lexicon_find(lx, "入学", 6)->freq, 1);
    assert_true(fabs(zm_lexicon_log_total(lx) - log(843.0)) < 1e-9);
    assert_int_equal(zm_lexicon_add(lx, "入学", 6, 10, "n"), 0);
    /* adding a longer word leaves the shorter word's frequency alone */
    assert_int_equal(zm_lexicon_add(lx, "入学率高", strlen("入学率高"), 3, NULL), 0);
    assert_int_equal(zm_lexicon_find(lx, "入学率", 9)->freq, 835);
    /* empty words are ignored */
    assert_int_equal(zm_lexicon_add(lx, "", 0, 5, NULL), 0);
    assert_int_equal(zm_lexicon_words(lx), 4);
    zm_lexicon_free(lx);
    zm_lexicon_free(NULL);
}

static void lexicon_grows(void **state)
{
    (void)state;
    /* enough words to force several rehashes of the 64k-slot table */
    zm_lexicon *lx = zm_lexicon_new();
    char w[32];
    for (int i = 0; i < 50000; i++) {
        int n = snprintf(w, sizeof w, "词%d", i);
        assert_int_equal(zm_lexicon_add(lx, w, (size_t)n, (uint32_t)i + 1, NULL), 0);
    }
    assert_int_equal(zm_lexicon_words(lx), 50000);
    for (int i = 0; i < 50000; i += 997) {
        int n = snprintf(w, sizeof w, "词%d", i);
        const zm_lex_entry *e = zm_lexicon_find(lx, w, (size_t)n);
        assert_non_null(e);
        assert_int_equal(e->freq, (uint32_t)i + 1);
    }
    zm_lexicon_free(lx);
}

static void lexicon_load_file(void **state)
{
    (void)state;
    char path[64];
    zm_tmpfile("# comment\n"
               "\n"
               "学校 1200 n\n"
               "  在编教师\t300\n"
               "尖刀班\r\n"
               "驻村 80 v\r\n",
               path);
    zm_lexicon *lx = zm_lexicon_new();
    zm_error err = {0};
    int rc = zm_lexicon_load(lx, path, 42, &err);
    unlink(path);
    assert_int_equal(rc, 0);
    assert_int_equal(zm_lexicon_words(lx), 4);
    const zm_lex_entry *e = zm_lexicon_find(lx, "学校", 6);
    assert_non_null(e);
    assert_int_equal(e->freq, 1200);
    assert_string_equal(zm_lexicon_pos_name(lx, e->pos), "n");
    e = zm_lexicon_find(lx, "在编教师", 12);
    assert_non_null(e);
    assert_int_equal(e->freq, 300);
    e = zm_lexicon_find(lx, "尖刀班", 9); /* no freq: the default; no \r kept */
    assert_non_null(e);
    assert_int_equal(e->freq, 42);
    e = zm_lexicon_find(lx, "驻村", 6);
    assert_non_null(e);
    assert_int_equal(e->freq, 80);
    assert_string_equal(zm_lexicon_pos_name(lx, e->pos), "v");
    zm_lexicon_free(lx);
}

static void lexicon_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *part;
    } bad[] = {
        {"学校 1200 n\n# c\n教师 abc n\n", 3, "abc"},
        {"学校 12x\n", 1, "12x"},
        {"学校 1200 n\n\n\n学生 -5 n\n", 4, "-5"},
        {"学校 99999999999 n\n", 1, "99999999999"},
        {"学校 1 n\n教师 1 n extra\n", 2, "columns"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64];
        zm_tmpfile(bad[i].text, path);
        zm_lexicon *lx = zm_lexicon_new();
        zm_error err = {0};
        int rc = zm_lexicon_load(lx, path, 1, &err);
        unlink(path);
        zm_lexicon_free(lx);
        if (rc != ZM_E_DATA || err.line != bad[i].line || strcmp(err.file, path) != 0 ||
            !strstr(err.msg, bad[i].part))
            fail_msg("case %zu: rc %d, %s:%d: %s (expected ZM_E_DATA at line %d mentioning '%s')", i, rc,
                     err.file, err.line, err.msg, bad[i].line, bad[i].part);
        assert_int_equal(err.code, ZM_E_DATA);
    }
    zm_lexicon *lx = zm_lexicon_new();
    zm_error err = {0};
    assert_int_equal(zm_lexicon_load(lx, "/nonexistent/words.txt", 1, &err), ZM_E_IO);
    zm_lexicon_free(lx);
}

static void seg_max_probability(void **state)
{
    (void)state;
    zm_seg sg = {0};
    /* 研究/生命 (100*100) beats 研究生/命 (50*10) */
    static const wf a[] = {{"研究", 100}, {"研究生", 50}, {"生命", 100}, {"命", 10}, {"生", 10}, {"研", 1}, {"究", 1}};
    zm_lexicon *lx = lexicon_of(a, sizeof a / sizeof a[0]);
    assert_seg(&sg, lx, "研究生命", "研究/生命");
    assert_true(fabs(seg_score(&sg, lx, "研究生命") - brute_best(lx, "研究生命", 12)) < 1e-9);
    zm_lexicon_free(lx);

    /* the same characters with other frequencies: 研究生/命 wins */
    static const wf b[] = {{"研究", 100}, {"研究生", 100000}, {"生命", 100}, {"命", 1000}, {"生", 10}};
    lx = lexicon_of(b, sizeof b / sizeof b[0]);
    assert_seg(&sg, lx, "研究生命", "研究生/命");
    zm_lexicon_free(lx);

    /* fewer, frequent words beat many short ones */
    static const wf c[] = {{"进一步", 1000}, {"加强", 1000}, {"进", 10}, {"一步", 100}, {"步", 10}, {"一", 100},
                           {"加", 5}, {"强", 5}};
    lx = lexicon_of(c, sizeof c / sizeof c[0]);
    assert_seg(&sg, lx, "进一步加强", "进一步/加强");
    /* but not when the long word is rare */
    zm_lexicon_free(lx);
    static const wf d[] = {{"进一步", 1}, {"加强", 1000}, {"进", 1000}, {"一步", 1000}};
    lx = lexicon_of(d, sizeof d / sizeof d[0]);
    assert_seg(&sg, lx, "进一步加强", "进/一步/加强");
    zm_lexicon_free(lx);
    zm_seg_free(&sg);
}

static void seg_matches_brute_force(void **state)
{
    (void)state;
    static const wf words[] = {
        {"三支", 50},   {"驻村", 80},   {"尖刀", 30},   {"尖刀班", 20}, {"刀班", 5},   {"班队", 3},
        {"队伍", 900},  {"村尖", 1},    {"三", 400},    {"支", 100},    {"教育", 5000}, {"教育局", 300},
        {"局长", 200},  {"育局", 2},    {"长期", 700},  {"全县", 600},  {"县城", 250},  {"城乡", 400},
        {"乡村", 500},  {"村小", 40},   {"小学", 3000}, {"学校", 4000}, {"校长", 800},  {"全", 100},
    };
    zm_lexicon *lx = lexicon_of(words, sizeof words / sizeof words[0]);
    static const char *const sents[] = {
        "三支驻村尖刀班队伍", "教育局长期", "全县城乡村小学校长", "全县城乡村小", "尖刀班队伍", "未知字符串",
    };
    zm_seg sg = {0};
    for (size_t i = 0; i < sizeof sents / sizeof sents[0]; i++) {
        const char *s = sents[i];
        assert_int_equal(zm_seg_run(&sg, lx, s, strlen(s)), 0);
        double got = seg_score(&sg, lx, s), best = brute_best(lx, s, strlen(s));
        if (fabs(got - best) > 1e-9) {
            char j[512];
            joined(&sg, s, j, sizeof j);
            fail_msg("'%s' => %s scores %.6f, best route scores %.6f", s, j, got, best);
        }
    }
    assert_seg(&sg, lx, "三支驻村尖刀班队伍", "三支/驻村/尖刀班/队伍");
    zm_seg_free(&sg);
    zm_lexicon_free(lx);
}

static void seg_unknown_and_ascii(void **state)
{
    (void)state;
    static const wf w[] = {{"学校", 100}, {"共有", 100}};
    zm_lexicon *lx = lexicon_of(w, sizeof w / sizeof w[0]);
    zm_seg sg = {0};
    assert_seg(&sg, lx, "共有168所学校", "共有/168/所/学校");
    assert_int_equal(sg.ntok, 4);
    assert_true(sg.tok[0].known);
    assert_false(sg.tok[1].known); /* the digit run */
    assert_false(sg.tok[2].known); /* 所: not in the lexicon */
    assert_true(sg.tok[3].known);
    assert_seg(&sg, lx, "入籍率79.68%", "入/籍/率/79.68%");
    assert_seg(&sg, lx, "abc学校", "abc/学校");
    assert_seg(&sg, lx, "学校A12", "学校/A12");
    assert_seg(&sg, lx, "12，34", "12/，/34");
    assert_seg(&sg, lx, "x", "x");
    assert_int_equal(zm_seg_run(&sg, lx, "", 0), 0);
    assert_int_equal(sg.ntok, 0);
    /* a long text after a short one reuses and grows the scratch buffers */
    char big[3 * 2000 + 1];
    for (int i = 0; i < 1000; i++)
        memcpy(big + 6 * i, "学校", 6);
    big[6000] = 0;
    assert_int_equal(zm_seg_run(&sg, lx, big, 6000), 0);
    assert_int_equal(sg.ntok, 1000);
    assert_int_equal(sg.tok[999].start, 5994);
    zm_seg_free(&sg);
    zm_lexicon_free(lx);
}

/* --- compiled cache ------------------------------------------------ */

static void cache_roundtrip(void **state)
{
    (void)state;
    static const wf w[] = {{"三支", 50}, {"驻村", 80}, {"尖刀班", 20}, {"队伍", 900}, {"尖刀", 30}, {"学校", 4000}};
    zm_lexicon *lx = lexicon_of(w, sizeof w / sizeof w[0]);
    assert_int_equal(zm_lexicon_add(lx, "进一步", 9, 700, "d"), 0);
    char dir[] = "/tmp/zmtest_cache.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/lex.bin", dir);
    assert_int_equal(zm_lexicon_save(lx, path, 0x1234abcdULL), 0);

    zm_lexicon *mx = zm_lexicon_map(path, 0x1234abcdULL);
    assert_non_null(mx);
    assert_int_equal(zm_lexicon_words(mx), zm_lexicon_words(lx));
    assert_true(fabs(zm_lexicon_log_total(mx) - zm_lexicon_log_total(lx)) < 1e-12);
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        const zm_lex_entry *e = zm_lexicon_find(mx, w[i].w, strlen(w[i].w));
        assert_non_null(e);
        assert_int_equal(e->freq, w[i].f);
        assert_string_equal(zm_lexicon_pos_name(mx, e->pos), "n");
    }
    const zm_lex_entry *e = zm_lexicon_find(mx, "进一步", 9);
    assert_non_null(e);
    assert_string_equal(zm_lexicon_pos_name(mx, e->pos), "d");
    assert_int_equal(zm_lexicon_find(mx, "进一", 6)->freq, 0); /* prefixes kept */
    assert_null(zm_lexicon_find(mx, "队伍们", 9));

    zm_seg a = {0}, b = {0};
    const char *s = "三支驻村尖刀班队伍进一步学校";
    assert_int_equal(zm_seg_run(&a, lx, s, strlen(s)), 0);
    assert_int_equal(zm_seg_run(&b, mx, s, strlen(s)), 0);
    char ja[256], jb[256];
    joined(&a, s, ja, sizeof ja);
    joined(&b, s, jb, sizeof jb);
    assert_string_equal(ja, jb);
    assert_string_equal(jb, "三支/驻村/尖刀班/队伍/进一步/学校");
    zm_seg_free(&a);
    zm_seg_free(&b);
    zm_lexicon_free(mx);

    /* another key (other sources), a missing file: no cache */
    assert_null(zm_lexicon_map(path, 0x1234abceULL));
    char missing[160];
    snprintf(missing, sizeof missing, "%s/none.bin", dir);
    assert_null(zm_lexicon_map(missing, 0x1234abcdULL));

    /* a truncated file */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    char cut[160];
    snprintf(cut, sizeof cut, "%s/cut.bin", dir);
    {
        FILE *in = fopen(path, "rb"), *out = fopen(cut, "wb");
        assert_non_null(in);
        assert_non_null(out);
        char *buf = malloc((size_t)st.st_size);
        assert_int_equal(fread(buf, 1, (size_t)st.st_size, in), (size_t)st.st_size);
        assert_int_equal(fwrite(buf, 1, (size_t)st.st_size - 5, out), (size_t)st.st_size - 5);
        free(buf);
        fclose(in);
        fclose(out);
    }
    assert_null(zm_lexicon_map(cut, 0x1234abcdULL));
    /* not a cache at all */
    char junk[160];
    snprintf(junk, sizeof junk, "%s/junk.bin", dir);
    FILE *f = fopen(junk, "wb");
    fputs("this is not a lexicon cache, just some text of some length....", f);
    fclose(f);
    assert_null(zm_lexicon_map(junk, 0x1234abcdULL));

    /* Regression (was a bug): a damaged table (edges naming nodes far past
     * the last one) made the first lookup read out of bounds. The table is
     * no longer read whole at start-up (it is most of the start-up's
     * work), so damage in place is not rejected: it must be harmless. Here
     * every slot is overwritten with 0xFF, so no probe meets an empty slot
     * and every node, parent and POS is out of range: lookups and a
     * segmentation still end, and read nothing outside the table (the
     * sanitizer builds check that). */
    {
        int fd = open(path, O_RDWR);
        assert_true(fd >= 0);
        size_t table = (size_t)st.st_size - 64 - 1; /* header 64 bytes; at least one POS name */
        unsigned char *ff = malloc(table);
        assert_non_null(ff);
        memset(ff, 0xFF, table);
        assert_int_equal(pwrite(fd, ff, table - table % 16, 64), (ssize_t)(table - table % 16));
        free(ff);
        close(fd);
        zm_lexicon *bad = zm_lexicon_map(path, 0x1234abcdULL);
        if (bad) {
            for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
                const zm_lex_entry *d = zm_lexicon_find(bad, w[i].w, strlen(w[i].w));
                if (d)
                    assert_non_null(zm_lexicon_pos_name(bad, d->pos));
            }
            zm_seg c = {0};
            assert_int_equal(zm_seg_run(&c, bad, s, strlen(s)), 0);
            for (size_t i = 0; i < c.ntok; i++)
                assert_non_null(zm_lexicon_pos_name(bad, c.tok[i].pos));
            zm_seg_free(&c);
        }
        zm_lexicon_free(bad);
    }
    unlink(path);
    unlink(cut);
    unlink(junk);
    rmdir(dir);
    zm_lexicon_free(lx);
}

/* --- with the general lexicon ------------------------------------- */

static zm_lexicon *g_jieba;

static int load_jieba(void **state)
{
    (void)state;
    if (access(ZM_JIEBA_DICT, R_OK) != 0)
        return 0; /* tests skip */
    g_jieba = zm_lexicon_new();
    zm_error err = {0};
    if (zm_lexicon_load(g_jieba, ZM_JIEBA_DICT, 1, &err)) {
        fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.msg);
        return -1;
    }
    return 0;
}

static int free_jieba(void **state)
{
    (void)state;
    zm_lexicon_free(g_jieba);
    g_jieba = NULL;
    return 0;
}

static void jieba_segments(void **state)
{
    (void)state;
    if (!g_jieba)
        skip();
    assert_true(zm_lexicon_words(g_jieba) > 300000);
    zm_seg sg = {0};
    assert_seg(&sg, g_jieba, "进一步加强", "进一步/加强");
    const char *s = "三支驻村尖刀班队伍";
    assert_int_equal(zm_seg_run(&sg, g_jieba, s, strlen(s)), 0);
    assert_true(sg.ntok >= 2);
    assert_int_equal(sg.tok[0].start, 0);
    assert_int_equal(sg.tok[0].len, strlen("三支"));
    char j[256];
    joined(&sg, s, j, sizeof j);
    assert_non_null(strstr(j, "队伍"));
    /* numerals inside words stay inside them: 一线 is one word */
    s = "深入一线开展工作";
    assert_int_equal(zm_seg_run(&sg, g_jieba, s, strlen(s)), 0);
    joined(&sg, s, j, sizeof j);
    assert_non_null(strstr(j, "一线"));
    assert_null(strstr(j, "/一/"));
    zm_seg_free(&sg);
}

int main(void)
{
    static const struct CMUnitTest local[] = {
        cmocka_unit_test(lexicon_find_and_prefixes),
        cmocka_unit_test(lexicon_grows),
        cmocka_unit_test(lexicon_load_file),
        cmocka_unit_test(lexicon_load_errors),
        cmocka_unit_test(seg_max_probability),
        cmocka_unit_test(seg_matches_brute_force),
        cmocka_unit_test(seg_unknown_and_ascii),
        cmocka_unit_test(cache_roundtrip),
    };
    static const struct CMUnitTest general[] = {
        cmocka_unit_test(jieba_segments),
    };
    int fails = cmocka_run_group_tests_name("seg", local, NULL, NULL);
    fails += cmocka_run_group_tests_name("seg_jieba", general, load_jieba, free_jieba);
    return fails ? 1 : 0;
}
