#!/usr/bin/env bash
# Limits are options with sane defaults, and exceeding one is an error
# record naming the limit (the batch goes on): --max-bytes for files, stdin
# and --jsonl-in documents; hostile --jsonl-in lines each give one record;
# inputs that never end (devices, FIFOs) do not hang the run or eat memory;
# a regex stopped by a PCRE2 limit is warned about, the document kept.
. "$(dirname "$0")/lib.sh"

O=$T/out.jsonl E=$T/err
size=$(stat -c %s "$SAMPLE")
printf '某县2020年工作总结\n共有学校3所。\n' >"$T/small.txt"

# ---- --max-bytes on a file: error record naming the limit, next input read
for spec in 1000 1k 10K; do
    run "$O" "$E" --max-bytes "$spec" "$SAMPLE" "$T/small.txt"
    assert_eq "--max-bytes $spec: exit" 1 "$RC"
    assert_summary "--max-bytes $spec: error naming the limit, then the next input" "$O" \
        "error $SAMPLE *--max-bytes*" "document $T/small.txt 1 utf-8"
done
run "$O" "$E" --max-bytes "$size" "$SAMPLE"
assert_eq "--max-bytes = the file size: accepted" 0 "$RC"
run "$O" "$E" --max-bytes $((size - 1)) "$SAMPLE"
assert_eq "--max-bytes = the file size - 1: refused" 1 "$RC"
assert_match "--max-bytes: message gives the size and the limit" "$size.*$((size - 1))" "$(field "$O" 1 'r["error"]')"
# the default: 64 MiB, documented in --help
assert_match "--help documents the --max-bytes default" 'max-bytes N.*67108864' "$("$ZM" --help | tr '\n' ' ')"
# usage errors free what main() allocated (was BUG-13: LeakSanitizer
# aborted a sanitizer build)
for v in 0 -5 abc 1x 99999999999999999999999; do
    "$ZM" --max-bytes "$v" "$T/small.txt" >"$O" 2>"$E"; RC=$?
    assert_eq "--max-bytes '$v': usage error" 2 "$RC"
    assert_match "--max-bytes '$v': message" 'max-bytes' "$(cat "$E")"
done

# ---- stdin and --jsonl-in: the same limit, the same record
run "$O" "$E" --max-bytes 1000 - <"$SAMPLE"
assert_eq "--max-bytes, stdin: exit" 1 "$RC"
assert_summary "--max-bytes, stdin: error naming the limit" "$O" "error - *--max-bytes*"
"$PYTHON" - "$SAMPLE" >"$T/in.jsonl" <<'PY'
import json, sys
t = open(sys.argv[1], encoding="utf-8").read()
print(json.dumps({"id": "big", "text": t}, ensure_ascii=False))
print(json.dumps({"id": "small", "text": "共有学校3所。"}, ensure_ascii=False))
print(json.dumps({"id": "nul", "text": "共有学校3所。\u0000共有学校4所。"}, ensure_ascii=False))
print('{"id":"cut","text":"共有学校')                  # a line cut short
print("not json at all")
print(json.dumps({"id": "notext"}))
print(json.dumps({"id": "numtext", "text": 12}))
print(json.dumps(["id", "text"]))
print("")                                           # blank: no record
print(json.dumps({"id": "crlf", "text": "共有学校5所。"}) + "\r")
PY
run "$O" "$E" --max-bytes 1000 --jsonl-in <"$T/in.jsonl"
assert_eq "--jsonl-in, hostile lines: exit" 1 "$RC"
assert_summary "--jsonl-in: one record per non-blank line, in order" "$O" \
    "error big *--max-bytes*" "document small 1 *" "error nul *NUL*" "error stdin:4 *" \
    "error stdin:5 *" "error notext *text*" "error numtext *text*" "error stdin:8 *" "document crlf 1 *"

# ---- PCRE2 match limits: user rules with catastrophic backtracking
# (nested quantifiers; alternatives, so that no required character lets
# PCRE2 fail them early) over long runs finish quickly; the document still
# gives its record and the figures elsewhere, exit 0, and each stopped match
# is counted: a warning names the document and the first rule (not under -q)
mkdir -p "$T/evil"
printf 'evil_ignore\tignore\t-\t(?:a+)+(?:b|c)\nevil_metric\tmetric\tcount\t(?<num>[0-9]+)(?:(?:[0-9]|[0-9])+)+(?<unit>所|个)\n' \
    >"$T/evil/rules.tsv"
