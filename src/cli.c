/* zhmetrics: command-line front end.
 *   zhmetrics corpus/a.txt corpus/b.txt => JSON Lines on stdout
 *   zhmetrics -j 2 -o out.jsonl dir/  => files under dir/, two threads,
 *                                        output in input order
 *   zhmetrics --format csv dir/ > m.csv    one row per metric
 *   zhmetrics --sqlite m.db --html review.html dir/
 *   cat docs.jsonl | zhmetrics --jsonl-in   (Hadoop Streaming, Spark pipe)
 * Exit: 0 all inputs processed, 1 some gave an error record, 2 usage or
 * output error, 3 dictionary/rule files could not be loaded.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emit_csv.h"
#include "emit_html.h"
#include "emit_sqlite.h"
#include "json_in.h"
#include "model.h"
#include "util.h"
#include "zhmetrics.h"

#ifndef ZM_DATA_DIR
#define ZM_DATA_DIR "/usr/local/share/zhmetrics/dict"
#endif

enum { EXIT_DOCERR = 1, EXIT_USAGE = 2, EXIT_DATA = 3 };
enum { FORMAT_CSV = 100 }; /* beside ZM_FORMAT_JSONL and ZM_FORMAT_JSON */

static const char usage[] =
    "Usage: zhmetrics [OPTIONS] [FILE|DIR|-]...\n"
    "Extract figures (counts, money, ratios, measures, durations) from Chinese\n"
    "government reports as JSON Lines records (document, metric, error).\n"
    "Directories are walked recursively; '-' or no argument reads stdin.\n"
    "\n"
    "Options:\n"
    "  --jsonl-in          read JSON Lines {\"id\":...,\"text\":...} from stdin;\n"
    "                      id becomes the record's doc (a Hadoop Streaming or\n"
    "                      Spark pipe mapper)\n"
    "  --format FMT        jsonl (default), json (one pretty object per input) or\n"
    "                      csv (RFC 4180: a header row, then one row per metric\n"
    "                      with its document's fields)\n"
    "  -o, --output FILE   write to FILE (via a temporary file, renamed at the end)\n"
    "  --sqlite FILE       also store the records in the SQLite database FILE\n"
    "                      (tables documents and metrics); a re-run replaces the\n"
    "                      rows of the same inputs\n"
    "  --html FILE         also write a review page: every text with its figures\n"
    "                      highlighted, and a sortable, filterable table of them\n"
    "                      (with --sqlite or --html, records go to stdout only if\n"
    "                      -o or --format is given too)\n"
    "  --glob PATTERN      file names taken from directories (default *.txt,\n"
    "                      *.htm, *.html, *.docx, *.pdf; the kind is read from\n"
    "                      the content)\n"
    "  -j, --jobs N        worker threads (default 1); output stays in input order\n"
    "  --dict DIR          user dictionary: files named as in dict/ extend it\n"
    "  --data-dir DIR      main dictionary directory (default: $ZHMETRICS_DATA,\n"
    "                      else next to the binary, else " ZM_DATA_DIR ")\n"
    "  --lexicon FILE      general lexicon (jieba format); '' for none\n"
    "  --ref-date DATE     reference date YYYY-MM-DD (overrides the document's)\n"
    "  --max-bytes N       largest document accepted (default 67108864; k, M, G)\n"
    "  --explain           add to each metric the rule and cues that decided it\n"
    "  --progress          progress on stderr (files done of total, MB/s, errors),\n"
    "                      also when stderr is not a terminal\n"
    "  -q, --quiet         no warnings on stderr, and no progress unless --progress\n"
    "  --version           print the version\n"
    "  -h, --help          this help\n"
    "\n"
    "Progress is shown on long runs when stderr is a terminal.\n"
    "Exit status: 0 all inputs processed, 1 some inputs gave error records,\n"
    "2 usage or output error, 3 dictionary or rule file error.\n"
    "Record format: see docs/format.md and SPEC.md; CSV, SQLite, PostgreSQL,\n"
    "Hadoop, Spark and GNU parallel: docs/integration.md; man zhmetrics.\n";

typedef struct job {
    char *name;   /* doc name */
    char *path;   /* file to read, or NULL when bytes are given */
    char *bytes;  /* input bytes; kept for the review page */
    size_t len;
    char *preset_error; /* input already known to be bad */
    /* result */
    char *out;
    size_t out_len;
    zm_doc *doc;  /* kept for --sqlite and --html */
    char *warning;
    zm_match_errors match_errors; /* regex matches cut short by a limit */
    size_t in_bytes;
    int failed;
    int done;
    size_t seq; /* its place in the input order (threaded pipeline) */
} job;

typedef struct options {
    int format, format_given, jobs, jsonl_in, explain, quiet, progress;
    const char *glob, *output, *user_dict, *data_dir, *lexicon, *ref_date, *sqlite, *html;
    size_t max_bytes;
} options;

