/* `zhmetrics track`: each target beside the result reported later (SPEC
 * section 8, docs/tracking.md; the pairing is the library's, track.c).
 *   zhmetrics track -j 2 dir/                 extract, then pair
 *   zhmetrics track --from-jsonl recs.jsonl   records already written
 *   zhmetrics track --format csv --sqlite t.db --html t.html dir/
 * Extraction runs through the ordinary pipeline (every option of the main
 * command applies) into a writer that feeds the tracker; the track
 * records then go to the outputs' add_track (writer.h). A record file is
 * read twice (targets, then only the actuals a target waits for), so
 * memory follows the targets; stdin is read once.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "track_cmd.h"

static zm_tracker *feed_tracker; /* the tracker the feed writer adds to */
static size_t n_noregion, n_bad, n_docs;

static void *feed_open(const char *path, int format, char *msg, size_t msgsz)
{
    (void)path, (void)format, (void)msg, (void)msgsz;
    return feed_tracker;
}

static int feed_add(void *w, const zm_doc *d, const char *input, size_t input_len, const char *prepared,
                    size_t prepared_len, char *msg, size_t msgsz)
{
    (void)input, (void)input_len, (void)prepared, (void)prepared_len;
    msg[0] = 0;
    int rc = zm_tracker_add_doc(w, d);
    if (rc == ZM_TRACK_NO_REGION) {
        n_noregion++;
        snprintf(msg, msgsz, "%s: no region: left out of pairing", zm_doc_name(d));
        return ZM_ADD_WARNING;
    }
    if (rc < 0) {
        snprintf(msg, msgsz, "out of memory tracking %s", zm_doc_name(d));
        return -1;
    }
    n_docs += rc == 0;
    return 0;
}

static int feed_close(void *w, int commit, char *msg, size_t msgsz)
{
    (void)w, (void)commit, (void)msg, (void)msgsz;
    return 0;
}

static const writer_class feed_writer = {"track", 0, feed_open, NULL, feed_add, feed_close, NULL, NULL, NULL};

int track_args(int *argc, char **argv, const char **from_jsonl)
{
    if (*argc < 2 || strcmp(argv[1], "track") != 0)
        return 0;
    int k = 1;
    for (int i = 2; i < *argc; i++) {
        if (strcmp(argv[i], "--from-jsonl") == 0 && i + 1 < *argc)
            *from_jsonl = argv[++i];
        else if (strncmp(argv[i], "--from-jsonl=", 13) == 0)
            *from_jsonl = argv[i] + 13;
        else if (strcmp(argv[i], "--") == 0) { /* inputs follow: kept as they are */
            while (i < *argc)
                argv[k++] = argv[i++];
            break;
        } else
            argv[k++] = argv[i];
    }
    *argc = k;
    argv[k] = NULL;
    return 1;
}

/* One record file: pass 0 (stdin, once), or 1 and 2 over a regular file. */
static int read_records(zm_tracker *t, FILE *f, const char *name, int pass, int quiet)
{
    char *line = NULL, msg[600];
    size_t cap = 0;
    ssize_t n;
    long ln = 0;
    zm_tracker_set_pass(t, pass);
    while ((n = getline(&line, &cap, f)) > 0) {
        ln++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (!n)
            continue;
        int rc = zm_tracker_add_record(t, line, (size_t)n, msg, sizeof msg);
        if (rc == ZM_E_NOMEM) {
            free(line);
            fprintf(stderr, "zhmetrics: %s: out of memory\n", name);
            return -1;
        }
        if (pass == 2) /* reported in pass 1 */
            continue;
        if (rc == ZM_E_INPUT) {
            n_bad++;
            if (!quiet)
                fprintf(stderr, "zhmetrics: %s:%ld: %s\n", name, ln, msg);
        } else if (rc == ZM_TRACK_NO_REGION) {
            n_noregion++;
            if (!quiet)
                fprintf(stderr, "zhmetrics: %s:%ld: %s\n", name, ln, msg);
        } else if (rc == 0 && strstr(line, "\"type\":\"document\"")) {
            n_docs++;
        }
    }
    int err = ferror(f);
    free(line);
    if (err) {
        fprintf(stderr, "zhmetrics: %s: %s\n", name, strerror(errno));
        return -1;
    }
    return 0;
}

typedef struct sink {
    output *out;
    int n;
    size_t records;
    char msg[700];
} sink;

static int write_track(const zm_track *tr, void *arg)
{
    sink *s = arg;
    for (int k = 0; k < s->n; k++) {
        output *o = &s->out[k];
        if (!o->cls || o->error)
            continue;
        if (o->cls->add_track(o->w, tr, s->msg, sizeof s->msg) < 0) {
            if (s->msg[0])
                fprintf(stderr, "zhmetrics: %s\n", s->msg);
            o->error = 1;
            return -1;
        }
    }
    s->records++;
    return 0;
}