"$PYTHON" -c "import sys; open(sys.argv[1], 'w').write('某县2020年工作总结\n' + 'a' * 200000 + '\n' + ('1' * 30 + 'x ') * 3000 + '\n共有学校3所。\n')" "$T/evil.txt"
for j in 1 2; do
    timed "$O" "$E" 30 -j $j --dict "$T/evil" "$T/evil.txt" "$T/small.txt"
    echo "catastrophic user regexes (-j $j): ${SECS}s"
    assert_eq "catastrophic regexes (-j $j): exit" 0 "$RC"
    assert_summary "catastrophic regexes (-j $j): the document and its figure" "$O" \
        "document $T/evil.txt 1 utf-8" "document $T/small.txt 1 utf-8"
    assert_match "catastrophic regexes (-j $j): warning with the document, the count, the reason and the rule" \
        "^zhmetrics: $T/evil.txt: 3001 regex matches stopped \(match limit exceeded\), the first by rule 'evil_ignore' \($T/evil/rules.tsv:1\)" \
        "$(cat "$E")"
    assert_eq "catastrophic regexes (-j $j): one warning (none for the other input)" 1 "$(grep -c . "$E")"
done
run "$O" "$E" -q --dict "$T/evil" "$T/evil.txt"
assert_eq "catastrophic regexes, -q: exit" 0 "$RC"
assert_empty "catastrophic regexes, -q: no warning" "$E"
# a metric rule alone: named, the count of its stopped matches
printf 'evil_metric\tmetric\tcount\t(?<num>[0-9]+)(?:(?:[0-9]|[0-9])+)+(?<unit>所|个)\n' >"$T/evil/rules.tsv"
run "$O" "$E" --dict "$T/evil" "$T/evil.txt"
assert_eq "catastrophic metric rule: exit" 0 "$RC"
assert_match "catastrophic metric rule: warning names it" \
    "$T/evil.txt: 3000 regex matches stopped .*rule 'evil_metric' \($T/evil/rules.tsv:1\)" "$(cat "$E")"
# the same rule on text that does not provoke it: no warning
run "$O" "$E" --dict "$T/evil" "$SAMPLE"
assert_eq "catastrophic rule, ordinary text: exit" 0 "$RC"
assert_empty "catastrophic rule, ordinary text: no warning" "$E"

# ---- a 64 MiB + 1 file against the default limit
gen line $((64 * 1024 * 1024 + 1)) "$T/over.txt"
timed "$O" "$E" 60 "$T/over.txt" "$T/small.txt"
assert_eq "default limit (64 MiB): exit" 1 "$RC"
assert_summary "default limit: error naming it, then the next input" "$O" \
    "error $T/over.txt *--max-bytes*67108864*" "document $T/small.txt 1 utf-8"
rm -f "$T/over.txt"

# ---- inputs that never end: a FIFO nobody writes to in a directory, a
# symlink to /dev/zero, an endless stdin. They must give an error record
# (not a regular file, or over --max-bytes) in time and bounded memory.
mkdir -p "$T/dir"
cp "$T/small.txt" "$T/dir/a.txt"
mkfifo "$T/dir/b.txt"
cp "$T/small.txt" "$T/dir/c.txt"
timed "$O" "$E" 10 "$T/dir"
check "FIFO in a directory: the run ends (rc $RC)" [ "$RC" -ne 124 ]
assert_summary "FIFO in a directory: error record in its place" "$O" \
    "document $T/dir/a.txt 1 *" "error $T/dir/b.txt *" "document $T/dir/c.txt 1 *"
rm "$T/dir/b.txt"
ln -s /dev/zero "$T/dir/b.txt"
timed "$O" "$E" 10 --max-bytes 1M "$T/dir"
check "symlink to /dev/zero in a directory: the run ends (rc $RC)" [ "$RC" -ne 124 ]
assert_summary "symlink to /dev/zero in a directory: error record in its place" "$O" \
    "document $T/dir/a.txt 1 *" "error $T/dir/b.txt *" "document $T/dir/c.txt 1 *"

