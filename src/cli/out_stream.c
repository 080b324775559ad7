/* The record stream as an output (writer.h): JSON Lines, --format json or
 * --format csv, to stdout or to -o FILE.
 *   a new or plain file => written to FILE.tmp.PID, renamed at commit
 *   a device, a pipe, a symlink such as /dev/stdout => written in place
 * Write errors are sticky and reported once, at close ("write error on
 * FILE: why"); add returns -1 with an empty message so the run stops. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit_csv.h"
#include "track_csv.h"
#include "sbuf.h"
#include "writer.h"

typedef struct stream {
    FILE *f;
    char *path;     /* as named (NULL: stdout) */
    char *tmp_path; /* written instead, renamed at commit */
    int format;
    int error;      /* errno of the first write error */
    char buf[1 << 16];
} stream;

static void *stream_open(const char *path, int format, char *msg, size_t msgsz)
{
    stream *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(msg, msgsz, "out of memory");
        return NULL;
    }
    int track = format & FORMAT_TRACK;
    format &= ~FORMAT_TRACK;
    s->format = format;
    s->f = stdout;
    if (path && strcmp(path, "-") != 0) {
        s->path = strdup(path);
        const char *target = path;
        struct stat st;
        if (lstat(path, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode)) {
            size_t n = strlen(path) + 32;
            s->tmp_path = malloc(n);
            if (s->tmp_path) {
                snprintf(s->tmp_path, n, "%s.tmp.%ld", path, (long)getpid());
                target = s->tmp_path;
            }
        }
        s->f = s->path ? fopen(target, "wb") : NULL;
        if (!s->f) {
            snprintf(msg, msgsz, "%s: %s", target, s->path ? strerror(errno) : "out of memory");
            free(s->tmp_path);
            free(s->path);
            free(s);
            return NULL;
        }
    }
    setvbuf(s->f, s->buf, _IOFBF, sizeof s->buf);
    if (format == FORMAT_CSV && fputs(track ? zm_track_csv_header() : zm_csv_header(), s->f) == EOF)
        s->error = errno ? errno : EIO;
    return s;
}

/* The records of d in the stream's format; on a worker thread. */
static int stream_prepare(void *w, const zm_doc *d, char **out, size_t *len)
{
    stream *s = w;
    *out = NULL;
    *len = 0;
    if (s->format == FORMAT_CSV) {
        sbuf b = {0};
        if (zm_csv_append(d, &b)) {
            sbuf_free(&b);
            return ZM_E_NOMEM;
        }
        *out = b.data;
        *len = b.len;
        return 0;
    }
    size_t cap = 0;
    int rc = zm_doc_append(d, s->format, out, len, &cap);
    if (rc) {
        free(*out);
        *out = NULL;
        *len = 0;
    }
    return rc;
}

static int stream_add(void *w, const zm_doc *d, const char *input, size_t input_len, const char *prepared,
                      size_t prepared_len, char *msg, size_t msgsz)
{
    stream *s = w;
    (void)input, (void)input_len;
    msg[0] = 0;
    if (s->error)
        return -1;
    errno = 0;
    if (prepared) {
        if (prepared_len && fwrite(prepared, 1, prepared_len, s->f) != prepared_len)
            s->error = errno ? errno : EIO;
    } else if (s->format == ZM_FORMAT_JSONL) {
        /* written as it is made: a large document's output is never whole
         * in memory */
        int rc = zm_doc_write(d, ZM_FORMAT_JSONL, s->f);
        if (rc == ZM_E_IO)
            s->error = errno ? errno : EIO;
        else if (rc) {
            snprintf(msg, msgsz, "%s: out of memory writing its records", zm_doc_name(d));
            return 1; /* a warning: the run goes on */
        }
    } else {
        char *out;
        size_t len;
        if (stream_prepare(s, d, &out, &len)) {
            snprintf(msg, msgsz, "%s: out of memory writing its records", zm_doc_name(d));
            return 1;
        }
        if (len && fwrite(out, 1, len, s->f) != len)
            s->error = errno ? errno : EIO;
        free(out);
    }
    return s->error ? -1 : 0;
}

static int stream_close(void *w, int commit, char *msg, size_t msgsz)
{
    stream *s = w;
    if (!s)
        return 0;
    int bad = s->error || fflush(s->f) != 0 || ferror(s->f);
    int saved = s->error ? s->error : errno ? errno : EIO;
    bad |= fclose(s->f) != 0;
    if (s->tmp_path) {
        if (!bad && commit && rename(s->tmp_path, s->path) != 0) {
            bad = 1;
            saved = errno;
        }
        if (bad || !commit)
            unlink(s->tmp_path);
    }
    if (bad)
        snprintf(msg, msgsz, "write error on %s: %s", s->path ? s->path : "stdout", strerror(saved));
    free(s->tmp_path);
    free(s->path);
    free(s);
    return bad ? -1 : 0;
}

static const char *stream_tmp_path(void *w) { return ((stream *)w)->tmp_path; }

/* A track record: a JSON line, or a CSV row (track_csv.c). */
static int stream_add_track(void *w, const zm_track *tr, char *msg, size_t msgsz)
{
    stream *s = w;
    msg[0] = 0;
    if (s->error)
        return -1;
    sbuf b = {0};
    int rc;
    if (s->format == FORMAT_CSV) {
        rc = zm_track_csv_append(tr, &b);
    } else {
        char *j = zm_track_json(tr);
        rc = !j || sbuf_adds(&b, j) || sbuf_addc(&b, '\n');
        free(j);
    }
    if (rc) {
        sbuf_free(&b);
        snprintf(msg, msgsz, "out of memory writing a track record");
        return -1;
    }
    errno = 0;
    if (fwrite(b.data, 1, b.len, s->f) != b.len)
        s->error = errno ? errno : EIO;
    sbuf_free(&b);
    return s->error ? -1 : 0;
}

const writer_class zm_writer_stream = {"stream", 0, stream_open, stream_prepare, stream_add, stream_close,
                                       stream_tmp_path, NULL, stream_add_track};
