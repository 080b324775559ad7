#!/usr/bin/env bash
# Progress on stderr: on a terminal (a pty from script(1)) a long run keeps
# a line "zhmetrics: done/total files, MB, MB/s, errors" redrawn in place;
# not when stderr is a file, unless --progress (then plain lines); never
# with --quiet alone. The records on stdout are the same either way.
. "$(dirname "$0")/lib.sh"

LINE='zhmetrics: ([0-9]+)/([0-9]+) files, [0-9]+\.[0-9] MB, [0-9]+\.[0-9] MB/s, ([0-9]+) errors?'
# long enough (over a second, the bad file near the end) for the terminal
# line to be on screen when its warning comes
"$PYTHON" - "$T/many" corpus/*.txt <<'PY'
import os, sys
os.mkdir(sys.argv[1])
for i in range(1, 501):
    for f in sys.argv[2:]:
        os.symlink(os.path.abspath(f), os.path.join(sys.argv[1], "%03d_%s" % (i, os.path.basename(f))))
PY
printf 'x\0y' >"$T/many/450_bad.txt"
total=$(ls "$T/many" | wc -l)
# a short run for the checks that do not need a long one
mkdir "$T/few"
for f in "$T"/many/00[1-5]_* "$T/many/450_bad.txt"; do ln -s "$f" "$T/few/"; done
few=$(ls "$T/few" | wc -l)
"$ZM" -q "$T/few" >"$T/ref_few.jsonl" 2>/dev/null

# ---- stderr a file: nothing but the warning, unless --progress
"$ZM" "$T/few" >"$T/out.jsonl" 2>"$T/err"
assert_eq "stderr a file: only the warning" "zhmetrics: $T/few/450_bad.txt: not text: NUL byte at offset 1" "$(cat "$T/err")"
"$ZM" --progress -j 2 "$T/few" >"$T/out.jsonl" 2>"$T/err"
assert_eq "--progress: exit" 1 "$?"
assert_file_eq "--progress: the same records" "$T/ref_few.jsonl" "$T/out.jsonl"
last=$(tail -1 "$T/err")
assert_match "--progress: last line" "^$LINE$" "$last"
[[ $last =~ $LINE ]] && assert_eq "--progress: last line counts every file and the error" \
    "$few/$few 1" "${BASH_REMATCH[1]}/${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
check "--progress into a file: no terminal codes" bash -c "! grep -q \$'\\r\\|\\e' '$T/err'"
assert_match "--progress: the warning still there" "450_bad\.txt: not text" "$(cat "$T/err")"
"$ZM" --progress -q "$T/few" >/dev/null 2>"$T/err"
assert_match "--progress -q: progress without warnings" "^$LINE$" "$(cat "$T/err")"
"$ZM" -q --progress --jsonl-in >/dev/null 2>"$T/err" <<'E2'
{"id":"a","text":"全县共有学校3所。"}
{"id":"b","text":"幼儿园5所。"}
E2
assert_match "--jsonl-in --progress: documents, no total" \
    '^zhmetrics: 2 documents, [0-9.]+ MB, [0-9.]+ MB/s, 0 errors$' "$(cat "$T/err")"

# ---- stderr a terminal
command -v script >/dev/null || skip "script(1) (util-linux) is not installed: no pty for the terminal checks"
script -qec "'$ZM' '$T/many' >'$T/tty.jsonl'" /dev/null >"$T/tty.txt" 2>&1
assert_eq "terminal: a record per input on stdout" "$total" "$(grep -c '^{"type":"\(document\|error\)"' "$T/tty.jsonl")"
check "terminal: the line is redrawn in place" grep -q $'\r''zhmetrics: [0-9]*/'"$total"' files' "$T/tty.txt"
check "terminal: the line is cleared before a warning" grep -q $'\e''\[Kzhmetrics: .*450_bad' "$T/tty.txt"
last=$(tr '\r' '\n' <"$T/tty.txt" | grep -a . | tail -1 | sed $'s/\e\\[K//g')
assert_match "terminal: the final line stays" "^$LINE$" "$last"
[[ $last =~ $LINE ]] && assert_eq "terminal: final counts" "$total/$total 1" \
    "${BASH_REMATCH[1]}/${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
script -qec "'$ZM' --quiet '$T/many' >/dev/null" /dev/null >"$T/tty.txt" 2>&1
assert_eq "terminal, --quiet: nothing" "" "$(tr -d '\r\n' <"$T/tty.txt")"
script -qec "'$ZM' corpus/002_731d9b2d5a921bef.txt >/dev/null" /dev/null >"$T/tty.txt" 2>&1
assert_eq "terminal, a short run: nothing" "" "$(tr -d '\r\n' <"$T/tty.txt")"
finish
