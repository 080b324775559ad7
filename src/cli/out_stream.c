/* The record stream as an output (writer.h): JSON Lines, --format json or
 * --format csv, to stdout or to -o FILE.
 *   a new or plain file => written to FILE.tmp.XXXXXX (outfile.h: created
 *       exclusively, mode 0600), renamed at commit with FILE's mode
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

#include "cli.h"
#include "emit_csv.h"
#include "outfile.h"
#include "track_csv.h"
#include "sbuf.h"
#include "writer.h"

typedef struct stream {
    FILE *f;
    char *path;     /* as named (NULL: stdout) */
    outfile of;     /* -o FILE, written through a temporary file */
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
        if (!(s->path = strdup(path)) || outfile_open(&s->of, path, msg, msgsz)) {
            if (!s->path)
                snprintf(msg, msgsz, "%s: out of memory", path);
            free(s->path);
            free(s);
            return NULL;
        }
        s->f = s->of.f;
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
    } else {
        /* JSON Lines and CSV written as they are made: a large document's
         * output is never whole in memory; JSON (one object) made whole */
        char *out = NULL;
        size_t len = 0;
        int rc = s->format == ZM_FORMAT_JSONL ? zm_doc_write(d, ZM_FORMAT_JSONL, s->f)
                 : s->format == FORMAT_CSV    ? zm_csv_write(d, s->f)
                                              : stream_prepare(s, d, &out, &len);
        if (rc == ZM_E_IO) {
            s->error = errno ? errno : EIO;
        } else if (rc) {
            /* out of memory: the error record instead, after any of the
             * document's records already written (docs/format.md) */
            zm_doc *e = oom_doc(zm_doc_name(d), "writing its records");
            if (e && s->format != FORMAT_CSV && zm_doc_write(e, s->format, s->f) == ZM_E_IO)
                s->error = errno ? errno : EIO;
            zm_doc_free(e);
            snprintf(msg, msgsz, "%s: limit: out of memory writing its records", zm_doc_name(d));
            free(out);
            return s->error ? -1 : 1; /* an error record: the run goes on */
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
    msg[0] = 0;
    if (!s->path) {
        bad |= fclose(s->f) != 0;
    } else if (bad || !commit) {
        outfile_abort(&s->of);
    } else if (outfile_commit(&s->of, msg, msgsz)) {
        bad = 1;
    }
    if (bad && !msg[0])
        snprintf(msg, msgsz, "write error on %s: %s", s->path ? s->path : "stdout", strerror(saved));
    free(s->path);
    free(s);
    return bad ? -1 : 0;
}

static const char *stream_tmp_path(void *w) { return ((stream *)w)->of.tmp_path; }

static int stream_flush(void *w)
{
    stream *s = w;
    if (!s->error && fflush(s->f) != 0)
        s->error = errno ? errno : EIO;
    return s->error ? -1 : 0;
}

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
                                       stream_tmp_path, NULL, stream_add_track, stream_flush};