typedef struct progress {
    int on, tty, shown;
    double start, last;
    size_t total; /* 0 when unknown (--jsonl-in) */
    size_t bytes;
    int ever; /* a line was shown at some point */
} progress;

typedef struct runner {
    const zm_model *model;
    const options *opt;
    zm_doc_options dopt;
    FILE *out;        /* the record stream, or NULL when there is none */
    zm_sqlite *db;
    zm_html *html;
    int keep_doc, keep_bytes;
    int stream; /* -j 1, JSON Lines: write_job writes a document's lines as it makes them */
    int write_error, db_error, html_error;
    /* set at the first output error: no extraction starts after it, and
     * nothing more is written (the workers read it) */
    atomic_int stop;
    size_t ndocs, nerrors;
    progress prog;
    /* inputs listed before the run, to know their number (progress) */
    int collecting;
    job *pending;
    size_t npending, cap_pending;
    /* directories being walked, to stop at symlink cycles */
    dev_t walk_dev[65];
    ino_t walk_ino[65];
    /* threaded pipeline: a window of jobs in flight */
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* workers wait for a job */
    pthread_cond_t cv_done; /* the main thread waits for job wake_seq */
    int main_waits;
    size_t wake_seq;
    job *slot;
    size_t window, next_seq, next_claim, next_write;
    int closing;
} runner;

/* ---- fatal signals: remove the temporary files being written ----
 * The paths are copied into static buffers: the handler must only touch
 * memory that nothing frees or changes under it (async-signal-safe). */

static char tmp_files[2][PATH_MAX + 64];
static volatile sig_atomic_t tmp_file_set[2];

static void on_fatal_signal(int sig)
{
    for (int i = 0; i < 2; i++)
        if (tmp_file_set[i])
            unlink(tmp_files[i]);
    signal(sig, SIG_DFL);
    raise(sig); /* delivered on return: the default action, status by signal */
}

/* Registers (path) or forgets (NULL) temporary file i for the handler. */
static void track_tmp_file(int i, const char *path)
{
    tmp_file_set[i] = 0;
    if (path && strlen(path) < sizeof tmp_files[i]) {
        strcpy(tmp_files[i], path);
        tmp_file_set[i] = 1;
    }
}

