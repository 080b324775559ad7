#!/usr/bin/env bash
# Output integrity: -o FILE writes through a temporary file and renames, so
# a failed or interrupted run leaves the target absent (or its previous
# content) and no temporary file; a full disk, a closed stdout or a closed
# pipe is an error with exit 2 and a message, never silence.
. "$(dirname "$0")/lib.sh"

O=$T/out.jsonl E=$T/err
files=(corpus/*.txt)
run "$T/ref.jsonl" "$E" "${files[@]}"
assert_eq "reference run: exit" 0 "$RC"

# no_tmp WHAT DIR: no FILE.tmp.* left in DIR
no_tmp() {
    local left
    left=$(ls "$2" | grep -F '.tmp.' || true)
    if [ -z "$left" ]; then ok; else fail "$1: temporary file left: $left"; fi
}

# ---- -o: complete output, no temporary file
mkdir -p "$T/o"
run /dev/null "$E" -o "$T/o/out.jsonl" "${files[@]}"
assert_eq "-o: exit" 0 "$RC"
assert_file_eq "-o: the stdout stream" "$T/ref.jsonl" "$T/o/out.jsonl"
no_tmp "-o" "$T/o"
run /dev/null "$E" -j 2 --output="$T/o/out2.jsonl" "${files[@]}"
assert_file_eq "--output= -j 2: the stdout stream" "$T/ref.jsonl" "$T/o/out2.jsonl"

# ---- -o into a missing directory: exit 2, message, nothing created
run "$T/stdout" "$E" -o "$T/nodir/out.jsonl" "${files[0]}"
assert_eq "-o missing directory: exit" 2 "$RC"
assert_match "-o missing directory: message names it" 'nodir' "$(cat "$E")"
check "-o missing directory: nothing created" [ ! -e "$T/nodir" ]
assert_empty "-o missing directory: nothing on stdout" "$T/stdout"

# ---- a run that fails before any input (broken dictionary, exit 3) leaves
# an existing target as it was
mkdir -p "$T/baddict"
printf '万\tmany\tsection\n' >"$T/baddict/numerals.tsv"
echo "previous content" >"$T/o/keep.jsonl"
run /dev/null "$E" --dict "$T/baddict" -o "$T/o/keep.jsonl" "${files[@]}"
assert_eq "-o, broken dictionary: exit" 3 "$RC"
assert_eq "-o, broken dictionary: target untouched" "previous content" "$(cat "$T/o/keep.jsonl")"
no_tmp "-o, broken dictionary" "$T/o"

# ---- write error in the middle (file size limit, SIGXFSZ ignored: write
# fails with EFBIG): exit 2, target absent or as it was, no temporary file
gen line $((3 * 1024 * 1024)) "$T/big.txt"
echo "previous content" >"$T/o/keep.jsonl"
(trap '' XFSZ; ulimit -f 1024; exec "$ZM" -o "$T/o/keep.jsonl" "$T/big.txt") >/dev/null 2>"$E"; RC=$?
assert_eq "-o, file size limit: exit" 2 "$RC"
assert_match "-o, file size limit: message" 'write error|File too large' "$(cat "$E")"
assert_eq "-o, file size limit: target as it was" "previous content" "$(cat "$T/o/keep.jsonl")"
no_tmp "-o, file size limit" "$T/o"
rm -f "$T/o/keep.jsonl"
(trap '' XFSZ; ulimit -f 1024; exec "$ZM" -o "$T/o/new.jsonl" "$T/big.txt") >/dev/null 2>"$E"; RC=$?
assert_eq "-o new file, file size limit: exit" 2 "$RC"
check "-o new file, file size limit: target absent" [ ! -e "$T/o/new.jsonl" ]
no_tmp "-o new file, file size limit" "$T/o"

# ---- interrupted (SIGINT, SIGTERM, SIGHUP) in the middle: target absent or
# as it was, no temporary file
# A background job starts with SIGINT ignored, and zhmetrics leaves an
# ignored signal ignored: the job gets the default actions back first.
for sig in INT TERM HUP; do
    echo "previous content" >"$T/o/keep.jsonl"
    "$PYTHON" -I -S -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$ZM" -o "$T/o/keep.jsonl" "$T/big.txt" "$T/big.txt" "$T/big.txt" >/dev/null 2>"$E" &
    pid=$!
    # wait until the temporary file exists (the run is under way)
    for _ in $(seq 100); do ls "$T/o" | grep -qF '.tmp.' && break; sleep 0.05; done
    kill -"$sig" "$pid"
    wait "$pid" 2>/dev/null; RC=$?
    check "SIG$sig: the run ended by the signal (rc $RC)" [ "$RC" -gt 128 ]
    assert_eq "SIG$sig: target as it was" "previous content" "$(cat "$T/o/keep.jsonl")"
    no_tmp "SIG$sig" "$T/o"
done
# nohup: an ignored SIGHUP stays ignored, the run completes
echo "previous content" >"$T/o/keep.jsonl"
nohup "$ZM" -o "$T/o/keep.jsonl" "$T/big.txt" >/dev/null 2>"$E" &
pid=$!
for _ in $(seq 100); do ls "$T/o" | grep -qF '.tmp.' && break; sleep 0.05; done
kill -HUP "$pid" 2>/dev/null
wait "$pid"; RC=$?
assert_eq "nohup, SIGHUP: the run completes" 0 "$RC"
check "nohup, SIGHUP: the output was written" grep -q '"type":"document"' "$T/o/keep.jsonl"
no_tmp "nohup, SIGHUP" "$T/o"
# SIGKILL cannot be caught: the target is still absent or as it was
echo "previous content" >"$T/o/keep.jsonl"
"$ZM" -o "$T/o/keep.jsonl" "$T/big.txt" "$T/big.txt" >/dev/null 2>"$E" &
pid=$!
for _ in $(seq 100); do ls "$T/o" | grep -qF '.tmp.' && break; sleep 0.05; done
kill -KILL "$pid"; wait "$pid" 2>/dev/null
assert_eq "SIGKILL: target as it was" "previous content" "$(cat "$T/o/keep.jsonl")"
rm -f "$T"/o/*.tmp.*
# a file size limit with the default SIGXFSZ action (was BUG-6: the signal
# killed the run and left the half-written temporary file): SIGXFSZ is
# ignored, the write fails with EFBIG, the normal error path runs
{ (ulimit -f 1024; exec "$ZM" -o "$T/o/keep.jsonl" "$T/big.txt") >/dev/null 2>"$E"; } 2>/dev/null; RC=$?
assert_eq "SIGXFSZ default action, file size limit: exit" 2 "$RC"
assert_match "SIGXFSZ default action, file size limit: message" 'write error.*File too large' "$(cat "$E")"
assert_eq "SIGXFSZ: target as it was" "previous content" "$(cat "$T/o/keep.jsonl")"
no_tmp "SIGXFSZ" "$T/o"
# the same on stdout: an error, not a death by signal
{ (ulimit -f 1024; exec "$ZM" "$T/big.txt") >"$T/o/stdout.jsonl" 2>"$E"; } 2>/dev/null; RC=$?
assert_eq "SIGXFSZ default action, stdout over the file size limit: exit" 2 "$RC"
rm -f "$T/o/stdout.jsonl"
# a CPU time limit (SIGXCPU, was BUG-6 too): the run dies of the signal, the
# temporary file is removed (soft limit only: the hard one is SIGKILL)
many=()
for _ in $(seq 40); do many+=("$T/big.txt"); done
{ (ulimit -S -t 1; exec "$ZM" -o "$T/o/keep.jsonl" "${many[@]}") >/dev/null 2>"$E"; } 2>/dev/null; RC=$?
check "SIGXCPU: the run ended by the signal (rc $RC)" [ "$RC" -gt 128 ]
assert_eq "SIGXCPU: target as it was" "previous content" "$(cat "$T/o/keep.jsonl")"
no_tmp "SIGXCPU" "$T/o"
rm -f "$T"/o/*.tmp.*

# ---- /dev/full: exit 2 and a message, whatever the amount of output
for args in "${files[0]}" "-j 2 ${files[*]}" "--format json ${files[0]}" "$T/big.txt"; do
    # shellcheck disable=SC2086
    "$ZM" $args >/dev/full 2>"$E"; RC=$?
    assert_eq "/dev/full ($args): exit" 2 "$RC"
    assert_match "/dev/full ($args): message" 'write error.*(No space|space left)' "$(cat "$E")"
done
: >"$T/empty.txt"
"$ZM" "$T/empty.txt" >/dev/full 2>"$E"; RC=$?
assert_eq "/dev/full, one tiny record: exit" 2 "$RC"
"$ZM" -o /dev/full "${files[0]}" 2>"$E"; RC=$?
assert_eq "-o /dev/full: exit" 2 "$RC"
for opt in --help --version; do
    "$ZM" $opt >/dev/full 2>"$E"; RC=$?
    assert_eq "$opt >/dev/full: exit" 2 "$RC"
done

# ---- the stream fails (at once, or only at the last flush): the database
# and the page are left as they were (rolled back, not replaced)
run /dev/null "$E" --sqlite "$T/o/m.db" --html "$T/o/p.html" "${files[0]}"
assert_eq "--sqlite --html, first run: exit" 0 "$RC"
cp "$T/o/p.html" "$T/o/p.ref"
cp -r "$T/o/p.data" "$T/o/p.data-ref"
ndocs() { "$PYTHON" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from documents").fetchone()[0])' "$1"; }
for args in "${files[*]}" "$T/big.txt ${files[*]}"; do
    # shellcheck disable=SC2086
    "$ZM" --sqlite "$T/o/m.db" --html "$T/o/p.html" --format jsonl $args >/dev/full 2>"$E"; RC=$?
    assert_eq "--sqlite --html, stream on /dev/full: exit" 2 "$RC"
    assert_eq "--sqlite --html, stream on /dev/full: one message" 1 "$(grep -c . "$E")"
    assert_file_eq "--sqlite --html, stream on /dev/full: the page as it was" "$T/o/p.ref" "$T/o/p.html"
    check "--sqlite --html, stream on /dev/full: the page's data as it was" diff -r "$T/o/p.data-ref" "$T/o/p.data"
    assert_eq "--sqlite --html, stream on /dev/full: the database as it was" 1 "$(ndocs "$T/o/m.db")"
done
no_tmp "--sqlite --html, stream on /dev/full" "$T/o"
rm -rf "$T/o/m.db" "$T/o/p.html" "$T/o/p.ref" "$T/o/p.data" "$T/o/p.data-ref"

# ---- closed stdout: exit 2
"$ZM" "${files[0]}" >&- 2>"$E"; RC=$?
assert_eq "closed stdout: exit" 2 "$RC"
assert_match "closed stdout: message" 'write error' "$(cat "$E")"

# ---- a reader that goes away (| head): exit 2, one message, and it stops
# there: no extraction starts after the write error (was BUG-7: every
# remaining input was extracted first). Sixteen inputs: what runs before the
# error shows (the first input, and with -j 2 the ones the threads took
# meanwhile) is a small part of the run.
many=()
for _ in $(seq 16); do many+=("$T/big.txt"); done
for j in 1 2; do
    start=$(date +%s%N)
    "$ZM" -j $j "${many[@]}" 2>"$E" | head -c 100 >/dev/null
    RC=${PIPESTATUS[0]}
    ms=$(ms_since "$start")
    assert_eq "closed pipe (-j $j): exit" 2 "$RC"
    assert_match "closed pipe (-j $j): message" 'write error.*(Broken pipe|EPIPE)' "$(cat "$E")"
    assert_eq "closed pipe (-j $j): one message" 1 "$(grep -c . "$E")"
    start=$(date +%s%N)
    "$ZM" -j $j "${many[@]}" >/dev/null 2>&1
    full=$(ms_since "$start")
    echo "closed pipe after 100 bytes (-j $j): exit after ${ms} ms; the whole run: ${full} ms"
    check "closed pipe (-j $j): stops before extracting the remaining inputs (${ms} ms of ${full})" \
        [ "$ms" -lt $((full / 2)) ]
done
# more inputs than the -j 2 window (16): the main thread, which writes,
# wakes once per half window; the failed write is still seen at once
# compared with the run (at most 8 more documents)
more=()
for _ in $(seq 64); do more+=("$T/big.txt"); done
start=$(date +%s%N)
"$ZM" -j 2 "${more[@]}" 2>"$E" | head -c 100 >/dev/null
RC=${PIPESTATUS[0]}
ms=$(ms_since "$start")
start=$(date +%s%N)
"$ZM" -j 2 "${more[@]}" >/dev/null 2>&1
full64=$(ms_since "$start")
assert_eq "closed pipe (-j 2, 64 inputs): exit" 2 "$RC"
check "closed pipe (-j 2, 64 inputs): stops early (${ms} ms of ${full64})" [ "$ms" -lt $((full64 / 2)) ]
# the same with a directory, --jsonl-in and -o on a full disk: the first
# failed write ends the run
mkdir -p "$T/dir"
for i in $(seq 16); do ln -s "$T/big.txt" "$T/dir/$i.txt"; done
start=$(date +%s%N)
"$ZM" "$T/dir" 2>"$E" | head -c 100 >/dev/null
RC=${PIPESTATUS[0]}
ms=$(ms_since "$start")
assert_eq "closed pipe, a directory: exit" 2 "$RC"
check "closed pipe, a directory: stops early (${ms} ms of ${full})" [ "$ms" -lt $((full / 2)) ]
"$PYTHON" - "$T/big.txt" >"$T/big.jsonl" <<'PY'
import json, sys
t = open(sys.argv[1], encoding="utf-8").read()
for i in range(16):
    print(json.dumps({"id": "d%d" % i, "text": t}, ensure_ascii=False))
PY
start=$(date +%s%N)
"$ZM" --jsonl-in <"$T/big.jsonl" 2>"$E" | head -c 100 >/dev/null
RC=${PIPESTATUS[0]}
ms=$(ms_since "$start")
assert_eq "closed pipe, --jsonl-in: exit" 2 "$RC"
check "closed pipe, --jsonl-in: stops early (${ms} ms of ${full})" [ "$ms" -lt $((full / 2)) ]
start=$(date +%s%N)
"$ZM" -j 2 -o /dev/full "${many[@]}" 2>"$E"; RC=$?
ms=$(ms_since "$start")
assert_eq "-o /dev/full -j 2, sixteen inputs: exit" 2 "$RC"
assert_eq "-o /dev/full -j 2, sixteen inputs: one message" 1 "$(grep -c . "$E")"
check "-o /dev/full -j 2: stops early (${ms} ms of ${full})" [ "$ms" -lt $((full / 2)) ]
finish
