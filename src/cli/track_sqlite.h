/* `zhmetrics track --sqlite FILE`: the track records as the table
 * `tracking`, beside documents and metrics (its target_id and actual_id
 * are metrics.id when the run also stored the documents):
 *   SELECT region, indicator_name, target_value, actual_value, verdict
 *     FROM tracking WHERE verdict = 'missed';
 * A run replaces the table's rows. progress and conflicts are JSON arrays
 * (json_each() reads them). */
#ifndef ZM_TRACK_SQLITE_H
#define ZM_TRACK_SQLITE_H
#include <sqlite3.h>
#include <stddef.h>
#include "zhmetrics.h"

typedef struct track_sqlite {
    sqlite3_stmt *ins; /* NULL until the first record */
} track_sqlite;

/* Adds one record (inside the writer's transaction); 0, or -1 with msg. */
int track_sqlite_add(track_sqlite *ts, sqlite3 *db, const zm_track *tr, char *msg, size_t msgsz);
void track_sqlite_done(track_sqlite *ts);

#endif