int track_run(const zm_model *model, options *o, const char *data_dir, const char *from_jsonl, char **inputs,
              int ninputs)
{
    zm_error err = {0};
    zm_tracker *t = zm_tracker_new(model, data_dir, &err);
    if (!t) {
        fprintf(stderr, "zhmetrics: %s:%d: %s\n", err.file, err.line, err.msg);
        return EXIT_DATA;
    }
    if (o->format == ZM_FORMAT_JSON || o->jsonl_in || o->explain) {
        zm_tracker_free(t);
        return usage_error("track: %s", "--format json, --jsonl-in and --explain do not apply");
    }
    if (from_jsonl && ninputs) {
        zm_tracker_free(t);
        return usage_error("track: %s", "--from-jsonl takes no other inputs");
    }
    int want_stream = (!o->sqlite && !o->html) || o->output || o->format_given;
    output out[MAX_OUTPUTS] = {
        {want_stream ? &zm_writer_stream : NULL, NULL, o->output, 0},
        {o->sqlite ? &zm_writer_sqlite : NULL, NULL, o->sqlite, 0},
        {o->html ? &zm_writer_html : NULL, NULL, o->html, 0},
    };
    char msg[700];
    int status = 0;
    for (int k = 0; k < MAX_OUTPUTS && !status; k++) {
        if (out[k].cls && !out[k].cls->add_track) {
            fprintf(stderr, "zhmetrics: track: the %s output does not take track records yet\n", out[k].cls->name);
            status = EXIT_USAGE;
        } else if (out[k].cls && !(out[k].w = out[k].cls->open(out[k].path, o->format | FORMAT_TRACK, msg, sizeof msg))) {
            fprintf(stderr, "zhmetrics: %s\n", msg);
            status = EXIT_USAGE;
        }
    }
    size_t nerrors = 0;
    int ran = !status; /* the outputs opened: the summary line is worth printing */
    if (!status && from_jsonl) {
        int is_stdin = strcmp(from_jsonl, "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(from_jsonl, "r");
        struct stat st;
        if (!f) {
            fprintf(stderr, "zhmetrics: %s: %s\n", from_jsonl, strerror(errno));
            status = EXIT_USAGE;
        } else if (!is_stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
            /* two passes: targets first, then only the actuals they wait for */
            if (read_records(t, f, from_jsonl, 1, o->quiet) || fseek(f, 0, SEEK_SET) != 0 ||
                read_records(t, f, from_jsonl, 2, o->quiet))
                status = EXIT_USAGE;
        } else if (read_records(t, f, from_jsonl, 0, o->quiet)) {
            status = EXIT_USAGE;
        }
        if (f && !is_stdin)
            fclose(f);
        nerrors = n_bad;
    } else if (!status) {
        runner r = {0};
        r.model = model;
        r.opt = o;
        r.dopt.ref_date = o->ref_date;
        r.dopt.max_bytes = o->max_bytes;
        r.prepare = 0; /* the feed makes nothing ahead */
        feed_tracker = t;
        r.out[0] = (output){&feed_writer, t, NULL, 0};
        /* the database and the page also take the documents: tracking
         * beside documents and metrics, each target linked to its text */
        for (int k = 1; k < MAX_OUTPUTS; k++)
            r.out[k] = out[k];
        for (int k = 0; k < MAX_OUTPUTS; k++)
            r.keep_bytes |= r.out[k].cls && r.out[k].cls->needs_input;
        r.prog.tty = isatty(STDERR_FILENO);
        r.prog.on = o->progress || (r.prog.tty && !o->quiet);
        r.prog.start = r.prog.last = now();
        pipeline_start(&r);
        if (ninputs == 0)
            inputs[ninputs++] = "-";
        submit_inputs(&r, inputs, ninputs);
        free(r.pending);
        pipeline_finish(&r);
        progress_show(&r, 1);
        for (int k = 1; k < MAX_OUTPUTS; k++)
            out[k].error |= r.out[k].error;
        if (atomic_load(&r.stop))
            status = EXIT_USAGE;
        nerrors = r.nerrors;
    }
    sink s = {out, MAX_OUTPUTS, 0, ""};
    if (!status) {
        int rc = zm_tracker_finish(t, write_track, &s);
        if (rc == ZM_E_NOMEM)
            fprintf(stderr, "zhmetrics: out of memory pairing targets\n");
        if (rc)
            status = EXIT_USAGE;
    }
    for (int k = 0; k < MAX_OUTPUTS; k++) {
        if (!out[k].w)
            continue;
        if (out[k].cls->close(out[k].w, !status && !out[k].error, msg, sizeof msg)) {
            fprintf(stderr, "zhmetrics: %s\n", msg);
            status = EXIT_USAGE;
        }
    }
    size_t nr, ng, na;
    zm_tracker_counts(t, &nr, &ng, &na);
    if (ran && (!o->quiet || o->progress))
        fprintf(stderr,
                "zhmetrics: track: %zu documents, %zu regions, %zu targets, %zu actuals kept, %zu track records; "
                "%zu left out (no region), %zu bad records\n",
                n_docs, nr, ng, na, s.records, n_noregion, n_bad);
    zm_tracker_free(t);
    if (!status && nerrors)
        status = EXIT_DOCERR;
    return status;
}
