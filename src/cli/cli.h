/* The command line's shared declarations: its options, the jobs and the
 * runner of the ordered pipeline, and what each of its files offers.
 *   options.c   the command line read into `options` (usage, checks)
 *   inputs.c    inputs: files, directories walked, stdin, JSON Lines
 *   pipeline.c  jobs extracted on worker threads, written in input order to
 *               every output (writer.h); progress, warnings, signals
 *   main.c      the model, the outputs, the run, the exit status
 */
#ifndef ZM_CLI_H
#define ZM_CLI_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

#include "writer.h"
#include "zhmetrics.h"

#ifndef ZM_DATA_DIR
#define ZM_DATA_DIR "/usr/local/share/zhmetrics/dict"
#endif

enum { EXIT_DOCERR = 1, EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_NOMEM = 4 /* before any input */ };
enum { MAX_OUTPUTS = 3 }; /* the stream, the database, the page */

typedef struct job {
    char *name;   /* doc name */
    char *path;   /* file to read, or NULL when bytes are given */
    char *bytes;  /* input bytes; kept for the review page */
    size_t len;
    char *preset_error; /* input already known to be bad */
    /* result */
    char *prep[MAX_OUTPUTS]; /* made ahead for each output (writer prepare) */
    size_t prep_len[MAX_OUTPUTS];
    zm_doc *doc;  /* until every output has it */
    char *warning;
    size_t in_bytes;
    int failed;
    int done;
    size_t seq; /* its place in the input order (threaded pipeline) */
} job;

typedef struct options {
    int format, format_given, jobs, jsonl_in, explain, quiet, progress, csv_raw, list_inputs;
    int list_indicators; /* --list-indicators: print the catalog, no extraction */
    const char *glob, *output, *user_dict, *data_dir, *lexicon, *cache_dir, *ref_date, *sqlite, *html;
    size_t max_bytes;
} options;

typedef struct progress {
    int on, tty, shown;
    double start, last;
    size_t total; /* 0 when unknown (--jsonl-in) */
    size_t bytes;
    int ever; /* a line was shown at some point */
} progress;

/* An output of the run: the stream, the database, the page (writer.h). */
typedef struct output {
    const writer_class *cls;
    void *w;
    const char *path;
    int error; /* it failed: the run stops, and it is not committed */
} output;

typedef struct runner {
    const zm_model *model;
    const options *opt;
    zm_doc_options dopt;
    output out[MAX_OUTPUTS]; /* in the order they are fed and closed; cls NULL when unused */
    int keep_bytes; /* an output reads the input bytes (the page) */
    int prepare;    /* workers make each output's bytes ahead (-j N) */
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
    pthread_t *th;
    int threads; /* workers running (0: -j 1, or none could be made) */
    size_t window, next_seq, next_claim, next_write;
    int closing;
} runner;

/* options.c */
int parse_options(int argc, char **argv, options *o, char ***inputs, int *ninputs);
int usage_error(const char *fmt, const char *arg);
int close_stdout_info(void);

/* inputs.c */
void submit_inputs(runner *r, char **inputs, int ninputs);
void submit_error(runner *r, const char *name, const char *msg);
void read_jsonl(runner *r);

/* pipeline.c */
extern volatile sig_atomic_t tmp_file_set[MAX_OUTPUTS];
void track_tmp_file(int i, const char *path, void (*remove)(const char *tmp));
void catch_fatal_signals(void);
double now(void);
void warn(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void output_error(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void progress_show(runner *r, int final);
size_t max_bytes(const runner *r);
/* The error record's text for an input that could not be read. */
void read_error(const runner *r, const zm_error *err, char *msg, size_t size);
/* Takes ownership of the strings in j. */
void submit(runner *r, job j);
/* Out of memory: the reserve made at the start and given back to make an
 * input's error record ("limit: out of memory WHAT"). */
void oom_reserve_take(void);
void oom_reserve_free(void);
zm_doc *oom_doc(const char *name, const char *what);
void pipeline_start(runner *r);
void pipeline_flush(runner *r);
void pipeline_finish(runner *r);

#endif
