#!/usr/bin/env bash
# Output files (issue 16, items 2, 9, 10): one file named for two outputs
# under two spellings is refused; temporary files are created exclusively
# (a planted symlink is never followed) with mode 0600; -o, --html keep an
# existing file's mode.
. "$(dirname "$0")/lib.sh"

A=corpus/003_9ffadad1f1d3667d.txt
D=$T/d
mkdir -p "$D"

# ---- item 2: the same file under two spellings
run /dev/null "$T/err" --sqlite "$D/m.db" "$A"
assert_eq "sqlite first run: exit" 0 "$RC"
cp "$D/m.db" "$T/m.db.before"
run /dev/null "$T/err" -o "$D/./m.db" --sqlite "$D/m.db" "$A"
assert_eq "-o ./m.db --sqlite m.db: exit" 2 "$RC"
assert_match "-o ./m.db --sqlite m.db: message" 'same file' "$(cat "$T/err")"
assert_file_eq "-o ./m.db --sqlite m.db: the database untouched" "$T/m.db.before" "$D/m.db"
ln "$D/m.db" "$D/hard.db"
run /dev/null "$T/err" --html "$D/hard.db" --sqlite "$D/m.db" "$A"
assert_eq "a hard link for two outputs: exit" 2 "$RC"
ln -s m.db "$D/sym.db"
run /dev/null "$T/err" -o "$D/sym.db" --sqlite "$D/m.db" "$A"
assert_eq "a symlink for two outputs: exit" 2 "$RC"
assert_file_eq "a symlink for two outputs: the database untouched" "$T/m.db.before" "$D/m.db"
mkdir -p "$D/sub"
run /dev/null "$T/err" -o "$D/sub/../new.out" --html "$D/new.out" "$A"
assert_eq "a new file under two spellings: exit" 2 "$RC"
check "a new file under two spellings: not created" [ ! -e "$D/new.out" ]
run /dev/null "$T/err" -o "$D/a.out" --html "$D/b.html" "$A"
assert_eq "two different new files: exit" 0 "$RC"

# ---- item 9: a planted symlink at the old predictable name is not followed
echo V >"$D/victim"
ZM="$ZM" A="$A" D="$D" ROOT="$ROOT" sh -c 'cd "$D" && ln -s victim out.jsonl.tmp.$$ && ln -s victim page.html.tmp.$$ && exec "$ZM" -o out.jsonl --html page.html "$ROOT/$A"' >/dev/null 2>"$T/err"
RC=$?
assert_eq "planted symlinks: exit" 0 "$RC"
assert_eq "planted symlinks: the victim untouched" V "$(cat "$D/victim")"
check "planted symlinks: -o written" grep -q '"type":"document"' "$D/out.jsonl"
check "planted symlinks: --html written" grep -q '</html>' "$D/page.html"

# the temporary files while the run waits for its input: mode 0600, beside
# the targets
mkfifo "$D/fifo"
( cd "$D" && exec "$ZM" -o slow.jsonl --html slow.html fifo >/dev/null 2>&1 ) &
pid=$!
for _ in $(seq 50); do
    n=$(find "$D" -maxdepth 1 -name 'slow.*.tmp.*' | wc -l)
    [ "$n" -ge 2 ] && break
    sleep 0.1
done
modes=$(find "$D" -maxdepth 1 -name 'slow.*.tmp.*' -printf '%y%m\n' | sort | tr '\n' ' ')
# -o's temporary file 0600; the review page's temporary data directory
# (the page is written inside it) 0700
assert_eq "temporary files (-o, --html) exist while writing: mode" "d700 f600 " "$modes"
cat "$ROOT/$A" >"$D/fifo"
wait "$pid"
assert_eq "fifo run: exit" 0 "$?"
check "no temporary file left" [ -z "$(find "$D" -maxdepth 1 -name '*.tmp.*' -type f)" ]

# ---- item 10: -o and --html keep an existing file's mode (umask 022)
umask 022
for m in 600 640 664; do
    : >"$D/keep.jsonl"; chmod "$m" "$D/keep.jsonl"
    : >"$D/keep.html"; chmod "$m" "$D/keep.html"
    run /dev/null "$T/err" -o "$D/keep.jsonl" --html "$D/keep.html" "$A"
    assert_eq "mode $m: exit" 0 "$RC"
    assert_eq "-o keeps mode $m" "$m" "$(stat -c %a "$D/keep.jsonl")"
    assert_eq "--html keeps mode $m" "$m" "$(stat -c %a "$D/keep.html")"
done
run /dev/null "$T/err" -o "$D/fresh.jsonl" "$A"
assert_eq "a new -o file: 0666 less the umask" 644 "$(stat -c %a "$D/fresh.jsonl")"
finish
