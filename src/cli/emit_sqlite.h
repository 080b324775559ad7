/* SQLite output: tables `documents` (one row per input, error records
 * included) and `metrics` (one row per metric), with indexes.
 *   zm_sqlite_open("out.db")  => creates the tables if missing, begins a
 *                                transaction
 *   zm_sqlite_add(s, doc)      => replaces the rows of doc's name: a re-run
 *                                on the same inputs leaves one copy
 *   zm_sqlite_close(s, 1)      => commits (0: rolls back)
 * Values are stored as numbers (value, value_max) and as their exact
 * decimal text (value_text, value_max_text). Written only through the
 * public accessors of zhmetrics.h.
 */
#ifndef ZM_EMIT_SQLITE_H
#define ZM_EMIT_SQLITE_H

#include <stddef.h>
#include "zhmetrics.h"

typedef struct zm_sqlite zm_sqlite;

/* Opens (creating if needed) the database at path. Returns NULL and writes
 * the reason to msg on failure. Caller closes with zm_sqlite_close. */
zm_sqlite *zm_sqlite_open(const char *path, char *msg, size_t msgsz);

/* Replaces the rows of d (by its doc name). Returns 0, or -1 with msg. */
int zm_sqlite_add(zm_sqlite *s, const zm_doc *d, char *msg, size_t msgsz);

/* Commits when commit is non-zero, else rolls back; frees s (NULL ok).
 * Returns 0, or -1 with msg when the commit failed. */
int zm_sqlite_close(zm_sqlite *s, int commit, char *msg, size_t msgsz);

#endif
