/* Example: extract the figures of reports with libzhmetrics.
 *   make -C examples                       (builds against the installed
 *                                           library, found by pkg-config)
 *   examples/extract a.txt b.txt           => a summary line per report and
 *                                             a line per figure
 *   examples/extract --jsonl a.txt         => the records zhmetrics writes
 * The dictionary is read from $ZHMETRICS_DATA, else from the directory
 * installed with the library (pkg-config --variable=dictdir zhmetrics,
 * compiled in as ZM_DICT_DIR).
 *
 * Ownership as in zhmetrics.h: the model, the context and each document
 * are ours and freed with their *_free; metric and field pointers are
 * borrowed from the document and die with it.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zhmetrics.h>

#ifndef ZM_DICT_DIR
#define ZM_DICT_DIR "/usr/local/share/zhmetrics/dict"
#endif

/* Reads a whole file; NULL on error (errno set). Caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void print_figures(const zm_doc *d)
{
    size_t n = zm_doc_metric_count(d);
    printf("%s: %s, %zu figures\n", zm_doc_name(d), zm_doc_title(d) ? zm_doc_title(d) : "(no title)", n);
    for (size_t i = 0; i < n; i++) {
        const zm_metric *m = zm_doc_metric(d, i);
        printf("  line %d  %s = %s%s%s %s  %s/%s", m->line, m->text, m->value, m->value_max ? "-" : "",
               m->value_max ? m->value_max : "", m->unit, m->kind, m->status);
        if (m->subject)
            printf("  subject %s", m->subject);
        if (m->time)
            printf("  time %s..%s", m->time->from, m->time->to);
        putchar('\n');
    }
}

int main(int argc, char **argv)
{
    int jsonl = argc > 1 && strcmp(argv[1], "--jsonl") == 0;
    if (argc < 2 + jsonl) {
        fprintf(stderr, "usage: %s [--jsonl] FILE...\n", argv[0]);
        return 2;
    }
    const char *dict = getenv("ZHMETRICS_DATA");
    zm_error err;
    zm_model *model = zm_model_load(dict && *dict ? dict : ZM_DICT_DIR, NULL, &err);
    if (!model) {
        fprintf(stderr, "extract: %s:%d: %s\n", err.file, err.line, err.msg);
        return 3;
    }
    zm_ctx *ctx = zm_ctx_new(model);
    int status = ctx ? 0 : 2;
    for (int i = 1 + jsonl; i < argc && ctx; i++) {
        size_t len;
        char *bytes = slurp(argv[i], &len);
        zm_doc *d = NULL;
        if (!bytes)
            d = zm_doc_new_error(argv[i], "cannot read");
        else
            zm_extract(ctx, argv[i], bytes, len, NULL, &d, &err); /* d is set even on ZM_E_INPUT */
        free(bytes);
        if (!d) {
            status = 2;
            break;
        }
        if (zm_doc_error(d))
            status = 1;
        if (jsonl)
            zm_doc_write(d, ZM_FORMAT_JSONL, stdout);
        else if (zm_doc_error(d))
            printf("%s: error: %s\n", zm_doc_name(d), zm_doc_error(d));
        else
            print_figures(d);
        zm_doc_free(d);
    }
    zm_ctx_free(ctx);
    zm_model_free(model);
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}