# ---- stdin that cannot be read (a directory): an error record, exit 1
run "$O" "$E" - <"$T"
assert_eq "stdin a directory: exit" 1 "$RC"
assert_summary "stdin a directory: error record" "$O" "error - cannot read: *"
run "$O" "$E" --jsonl-in <"$T"
assert_eq "--jsonl-in, stdin a directory: exit" 1 "$RC"
assert_summary "--jsonl-in, stdin a directory: error record" "$O" "error stdin:1 cannot read: *"

# ---- --jsonl-in: a line longer than twice --max-bytes plus 64 KiB (room
# for \uXXXX escapes) gives an error record naming the limit, under its id
# when the id comes first, else its line number; the next lines go through
"$PYTHON" - >"$T/long.jsonl" <<'PY'
import json
print(json.dumps({"id": "first", "text": "共有学校3所。"}, ensure_ascii=False))
print(json.dumps({"id": "huge", "text": "a" * 3000000}))
print(json.dumps({"text": "b" * 3000000, "id": "late"}))
print(json.dumps({"id": 7, "text": "c" * 3000000}))
# under the limit as text (900 KB), 1.8 MB as JSON with \u escapes: accepted
print(json.dumps({"id": "escaped", "text": "某县2020年工作总结\n共有学校3所。\n" + "教" * 300000}))
print(json.dumps({"id": "last", "text": "共有学校4所。"}, ensure_ascii=False))
PY
run "$O" "$E" --max-bytes 1M --jsonl-in <"$T/long.jsonl"
assert_eq "--jsonl-in, lines over the limit: exit" 1 "$RC"
assert_summary "--jsonl-in, lines over the limit: an error each, the others go through" "$O" \
    "document first 1 *" "error huge *--max-bytes 1048576*" "error stdin:3 *--max-bytes*" \
    "error 7 *--max-bytes*" "document escaped 1 *" "document last 1 *"

# ---- endless streams stop at --max-bytes, in bounded memory: stdin (was
# BUG-9: read whole, until memory ran out, and the record then gave a wrong
# size), a --jsonl-in line, /dev/zero found in a directory
if [ -n "${ASAN_OPTIONS:-}" ]; then
    # a sanitizer build reserves terabytes of address space: no ulimit -v
    echo "streams under ulimit -v: not tried under ASan"
    finish
fi
( ulimit -v 150000; head -c 300000000 /dev/zero | tr '\0' a | timed "$O" "$E" 60 --max-bytes 1M -
  echo "$RC $SECS" >"$T/rc" )
read -r RC SECS <"$T/rc"
assert_eq "300 MB on stdin, --max-bytes 1M, ulimit -v 150 MB: exit" 1 "$RC"
assert_summary "300 MB on stdin, --max-bytes 1M, ulimit -v 150 MB: error naming the limit" "$O" \
    "error - *more than 1048576 bytes*--max-bytes 1048576*"
( ulimit -v 150000
  { echo '{"id":"first","text":"共有学校3所。"}'; printf '{"id":"endless","text":"'
    head -c 300000000 /dev/zero | tr '\0' a; printf '"}\n{"id":"after","text":"共有学校4所。"}\n'; } |
      timed "$O" "$E" 60 --max-bytes 1M --jsonl-in
  echo "$RC $SECS" >"$T/rc" )
read -r RC SECS <"$T/rc"
assert_eq "a 300 MB --jsonl-in line, --max-bytes 1M, ulimit -v 150 MB: exit" 1 "$RC"
assert_summary "a 300 MB --jsonl-in line, ulimit -v 150 MB: its error, then the next line" "$O" \
    "document first 1 *" "error endless *--max-bytes 1048576*" "document after 1 *"
( ulimit -v 150000; timed "$O" "$E" 30 --max-bytes 1M "$T/small.txt" /dev/zero "$T/small.txt"
  echo "$RC $SECS" >"$T/rc" )
read -r RC SECS <"$T/rc"
assert_summary "/dev/zero named, --max-bytes 1M, ulimit -v 150 MB: error naming the limit" "$O" \
    "document $T/small.txt 1 *" "error /dev/zero *--max-bytes 1048576*" "document $T/small.txt 1 *"
finish
