#define _POSIX_C_SOURCE 200809L
#include "emit_sqlite.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "writer.h"
#include "sbuf.h"
#include "track_sqlite.h"

/* The schema is documented in docs/integration.md. The tables' columns
 * come from the field table (columns.c): a new field is a new column, added
 * to an existing database on open (ALTER TABLE). Bump user_version when the
 * schema changes. */
#define USER_VERSION 3
#define MAX_COLS 128

enum { DEL_METRICS, DEL_DOC, INS_DOC, INS_METRIC, SEEN, NSTMT };

/* The key columns each table starts with; the field table's columns follow. */
static const char *const keys[2] = {
    " doc TEXT PRIMARY KEY, type TEXT NOT NULL," /* document or error */
    " error TEXT,",
    " id TEXT PRIMARY KEY, doc TEXT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,"
    " n INTEGER NOT NULL,"};
static const char *const key_names[2] = {"doc,type,error", "id,doc,n"};
static const char *const tables[2] = {"documents", "metrics"};
#define NKEYS 3

static const char *const indexes =
    "CREATE INDEX IF NOT EXISTS metrics_doc ON metrics(doc, n);"
    "CREATE INDEX IF NOT EXISTS metrics_kind_status ON metrics(kind, status);"
    "CREATE INDEX IF NOT EXISTS metrics_subject ON metrics(subject);"
    "CREATE INDEX IF NOT EXISTS metrics_time ON metrics(time_from, time_to);"
    "CREATE INDEX IF NOT EXISTS documents_org ON documents(org);"
    "CREATE INDEX IF NOT EXISTS documents_date ON documents(date);";

static const char *sql_type(const zm_column *c)
{
    return c->type == ZM_COL_TEXT ? "TEXT" : c->type == ZM_COL_NUMERIC ? "NUMERIC" : "INTEGER";
}

/* NOT NULL: the text fields that always have a value (kind, status, text) */
static int not_null(const zm_column *c)
{
    return (c->info->flags & ZM_FIELD_NOT_NULL) && c->info->type == ZM_FT_STRING && c->type == ZM_COL_TEXT;
}

struct zm_sqlite {
    sqlite3 *db;
    sqlite3_stmt *st[NSTMT];
    zm_column cols[2][MAX_COLS]; /* documents', metrics' */
    int ncols[2];
    sbuf cell;
    sbuf tmp;
    char err[256]; /* message of the last failed step */
    track_sqlite track; /* `zhmetrics track`: the tracking table */
};

static void fail_msg(zm_sqlite *s, const char *what, char *msg, size_t msgsz)
{
    snprintf(msg, msgsz, "%s: %s", what, s->err[0] ? s->err : s->db ? sqlite3_errmsg(s->db) : "out of memory");
}

