/* The ordered pipeline: the main thread submits jobs into a window, worker
 * threads extract them (and let each output prepare its bytes), the main
 * thread writes the finished jobs in input order to every output, so the
 * outputs are the same whatever -j is. Progress and warnings on stderr,
 * and the removal of temporary files on a fatal signal, live here too. */
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
#include "name_utf8.h"

/* ---- fatal signals: remove the temporary files being written ----
 * The paths are copied into static buffers: the handler must only touch
 * memory that nothing frees or changes under it (async-signal-safe). */

static char tmp_files[MAX_OUTPUTS][PATH_MAX + 64];
static void (*tmp_removers[MAX_OUTPUTS])(const char *tmp);
volatile sig_atomic_t tmp_file_set[MAX_OUTPUTS];

static void on_fatal_signal(int sig)
{
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (tmp_file_set[i] && tmp_removers[i])
            tmp_removers[i](tmp_files[i]); /* the page's temporary data directory */
        else if (tmp_file_set[i])
            unlink(tmp_files[i]);
    signal(sig, SIG_DFL);
    raise(sig); /* delivered on return: the default action, status by signal */
}

/* Registers (path, with its remover or NULL for unlink) or forgets (NULL)
 * temporary file i for the handler. */
void track_tmp_file(int i, const char *path, void (*remove)(const char *tmp))
{
    tmp_file_set[i] = 0;
    if (path && strlen(path) < sizeof tmp_files[i]) {
        strcpy(tmp_files[i], path);
        tmp_removers[i] = remove;
        tmp_file_set[i] = 1;
    }
}

void catch_fatal_signals(void)
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

