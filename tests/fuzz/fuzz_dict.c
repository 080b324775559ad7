/* Fuzz target: dictionary and rule files written by users (src/tsv.c,
 * src/model.c loaders, src/numex.c table, src/rules.c, src/lexicon.c).
 * The first input byte picks a file name of dict/ (numerals.tsv units.tsv
 * qualifiers.tsv cues.tsv periods.tsv rules.tsv words.txt); the rest is
 * written as that file of a user dictionary directory (--dict) loaded over
 * the repository's dict/.
 * Checks: loading either succeeds, or fails with ZM_E_DATA (or NOMEM)
 * naming the user file and a line that exists in it (file:line, SPEC
 * "exits 3 with file:line"); a loaded model extracts a fixed sample and
 * serialises it without error.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_common.h"

#include <unistd.h>

static const char *const names[] = {"numerals.tsv", "units.tsv", "qualifiers.tsv", "cues.tsv",
                                    "periods.tsv",  "rules.tsv", "words.txt"};
enum { NNAMES = sizeof names / sizeof names[0] };
static char dir[64];

static void cleanup(void)
{
    char p[128];
    for (int i = 0; i < NNAMES; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    setenv("ZHMETRICS_CACHE", "", 1); /* no lexicon cache: every input is a new words.txt */
    snprintf(dir, sizeof dir, "/tmp/zmfuzzdict.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    const char *name = names[data[0] % NNAMES];
    char path[128];
    for (int i = 0; i < NNAMES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0)
        abort();
    size_t lines = 0;
    for (size_t i = 1; i < size; i++)
        lines += data[i] == '\n';
    if (size > 1 && data[size - 1] != '\n')
        lines++;

    zm_model_options o = {dir, ""};
    zm_error err;
    memset(&err, 0, sizeof err);
    zm_model *m = zm_model_load(fuzz_dict_dir(), &o, &err);
    if (!m) {
        FUZZ_CHECK(err.code == ZM_E_DATA || err.code == ZM_E_NOMEM, "%s: load failed with code %d: %s", name,
                   err.code, err.msg);
        FUZZ_CHECK(err.msg[0] != 0, "%s: load failed without a message", name);
        if (err.code == ZM_E_DATA) {
            FUZZ_CHECK(strcmp(err.file, path) == 0, "a bad user %s is blamed on '%s':%d: %s", name, err.file,
                       err.line, err.msg);
            FUZZ_CHECK(err.line >= 1 && (size_t)err.line <= lines, "%s: error on line %d of a %zu-line file: %s",
                       name, err.line, lines, err.msg);
        }
        return 0;
    }
    static const char sample[] = "某县教育局2020年工作总结\n一、工作完成情况\n"
                                 "全年共投入资金2644.2375万元，新建学校3所，入学率达到99.5%，"
                                 "惠及学生三千五百人次，较上年增加260人。\n"
                                 "二、2021年工作计划\n力争年底前新增学位1600个。\n2020年12月31日\n";
    zm_ctx *c = zm_ctx_new(m);
    FUZZ_CHECK(c != NULL, "no context");
    zm_doc *d = NULL;
    int rc = zm_extract(c, "sample.txt", sample, sizeof sample - 1, NULL, &d, &err);
    FUZZ_CHECK(rc == 0 && d && !zm_doc_error(d), "%s: sample not extracted: %s", name,
               d && zm_doc_error(d) ? zm_doc_error(d) : "?");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    FUZZ_CHECK(zm_doc_append(d, ZM_FORMAT_JSONL, &buf, &len, &cap) == 0, "serialisation failed");
    free(buf);
    zm_doc_free(d);
    zm_ctx_free(c);
    zm_model_free(m);
    return 0;
}
