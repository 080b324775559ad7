#!/usr/bin/env bash
# Several outputs in one run: the stream (stdout or -o) with --sqlite and
# --html; which of them is written; devices and pipes written in place (a
# temporary file renamed over /dev/null would replace the device when run
# as root), except the review page, which needs a file name; no temporary
# file or directory left after SIGTERM; one path for two outputs refused.
. "$(dirname "$0")/lib.sh"

SAMPLE=corpus/002_731d9b2d5a921bef.txt
"$ZM" "$SAMPLE" >"$T/ref.jsonl" 2>/dev/null

"$ZM" --sqlite "$T/a.db" --html "$T/a.html" "$SAMPLE" >"$T/out" 2>"$T/err"
assert_eq "--sqlite --html: exit" 0 "$?"
assert_eq "--sqlite --html: no stream on stdout" "" "$(cat "$T/out")"
check "--sqlite --html: both written" [ -s "$T/a.db" ] && check "page written" [ -s "$T/a.html" ] &&
    check "page data written" [ -s "$T/a.data/index.js" ]
"$ZM" --sqlite "$T/b.db" -o "$T/b.jsonl" "$SAMPLE" >"$T/out" 2>/dev/null
assert_file_eq "--sqlite -o FILE: the stream in FILE" "$T/ref.jsonl" "$T/b.jsonl"
"$ZM" --html "$T/c.html" -o - "$SAMPLE" >"$T/c.jsonl" 2>/dev/null
assert_file_eq "--html -o -: the stream on stdout" "$T/ref.jsonl" "$T/c.jsonl"

# devices and pipes are written in place
"$ZM" -o /dev/null "$SAMPLE" >"$T/out" 2>"$T/err"
assert_eq "-o /dev/null: exit" 0 "$?"
check "-o /dev/null: still a character device" [ -c /dev/null ]
check "-o /dev/null: no temporary file in /dev" bash -c "! ls /dev | grep -q '^null\.tmp'"
# the review page has its data directory beside it: a device or a symlink
# such as /dev/stdout is refused (exit 2), nothing made in /dev
"$ZM" --html /dev/stdout "$SAMPLE" >"$T/page.html" 2>"$T/err"
assert_eq "--html /dev/stdout: refused" 2 "$?"
assert_match "--html /dev/stdout: message" "not a plain file" "$(cat "$T/err")"
check "--html /dev/stdout: nothing in /dev" bash -c "! ls /dev | grep -q '^stdout\.'"
"$ZM" -o /dev/stdout "$SAMPLE" >"$T/stdout.jsonl" 2>/dev/null
assert_file_eq "-o /dev/stdout: the stream" "$T/ref.jsonl" "$T/stdout.jsonl"
check "/dev/stdout is still a symlink" [ -L /dev/stdout ]
check "no temporary file in /dev" bash -c "! ls /dev | grep -q '\.tmp\.'"
"$ZM" -o >(cat >"$T/pipe.jsonl") "$SAMPLE" 2>/dev/null
sleep 0.2
assert_file_eq "-o into a pipe" "$T/ref.jsonl" "$T/pipe.jsonl"

# one path named for two outputs
for args in "-o $T/x --sqlite $T/x" "--html $T/x --sqlite $T/x" "-o $T/x --html $T/x"; do
    # shellcheck disable=SC2086
    "$ZM" $args "$SAMPLE" >/dev/null 2>"$T/err"
    assert_eq "'$args': usage error" 2 "$?"
    check "'$args': nothing written" [ ! -e "$T/x" ]
done

# a page into a directory: exit 2, the database rolled back (no rows)
mkdir "$T/dir.html"
"$ZM" --sqlite "$T/d.db" --html "$T/dir.html" "$SAMPLE" >/dev/null 2>"$T/err"
assert_eq "--html into a directory: exit" 2 "$?"
check "--html into a directory: message" [ -s "$T/err" ]

# killed while running: no temporary file left, no half-written output
mkdir "$T/od"
mkfifo "$T/fifo"
(exec 3>"$T/fifo"; sleep 10) &
holder=$!
"$ZM" -o "$T/od/k.jsonl" --html "$T/od/k.html" --sqlite "$T/od/k.db" - <"$T/fifo" 2>/dev/null &
pid=$!
sleep 0.5
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
assert_eq "SIGTERM: killed by the signal" 143 "$rc"
assert_eq "SIGTERM: no output, no temporary file" "k.db" "$(ls "$T/od" | grep -v -- '-journal$' | tr '\n' ' ' | sed 's/ $//')"
if command -v sqlite3 >/dev/null; then
    # the schema is created inside the run's transaction (issue 16): a
    # killed first run leaves no table, hence no rows
    assert_eq "SIGTERM: the database has no rows (no table)" "0" \
        "$(sqlite3 "$T/od/k.db" "SELECT count(*) FROM sqlite_master WHERE type='table'" 2>&1)"
fi
finish
