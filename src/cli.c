/* zhmetrics: command-line front end.
 *   zhmetrics corpus/a.txt corpus/b.txt => JSON Lines on stdout
 *   zhmetrics -j 2 -o out.jsonl dir/  => files under dir/, two threads,
 *                                        output in input order
 *   cat docs.jsonl | zhmetrics --jsonl-in   (Hadoop Streaming, Spark pipe)
 * Exit: 0 all inputs processed, 1 some gave an error record, 2 usage or
 * output error, 3 dictionary/rule files could not be loaded.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_in.h"
#include "util.h"
#include "zhmetrics.h"

#ifndef ZM_DATA_DIR
#define ZM_DATA_DIR "/usr/local/share/zhmetrics/dict"
#endif

enum { EXIT_DOCERR = 1, EXIT_USAGE = 2, EXIT_DATA = 3 };

static const char usage[] =
    "Usage: zhmetrics [OPTIONS] [FILE|DIR|-]...\n"
    "Extract figures (counts, money, ratios, measures, durations) from Chinese\n"
    "government reports as JSON Lines records (document, metric, error).\n"
    "Directories are walked recursively; '-' or no argument reads stdin.\n"
    "\n"
    "Options:\n"
    "  --jsonl-in          read JSON Lines {\"id\":...,\"text\":...} from stdin;\n"
    "                      id becomes the record's doc\n"
    "  --format FMT        jsonl (default) or json (one pretty object per input)\n"
    "  -o, --output FILE   write to FILE (via a temporary file, renamed at the end)\n"
    "  --glob PATTERN      file names taken from directories (default *.txt)\n"
    "  -j, --jobs N        worker threads (default 1); output stays in input order\n"
    "  --dict DIR          user dictionary: files named as in dict/ extend it\n"
    "  --data-dir DIR      main dictionary directory (default: next to the binary,\n"
    "                      $ZHMETRICS_DATA, or " ZM_DATA_DIR ")\n"
    "  --lexicon FILE      general lexicon (jieba format); '' for none\n"
    "  --ref-date DATE     reference date YYYY-MM-DD (overrides the document's)\n"
    "  --max-bytes N       largest document accepted (default 67108864)\n"
    "  --explain           add to each metric the rule and cues that decided it\n"
    "  -q, --quiet         no warnings on stderr\n"
    "  --version           print the version\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 all inputs processed, 1 some inputs gave error records,\n"
    "2 usage or output error, 3 dictionary or rule file error.\n"
    "Record format: see docs/format.md and SPEC.md.\n";

typedef struct job {
    char *name;   /* doc name */
    char *path;   /* file to read, or NULL when bytes are given */
    char *bytes;
    size_t len;
    char *preset_error; /* input already known to be bad */
    /* result */
    char *out;
    size_t out_len;
    int failed;
    int done;
} job;

typedef struct options {
    int format, jobs, jsonl_in, explain, quiet;
    const char *glob, *output, *user_dict, *data_dir, *lexicon, *ref_date;
    size_t max_bytes;
} options;

typedef struct runner {
    const zm_model *model;
    const options *opt;
    zm_doc_options dopt;
    FILE *out;
    int write_error;
    size_t ndocs, nerrors;
    /* threaded pipeline: a window of jobs in flight */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *slot;
    size_t window, next_seq, next_claim, next_write;
    int closing;
} runner;

static void run_job(runner *r, zm_ctx *ctx, job *j)
{
    zm_doc *d = NULL;
    zm_error err = {0};
    if (j->preset_error) {
        d = zm_doc_new_error(j->name, j->preset_error);
    } else {
        if (j->path) {
            char *data;
            size_t len;
            struct stat st;
            if (stat(j->path, &st) == 0 && (size_t)st.st_size > (r->dopt.max_bytes ? r->dopt.max_bytes : (64u << 20))) {
                char msg[256];
                snprintf(msg, sizeof msg, "limit: document is %lld bytes, over --max-bytes %zu", (long long)st.st_size,
                         r->dopt.max_bytes ? r->dopt.max_bytes : (size_t)(64u << 20));
                d = zm_doc_new_error(j->name, msg);
            } else if (zm_read_file(j->path, &data, &len, &err)) {
                char msg[700];
                snprintf(msg, sizeof msg, "cannot read: %s", err.msg);
                d = zm_doc_new_error(j->name, msg);
            } else {
                zm_extract(ctx, j->name, data, len, &r->dopt, &d, &err);
                free(data);
            }
        } else {
            zm_extract(ctx, j->name, j->bytes, j->len, &r->dopt, &d, &err);
        }
    }
    size_t cap = 0;
    j->out = NULL;
    j->out_len = 0;
    if (!d || zm_doc_append(d, r->opt->format, &j->out, &j->out_len, &cap)) {
        free(j->out);
        j->out = NULL;
        j->out_len = 0;
        j->failed = 1;
    } else {
        j->failed = zm_doc_error(d) != NULL;
    }
    if (j->failed && !r->opt->quiet)
        fprintf(stderr, "zhmetrics: %s: %s\n", j->name, d && zm_doc_error(d) ? zm_doc_error(d) : "out of memory");
    zm_doc_free(d);
    free(j->bytes);
    j->bytes = NULL;
}