zm_sqlite *zm_sqlite_open(const char *path, char *msg, size_t msgsz)
{
    zm_sqlite *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(msg, msgsz, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fail_msg(s, "cannot open", msg, msgsz);
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 10000);
    /* the write lock first, then the schema: two runs upgrading one
     * database at once each added the same column ('duplicate column
     * name'), and a run that failed after creating the tables left them
     * behind; the schema changes now share the run's transaction
     * (foreign_keys cannot change inside one) */
    if (sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        fail_msg(s, "cannot begin a transaction", msg, msgsz);
        goto fail;
    }
    sbuf q = {0};
    int bad = 0;
    for (int t = 0; t < 2 && !bad; t++) {
        s->ncols[t] = zm_columns(t, ZM_COLS_NO_KEYS, 1, s->cols[t], MAX_COLS);
        bad = s->ncols[t] < 0;
    }
    /* an older database lacks the columns of newer fields */
    for (int t = 0; t < 2 && !bad; t++) {
        sqlite3_stmt *probe = NULL;
        q.len = 0;
        bad = sbuf_adds(&q, "SELECT 1 FROM ") || sbuf_adds(&q, tables[t]);
        if (bad || sqlite3_prepare_v2(s->db, q.data, -1, &probe, NULL) != SQLITE_OK) {
            sqlite3_finalize(probe);
            continue; /* no such table yet */
        }
        sqlite3_finalize(probe);
        for (int c = 0; c < s->ncols[t] && !bad; c++) {
            const zm_column *col = &s->cols[t][c];
            q.len = 0;
            bad = sbuf_adds(&q, "SELECT ") || sbuf_adds(&q, col->name) || sbuf_adds(&q, " FROM ") ||
                  sbuf_adds(&q, tables[t]);
            probe = NULL;
            if (!bad && sqlite3_prepare_v2(s->db, q.data, -1, &probe, NULL) != SQLITE_OK) {
                q.len = 0;
                bad = sbuf_adds(&q, "ALTER TABLE ") || sbuf_adds(&q, tables[t]) || sbuf_adds(&q, " ADD COLUMN ") ||
                      sbuf_adds(&q, col->name) || sbuf_adds(&q, " ") || sbuf_adds(&q, sql_type(col)) ||
                      sqlite3_exec(s->db, q.data, NULL, NULL, NULL) != SQLITE_OK;
            }
            sqlite3_finalize(probe);
        }
    }
    if (bad) {
        sbuf_free(&q);
        fail_msg(s, "cannot update the tables", msg, msgsz);
        goto fail;
    }
    /* the schema: PRAGMA, the two tables, the indexes */
    q.len = 0;
    bad = sbuf_adds(&q, "");
    for (int t = 0; t < 2 && !bad; t++) {
        bad = sbuf_adds(&q, "CREATE TABLE IF NOT EXISTS ") || sbuf_adds(&q, tables[t]) || sbuf_adds(&q, " (") ||
              sbuf_adds(&q, keys[t]);
        for (int c = 0; c < s->ncols[t] && !bad; c++)
            bad = sbuf_adds(&q, " ") || sbuf_adds(&q, s->cols[t][c].name) || sbuf_adds(&q, " ") ||
                  sbuf_adds(&q, sql_type(&s->cols[t][c])) || (not_null(&s->cols[t][c]) && sbuf_adds(&q, " NOT NULL")) ||
                  sbuf_adds(&q, c + 1 < s->ncols[t] ? "," : ");");
    }
    char ver[64];
    snprintf(ver, sizeof ver, "PRAGMA user_version=%d;", USER_VERSION);
    bad = bad || sbuf_adds(&q, indexes) || sbuf_adds(&q, ver);
    if (bad || sqlite3_exec(s->db, q.data, NULL, NULL, NULL) != SQLITE_OK) {
        sbuf_free(&q);
        fail_msg(s, "cannot create tables", msg, msgsz);
        goto fail;
    }
    if (sqlite3_exec(s->db, "CREATE TEMP TABLE zm_run_docs(doc TEXT PRIMARY KEY)", NULL, NULL, NULL) != SQLITE_OK) {
        sbuf_free(&q);
        fail_msg(s, "cannot create tables", msg, msgsz);
        goto fail;
    }
    /* the statements */
    for (int i = 0; i < NSTMT; i++) {
        int t = i == INS_METRIC || i == DEL_METRICS;
        q.len = 0;
        if (i == SEEN) {
            /* the names this run stored (a TEMP table: this connection's) */
            bad = sbuf_adds(&q, "INSERT OR IGNORE INTO temp.zm_run_docs(doc) VALUES(?1)");
        } else if (i == DEL_METRICS || i == DEL_DOC) {
            bad = sbuf_adds(&q, "DELETE FROM ") || sbuf_adds(&q, tables[t]) || sbuf_adds(&q, " WHERE doc=?1");
        } else {
            bad = sbuf_adds(&q, "INSERT INTO ") || sbuf_adds(&q, tables[t]) || sbuf_adds(&q, "(") ||
                  sbuf_adds(&q, key_names[t]);
            for (int c = 0; c < s->ncols[t] && !bad; c++)
                bad = sbuf_adds(&q, ",") || sbuf_adds(&q, s->cols[t][c].name);
            bad = bad || sbuf_adds(&q, ") VALUES(?1");
            for (int c = 1; c < NKEYS + s->ncols[t] && !bad; c++) {
                char p[16];
                snprintf(p, sizeof p, ",?%d", c + 1);
                bad = sbuf_adds(&q, p);
            }
            bad = bad || sbuf_adds(&q, ")");
        }
        if (bad || sqlite3_prepare_v2(s->db, q.data, -1, &s->st[i], NULL) != SQLITE_OK) {
            sbuf_free(&q);
            fail_msg(s, "cannot prepare", msg, msgsz);
            goto fail;
        }
    }
    sbuf_free(&q);
    return s;
fail:
    for (int i = 0; i < NSTMT; i++)
        sqlite3_finalize(s->st[i]);
    if (s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL); /* nothing left behind */
    sqlite3_close(s->db);
    free(s);
    return NULL;
}

static int text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* Binds the field table's columns of d (metric i) from parameter first on. */
static int bind_cols(zm_sqlite *s, sqlite3_stmt *st, int t, const zm_doc *d, size_t i, int first)
{
    zm_cell v;
    for (int c = 0; c < s->ncols[t]; c++) {
        const zm_column *col = &s->cols[t][c];
        int p = first + c;
        if (zm_column_cell(col, d, i, &s->cell, &v))
            return ZM_E_NOMEM;
        if (v.is_null && not_null(col))
            sqlite3_bind_text(st, p, "", 0, SQLITE_STATIC);
        else if (v.is_null)
            sqlite3_bind_null(st, p);
        else if (col->type == ZM_COL_INT || col->type == ZM_COL_BOOL)
            sqlite3_bind_int64(st, p, (sqlite3_int64)v.i);
        else /* NUMERIC affinity makes a value a number */
            sqlite3_bind_text(st, p, v.s, -1, v.s == s->cell.data ? SQLITE_TRANSIENT : SQLITE_STATIC);
    }
    return 0;
}

