/* zhmetrics: command-line front end.
 *   zhmetrics corpus/a.txt corpus/b.txt => JSON Lines on stdout
 *   zhmetrics -j 2 -o out.jsonl dir/  => files under dir/, two threads,
 *                                        output in input order
 *   zhmetrics --format csv dir/ > m.csv    one row per metric
 *   zhmetrics --sqlite m.db --html review.html dir/
 *   cat docs.jsonl | zhmetrics --jsonl-in   (Hadoop Streaming, Spark pipe)
 * Exit: 0 all inputs processed, 1 some gave an error record, 2 usage or
 * output error, 3 dictionary/rule files could not be loaded, 4 out of memory
 * loading them.
 *
 * Pipeline: the main thread lists the inputs and submits jobs into a window;
 * worker threads extract and serialise them; the main thread writes the
 * finished jobs in input order (stream, SQLite, review page, warnings,
 * progress), so every output is the same whatever -j is.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "emit_csv.h"
#include "outfile.h"
#include "track_cmd.h"

/* The dictionary next to the binary (bin/../dict or ../share/zhmetrics/dict). */
static const char *default_data_dir(char *buf, size_t sz)
{
    const char *env = getenv("ZHMETRICS_DATA");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            const char *cands[] = {"%s/../dict", "%s/../share/zhmetrics/dict"};
            for (int i = 0; i < 2; i++) {
                snprintf(buf, sz, cands[i], exe);
                struct stat st;
                char probe[PATH_MAX + 32];
                snprintf(probe, sizeof probe, "%s/rules.tsv", buf);
                if (stat(probe, &st) == 0)
                    return buf;
            }
        }
    }
    return ZM_DATA_DIR;
}

