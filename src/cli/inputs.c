/* Inputs: files named on the command line, directories walked (--glob,
 * sorted, symlink cycles stopped), stdin, and JSON Lines records
 * (--jsonl-in); each becomes a job submitted to the pipeline. */
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
#include "json_in.h"
#include "sbuf.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void submit_error(runner *r, const char *name, const char *msg)
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
        snprintf(msg, sizeof msg, "cannot read: directory cannot be listed: %s", strerror(errno));
        submit_error(r, dir, msg);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int list_err = 0;
    for (;;) {
        errno = 0;
        if (!(e = readdir(dp))) {
            list_err = errno;
            break;
        }
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                list_err = ENOMEM;
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) {
            list_err = ENOMEM;
            break;
        }
        n++;
    }
    closedir(dp);
    if (list_err) {
        /* the entries listed are walked; the directory says what is missing */
        char msg[300];
        snprintf(msg, sizeof msg, "cannot read: directory listed in part: %s", strerror(list_err));
        submit_error(r, dir, msg);
    }
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        size_t pl = strlen(dir) + strlen(names[i]) + 2;
        char *path = atomic_load(&r->stop) ? NULL : malloc(pl);
        if (!path) {
            if (!atomic_load(&r->stop))
                submit_error(r, names[i], "limit: out of memory walking its directory");
            free(names[i]);
            continue;
        }
        snprintf(path, pl, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        struct stat st;
        int matches = glob_match(r->opt->glob, names[i]);
        int st_ok = stat(path, &st) == 0, st_err = errno;
        if (st_ok && S_ISDIR(st.st_mode)) {
            if (depth < 64)
                walk(r, path, depth + 1);
            else /* never silence: the directory says it was not walked */
                submit_error(r, path, "limit: directory deeper than 64 levels, not walked");
            free(path);
        } else if (!st_ok && (matches || st_err != ENOENT)) {
            /* a dangling symlink the glob takes; any other failure (no
             * search permission, a path over PATH_MAX, a symlink loop),
             * since the entry may be a directory: an error record */
            char msg[300];
            snprintf(msg, sizeof msg, "cannot read: %s", strerror(st_err));
            submit_error(r, path, msg);
            free(path);
        } else if (matches && st_ok && !S_ISREG(st.st_mode)) {
            /* a fifo or device found by the walk would block or never end */
            submit_error(r, path, "cannot read: not a regular file");
            free(path);
        } else if (matches && st_ok) {
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
    runner *live; /* stdin a pipe or terminal: records out before each wait */
    char buf[65536];
    size_t pos, end;
} line_reader;

/* The next line, without its '\n', in line (NUL-terminated). A line longer
 * than max keeps its first max bytes, sets *over, and the rest of it is
 * read and dropped. Returns 0 at the end of the input or on a read error. */
static int next_line(line_reader *lr, sbuf *line, size_t max, int *over)
{
    line->len = 0;
    *over = 0;
    int any = 0;
    for (;;) {
        if (lr->pos == lr->end) {
            ssize_t n;
            if (lr->live)
                pipeline_flush(lr->live);
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
        if (keep && sbuf_add(line, p, keep))
            *over = 1; /* out of memory: refused like a line too long */
        if (nl)
            break;
    }
    if (!line->data && sbuf_reserve(line, 0))
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

void read_jsonl(runner *r)
{
    sbuf line = {0};
    static line_reader lr; /* 64 KiB: not on the stack */
    lr.fd = STDIN_FILENO;
    /* a pipe (Spark's pipe, a live stream) or a terminal: each line's
     * records as soon as they are made, not at 64 KiB or EOF */
    struct stat st;
    lr.live = isatty(STDIN_FILENO) || (fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
                  ? r
                  : NULL;
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
    sbuf_free(&line);
}


/* Submits the inputs named on the command line, in order. */
void submit_inputs(runner *r, char **inputs, int ninputs)
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
