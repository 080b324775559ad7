/* The `tracking` table (track_sqlite.h). */
#include "track_sqlite.h"

#include <stdio.h>
#include <stdlib.h>

#include "sbuf.h"
#include "track_csv.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS tracking ("
    " region TEXT NOT NULL, indicator TEXT NOT NULL, indicator_name TEXT, verdict TEXT NOT NULL,"
    " target_id TEXT, target_doc TEXT NOT NULL, target_value NUMERIC, target_qualifier TEXT, target_unit TEXT,"
    " target_from TEXT, target_to TEXT, target_text TEXT,"
    " actual_id TEXT, actual_doc TEXT, actual_value NUMERIC, actual_unit TEXT, actual_change TEXT,"
    " actual_from TEXT, actual_to TEXT, actual_text TEXT, progress TEXT, conflicts TEXT);"
    "CREATE INDEX IF NOT EXISTS tracking_region ON tracking(region, indicator);"
    "DELETE FROM tracking;";

static int bind(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

static int bind_num(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_double(st, i, strtod(v, NULL)) : sqlite3_bind_null(st, i);
}

/* figures as the JSON array the CSV writes */
static int bind_figs(sqlite3_stmt *st, int i, const zm_track_fig *v, size_t n)
{
    sbuf b = {0};
    int rc = zm_track_figs_json(&b, v, n);
    if (!rc)
        rc = sqlite3_bind_text(st, i, b.data, (int)b.len, SQLITE_TRANSIENT);
    sbuf_free(&b);
    return rc;
}

int track_sqlite_add(track_sqlite *ts, sqlite3 *db, const zm_track *tr, char *msg, size_t msgsz)
{
    if (!ts->ins) {
        if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(db, "INSERT INTO tracking VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1,
                               &ts->ins, NULL) != SQLITE_OK) {
            snprintf(msg, msgsz, "cannot create the tracking table: %s", sqlite3_errmsg(db));
            return -1;
        }
    }
    sqlite3_stmt *st = ts->ins;
    const zm_track_fig *t = tr->target, *a = tr->actual;
    int rc = bind(st, 1, tr->region) | bind(st, 2, tr->indicator) | bind(st, 3, tr->indicator_name) |
             bind(st, 4, tr->verdict) | bind(st, 5, t->id) | bind(st, 6, t->doc) | bind_num(st, 7, t->value) |
             bind(st, 8, t->qualifier) | bind(st, 9, t->unit) | bind(st, 10, t->from) | bind(st, 11, t->to) |
             bind(st, 12, t->text);
    rc |= bind(st, 13, a ? a->id : NULL) | bind(st, 14, a ? a->doc : NULL) | bind_num(st, 15, a ? a->value : NULL) |
          bind(st, 16, a ? a->unit : NULL) | bind(st, 17, a ? a->change : NULL) | bind(st, 18, a ? a->from : NULL) |
          bind(st, 19, a ? a->to : NULL) | bind(st, 20, a ? a->text : NULL);
    rc |= bind_figs(st, 21, tr->progress, tr->nprogress) | bind_figs(st, 22, tr->conflicts, tr->nconflicts);
    if (rc || sqlite3_step(st) != SQLITE_DONE) {
        snprintf(msg, msgsz, "cannot store a track record: %s", sqlite3_errmsg(db));
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

void track_sqlite_done(track_sqlite *ts)
{
    sqlite3_finalize(ts->ins);
    ts->ins = NULL;
}