static void write_job(runner *r, job *j)
{
    if (j->out_len && fwrite(j->out, 1, j->out_len, r->out) != j->out_len)
        r->write_error = errno ? errno : EIO;
    r->ndocs++;
    if (j->failed)
        r->nerrors++;
    free(j->out);
    free(j->name);
    free(j->path);
    free(j->preset_error);
    memset(j, 0, sizeof *j);
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
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    zm_ctx_free(ctx);
    return NULL;
}

/* Writes finished jobs in order; with wait, blocks until the window has room. */
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
        pthread_cond_wait(&r->cv, &r->mu);
    }
}

/* Takes ownership of the strings in j. */
static void submit(runner *r, job j)
{
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
    r->next_seq++;
    pthread_cond_broadcast(&r->cv);
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

static void walk(runner *r, const char *dir, int depth)
{
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
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        size_t pl = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(pl);
        if (!path)
            continue;
        snprintf(path, pl, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (depth < 64)
                walk(r, path, depth + 1);
            free(path);
        } else if (fnmatch(r->opt->glob, names[i], 0) == 0) {
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

static char *read_stream(FILE *f, size_t *len)
{
    zm_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (zm_buf_add(&b, tmp, n))
            break;
    if (!b.data)
        zm_buf_reserve(&b, 0);
    *len = b.len;
    return b.data;
}

static void read_jsonl(runner *r)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (!len)
            continue;
        char *id, *text, msg[200];
        size_t tl;
        job j = {0};
        if (zm_jsonl_parse(line, len, &id, &text, &tl, msg, sizeof msg)) {
            char name[64];
            snprintf(name, sizeof name, "stdin:%ld", lineno);
            submit_error(r, id ? id : name, msg);
            free(id);
            continue;
        }
        if (!id) {
            char name[64];
            snprintf(name, sizeof name, "stdin:%ld", lineno);
            id = strdup(name);
        }
        j.name = id;
        j.bytes = text;
        j.len = tl;
        submit(r, j);
    }
    free(line);
}

static int parse_size(const char *s, size_t *out)
{
    char *e;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    if (errno || e == s)
        return -1;
    if (*e == 'k' || *e == 'K')
        v <<= 10, e++;
    else if (*e == 'm' || *e == 'M')
        v <<= 20, e++;
    else if (*e == 'g' || *e == 'G')
        v <<= 30, e++;
    if (*e || v == 0)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "zhmetrics: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'zhmetrics --help'.\n");
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

int main(int argc, char **argv)
{
    options o = {0};
    o.glob = "*.txt";
    o.jobs = 1;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0, only_inputs = 0;
    if (!inputs)
        return EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
#define TAKES(opt) ((strcmp(a, opt) == 0 && i + 1 < argc && (val = argv[++i])) || \
                    (strncmp(a, opt "=", strlen(opt) + 1) == 0 && (val = a + strlen(opt) + 1)))
        if (only_inputs || a[0] != '-' || strcmp(a, "-") == 0) {
            inputs[ninputs++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            only_inputs = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            free(inputs);
            return fflush(stdout) || ferror(stdout) ? EXIT_USAGE : 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("zhmetrics %s\n", ZM_VERSION);
            free(inputs);
            return fflush(stdout) || ferror(stdout) ? EXIT_USAGE : 0;
        } else if (strcmp(a, "--jsonl-in") == 0) {
            o.jsonl_in = 1;
        } else if (strcmp(a, "--explain") == 0) {
            o.explain = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o.quiet = 1;
        } else if (TAKES("--format")) {
            if (strcmp(val, "jsonl") == 0)
                o.format = ZM_FORMAT_JSONL;
            else if (strcmp(val, "json") == 0)
                o.format = ZM_FORMAT_JSON;
            else
                return usage_error("unknown format '%s' (jsonl or json)", val);
        } else if (TAKES("-o") || TAKES("--output")) {
            o.output = val;
        } else if (TAKES("--glob")) {
            o.glob = val;
        } else if (TAKES("-j") || TAKES("--jobs")) {
            char *e;
            long n = strtol(val, &e, 10);
            if (*e || n < 1 || n > 256)
                return usage_error("bad --jobs '%s' (1-256)", val);
            o.jobs = (int)n;
        } else if (TAKES("--dict")) {
            o.user_dict = val;
        } else if (TAKES("--data-dir")) {
            o.data_dir = val;
        } else if (TAKES("--lexicon")) {
            o.lexicon = val;
        } else if (TAKES("--ref-date")) {
            int y, m, d;
            char tail;
            if (sscanf(val, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
                return usage_error("bad --ref-date '%s' (YYYY-MM-DD)", val);
            o.ref_date = val;
        } else if (TAKES("--max-bytes")) {
            if (parse_size(val, &o.max_bytes))
                return usage_error("bad --max-bytes '%s'", val);
        } else {
            return usage_error("unknown or incomplete option '%s'", a);
        }
#undef TAKES
    }
    if (o.jsonl_in && ninputs)
        return usage_error("--jsonl-in reads stdin only; got file argument '%s'", inputs[0]);

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

    /* output: stdout, or a temporary file renamed into place at the end */
    FILE *out = stdout;
    char *tmp_path = NULL;
    if (o.output && strcmp(o.output, "-") != 0) {
        size_t n = strlen(o.output) + 32;
        tmp_path = malloc(n);
        snprintf(tmp_path, n, "%s.tmp.%ld", o.output, (long)getpid());
        out = fopen(tmp_path, "wb");
        if (!out) {
            fprintf(stderr, "zhmetrics: %s: %s\n", tmp_path, strerror(errno));
            zm_model_free(model);
            free(tmp_path);
            free(inputs);
            return EXIT_USAGE;
        }
    }
    static char outbuf[1 << 16];
    setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
    signal(SIGPIPE, SIG_IGN);

    runner r = {0};
    r.model = model;
    r.opt = &o;
    r.out = out;
    r.dopt.ref_date = o.ref_date;
    r.dopt.max_bytes = o.max_bytes;
    r.dopt.explain = o.explain;
    pthread_t *th = NULL;
    if (o.jobs > 1) {
        pthread_mutex_init(&r.mu, NULL);
        pthread_cond_init(&r.cv, NULL);
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
    } else if (ninputs == 0) {
        inputs[ninputs++] = "-";
    }
    for (int i = 0; i < ninputs && !o.jsonl_in; i++) {
        const char *p = inputs[i];
        if (strcmp(p, "-") == 0) {
            job j = {0};
            j.name = strdup("-");
            j.bytes = read_stream(stdin, &j.len);
            submit(&r, j);
            continue;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            char msg[300];
            snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
            submit_error(&r, p, msg);
        } else if (S_ISDIR(st.st_mode)) {
            walk(&r, p, 0);
        } else {
            job j = {0};
            j.name = strdup(p);
            j.path = strdup(p);
            submit(&r, j);
        }
    }

    if (o.jobs > 1) {
        pthread_mutex_lock(&r.mu);
        r.closing = 1;
        pthread_cond_broadcast(&r.cv);
        while (r.next_write < r.next_seq) {
            drain(&r, 0);
            if (r.next_write < r.next_seq)
                pthread_cond_wait(&r.cv, &r.mu);
        }
        pthread_mutex_unlock(&r.mu);
        for (int i = 0; i < o.jobs; i++)
            pthread_join(th[i], NULL);
        free(th);
        free(r.slot);
        pthread_mutex_destroy(&r.mu);
        pthread_cond_destroy(&r.cv);
    } else {
        zm_ctx_free(inline_ctx);
    }

    int status = r.nerrors ? EXIT_DOCERR : 0;
    int bad = r.write_error || fflush(out) != 0 || ferror(out);
    if (out != stdout) {
        bad |= fclose(out) != 0;
        if (!bad && rename(tmp_path, o.output) != 0)
            bad = 1;
        if (bad)
            unlink(tmp_path);
    } else {
        bad |= fclose(stdout) != 0;
    }
    if (bad) {
        fprintf(stderr, "zhmetrics: write error on %s: %s\n", o.output ? o.output : "stdout",
                strerror(r.write_error ? r.write_error : errno ? errno : EIO));
        status = EXIT_USAGE;
    }
    free(tmp_path);
    free(inputs);
    zm_model_free(model);
    return status;
}