double now(void)
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
void warn(runner *r, const char *fmt, ...)
{
    if (r->opt->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(r, fmt, ap);
    va_end(ap);
}

/* An output that cannot be written: an error (exit 2), shown under -q too. */
void output_error(runner *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(r, fmt, ap);
    va_end(ap);
}

/* On a terminal the line is redrawn in place at most 5 times a second,
 * from half a second on (short runs print nothing); elsewhere (--progress
 * into a log) a line a second. The last line stays at the end. */
void progress_show(runner *r, int final)
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
size_t max_bytes(const runner *r) { return r->dopt.max_bytes ? r->dopt.max_bytes : (size_t)64 << 20; }

/* The error record's text for an input that could not be read. */
void read_error(const runner *r, const zm_error *err, char *msg, size_t size)
{
    if (err->code == ZM_E_LIMIT)
        snprintf(msg, size, "limit: document is %s, over --max-bytes %zu", err->msg, max_bytes(r));
    else
        snprintf(msg, size, "cannot read: %s", err->msg);
}

/* ---- out of memory: still an error record ----
 * A reserve taken at the start and given back when memory runs out, so
 * that the error record of the input that ran out can be made (its name,
 * its message): out of memory never drops an input's record. */
static pthread_mutex_t reserve_mu = PTHREAD_MUTEX_INITIALIZER;
static void *reserve;
enum { RESERVE_BYTES = 1 << 20 };

void oom_reserve_take(void)
{
    pthread_mutex_lock(&reserve_mu);
    if (!reserve)
        reserve = malloc(RESERVE_BYTES);
    pthread_mutex_unlock(&reserve_mu);
}

void oom_reserve_free(void)
{
    pthread_mutex_lock(&reserve_mu);
    free(reserve);
    reserve = NULL;
    pthread_mutex_unlock(&reserve_mu);
}

/* The error record "limit: out of memory WHAT" for name; NULL only when
 * even the reserve did not make room. */
zm_doc *oom_doc(const char *name, const char *what)
{
    char msg[200];
    snprintf(msg, sizeof msg, "limit: out of memory %s", what);
    zm_doc *d = zm_doc_new_error(name, msg);
    if (!d) {
        oom_reserve_free();
        d = zm_doc_new_error(name, msg);
        oom_reserve_take();
    }
    return d;
}

/* Documents with more metrics are written by the main thread, not
 * prepared by the worker (about 700 bytes of JSON Lines a metric: at most
 * ~3 MB prepared per document in the window). */
enum { PREPARE_MAX_METRICS = 4096 };

static void run_job(runner *r, zm_ctx *ctx, job *j)
{
    zm_doc *d = NULL;
    zm_error err = {0};
    int rc = 0;
    if (atomic_load(&r->stop))
        return; /* an output failed: the job is dropped unwritten */
    if (j->preset_error) {
        d = zm_doc_new_error(j->name, j->preset_error);
    } else if (!ctx) { /* no context: out of memory at the start */
        rc = ZM_E_NOMEM;
    } else {
        if (j->path) {
            char *data;
            size_t len;
            struct stat st = {0};
            if (stat(j->path, &st) == 0 && (size_t)st.st_size > max_bytes(r)) {
                char msg[256];
                snprintf(msg, sizeof msg, "limit: document is %lld bytes, over --max-bytes %zu", (long long)st.st_size,
                         max_bytes(r));
                d = zm_doc_new_error(j->name, msg);
            } else if ((rc = zm_read_file_max(j->path, max_bytes(r), &data, &len, &err))) {
                char msg[700];
                read_error(r, &err, msg, sizeof msg);
                d = rc == ZM_E_NOMEM ? NULL : zm_doc_new_error(j->name, msg);
            } else {
                rc = zm_extract(ctx, j->name, data, len, &r->dopt, &d, &err);
                j->in_bytes = len;
                /* a file written to while it was read and extracted: its
                 * records would describe neither version (a /proc file,
                 * size 0, has nothing to compare) */
                struct stat after;
                if (rc != ZM_E_NOMEM && S_ISREG(st.st_mode) && stat(j->path, &after) == 0 &&
                    (after.st_size != st.st_size || (after.st_size && (size_t)after.st_size != len) ||
                     after.st_mtim.tv_sec != st.st_mtim.tv_sec || after.st_mtim.tv_nsec != st.st_mtim.tv_nsec)) {
                    char msg[200];
                    snprintf(msg, sizeof msg, "cannot read: file changed while read (%lld bytes at open, %zu read, %lld after)",
                             (long long)st.st_size, len, (long long)after.st_size);
                    zm_doc_free(d);
                    d = zm_doc_new_error(j->name, msg);
                }
                if (r->keep_bytes && rc != ZM_E_NOMEM) {
                    j->bytes = data;
                    j->len = len;
                } else {
                    free(data);
                }
            }
        } else {
            rc = zm_extract(ctx, j->name, j->bytes, j->len, &r->dopt, &d, &err);
            j->in_bytes = j->len;
        }
    }
    /* out of memory reading or extracting: the document (partial, or
     * without its error message) and the input given back, an error record
     * instead */
    if (!d || (rc == ZM_E_NOMEM && !zm_doc_error(d))) {
        zm_doc_free(d);
        free(j->bytes);
        j->bytes = NULL;
        j->len = 0;
        d = oom_doc(j->name, "while extracting");
    }
    /* each output's bytes made here, on the worker, when it can (-j N);
     * out of memory there: an error record instead, prepared again */
    /* a large document is not prepared: the main thread writes it as it
     * makes it, in its turn, so that the output held per document in the
     * window stays bounded (docs/performance.md) */
    int prepare = r->prepare && (!d || zm_doc_metric_count(d) <= PREPARE_MAX_METRICS);
    for (int pass = 0; pass < 2 && d && prepare; pass++) {
        int nomem = 0;
        for (int k = 0; !nomem && k < MAX_OUTPUTS; k++)
            if (r->out[k].cls && r->out[k].cls->prepare)
                nomem = r->out[k].cls->prepare(r->out[k].w, d, &j->prep[k], &j->prep_len[k]) != 0;
        if (!nomem)
            break;
        for (int k = 0; k < MAX_OUTPUTS; k++) {
            free(j->prep[k]);
            j->prep[k] = NULL;
            j->prep_len[k] = 0;
        }
        zm_doc_free(d);
        free(j->bytes);
        j->bytes = NULL;
        j->len = 0;
        d = pass == 0 ? oom_doc(j->name, "writing its records") : NULL;
    }
    j->failed = !d || zm_doc_error(d) != NULL;
    if (j->failed)
        j->warning = strdup(d && zm_doc_error(d) ? zm_doc_error(d) : "limit: out of memory, no record written");
    j->doc = d;
    if (!r->keep_bytes) {
        free(j->bytes);
        j->bytes = NULL;
    }
}

static void free_job(job *j)
{
    zm_doc_free(j->doc);
    for (int k = 0; k < MAX_OUTPUTS; k++)
        free(j->prep[k]);
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
    /* the document is kept: only what the stopped matches would have found
     * is missing */
    for (size_t w = 0; j->doc && w < zm_doc_warning_count(j->doc); w++)
        warn(r, "%s: %s", j->name, zm_doc_warning(j->doc, w));
    /* every output, in order; a failed one gets nothing more */
    for (int k = 0; j->doc && k < MAX_OUTPUTS; k++) {
        output *o = &r->out[k];
        if (!o->cls || o->error)
            continue;
        msg[0] = 0;
        int rc = o->cls->add(o->w, j->doc, j->bytes, j->len, j->prep[k], j->prep_len[k], msg, sizeof msg);
        if (rc == ZM_ADD_WARNING) {
            warn(r, "%s", msg); /* said, and the run's status unchanged */
        } else if (rc > 0) {
            /* out of memory writing its records: an error record was
             * written instead (the stream), the run goes on, exit 1 */
            warn(r, "%s", msg);
            j->failed = 1;
        } else if (rc < 0) {
            if (msg[0])
                output_error(r, "%s", msg);
            o->error = 1;
            atomic_store(&r->stop, 1);
        }
    }
    r->ndocs++;
    if (j->failed)
        r->nerrors++;
    r->prog.bytes += j->in_bytes;
    progress_show(r, 0);
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
        run_job(r, ctx, j);
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
void submit(runner *r, job j)
{
    if (atomic_load(&r->stop)) {
        free_job(&j);
        return;
    }
    /* the record's name valid UTF-8 (a GBK file name from a zip made on
     * Chinese Windows); the path read stays as it is */
    char *u = j.name ? zm_name_utf8(j.name) : NULL;
    if (u) {
        free(j.name);
        j.name = u;
    }
    if (r->opt->list_inputs) {
        /* --list-inputs: what the run would read ("F" path) or the error
         * record it would give ("E" record), each NUL-terminated */
        if (j.preset_error || !j.path) {
            zm_doc *d = zm_doc_new_error(j.name, j.preset_error ? j.preset_error : "cannot read: not listed");
            char *buf = NULL;
            size_t len = 0, cap = 0;
            if (d && zm_doc_append(d, ZM_FORMAT_JSONL, &buf, &len, &cap) == 0 && len)
                printf("E%.*s%c", (int)len - 1, buf, 0);
            free(buf);
            zm_doc_free(d);
            r->nerrors++;
        } else {
            printf("F%s%c", j.path, 0);
        }
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
    if (!r->threads) {
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


/* Writes every job submitted so far (waiting for the workers) and flushes
 * the outputs that can: a live --jsonl-in stream, before waiting for its
 * next line. */
void pipeline_flush(runner *r)
{
    if (r->threads) {
        pthread_mutex_lock(&r->mu);
        while (r->next_write < r->next_seq) {
            drain(r, 0);
            if (r->next_write < r->next_seq)
                wait_for(r, r->next_write);
        }
        pthread_mutex_unlock(&r->mu);
    }
    for (int k = 0; k < MAX_OUTPUTS; k++) {
        output *o = &r->out[k];
        if (o->cls && o->cls->flush && !o->error && o->cls->flush(o->w)) {
            o->error = 1;
            atomic_store(&r->stop, 1);
        }
    }
}

/* The worker threads (-j N) or the one context of -j 1. */
void pipeline_start(runner *r)
{
    int jobs = r->opt->jobs;
    r->threads = 0;
    if (jobs > 1) {
        pthread_mutex_init(&r->mu, NULL);
        pthread_cond_init(&r->cv, NULL);
        pthread_cond_init(&r->cv_done, NULL);
        r->window = (size_t)jobs * 8;
        r->slot = calloc(r->window, sizeof *r->slot);
        r->th = calloc((size_t)jobs, sizeof *r->th);
        /* threads that cannot be made (out of memory for their stacks):
         * fewer workers; none, the run goes on in this thread (it waited
         * for a worker forever) */
        for (int i = 0; r->slot && r->th && i < jobs; i++)
            if (pthread_create(&r->th[r->threads], NULL, worker, r) == 0)
                r->threads++;
        if (!r->threads) {
            free(r->th);
            free(r->slot);
            r->th = NULL;
            r->slot = NULL;
            pthread_mutex_destroy(&r->mu);
            pthread_cond_destroy(&r->cv);
            pthread_cond_destroy(&r->cv_done);
        }
    }
    if (!r->threads)
        inline_ctx = zm_ctx_new(r->model);
    oom_reserve_take();
}

/* Writes every job still in flight, in order, and stops the workers. */
void pipeline_finish(runner *r)
{
    if (r->threads) {
        pthread_mutex_lock(&r->mu);
        r->closing = 1;
        pthread_cond_broadcast(&r->cv);
        while (r->next_write < r->next_seq) {
            drain(r, 0);
            if (r->next_write < r->next_seq)
                wait_for(r, r->next_write); /* in order, each as soon as done */
        }
        pthread_mutex_unlock(&r->mu);
        for (int i = 0; i < r->threads; i++)
            pthread_join(r->th[i], NULL);
        free(r->th);
        free(r->slot);
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
        pthread_cond_destroy(&r->cv_done);
    } else {
        zm_ctx_free(inline_ctx);
    }
    oom_reserve_free();
}
