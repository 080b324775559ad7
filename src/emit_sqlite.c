#define _POSIX_C_SOURCE 200809L
#include "emit_sqlite.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_csv.h"
#include "util.h"

/* The schema is documented in docs/integration.md; bump user_version when
 * it changes. */
static const char schema[] =
    "PRAGMA foreign_keys=ON;"
    "CREATE TABLE IF NOT EXISTS documents ("
    " doc TEXT PRIMARY KEY,"
    " type TEXT NOT NULL," /* document or error */
    " error TEXT,"
    " title TEXT, title_inferred INTEGER, org TEXT, region TEXT, doc_no TEXT, date TEXT,"
    " period_text TEXT, period_from TEXT, period_to TEXT,"
    " genre TEXT, encoding TEXT, bytes INTEGER, metrics INTEGER);"
    "CREATE TABLE IF NOT EXISTS metrics ("
    " id TEXT PRIMARY KEY,"
    " doc TEXT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,"
    " n INTEGER NOT NULL,"
    " kind TEXT NOT NULL, status TEXT NOT NULL, text TEXT NOT NULL,"
    " span_start INTEGER, span_end INTEGER, line INTEGER,"
    " value NUMERIC, value_max NUMERIC, value_text TEXT, value_max_text TEXT,"
    " unit TEXT, unit_text TEXT, qualifier TEXT, subject TEXT,"
    " time_text TEXT, time_from TEXT, time_to TEXT, change TEXT,"
    " section TEXT, sentence TEXT, explain TEXT);"
    "CREATE INDEX IF NOT EXISTS metrics_doc ON metrics(doc, n);"
    "CREATE INDEX IF NOT EXISTS metrics_kind_status ON metrics(kind, status);"
    "CREATE INDEX IF NOT EXISTS metrics_subject ON metrics(subject);"
    "CREATE INDEX IF NOT EXISTS metrics_time ON metrics(time_from, time_to);"
    "CREATE INDEX IF NOT EXISTS documents_org ON documents(org);"
    "CREATE INDEX IF NOT EXISTS documents_date ON documents(date);"
    "PRAGMA user_version=2;";

enum { DEL_METRICS, DEL_DOC, INS_DOC, INS_METRIC, NSTMT };

static const char *const sql[NSTMT] = {
    "DELETE FROM metrics WHERE doc=?1",
    "DELETE FROM documents WHERE doc=?1",
    "INSERT INTO documents(doc,type,error,title,org,region,doc_no,date,period_text,period_from,period_to,"
    "genre,encoding,bytes,metrics,title_inferred) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
    "INSERT INTO metrics(id,doc,n,kind,status,text,span_start,span_end,line,value,value_max,value_text,"
    "value_max_text,unit,unit_text,qualifier,subject,time_text,time_from,time_to,change,section,sentence,"
    "explain) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24)",
};

struct zm_sqlite {
    sqlite3 *db;
    sqlite3_stmt *st[NSTMT];
    zm_buf tmp;
    char err[256]; /* message of the last failed step */
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
    /* a database of schema 1 lacks documents.title_inferred */
    sqlite3_stmt *probe = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT title_inferred FROM documents", -1, &probe, NULL) != SQLITE_OK &&
        sqlite3_prepare_v2(s->db, "SELECT doc FROM documents", -1, &probe, NULL) == SQLITE_OK) {
        sqlite3_finalize(probe);
        probe = NULL;
        if (sqlite3_exec(s->db, "ALTER TABLE documents ADD COLUMN title_inferred INTEGER", NULL, NULL, NULL) !=
            SQLITE_OK) {
            fail_msg(s, "cannot update the tables", msg, msgsz);
            goto fail;
        }
    }
    sqlite3_finalize(probe);
    if (sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        fail_msg(s, "cannot create tables", msg, msgsz);
        goto fail;
    }
    for (int i = 0; i < NSTMT; i++)
        if (sqlite3_prepare_v2(s->db, sql[i], -1, &s->st[i], NULL) != SQLITE_OK) {
            fail_msg(s, "cannot prepare", msg, msgsz);
            goto fail;
        }
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        fail_msg(s, "cannot begin a transaction", msg, msgsz);
        goto fail;
    }
    return s;
fail:
    for (int i = 0; i < NSTMT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s);
    return NULL;
}

static int text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static const char *day(const char *s) { return s && *s ? s : NULL; }

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
    for (int i = DEL_METRICS; i <= DEL_DOC; i++) {
        text(s->st[i], 1, name);
        if (step(s, s->st[i]))
            goto fail;
    }
    sqlite3_stmt *st = s->st[INS_DOC];
    const zm_date_range *per = zm_doc_period(d);
    const char *err = zm_doc_error(d);
    text(st, 1, name);
    text(st, 2, err ? "error" : "document");
    text(st, 3, err);
    if (!err) {
        text(st, 4, zm_doc_title(d));
        text(st, 5, zm_doc_org(d));
        text(st, 6, zm_doc_region(d));
        text(st, 7, zm_doc_doc_no(d));
        text(st, 8, zm_doc_date(d));
        text(st, 9, per ? per->text : NULL);
        text(st, 10, per ? day(per->from) : NULL);
        text(st, 11, per ? day(per->to) : NULL);
        text(st, 12, zm_doc_genre(d));
        text(st, 13, zm_doc_encoding(d));
        sqlite3_bind_int64(st, 14, (sqlite3_int64)zm_doc_bytes(d));
        sqlite3_bind_int64(st, 15, (sqlite3_int64)zm_doc_metric_count(d));
        sqlite3_bind_int(st, 16, zm_doc_title_inferred(d) ? 1 : 0);
    }
    if (step(s, st))
        goto fail;
    st = s->st[INS_METRIC];
    size_t n = err ? 0 : zm_doc_metric_count(d);
    for (size_t i = 0; i < n; i++) {
        const zm_metric *m = zm_doc_metric(d, i);
        char num[32];
        snprintf(num, sizeof num, "#%zu", i + 1);
        s->tmp.len = 0;
        if (zm_buf_adds(&s->tmp, name) || zm_buf_adds(&s->tmp, num))
            goto nomem;
        sqlite3_bind_text(st, 1, s->tmp.data, -1, SQLITE_TRANSIENT);
        text(st, 2, name);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)(i + 1));
        text(st, 4, m->kind);
        text(st, 5, m->status);
        text(st, 6, m->text ? m->text : "");
        sqlite3_bind_int64(st, 7, (sqlite3_int64)m->span[0]);
        sqlite3_bind_int64(st, 8, (sqlite3_int64)m->span[1]);
        sqlite3_bind_int(st, 9, m->line);
        text(st, 10, m->value); /* NUMERIC affinity makes it a number */
        text(st, 11, m->value_max);
        text(st, 12, m->value);
        text(st, 13, m->value_max);
        text(st, 14, m->unit);
        text(st, 15, m->unit_text);
        text(st, 16, m->qualifier);
        text(st, 17, m->subject);
        text(st, 18, m->time ? m->time->text : NULL);
        text(st, 19, m->time ? day(m->time->from) : NULL);
        text(st, 20, m->time ? day(m->time->to) : NULL);
        text(st, 21, m->change);
        s->tmp.len = 0;
        if (zm_json_section(&s->tmp, m))
            goto nomem;
        sqlite3_bind_text(st, 22, s->tmp.data, -1, SQLITE_TRANSIENT);
        text(st, 23, m->sentence);
        text(st, 24, m->explain);
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
    zm_buf_free(&s->tmp);
    free(s);
    return rc;
}
