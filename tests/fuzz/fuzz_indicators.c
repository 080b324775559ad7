/* Fuzz target: the indicator catalog (src/indicator.c) as a user writes
 * it. The input is written as indicators.tsv of a user dictionary (--dict)
 * loaded over the repository's dict/, whose word lists (@region …) it may
 * use.
 * Checks: loading either succeeds, or fails with ZM_E_DATA (or NOMEM)
 * naming the user file and a line that exists in it (SPEC: exit 3 with
 * file:line); a loaded model extracts a fixed sample in which every
 * metric's indicator is null or an id the catalog lists, and the catalog
 * lists every id once.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_common.h"

#include <unistd.h>

static char dir[64], path[128];

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    setenv("ZHMETRICS_CACHE", "", 1);
    snprintf(dir, sizeof dir, "/tmp/zmfuzzind.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof path, "%s/indicators.tsv", dir);
    atexit(cleanup);
    return 0;
}

/* Is id (len bytes) a whole line's first column in the listing? */
static int listed(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; (p = strstr(p, id)) != NULL; p++)
        if ((p == list || p[-1] == '\n') && p[n] == '\t')
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    size_t lines = 0;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    if (size > 0 && data[size - 1] != '\n')
        lines++;

    zm_model_options o = {dir, ""};
    zm_error err;
    memset(&err, 0, sizeof err);
    zm_model *m = zm_model_load(fuzz_dict_dir(), &o, &err);
    if (!m) {
        FUZZ_CHECK(err.code == ZM_E_DATA || err.code == ZM_E_NOMEM, "load failed with code %d: %s", err.code,
                   err.msg);
        FUZZ_CHECK(err.msg[0] != 0, "load failed without a message");
        if (err.code == ZM_E_DATA) {
            FUZZ_CHECK(strcmp(err.file, path) == 0, "a bad user catalog is blamed on '%s':%d: %s", err.file,
                       err.line, err.msg);
            FUZZ_CHECK(err.line >= 1 && (size_t)err.line <= lines, "error on line %d of a %zu-line file: %s",
                       err.line, lines, err.msg);
        }
        return 0;
    }
    /* the listing: every id once */
    char *list = NULL;
    size_t llen = 0;
    FILE *lf = open_memstream(&list, &llen);
    FUZZ_CHECK(lf != NULL, "no memstream");
    FUZZ_CHECK(zm_model_write_indicators(m, lf) == 0, "listing failed");
    fclose(lf);
    for (char *p = strchr(list, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        char id[160];
        size_t n = strcspn(p + 1, "\t\n");
        FUZZ_CHECK(n > 0 && n < sizeof id, "listing line without an id");
        memcpy(id, p + 1, n);
        id[n] = 0;
        const char *first = strstr(list, id);
        while (first && !((first == list || first[-1] == '\n') && first[n] == '\t'))
            first = strstr(first + 1, id);
        FUZZ_CHECK(first == p + 1, "id %s listed twice", id);
    }
    static const char sample[] = "某县教育局2020年工作总结\n一、学前教育\n"
                                 "学前三年毛入园率达到91.2%，比上年提高3.1个百分点，普惠性幼儿园覆盖率86%。\n"
                                 "二、义务教育\n全县共有小学52所、初中21所，小学生师比为17.15:1，"
                                 "农村学校专任教师1200人，共投入资金2644.2375万元，地区生产总值增长8.3%。\n"
                                 "2020年12月31日\n";
    zm_ctx *c = zm_ctx_new(m);
    FUZZ_CHECK(c != NULL, "no context");
    zm_doc_options dopt = {0};
    dopt.explain = size % 2; /* the --explain path as well */
    zm_doc *d = NULL;
    int rc = zm_extract(c, "sample.txt", sample, sizeof sample - 1, &dopt, &d, &err);
    FUZZ_CHECK(rc == 0 && d && !zm_doc_error(d), "sample not extracted: %s",
               d && zm_doc_error(d) ? zm_doc_error(d) : "?");
    for (size_t i = 0; i < zm_doc_metric_count(d); i++) {
        const char *id = zm_doc_metric(d, i)->indicator;
        FUZZ_CHECK(!id || listed(list, id), "metric %zu has indicator %s, not in the catalog", i, id);
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    FUZZ_CHECK(zm_doc_append(d, ZM_FORMAT_JSONL, &buf, &len, &cap) == 0, "serialisation failed");
    free(buf);
    free(list);
    zm_doc_free(d);
    zm_ctx_free(c);
    zm_model_free(m);
    return 0;
}
