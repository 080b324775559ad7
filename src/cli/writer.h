/* One output of a run (the record stream, the SQLite database, the review
 * page): every output implements this interface, so the pipeline opens,
 * feeds and closes them alike, and a new output is one new file.
 *   open(path, format)   => state, or NULL with msg ("path: why")
 *   prepare(doc)         => optional, on a worker thread: bytes made ahead
 *   add(doc, input, prepared), in input order, on the main thread
 *   close(commit | abort) => commit puts the output in place; abort
 *                           leaves nothing behind (temporary files removed,
 *                           the transaction rolled back)
 * Messages name the output; the caller prefixes "zhmetrics: ".
 */
#ifndef ZM_CLI_WRITER_H
#define ZM_CLI_WRITER_H

#include <stddef.h>
#include "zhmetrics.h"

#define ZM_ADD_WARNING 2

typedef struct writer_class {
    const char *name;
    int needs_input; /* add reads the document's input bytes (the page) */
    void *(*open)(const char *path, int format, char *msg, size_t msgsz);
    /* Thread-safe, may be NULL. *out (malloc'd, or NULL) is given to add. */
    int (*prepare)(void *w, const zm_doc *d, char **out, size_t *len);
    /* Returns 0, or -1 with msg (an empty msg: the error is reported by
     * close); 1: the input's records failed (msg warned, exit 1);
     * ZM_ADD_WARNING: msg is only a warning (the run's status unchanged). */
    int (*add)(void *w, const zm_doc *d, const char *input, size_t input_len, const char *prepared,
               size_t prepared_len, char *msg, size_t msgsz);
    int (*close)(void *w, int commit, char *msg, size_t msgsz);
    /* The temporary file being written, removed on a fatal signal; may be NULL. */
    const char *(*tmp_path)(void *w);
    /* Removes that temporary path on a fatal signal (async-signal-safe);
     * NULL: unlink. The review page's is a directory of files. */
    void (*remove_tmp)(const char *tmp);
    /* `zhmetrics track`: one track record (track_cmd.c), after every
     * document; NULL when the output has no place for them. Returns 0 or
     * -1 with msg as add. */
    int (*add_track)(void *w, const zm_track *tr, char *msg, size_t msgsz);
    /* Hands what was added so far to the reader (a live --jsonl-in
     * stream); may be NULL. Returns 0 or -1 (an error reported by close). */
    int (*flush)(void *w);
} writer_class;

/* The record stream: JSON Lines, JSON or CSV (format) to stdout ("-" or
 * NULL) or a file (written beside it and renamed at commit). */
extern const writer_class zm_writer_stream;
extern const writer_class zm_writer_sqlite; /* emit_sqlite.c */
extern const writer_class zm_writer_html;   /* emit_html.c */

/* --format csv (the library knows JSON Lines and JSON) */
#define FORMAT_CSV 100 /* beside ZM_FORMAT_JSONL and ZM_FORMAT_JSON */
/* or'd into the format by `zhmetrics track`: the output holds track
 * records (the stream writes no document CSV header) */
#define FORMAT_TRACK 0x1000

#endif