static void catch_fatal_signals(void)
{
    /* SIGXCPU (ulimit -t) too; SIGXFSZ is ignored instead (main), so that a
     * file size limit is a write error (EFBIG) on the normal path */
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGXCPU};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa;
        /* a signal the caller ignores stays ignored (nohup, a background
         * job's SIGINT): it would not have ended the run */
        if (sigaction(sigs[i], NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- progress and warnings on stderr ---- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Clears the progress line on a terminal, before another message. */
static void progress_clear(runner *r)
{
    if (r->prog.tty && r->prog.shown) {
        fputs("\r\033[K", stderr);
        r->prog.shown = 0;
    }
}

static void vmessage(runner *r, const char *fmt, va_list ap)
{
    progress_clear(r);
    fputs("zhmetrics: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

/* A warning: not shown under -q. */
static void warn(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(runner *r, const char *fmt, ...)
{
    if (r->opt->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(r, fmt, ap);
    va_end(ap);
}

/* An output that cannot be written: an error (exit 2), shown under -q too. */
static void output_error(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void output_error(runner *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(r, fmt, ap);
    va_end(ap);
}

/* On a terminal the line is redrawn in place at most 5 times a second,
 * from half a second on (short runs print nothing); elsewhere (--progress
 * into a log) a line a second. The last line stays at the end. */
static void progress_show(runner *r, int final)
{
    progress *p = &r->prog;
    if (!p->on)
        return;
    double t = now();
    if (!final) {
        if (p->tty && (t - p->start < 0.5 || t - p->last < 0.2))
            return;
        if (!p->tty && t - p->last < 1.0)
            return;
    } else if (p->tty && !p->ever && r->opt->progress == 0) {
        return; /* automatic, and the run was short */
    }
    p->last = t;
    double el = t - p->start, mb = (double)p->bytes / 1e6;
    char done[64];
    if (p->total)
        snprintf(done, sizeof done, "%zu/%zu files", r->ndocs, p->total);
    else
        snprintf(done, sizeof done, "%zu documents", r->ndocs);
    fprintf(stderr, "%szhmetrics: %s, %.1f MB, %.1f MB/s, %zu error%s%s%s", p->tty ? "\r" : "", done, mb,
            el > 0 ? mb / el : 0.0, r->nerrors, r->nerrors == 1 ? "" : "s", p->tty ? "\033[K" : "",
            final || !p->tty ? "\n" : "");
    fflush(stderr);
    p->shown = !final;
    p->ever = 1; /* a warning may clear the line; the final one still comes */
}

/* ---- jobs ---- */

/* --max-bytes, or the library's default */
static size_t max_bytes(const runner *r) { return r->dopt.max_bytes ? r->dopt.max_bytes : (size_t)64 << 20; }

/* The error record's text for an input that could not be read. */
static void read_error(const runner *r, const zm_error *err, char *msg, size_t size)
{
    if (err->code == ZM_E_LIMIT)
        snprintf(msg, size, "limit: document is %s, over --max-bytes %zu", err->msg, max_bytes(r));
    else
        snprintf(msg, size, "cannot read: %s", err->msg);
}

static void run_job(runner *r, zm_ctx *ctx, job *j)
{
    zm_doc *d = NULL;
    zm_error err = {0};
    if (atomic_load(&r->stop))
        return; /* an output failed: the job is dropped unwritten */
    if (j->preset_error) {
        d = zm_doc_new_error(j->name, j->preset_error);
    } else {
        if (j->path) {
            char *data;
            size_t len;
            struct stat st;
            if (stat(j->path, &st) == 0 && (size_t)st.st_size > max_bytes(r)) {
                char msg[256];
                snprintf(msg, sizeof msg, "limit: document is %lld bytes, over --max-bytes %zu", (long long)st.st_size,
                         max_bytes(r));
                d = zm_doc_new_error(j->name, msg);
            } else if (zm_read_file_max(j->path, max_bytes(r), &data, &len, &err)) {
                char msg[700];
                read_error(r, &err, msg, sizeof msg);
                d = zm_doc_new_error(j->name, msg);
            } else {
                zm_match_errors_take(); /* counts from this document only */
                zm_extract(ctx, j->name, data, len, &r->dopt, &d, &err);
                j->match_errors = zm_match_errors_take();
                j->in_bytes = len;
                if (r->keep_bytes) {
                    j->bytes = data;
                    j->len = len;
                } else {
                    free(data);
                }
            }
        } else {
            zm_match_errors_take();
            zm_extract(ctx, j->name, j->bytes, j->len, &r->dopt, &d, &err);
            j->match_errors = zm_match_errors_take();
            j->in_bytes = j->len;
        }
    }
    j->out = NULL;
    j->out_len = 0;
    int nomem = !d;
    if (d && r->out && !r->stream) {
        if (r->opt->format == FORMAT_CSV) {
            zm_buf b = {0};
            nomem = zm_csv_append(d, &b) != 0;
            j->out = b.data;
            j->out_len = b.len;
        } else {
            size_t cap = 0;
            nomem = zm_doc_append(d, r->opt->format, &j->out, &j->out_len, &cap) != 0;
        }
        if (nomem) {
            free(j->out);
            j->out = NULL;
            j->out_len = 0;
        }
    }
    j->failed = nomem || zm_doc_error(d) != NULL;
    if (j->failed)
        j->warning = strdup(d && zm_doc_error(d) ? zm_doc_error(d) : "out of memory");
    if ((r->keep_doc || r->stream) && !nomem)
        j->doc = d;
    else
        zm_doc_free(d);
    if (!r->keep_bytes) {
        free(j->bytes);
        j->bytes = NULL;
    }
}

static void free_job(job *j)
{
    zm_doc_free(j->doc);
    free(j->out);
    free(j->bytes);
    free(j->warning);
    free(j->name);
    free(j->path);
    free(j->preset_error);
    memset(j, 0, sizeof *j);
}

/* Main thread, in input order. After an output error the job is only
 * freed: the run is stopping. */
static void write_job(runner *r, job *j)
{
    char msg[600];
    if (atomic_load(&r->stop)) {
        free_job(j);
        return;
    }
    if (j->failed)
        warn(r, "%s: %s", j->name, j->warning ? j->warning : "out of memory");
    if (j->match_errors.n) {
        /* the document is kept: only what the stopped matches would have
         * found is missing */
        char rule[700];
        PCRE2_UCHAR why[120];
        zm_rules_describe(&r->model->rules, j->match_errors.re, rule, sizeof rule);
        pcre2_get_error_message(j->match_errors.code, why, sizeof why);
        warn(r, "%s: %lu regex match%s stopped (%s), the first by %s: figures there may be missing", j->name,
             j->match_errors.n, j->match_errors.n == 1 ? "" : "es", (char *)why, rule);
    }
    if (j->out_len && fwrite(j->out, 1, j->out_len, r->out) != j->out_len)
        r->write_error = errno ? errno : EIO;
    if (r->stream && r->out && j->doc) {
        errno = 0;
        int rc = zm_doc_write(j->doc, ZM_FORMAT_JSONL, r->out);
        if (rc == ZM_E_IO)
            r->write_error = errno ? errno : EIO;
        else if (rc)
            warn(r, "%s: out of memory writing its records", j->name);
    }
    if (r->db && j->doc && !r->db_error && zm_sqlite_add(r->db, j->doc, msg, sizeof msg)) {
        output_error(r, "%s: %s", r->opt->sqlite, msg);
        r->db_error = 1;
    }
    if (r->html && j->doc && !r->html_error && zm_html_add(r->html, j->doc, j->bytes, j->len)) {
        output_error(r, "write error on %s: %s", r->opt->html, strerror(errno ? errno : EIO));
        r->html_error = 1;
    }
    r->ndocs++;
    if (j->failed)
        r->nerrors++;
    r->prog.bytes += j->in_bytes;
    progress_show(r, 0);
    if (r->write_error || r->db_error || r->html_error)
        atomic_store(&r->stop, 1);
    free_job(j);
}

static zm_ctx *inline_ctx;

static void *worker(void *arg)
{
    runner *r = arg;
    zm_ctx *ctx = zm_ctx_new(r->model);
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->next_claim == r->next_seq && !r->closing)
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->next_claim == r->next_seq && r->closing)
            break;
        job *j = &r->slot[r->next_claim % r->window];
        r->next_claim++;
        pthread_mutex_unlock(&r->mu);
        if (ctx) {
            run_job(r, ctx, j);
        } else {
            j->out = NULL;
            j->failed = 1;
        }
        pthread_mutex_lock(&r->mu);
        j->done = 1;
        if (r->main_waits && j->seq == r->wake_seq)
            pthread_cond_signal(&r->cv_done);
    }
    pthread_mutex_unlock(&r->mu);
    zm_ctx_free(ctx);
    return NULL;
}

/* Blocks the main thread until job `until` (when it is in flight and not
 * done) or, when that one is done, the next one in order is: the workers
 * wake it for that job only. */
static void wait_for(runner *r, size_t until)
{
    if (until < r->next_write || until >= r->next_seq || r->slot[until % r->window].done)
        until = r->next_write;
    if (until >= r->next_seq || r->slot[until % r->window].done)
        return;
    r->wake_seq = until;
    r->main_waits = 1;
    pthread_cond_wait(&r->cv_done, &r->mu);
    r->main_waits = 0;
}

/* Writes finished jobs in order; with need_room, blocks until the window
 * has room, then until half of it is free: the main thread wakes once per
 * half window, not once per document (with -j 2 on the bench archive, a
 * wake-up and two context switches a document; -j 2 now takes 3% less
 * time). A failed write is seen at the latest half a window later (8
 * documents with -j 2), and the workers start no job after that. */
static void drain(runner *r, int need_room)
{
    for (;;) {
        while (r->next_write < r->next_seq && r->slot[r->next_write % r->window].done) {
            job *j = &r->slot[r->next_write % r->window];
            pthread_mutex_unlock(&r->mu);
            write_job(r, j);
            pthread_mutex_lock(&r->mu);
            r->next_write++;
        }
        if (!need_room || r->next_seq - r->next_write < r->window)
            return;
        wait_for(r, r->next_seq - r->window / 2 - 1); /* the window is full */
    }
}

/* Takes ownership of the strings in j. */
static void submit(runner *r, job j)
{
    if (atomic_load(&r->stop)) {
        free_job(&j);
        return;
    }
    if (r->collecting) {
        if (r->npending == r->cap_pending) {
            size_t cap = r->cap_pending ? r->cap_pending * 2 : 256;
            job *p = realloc(r->pending, cap * sizeof *p);
            if (!p) {
                /* no room to list them all: go on without a total */
                r->collecting = 0;
                r->prog.total = 0;
                for (size_t i = 0; i < r->npending; i++)
                    submit(r, r->pending[i]);
                r->npending = 0;
                submit(r, j);
                return;
            }
            r->pending = p;
            r->cap_pending = cap;
        }
        r->pending[r->npending++] = j;
        return;
    }
    if (r->opt->jobs <= 1) {
        run_job(r, inline_ctx, &j);
        write_job(r, &j);
        return;
    }
    pthread_mutex_lock(&r->mu);
    drain(r, 1);
    job *s = &r->slot[r->next_seq % r->window];
    *s = j;
    s->done = 0;
    s->seq = r->next_seq;
    r->next_seq++;
    pthread_cond_signal(&r->cv); /* one job: one worker */
    drain(r, 0);
    pthread_mutex_unlock(&r->mu);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void submit_error(runner *r, const char *name, const char *msg)
{
    job j = {0};
    j.name = strdup(name);
    j.preset_error = strdup(msg);
    submit(r, j);
}

/* Names a directory walk takes: --glob, else every kind the readers
 * know (the kind itself is then read from the content). */
static int glob_match(const char *glob, const char *name)
{
    static const char *const kinds[] = {"*.txt", "*.htm", "*.html", "*.docx", "*.pdf"};
    if (glob)
        return fnmatch(glob, name, 0) == 0;
    const char *dot = strrchr(name, '.');
    char ext[8] = "*"; /* "*.pdf" for a.PDF */
    size_t n = dot ? strlen(dot) : 0;
    if (!n || n > 5)
        return 0;
    for (size_t i = 0; i <= n; i++)
        ext[i + 1] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] + 32 : dot[i]);
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (strcmp(kinds[k], ext) == 0)
            return 1;
    return 0;
}

static void walk(runner *r, const char *dir, int depth)
{
    struct stat dst;
    if (stat(dir, &dst) == 0) {
        /* a symlink back to a directory being walked: a cycle, not entered */
        for (int i = 0; i < depth; i++)
            if (r->walk_dev[i] == dst.st_dev && r->walk_ino[i] == dst.st_ino) {
                warn(r, "%s: directory cycle, not followed", dir);
                return;
            }
        r->walk_dev[depth] = dst.st_dev;
        r->walk_ino[depth] = dst.st_ino;
    }
    DIR *dp = opendir(dir);
    if (!dp) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot read directory: %s", strerror(errno));
        submit_error(r, dir, msg);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(dp);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        size_t pl = strlen(dir) + strlen(names[i]) + 2;
        char *path = atomic_load(&r->stop) ? NULL : malloc(pl);
        if (!path) {
            free(names[i]);
            continue;
        }
        snprintf(path, pl, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (depth < 64)
                walk(r, path, depth + 1);
            free(path);
        } else if (glob_match(r->opt->glob, names[i]) && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
            /* a fifo or device found by the walk would block or never end */
            submit_error(r, path, "cannot read: not a regular file");
            free(path);
        } else if (glob_match(r->opt->glob, names[i])) {
            job j = {0};
            j.name = path;
            j.path = strdup(path);
            submit(r, j);
        } else {
            free(path);
        }
        free(names[i]);
    }
    free(names);
}

/* Lines of a file descriptor, each kept up to a maximum length. read(2),
 * not fread: a line is handed on as soon as it is there (a pipe mapper). */
typedef struct line_reader {
    int fd, err; /* err: errno of a failed read */
    char buf[65536];
    size_t pos, end;
} line_reader;

/* The next line, without its '\n', in line (NUL-terminated). A line longer
 * than max keeps its first max bytes, sets *over, and the rest of it is
 * read and dropped. Returns 0 at the end of the input or on a read error. */
static int next_line(line_reader *lr, zm_buf *line, size_t max, int *over)
{
    line->len = 0;
    *over = 0;
    int any = 0;
    for (;;) {
        if (lr->pos == lr->end) {
            ssize_t n;
            while ((n = read(lr->fd, lr->buf, sizeof lr->buf)) < 0 && errno == EINTR)
                ;
            if (n <= 0) {
                lr->err = n < 0 ? errno : 0;
                break;
            }
            lr->pos = 0;
            lr->end = (size_t)n;
        }
        any = 1;
        char *p = lr->buf + lr->pos;
        size_t avail = lr->end - lr->pos;
        char *nl = memchr(p, '\n', avail);
        size_t n = nl ? (size_t)(nl - p) : avail;
        lr->pos += n + (nl != NULL);
        size_t keep = line->len >= max ? 0 : max - line->len < n ? max - line->len : n;
        if (keep < n)
            *over = 1;
        if (keep && zm_buf_add(line, p, keep))
            *over = 1; /* out of memory: refused like a line too long */
        if (nl)
            break;
    }
    if (!line->data && zm_buf_reserve(line, 0))
        return 0;
    line->data[line->len] = 0;
    return any;
}

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

/* Past the JSON string whose opening quote is at p; NULL when it is cut. */
static const char *skip_string(const char *p, const char *e)
{
    for (p++; p < e && *p != '"'; p++)
        if (*p == '\\')
            p++;
    return p < e ? p + 1 : NULL;
}

/* The "id" of a JSON object cut short (a line over the limit), when it
 * comes before the text (or any object or array value); else NULL. */
static char *recover_id(const char *s, size_t len)
{
    const char *e = s + len, *p = skip_ws(s, e);
    if (p == e || *p++ != '{')
        return NULL;
    for (;;) {
        const char *key = p = skip_ws(p, e);
        if (p == e || *p != '"' || !(p = skip_string(p, e)))
            return NULL;
        int is_id = p - key == 4 && memcmp(key, "\"id\"", 4) == 0;
        p = skip_ws(p, e);
        if (p == e || *p++ != ':')
            return NULL;
        const char *val = p = skip_ws(p, e);
        if (p < e && *p == '"') {
            if (!(p = skip_string(p, e)))
                return NULL;
        } else { /* a number, true, false, null */
            while (p < e && (*p == '-' || *p == '+' || *p == '.' || (*p >= '0' && *p <= '9') ||
                             (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
                p++;
        }
        if (is_id) {
            /* the value alone, read by the usual parser (the same id forms) */
            static const char fmt[] = "{\"id\":%.*s,\"text\":\"\"}";
            size_t n = (size_t)(p - val);
            char *obj = n <= 65536 ? malloc(n + sizeof fmt) : NULL;
            char *id = NULL, *text = NULL, msg[8];
            size_t tl;
            if (!obj)
                return NULL;
            int k = snprintf(obj, n + sizeof fmt, fmt, (int)n, val);
            zm_jsonl_parse(obj, (size_t)k, &id, &text, &tl, msg, sizeof msg);
            free(obj);
            free(text);
            return id;
        }
        p = skip_ws(p, e);
        if (p == e || *p++ != ',')
            return NULL;
    }
}

static void read_jsonl(runner *r)
{
    zm_buf line = {0};
    static line_reader lr; /* 64 KiB: not on the stack */
    lr.fd = STDIN_FILENO;
    long lineno = 0;
    /* a text of max bytes may take twice that as JSON (CJK text written as
     * \uXXXX escapes, as Python's json.dumps does by default), plus the id */
    size_t max = max_bytes(r), line_max = max > (SIZE_MAX - 65536) / 2 ? SIZE_MAX : 2 * max + 65536;
    int over;
    while (!atomic_load(&r->stop) && next_line(&lr, &line, line_max, &over)) {
        lineno++;
        size_t len = line.len;
        while (len && line.data[len - 1] == '\r')
            len--;
        if (!len)
            continue;
        char *id = NULL, *text, msg[200], name[64];
        size_t tl;
        snprintf(name, sizeof name, "stdin:%ld", lineno);
        if (over) {
            id = recover_id(line.data, len);
            snprintf(msg, sizeof msg, "limit: line is more than %zu bytes (twice --max-bytes %zu, plus 64 KiB)",
                     line_max, max);
            submit_error(r, id ? id : name, msg);
            free(id);
            continue;
        }
        job j = {0};
        if (zm_jsonl_parse(line.data, len, &id, &text, &tl, msg, sizeof msg)) {
            submit_error(r, id ? id : name, msg);
            free(id);
            continue;
        }
        j.name = id ? id : strdup(name);
        j.bytes = text;
        j.len = tl;
        submit(r, j);
    }
    if (lr.err) { /* an error record, as for a file that cannot be read */
        char name[64], msg[200];
        snprintf(name, sizeof name, "stdin:%ld", lineno + 1);
        snprintf(msg, sizeof msg, "cannot read: %s", strerror(lr.err));
        submit_error(r, name, msg);
    }
    zm_buf_free(&line);
}

static int parse_size(const char *s, size_t *out)
{
    char *e;
    if (*s < '0' || *s > '9') /* strtoull would take " 5" and wrap "-5" */
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    if (errno || e == s)
        return -1;
    int shift = 0;
    if (*e == 'k' || *e == 'K')
        shift = 10, e++;
    else if (*e == 'm' || *e == 'M')
        shift = 20, e++;
    else if (*e == 'g' || *e == 'G')
        shift = 30, e++;
    if (*e || v == 0 || v > ((unsigned long long)SIZE_MAX >> shift))
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

static int valid_date(const char *s)
{
    int y, m, d;
    char tail;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "zhmetrics: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'zhmetrics --help'.\n");
    return EXIT_USAGE;
}

/* Ends --help and --version: their output must have been written. */
static int close_stdout_info(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "zhmetrics: write error on stdout: %s\n", strerror(errno ? errno : EIO));
    return EXIT_USAGE;
}

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

/* Submits the inputs named on the command line, in order. */
static void submit_inputs(runner *r, char **inputs, int ninputs)
{
    for (int i = 0; i < ninputs && !atomic_load(&r->stop); i++) {
        const char *p = inputs[i];
        if (strcmp(p, "-") == 0) {
            job j = {0};
            zm_error err = {0};
            j.name = strdup("-");
            if (zm_read_stream_max(stdin, "-", max_bytes(r), &j.bytes, &j.len, &err)) {
                char msg[700];
                read_error(r, &err, msg, sizeof msg);
                j.preset_error = strdup(msg);
            }
            submit(r, j);
            continue;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            char msg[300];
            snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
            submit_error(r, p, msg);
        } else if (S_ISDIR(st.st_mode)) {
            walk(r, p, 0);
        } else {
            job j = {0};
            j.name = strdup(p);
            j.path = strdup(p);
            submit(r, j);
        }
    }
}

int main(int argc, char **argv)
{
    options o = {0};
    o.glob = NULL; /* the readable kinds: glob_match */
    o.jobs = 1;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0, only_inputs = 0, status;
    if (!inputs)
        return EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
#define TAKES(opt) ((strcmp(a, opt) == 0 && i + 1 < argc && (val = argv[++i])) || \
                    (strncmp(a, opt "=", strlen(opt) + 1) == 0 && (val = a + strlen(opt) + 1)))
/* a short option with its value attached, as getopt reads it: -j4, -oout.jsonl */
#define ATTACHED(opt) (opt[2] == 0 && strncmp(a, opt, 2) == 0 && a[2] && (val = a + 2))
        if (only_inputs || a[0] != '-' || strcmp(a, "-") == 0) {
            inputs[ninputs++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            only_inputs = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            free(inputs);
            return close_stdout_info();
        } else if (strcmp(a, "--version") == 0) {
            printf("zhmetrics %s\n", ZM_VERSION);
            free(inputs);
            return close_stdout_info();
        } else if (strcmp(a, "--jsonl-in") == 0) {
            o.jsonl_in = 1;
        } else if (strcmp(a, "--explain") == 0) {
            o.explain = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o.quiet = 1;
        } else if (strcmp(a, "--progress") == 0) {
            o.progress = 1;
        } else if (TAKES("--format")) {
            o.format_given = 1;
            if (strcmp(val, "jsonl") == 0)
                o.format = ZM_FORMAT_JSONL;
            else if (strcmp(val, "json") == 0)
                o.format = ZM_FORMAT_JSON;
            else if (strcmp(val, "csv") == 0)
                o.format = FORMAT_CSV;
            else
                return free(inputs), usage_error("unknown format '%s' (jsonl, json or csv)", val);
        } else if (TAKES("-o") || TAKES("--output") || ATTACHED("-o")) {
            o.output = val;
        } else if (TAKES("--sqlite")) {
            o.sqlite = val;
        } else if (TAKES("--html")) {
            o.html = val;
        } else if (TAKES("--glob")) {
            o.glob = val;
        } else if (TAKES("-j") || TAKES("--jobs") || ATTACHED("-j")) {
            char *e;
            long n = strtol(val, &e, 10);
            if (*e || n < 1 || n > 256)
                return free(inputs), usage_error("bad --jobs '%s' (1-256)", val);
            o.jobs = (int)n;
        } else if (TAKES("--dict")) {
            o.user_dict = val;
        } else if (TAKES("--data-dir")) {
            o.data_dir = val;
        } else if (TAKES("--lexicon")) {
            o.lexicon = val;
        } else if (TAKES("--ref-date")) {
            if (!valid_date(val))
                return free(inputs), usage_error("bad --ref-date '%s' (YYYY-MM-DD, a day that exists)", val);
            o.ref_date = val;
        } else if (TAKES("--max-bytes")) {
            if (parse_size(val, &o.max_bytes))
                return free(inputs), usage_error("bad --max-bytes '%s' (a positive size: 1000, 64k, 16M, 1G)", val);
        } else {
            return free(inputs), usage_error("unknown or incomplete option '%s'", a);
        }
#undef TAKES
#undef ATTACHED
    }
    if (o.jsonl_in && ninputs) {
        const char *first = inputs[0]; /* points into argv */
        free(inputs);
        return usage_error("--jsonl-in reads stdin only; got file argument '%s'", first);
    }
    if ((o.sqlite && o.html && strcmp(o.sqlite, o.html) == 0) ||
        (o.output && ((o.sqlite && strcmp(o.output, o.sqlite) == 0) || (o.html && strcmp(o.output, o.html) == 0))))
        return free(inputs), usage_error("'%s' named for two outputs", o.sqlite && o.html && strcmp(o.sqlite, o.html) == 0
                                                                ? o.sqlite
                                                                : o.output);
    /* with a database or a page, the stream is written only when asked for */
    int want_stream = (!o.sqlite && !o.html) || o.output || o.format_given;

    /* a lexicon named on the command line must be there ('' = none) */
    if (o.lexicon && *o.lexicon && access(o.lexicon, R_OK) != 0) {
        fprintf(stderr, "zhmetrics: %s: %s\n", o.lexicon, strerror(errno));
        free(inputs);
        return EXIT_DATA;
    }
    char dbuf[PATH_MAX];
    const char *data_dir = o.data_dir ? o.data_dir : default_data_dir(dbuf, sizeof dbuf);
    zm_model_options mo = {o.user_dict, o.lexicon};
    zm_error err = {0};
    zm_model *model = zm_model_load(data_dir, &mo, &err);
    if (!model) {
        if (err.line)
            fprintf(stderr, "zhmetrics: %s:%d: %s\n", err.file, err.line, err.msg);
        else
            fprintf(stderr, "zhmetrics: %s: %s\n", err.file[0] ? err.file : data_dir, err.msg);
        free(inputs);
        return EXIT_DATA;
    }

    runner r = {0};
    r.model = model;
    r.opt = &o;
    r.dopt.ref_date = o.ref_date;
    r.dopt.max_bytes = o.max_bytes;
    r.dopt.explain = o.explain;
    r.keep_doc = o.sqlite || o.html;
    /* one document at a time: its lines need not wait for their turn, and
     * writing them as they are made keeps a large one's output out of memory */
    r.stream = o.jobs <= 1 && o.format == ZM_FORMAT_JSONL;
    r.keep_bytes = o.html != NULL;
    char msg[700];
    status = 0;

    /* outputs: the database and the page first, then the stream (stdout, or
     * a temporary file renamed into place at the end; a device or a pipe
     * named with -o is written directly) */
    if (o.sqlite && !(r.db = zm_sqlite_open(o.sqlite, msg, sizeof msg))) {
        fprintf(stderr, "zhmetrics: %s: %s\n", o.sqlite, msg);
        status = EXIT_USAGE;
    }
    if (!status && o.html && !(r.html = zm_html_open(o.html, msg, sizeof msg))) {
        fprintf(stderr, "zhmetrics: %s\n", msg);
        status = EXIT_USAGE;
    }
    FILE *out = NULL;
    char *tmp_path = NULL;
    if (!status && want_stream) {
        struct stat st;
        out = stdout;
        if (o.output && strcmp(o.output, "-") != 0) {
            const char *target = o.output;
            /* a new file or a plain one: written beside it, renamed at the
             * end; anything else (a device, a pipe, a symlink such as
             * /dev/stdout) written in place, never replaced */
            if (lstat(o.output, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode)) {
                size_t n = strlen(o.output) + 32;
                tmp_path = malloc(n);
                snprintf(tmp_path, n, "%s.tmp.%ld", o.output, (long)getpid());
                target = tmp_path;
            }
            out = fopen(target, "wb");
            if (!out) {
                fprintf(stderr, "zhmetrics: %s: %s\n", target, strerror(errno));
                status = EXIT_USAGE;
            }
        }
    }
    if (status) {
        zm_sqlite_close(r.db, 0, msg, sizeof msg);
        zm_html_close(r.html, 0, msg, sizeof msg);
        zm_model_free(model);
        free(tmp_path);
        free(inputs);
        return status;
    }
    track_tmp_file(0, tmp_path);
    track_tmp_file(1, r.html ? zm_html_tmp_path(r.html) : NULL);
    if (tmp_file_set[0] || tmp_file_set[1])
        catch_fatal_signals();
    static char outbuf[1 << 16];
    if (out)
        setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
    /* a closed pipe (EPIPE) and a file size limit (EFBIG) are write errors:
     * reported, temporary files removed, exit 2 */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    r.out = out;
    if (out && o.format == FORMAT_CSV && fputs(zm_csv_header(), out) == EOF)
        r.write_error = errno ? errno : EIO;

    r.prog.tty = isatty(STDERR_FILENO);
    r.prog.on = o.progress || (r.prog.tty && !o.quiet);
    r.prog.start = r.prog.last = now();

    pthread_t *th = NULL;
    if (o.jobs > 1) {
        pthread_mutex_init(&r.mu, NULL);
        pthread_cond_init(&r.cv, NULL);
        pthread_cond_init(&r.cv_done, NULL);
        r.window = (size_t)o.jobs * 8;
        r.slot = calloc(r.window, sizeof *r.slot);
        th = calloc((size_t)o.jobs, sizeof *th);
        for (int i = 0; i < o.jobs; i++)
            pthread_create(&th[i], NULL, worker, &r);
    } else {
        inline_ctx = zm_ctx_new(model);
    }

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

    if (o.jobs > 1) {
        pthread_mutex_lock(&r.mu);
        r.closing = 1;
        pthread_cond_broadcast(&r.cv);
        while (r.next_write < r.next_seq) {
            drain(&r, 0);
            if (r.next_write < r.next_seq)
                wait_for(&r, r.next_write); /* in order, each as soon as done */
        }
        pthread_mutex_unlock(&r.mu);
        for (int i = 0; i < o.jobs; i++)
            pthread_join(th[i], NULL);
        free(th);
        free(r.slot);
        pthread_mutex_destroy(&r.mu);
        pthread_cond_destroy(&r.cv);
        pthread_cond_destroy(&r.cv_done);
    } else {
        zm_ctx_free(inline_ctx);
    }
    progress_show(&r, 1);

    /* after an output error the run stopped early: no output is put in
     * place (the database rolled back, the page and -o FILE not written) */
    int stopped = atomic_load(&r.stop);
    status = r.nerrors ? EXIT_DOCERR : 0;
    if (out) {
        int bad = r.write_error || fflush(out) != 0 || ferror(out);
        if (out != stdout) {
            bad |= fclose(out) != 0;
            if (tmp_path) {
                if (!bad && !stopped && rename(tmp_path, o.output) != 0)
                    bad = 1;
                if (bad || stopped)
                    unlink(tmp_path);
                track_tmp_file(0, NULL);
            }
        } else {
            bad |= fclose(stdout) != 0;
        }
        if (bad) {
            fprintf(stderr, "zhmetrics: write error on %s: %s\n", o.output ? o.output : "stdout",
                    strerror(r.write_error ? r.write_error : errno ? errno : EIO));
            status = EXIT_USAGE;
            stopped = 1; /* found at the last flush: the other outputs too */
        }
    }
    if (r.db) {
        if (zm_sqlite_close(r.db, !stopped, msg, sizeof msg)) {
            fprintf(stderr, "zhmetrics: %s: %s\n", o.sqlite, msg);
            r.db_error = 1;
        }
        if (r.db_error)
            status = EXIT_USAGE;
    }
    if (r.html) {
        track_tmp_file(1, NULL);
        if (zm_html_close(r.html, !stopped, msg, sizeof msg)) {
            fprintf(stderr, "zhmetrics: %s\n", msg);
            r.html_error = 1;
        }
        if (r.html_error)
            status = EXIT_USAGE;
    }
    free(tmp_path);
    free(inputs);
    zm_model_free(model);
    return status;
}