static int step(zm_sqlite *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int zm_sqlite_add(zm_sqlite *s, const zm_doc *d, char *msg, size_t msgsz)
{
    const char *name = zm_doc_name(d);
    /* a second input of the same name in one run (two --jsonl-in lines
     * with one id) would replace the first: refused, the first kept; a
     * later run still replaces a name's rows */
    text(s->st[SEEN], 1, name);
    if (step(s, s->st[SEEN]))
        goto fail;
    if (sqlite3_changes(s->db) == 0) {
        snprintf(msg, msgsz, "%s: a second input named so in this run: not stored (the first is kept)", name);
        return 1;
    }
    for (int i = DEL_METRICS; i <= DEL_DOC; i++) {
        text(s->st[i], 1, name);
        if (step(s, s->st[i]))
            goto fail;
    }
    sqlite3_stmt *st = s->st[INS_DOC];
    const char *err = zm_doc_error(d);
    text(st, 1, name);
    text(st, 2, err ? "error" : "document");
    text(st, 3, err);
    if (!err && bind_cols(s, st, 0, d, 0, NKEYS + 1))
        goto nomem;
    if (step(s, st))
        goto fail;
    st = s->st[INS_METRIC];
    size_t n = err ? 0 : zm_doc_metric_count(d);
    for (size_t i = 0; i < n; i++) {
        char num[32];
        snprintf(num, sizeof num, "#%zu", i + 1);
        s->tmp.len = 0;
        if (sbuf_adds(&s->tmp, name) || sbuf_adds(&s->tmp, num))
            goto nomem;
        sqlite3_bind_text(st, 1, s->tmp.data, -1, SQLITE_TRANSIENT);
        text(st, 2, name);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)(i + 1));
        if (bind_cols(s, st, 1, d, i, NKEYS + 1))
            goto nomem;
        if (step(s, st))
            goto fail;
    }
    return 0;
nomem:
    snprintf(msg, msgsz, "out of memory");
    return -1;
fail:
    fail_msg(s, name, msg, msgsz);
    return -1;
}

int zm_sqlite_close(zm_sqlite *s, int commit, char *msg, size_t msgsz)
{
    if (!s)
        return 0;
    int rc = 0;
    for (int i = 0; i < NSTMT; i++)
        sqlite3_finalize(s->st[i]);
    track_sqlite_done(&s->track);
    if (commit && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fail_msg(s, "cannot commit", msg, msgsz);
        rc = -1;
    }
    if (!commit || rc)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (sqlite3_close(s->db) != SQLITE_OK && !rc) {
        snprintf(msg, msgsz, "cannot close the database");
        rc = -1;
    }
    sbuf_free(&s->tmp);
    sbuf_free(&s->cell);
    free(s);
    return rc;
}

/* ---- as an output of the run (writer.h) ---- */
typedef struct sqlite_out {
    zm_sqlite *s;
    char *path;
} sqlite_out;

static void *out_open(const char *path, int format, char *msg, size_t msgsz)
{
    (void)format;
    char m[512];
    sqlite_out *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        free(o);
        snprintf(msg, msgsz, "%s: out of memory", path);
        return NULL;
    }
    if (!(o->s = zm_sqlite_open(path, m, sizeof m))) {
        snprintf(msg, msgsz, "%s: %s", path, m);
        free(o->path);
        free(o);
        return NULL;
    }
    return o;
}

static int out_add(void *w, const zm_doc *d, const char *input, size_t input_len, const char *prepared,
                   size_t prepared_len, char *msg, size_t msgsz)
{
    sqlite_out *o = w;
    char m[512];
    (void)input, (void)input_len, (void)prepared, (void)prepared_len;
    int rc = zm_sqlite_add(o->s, d, m, sizeof m);
    if (rc) {
        snprintf(msg, msgsz, "%s: %s", o->path, m);
        return rc; /* 1: this document refused, the run goes on */
    }
    return 0;
}

static int out_close(void *w, int commit, char *msg, size_t msgsz)
{
    sqlite_out *o = w;
    char m[512];
    int rc = zm_sqlite_close(o->s, commit, m, sizeof m);
    if (rc)
        snprintf(msg, msgsz, "%s: %s", o->path, m);
    free(o->path);
    free(o);
    return rc;
}

static int out_add_track(void *w, const zm_track *tr, char *msg, size_t msgsz)
{
    sqlite_out *o = w;
    char m[512];
    if (track_sqlite_add(&o->s->track, o->s->db, tr, m, sizeof m)) {
        snprintf(msg, msgsz, "%s: %s", o->path, m);
        return -1;
    }
    return 0;
}

const writer_class zm_writer_sqlite = {"sqlite", 0, out_open, NULL, out_add, out_close, NULL, NULL, out_add_track};