int main(int argc, char **argv)
{
    options o = {0};
    char **inputs = NULL;
    int ninputs = 0, status;
    const char *from_jsonl = NULL;
    int track = track_args(&argc, argv, &from_jsonl); /* zhmetrics track ... */
    if ((status = parse_options(argc, argv, &o, &inputs, &ninputs)) >= 0)
        return status;
    /* with a database or a page, the stream is written only when asked for */
    int want_stream = (!o.sqlite && !o.html) || o.output || o.format_given;
    if (o.list_inputs) /* only the list, on stdout */
        want_stream = 0, o.sqlite = o.html = NULL;

    /* a lexicon named on the command line must be there ('' = none) */
    if (o.lexicon && *o.lexicon && access(o.lexicon, R_OK) != 0) {
        fprintf(stderr, "zhmetrics: %s: %s\n", o.lexicon, strerror(errno));
        free(inputs);
        return EXIT_DATA;
    }
    /* one file under two spellings (./m.db and m.db, a link): one output
     * would overwrite the other (a database replaced by JSON Lines) */
    const char *names[MAX_OUTPUTS] = {want_stream && o.output && strcmp(o.output, "-") ? o.output : NULL, o.sqlite,
                                      o.html};
    for (int a = 0; a < MAX_OUTPUTS; a++)
        for (int b = a + 1; b < MAX_OUTPUTS; b++)
            if (names[a] && names[b] && outfile_same(names[a], names[b])) {
                fprintf(stderr, "zhmetrics: '%s' and '%s' are the same file, named for two outputs\n", names[a],
                        names[b]);
                free(inputs);
                return EXIT_USAGE;
            }
    char dbuf[PATH_MAX];
    const char *data_dir = o.data_dir ? o.data_dir : default_data_dir(dbuf, sizeof dbuf);
    zm_model_options mo = {.user_dict_dir = o.user_dict, .general_lexicon = o.lexicon, .cache_dir = o.cache_dir};
    zm_error err = {0};
    zm_model *model = zm_model_load(data_dir, &mo, &err);
    if (!model && err.code == ZM_E_NOMEM) {
        /* not a broken dictionary: the same files load with more memory */
        fprintf(stderr, "zhmetrics: limit: out of memory loading the dictionary (%s)\n", data_dir);
        free(inputs);
        return EXIT_NOMEM;
    }
    if (!model) {
        if (err.line)
            fprintf(stderr, "zhmetrics: %s:%d: %s\n", err.file, err.line, err.msg);
        else
            fprintf(stderr, "zhmetrics: %s: %s\n", err.file[0] ? err.file : data_dir, err.msg);
        free(inputs);
        return EXIT_DATA;
    }
    if (o.list_indicators) { /* the catalog (with --dict's entries), no extraction */
        free(inputs);
        int wrc = zm_model_write_indicators(model, stdout);
        zm_model_free(model);
        return wrc ? EXIT_USAGE : close_stdout_info();
    }

    if (track) {
        status = track_run(model, &o, data_dir, from_jsonl, inputs, ninputs);
        free(inputs);
        zm_model_free(model);
        return status;
    }

    zm_csv_raw_cells(o.csv_raw);
    runner r = {0};
    r.model = model;
    r.opt = &o;
    r.dopt.ref_date = o.ref_date;
    r.dopt.max_bytes = o.max_bytes;
    r.dopt.explain = o.explain;
    r.prepare = o.jobs > 1;
    char msg[700];
    status = 0;

    /* outputs, fed and closed in this order: the stream (stdout, or -o FILE),
     * the database, the page; opened database and page first */
    r.out[0] = (output){want_stream ? &zm_writer_stream : NULL, NULL, o.output, 0}; /* NULL: stdout */
    r.out[1] = (output){o.sqlite ? &zm_writer_sqlite : NULL, NULL, o.sqlite, 0};
    r.out[2] = (output){o.html ? &zm_writer_html : NULL, NULL, o.html, 0};
    static const int open_order[MAX_OUTPUTS] = {1, 2, 0};
    for (int i = 0; i < MAX_OUTPUTS && !status; i++) {
        output *op = &r.out[open_order[i]];
        if (op->cls && !(op->w = op->cls->open(op->path, o.format, msg, sizeof msg))) {
            fprintf(stderr, "zhmetrics: %s\n", msg);
            status = EXIT_USAGE;
        }
    }
    if (status) {
        for (int k = 0; k < MAX_OUTPUTS; k++)
            if (r.out[k].w)
                r.out[k].cls->close(r.out[k].w, 0, msg, sizeof msg);
        zm_model_free(model);
        free(inputs);
        return status;
    }
    int any_tmp = 0;
    for (int k = 0; k < MAX_OUTPUTS; k++) {
        if (r.out[k].cls && r.out[k].cls->needs_input)
            r.keep_bytes = 1;
        track_tmp_file(k, r.out[k].w && r.out[k].cls->tmp_path ? r.out[k].cls->tmp_path(r.out[k].w) : NULL,
                       r.out[k].cls ? r.out[k].cls->remove_tmp : NULL);
        any_tmp |= tmp_file_set[k];
    }
    if (any_tmp)
        catch_fatal_signals();
    /* a closed pipe (EPIPE) and a file size limit (EFBIG) are write errors:
     * reported, temporary files removed, exit 2 */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);

    r.prog.tty = isatty(STDERR_FILENO);
    r.prog.on = o.progress || (r.prog.tty && !o.quiet);
    r.prog.start = r.prog.last = now();

    pipeline_start(&r);

    if (o.jsonl_in) {
        read_jsonl(&r);
    } else {
        if (ninputs == 0)
            inputs[ninputs++] = "-";
        /* with progress, list every input first to know how many there are */
        r.collecting = r.prog.on;
        submit_inputs(&r, inputs, ninputs);
        if (r.collecting) {
            r.collecting = 0;
            r.prog.total = r.npending;
            for (size_t i = 0; i < r.npending; i++)
                submit(&r, r.pending[i]);
        }
        free(r.pending);
    }

    pipeline_finish(&r);
    progress_show(&r, 1);

    /* after an output error the run stopped early: no output is put in
     * place (the database rolled back, the page and -o FILE not written);
     * nor after an output that fails to close */
    int stopped = atomic_load(&r.stop);
    status = r.nerrors ? EXIT_DOCERR : 0;
    for (int k = 0; k < MAX_OUTPUTS; k++) {
        output *op = &r.out[k];
        if (!op->cls)
            continue;
        track_tmp_file(k, NULL, NULL);
        if (op->cls->close(op->w, !stopped && !op->error, msg, sizeof msg)) {
            fprintf(stderr, "zhmetrics: %s\n", msg);
            op->error = 1;
            stopped = 1;
        }
        if (op->error)
            status = EXIT_USAGE;
    }
    free(inputs);
    zm_model_free(model);
    return status;
}
