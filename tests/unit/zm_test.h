/* Shared helpers for the cmocka unit tests (header only; every test_*.c
 * is its own program).
 *
 *   zm_cases_load(ZM_SOURCE_DIR "/tests/cases/numex.tsv", &cs)
 *       => one zm_case per data line: f[0..nf) tab-separated fields with
 *          \n \r \t \\ unescaped; "# ..." lines and blank lines skipped.
 *   zm_cases_tests(&cs, "numex", run_one)
 *       => one cmocka test per case, named "numex:LINE input", whose
 *          initial state is the zm_case.
 *   zm_tmpfile("a\tb\n", path)  => writes a temporary file, path filled.
 *
 * Known bugs: a case whose last field starts with "BUG:" documents the
 * correct behaviour of something src/ gets wrong. It is only asserted when
 * built with -DZM_KNOWN_BUGS; otherwise the runner reports it as skipped,
 * and fails when it passes: a fixed bug's mark must go, so the marks stay
 * an honest list of what is wrong today.
 */
#ifndef ZM_TEST_H
#define ZM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#ifndef ZM_SOURCE_DIR
#define ZM_SOURCE_DIR "."
#endif
#define ZM_DICT_DIR ZM_SOURCE_DIR "/dict"
#define ZM_JIEBA_DICT "/usr/lib/python3/dist-packages/jieba/dict.txt"

#define ZM_CASE_MAXF 8

typedef struct zm_case {
    int line;                 /* 1-based line in the case file */
    char *f[ZM_CASE_MAXF];    /* fields, unescaped */
    int nf;
    const char *bug;          /* "BUG: ..." note or NULL */
    char name[160];
} zm_case;

typedef struct zm_cases {
    zm_case *c;
    size_t n;
    struct CMUnitTest *tests;
} zm_cases;

/* \n, \r, \t and \\ escapes, in place. */
static inline void zm_unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '\\' && (s[1] == 'n' || s[1] == 'r' || s[1] == 't' || s[1] == '\\')) {
            s++;
            *o++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : '\\';
        } else {
            *o++ = *s;
        }
    }
    *o = 0;
}

/* Reads a case file. Aborts the program when it is missing: a test suite
 * without its cases must not pass. */
static inline void zm_cases_load(const char *path, zm_cases *cs)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open case file %s\n", path);
        exit(1);
    }
    memset(cs, 0, sizeof *cs);
    size_t cap = 0;
    char *buf = NULL;
    size_t bcap = 0;
    ssize_t got;
    int lineno = 0;
    while ((got = getline(&buf, &bcap, f)) >= 0) {
        lineno++;
        while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
            buf[--got] = 0;
        if (!got || buf[0] == '#')
            continue;
        if (cs->n == cap) {
            cap = cap ? cap * 2 : 64;
            cs->c = realloc(cs->c, cap * sizeof *cs->c);
            if (!cs->c)
                abort();
        }
        zm_case *k = &cs->c[cs->n++];
        memset(k, 0, sizeof *k);
        k->line = lineno;
        char *line = strdup(buf), *p = line;
        for (;;) {
            char *tab = strchr(p, '\t');
            if (tab)
                *tab = 0;
            if (k->nf < ZM_CASE_MAXF)
                k->f[k->nf++] = p;
            if (!tab)
                break;
            p = tab + 1;
        }
        if (k->nf > 1 && strncmp(k->f[k->nf - 1], "BUG:", 4) == 0)
            k->bug = k->f[--k->nf];
        for (int i = 0; i < k->nf; i++)
            zm_unescape(k->f[i]);
        snprintf(k->name, sizeof k->name, "line %d: %.120s", lineno, k->f[0]);
        for (char *q = k->name; *q; q++)
            if (*q == '\n' || *q == '\r')
                *q = '/';
    }
    free(buf);
    fclose(f);
}

/* One cmocka test per case, the case as its initial state. */
static inline const struct CMUnitTest *zm_cases_tests(zm_cases *cs, CMUnitTestFunction fn)
{
    cs->tests = calloc(cs->n ? cs->n : 1, sizeof *cs->tests);
    if (!cs->tests)
        abort();
    for (size_t i = 0; i < cs->n; i++) {
        cs->tests[i].name = cs->c[i].name;
        cs->tests[i].test_func = fn;
        cs->tests[i].initial_state = &cs->c[i];
    }
    return cs->tests;
}

static inline void zm_cases_free(zm_cases *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        free(cs->c[i].f[0]); /* fields share one strdup'd line */
    free(cs->c);
    free(cs->tests);
    memset(cs, 0, sizeof *cs);
}

/* Writes content to a new temporary file; path receives its name
 * (>= 64 bytes). The caller unlinks it. */
static inline void zm_tmpfile(const char *content, char *path)
{
    strcpy(path, "/tmp/zmtest.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(content);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
}

/* Runs a known-bug case: `ok` is whether the code now gives the correct
 * answer. Without ZM_KNOWN_BUGS a wrong answer is reported as skipped. */
#ifdef ZM_KNOWN_BUGS
#define ZM_KNOWN_BUG(k, ok, ...)                                \
    do {                                                        \
        if (!(ok))                                              \
            fail_msg(__VA_ARGS__);                              \
    } while (0)
#else
#define ZM_KNOWN_BUG(k, ok, ...)                                                        \
    do {                                                                                \
        if (ok) {                                                                       \
            fail_msg("line %d is marked %s but now passes: remove the mark", (k)->line, \
                     (k)->bug);                                                         \
        } else {                                                                        \
            print_message("[ KNOWN    ] line %d %s\n", (k)->line, (k)->bug);            \
            skip();                                                                     \
        }                                                                               \
    } while (0)
#endif

#endif
