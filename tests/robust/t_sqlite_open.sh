#!/usr/bin/env bash
# SQLite open (issue 16, item 14): the schema is created or upgraded
# inside the run's transaction, after the write lock: concurrent runs on
# an old database do not both add a column ('duplicate column name'), a
# lock held by another writer is waited for, and an open that fails
# leaves the database as it was (no tables, no columns behind).
. "$(dirname "$0")/lib.sh"

A=corpus/003_9ffadad1f1d3667d.txt
sql() { "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
for r in db.execute(sys.argv[2]): print(*r)' "$@"; }

# ---- a failed open leaves nothing behind
sql "$T/bad.db" "CREATE TABLE metrics(x)" >/dev/null
before=$(sql "$T/bad.db" "SELECT sql FROM sqlite_master ORDER BY name")
run /dev/null "$T/err" --sqlite "$T/bad.db" "$A"
assert_eq "incompatible metrics table: exit" 2 "$RC"
assert_eq "incompatible metrics table: the schema as it was" "$before" \
    "$(sql "$T/bad.db" "SELECT sql FROM sqlite_master ORDER BY name")"

# ---- an old database upgraded by four runs at once
run /dev/null "$T/err" --sqlite "$T/old.db" "$A"
sql "$T/old.db" "ALTER TABLE documents DROP COLUMN title_inferred" >/dev/null
sql "$T/old.db" "PRAGMA user_version=2" >/dev/null
pids=()
for i in 1 2 3 4; do
    "$ZM" --sqlite "$T/old.db" "$A" 2>"$T/err.$i" &
    pids+=($!)
done
for i in 1 2 3 4; do
    wait "${pids[$((i - 1))]}"
    rc=$?
    assert_eq "concurrent upgrade $i: exit ($(head -c 200 "$T/err.$i"))" 0 "$rc"
done
assert_eq "concurrent upgrade: the column added once" 1 \
    "$(sql "$T/old.db" "SELECT count(*) FROM pragma_table_info('documents') WHERE name='title_inferred'")"

# ---- a write lock held for a second: waited for
"$PYTHON" -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE"); open(sys.argv[2], "w").close(); time.sleep(1.5); db.execute("COMMIT")' "$T/old.db" "$T/locked" &
lp=$!
for _ in $(seq 50); do [ -e "$T/locked" ] && break; sleep 0.1; done
run /dev/null "$T/err" --sqlite "$T/old.db" "$A"
assert_eq "held lock: waited for, exit" 0 "$RC"
wait "$lp"
finish
