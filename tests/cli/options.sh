#!/usr/bin/env bash
# Command-line options: stdin, --jsonl-in, --format json, -o, -j, --ref-date,
# --version/--help, bad usage (exit 2), output errors (exit 2).
. "$(dirname "$0")/lib.sh" || exit 1

O=$T/out.jsonl E=$T/err.txt
# -o replaces files: make sure no run here touched the repo's inputs
cksum corpus/*.txt tests/docs/*.txt >"$T/inputs.cksum"
cp "$SAMPLE" "$T/sample.txt"   # a throw-away copy for the risky runs
run "$T/file.jsonl" "$E" "$SAMPLE"
n_orig=$(count_type "$T/file.jsonl" metric)

# ---- stdin: '-' and no argument; doc is "-"
run "$O" "$E" - <"$SAMPLE"
assert_eq "stdin '-': exit" 0 "$RC"
assert_summary "stdin '-': one document named -" "$O" "document - $n_orig utf-8"
zmc_ok "stdin '-': same records as the file" same "$O" "$T/file.jsonl" doc,id
run "$O" "$E" <"$SAMPLE"
assert_eq "stdin, no argument: exit" 0 "$RC"
zmc_ok "stdin, no argument: same records as the file" same "$O" "$T/file.jsonl" doc,id
run "$O" "$E" "$SAMPLE" - corpus/003_9ffadad1f1d3667d.txt <"$SAMPLE"
assert_summary "'-' between files: in place" "$O" \
    "document $SAMPLE $n_orig *" "document - $n_orig *" "document corpus/003_9ffadad1f1d3667d.txt *"
run "$O" "$E" </dev/null
assert_eq "empty stdin: exit" 0 "$RC"
assert_summary "empty stdin: a document with 0 metrics" "$O" "document - 0 *"
iconv -f UTF-8 -t GB18030 "$SAMPLE" | "$ZM" >"$O" 2>"$E"
assert_summary "GB18030 on stdin" "$O" "document - $n_orig gb18030"

# ---- --jsonl-in: {"id","text"} lines, id becomes doc; a bad line gives an
# error record and the rest go on
pyrun - "$SAMPLE" >"$T/in.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
w = lambda o: print(json.dumps(o, ensure_ascii=False))
w({"id": "a", "text": "全县共有幼儿园86所，在园幼儿1.2万人。"})
print('{"id": "b", "text": "broken')                 # not JSON
w({"id": "c", "text": text})                          # the whole sample
w({"id": "d"})                                        # no text
w({"id": "报告/甲", "text": "发放资助资金865.3万元。", "extra": [1, 2]})
w({"id": "f", "text": ""})
PY
run "$O" "$E" --jsonl-in <"$T/in.jsonl"
assert_eq "--jsonl-in with bad lines: exit" 1 "$RC"
assert_summary "--jsonl-in: id as doc, bad lines are errors in place" "$O" \
    "document a 2 utf-8" "error * *" "document c $n_orig utf-8" "error d *text*" \
    "document 报告/甲 1 utf-8" "document f 0 utf-8"
assert_eq "--jsonl-in: metric ids use the id" "a#1" "$(field "$O" 2 'r["id"]')"
assert_eq "--jsonl-in: values" "86 12000" "$(field "$O" 2 'r["value"]') $(field "$O" 3 'r["value"]')"
grep '"doc":"c"' "$O" >"$T/c.jsonl"
zmc_ok "--jsonl-in: a text gives what the same file gives" same "$T/c.jsonl" "$T/file.jsonl" doc,id
assert_match "--jsonl-in: stderr names the bad line" 'stdin:2|JSON' "$(cat "$E")"
# CRLF line ends and no final newline are fine
printf '{"id":"x","text":"共有学校3所。"}\r\n{"id":"y","text":"共有学校4所。"}' | "$ZM" --jsonl-in >"$O" 2>"$E"; RC=$?
assert_eq "--jsonl-in CRLF, no final newline: exit" 0 "$RC"
assert_summary "--jsonl-in CRLF, no final newline" "$O" "document x 1 *" "document y 1 *"
run "$O" "$E" --jsonl-in "$T/in.jsonl" </dev/null
assert_eq "--jsonl-in with a file argument: usage error" 2 "$RC"
# a text holding U+0000 (\u0000) must not be silently cut there (cJSON
# strings end at NUL): both metrics, or an error record.
printf '{"id":"n","text":"共有学校3所\\u0000另有5所。"}\n' | "$ZM" --jsonl-in >"$O" 2>"$E"; RC=$?
assert_summary "--jsonl-in text with \\u0000: not silently cut" "$O" "@(document n 2 *|error n *NUL*)"
# Regression: only a real \u0000 inside "text" is refused, not a literal
# backslash before "u0000" (JSON "C:\\u0000") nor a NUL in another member.
printf '%s\n' '{"id":"p","text":"目录C:\\u0000下共有学校3所。"}' \
    '{"id":"q","text":"共有学校3所。","note":"\u0000"}' | "$ZM" --jsonl-in >"$O" 2>"$E"; RC=$?
assert_eq "--jsonl-in no NUL in text (backslash-u0000, NUL in another member): exit" 0 "$RC"
assert_summary "--jsonl-in no NUL in text: documents" "$O" "document p 1 *" "document q 1 *"

# ---- --format json: one pretty object per input with a metrics array
run "$T/pj" "$E" --format json "$SAMPLE" "$T/missing.txt" corpus/003_9ffadad1f1d3667d.txt
assert_eq "--format json: exit (a missing input)" 1 "$RC"
run "$T/pl" "$E" "$SAMPLE" "$T/missing.txt" corpus/003_9ffadad1f1d3667d.txt
n=$(zmc pretty "$T/pj" "$T/pl" 2>&1) || fail "--format json: $n"
assert_eq "--format json: one object per input, same records as JSON Lines" 3 "$n"
run "$T/pj" "$E" --format jsonl "$SAMPLE"
assert_file_eq "--format jsonl is the default" "$T/file.jsonl" "$T/pj"

# ---- -o FILE: written through a temporary file, nothing half-written left
mkdir "$T/od"
run "$O" "$E" -o "$T/od/out.jsonl" "$SAMPLE"
assert_eq "-o: exit" 0 "$RC"
assert_empty "-o: nothing on stdout" "$O"
assert_file_eq "-o: file = stdout output" "$T/file.jsonl" "$T/od/out.jsonl"
run "$O" "$E" -o"$T/od/attached.jsonl" "$SAMPLE"
assert_file_eq "-oFILE (attached) = -o FILE" "$T/file.jsonl" "$T/od/attached.jsonl"
run "$O" "$E" --output "$T/od/out.jsonl" corpus/003_9ffadad1f1d3667d.txt
"$ZM" corpus/003_9ffadad1f1d3667d.txt >"$T/003.jsonl"
assert_file_eq "--output replaces an existing file" "$T/003.jsonl" "$T/od/out.jsonl"
run "$O" "$E" -o "$T/od/mixed.jsonl" "$SAMPLE" "$T/missing.txt"
assert_eq "-o with an error record: exit" 1 "$RC"
assert_summary "-o with an error record: file complete" "$T/od/mixed.jsonl" "document $SAMPLE *" "error $T/missing.txt *"
tmps() { find "$T/od" -name '*.tmp*' | tr '\n' ' '; }
assert_eq "-o: no temporary file left" "" "$(tmps)"
# the output cannot be written (file size limit: write() fails with EFBIG)
echo old >"$T/od/keep.jsonl"
for j in 1 2; do
    (trap '' XFSZ; ulimit -f 8; exec "$ZM" -j "$j" -o "$T/od/keep.jsonl" corpus/*.txt) >"$O" 2>"$E"; RC=$?
    assert_eq "-o, write fails (-j $j): exit" 2 "$RC"
    assert_match "-o, write fails (-j $j): message" 'keep\.jsonl' "$(cat "$E")"
    assert_eq "-o, write fails (-j $j): old file kept" old "$(cat "$T/od/keep.jsonl")"
    (trap '' XFSZ; ulimit -f 8; exec "$ZM" -j "$j" -o "$T/od/new.jsonl" corpus/*.txt) >"$O" 2>"$E"; RC=$?
    assert_eq "-o, write fails (-j $j): exit" 2 "$RC"
    check "-o, write fails (-j $j): no file created" [ ! -e "$T/od/new.jsonl" ]
    assert_eq "-o, write fails (-j $j): no temporary file left" "" "$(tmps)"
done
run "$O" "$E" -o "$T/od/new.jsonl" --data-dir "$T/nodict" "$SAMPLE"
assert_eq "-o, dictionary error: exit" 3 "$RC"
check "-o, dictionary error: no file created" [ ! -e "$T/od/new.jsonl" ]
run "$O" "$E" -o "$T/od/new.jsonl" --no-such-option "$SAMPLE"
assert_eq "-o, usage error: exit" 2 "$RC"
check "-o, usage error: no file created" [ ! -e "$T/od/new.jsonl" ]
assert_eq "-o: no temporary file left after failures" "" "$(tmps)"
run "$O" "$E" -o "$T/no/such/dir/out.jsonl" "$SAMPLE"
assert_eq "-o into a missing directory: exit" 2 "$RC"
check "-o into a missing directory: message" [ -s "$E" ]
# killed while running (reading a stdin that never ends): no output file,
# no temporary file (regression: the empty od/term.jsonl.tmp.<pid> stayed).
# A background job starts with SIGINT ignored: restore it before the exec.
mkfifo "$T/fifo"
for sig in TERM INT; do
    (exec 3>"$T/fifo"; exec sleep 10) &
    holder=$!
    # (python itself, not the pyrun function: $! must be zhmetrics' pid)
    "$PYTHON" -I -S -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$ZM" -o "$T/od/killed.jsonl" - <"$T/fifo" 2>"$E" &
    pid=$!
    # wait until it runs (its temporary file exists), at most 10 s
    for _ in $(seq 100); do [ -n "$(tmps)" ] && break; sleep 0.1; done
    check "-o, SIG$sig: the temporary file exists while running" [ -n "$(tmps)" ]
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid"; RC=$?
    kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
    check "-o, SIG$sig: killed (exit $RC)" [ "$RC" -gt 128 ]
    check "-o, SIG$sig: no output file" [ ! -e "$T/od/killed.jsonl" ]
    assert_eq "-o, SIG$sig: no temporary file left" "" "$(tmps)"
    rm -f "$T"/od/*.tmp* "$T/od/killed.jsonl"
done

# ---- -j N: byte-identical to -j 1, in input order (200 files: corpus/
# 50 times, and a binary file among them)
mkdir "$T/many"
for i in $(seq -w 1 50); do
    for f in corpus/*.txt; do ln -s "$ROOT/$f" "$T/many/${i}_${f##*/}"; done
done
printf 'x\0y' >"$T/many/25_bad.txt"
nfiles=$(find "$T/many" -name "*.txt" | wc -l)
run "$T/j1" "$E" -j 1 "$T/many"
assert_eq "-j 1 over $nfiles files: exit (one binary)" 1 "$RC"
assert_eq "-j 1: documents" $((nfiles - 1)) "$(grep -c '^{"type":"document"' "$T/j1")"
assert_eq "-j 1: errors" 1 "$(grep -c '^{"type":"error"' "$T/j1")"
for j in 2 4; do
    run "$T/j$j" "$E" -j "$j" "$T/many"
    assert_eq "-j $j: exit" 1 "$RC"
    assert_file_eq "-j $j output = -j 1 output" "$T/j1" "$T/j$j"
done
run "$T/j4f" "$E" -j 4 --format json "$T/many"
run "$T/j1f" "$E" -j 1 --format json "$T/many"
assert_file_eq "-j 4 --format json = -j 1" "$T/j1f" "$T/j4f"
run "$T/ji1" "$E" --jsonl-in -j 1 <"$T/in.jsonl"
run "$T/ji4" "$E" --jsonl-in -j 4 <"$T/in.jsonl"
assert_file_eq "--jsonl-in -j 4 = -j 1" "$T/ji1" "$T/ji4"
# one large document: -j 1 writes its lines as it makes them (in 64 KB
# pieces, the escaped sentence no longer reused across a piece), -j 2 all at once
for i in 1 2 3 4 5 6 7 8; do cat corpus/*.txt; done >"$T/big.txt"
run "$T/big1" "$E" -j 1 "$T/big.txt"
run "$T/big2" "$E" -j 2 "$T/big.txt"
check "large document: output of several 64 KB pieces" [ "$(wc -c <"$T/big1")" -gt 200000 ]
assert_file_eq "large document: -j 1 (written as made) = -j 2" "$T/big2" "$T/big1"
run "$O" "$E" -j 1 -o "$T/big1o" "$T/big.txt"
assert_file_eq "large document: -j 1 -o FILE = stdout" "$T/big1" "$T/big1o"
run "$T/j2a" "$E" -j2 "$T/many" # attached, as getopt takes it
assert_file_eq "-j2 = -j 2" "$T/j2" "$T/j2a"
run "$O" "$E" -j2x "$SAMPLE"
assert_eq "-j2x: usage error" 2 "$RC"
for bad in 0 -1 abc 1000000; do
    run "$O" "$E" -j "$bad" "$SAMPLE"
    assert_eq "-j $bad: usage error" 2 "$RC"
    check "-j $bad: message" [ -s "$E" ]
done

# ---- --ref-date: present-state figures (目前, 现有) are dated at it
run "$T/rd" "$E" --ref-date 2021-03-01 "$SAMPLE"
assert_eq "--ref-date: exit" 0 "$RC"
if msg=$(pyrun - "$T/file.jsonl" "$T/rd" <<'PY' 2>&1
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(a) == len(b), "metric count changed: %d -> %d" % (len(a), len(b))
present = 0
for x, y in zip(a[1:], b[1:]):
    assert (x["text"], x["value"], x["span"]) == (y["text"], y["value"], y["span"]), x["id"]
    t = x["time"] or {}
    if t.get("text") in ("目前", "现有", "截至目前", "截止目前"):
        present += 1
        assert t["from"] == t["to"] == "2019-12-31", "%s: default %r" % (x["id"], t)
        assert y["time"]["from"] == y["time"]["to"] == "2021-03-01", "%s: --ref-date gave %r" % (x["id"], y["time"])
    elif t.get("text", "").startswith("2019年") and not x["sentence"].count("以来"):
        assert y["time"] == t, "%s: dated figure changed %r -> %r" % (x["id"], t, y["time"])
assert present >= 5, "only %d present-state figures" % present
print(present)
PY
); then ok; else fail "--ref-date 2021-03-01: $msg"; fi
echo '目前全县共有学校3所。' | "$ZM" --ref-date 2021-03-01 >"$O" 2>"$E"
assert_eq "--ref-date on an undated text" '{"text": "目前", "from": "2021-03-01", "to": "2021-03-01"}' \
    "$(field "$O" 2 'json.dumps(r["time"], ensure_ascii=False)')"
for bad in 2021-13-01 2021-00-10 2021-01-32 2021-01-00 20210301 foo ""; do
    run "$O" "$E" --ref-date "$bad" "$SAMPLE"
    assert_eq "--ref-date '$bad': usage error" 2 "$RC"
    assert_empty "--ref-date '$bad': no output" "$O"
done
# days that do not exist (regression: taken, then silently ignored, exit 0)
for bad in 2021-02-30 2021-02-29 2021-04-31 1900-02-29; do
    run "$O" "$E" --ref-date "$bad" "$SAMPLE"
    assert_eq "--ref-date '$bad' (no such day): usage error" 2 "$RC"
done
run "$O" "$E" --ref-date 2020-02-29 "$SAMPLE"
assert_eq "--ref-date 2020-02-29 (leap day): exit" 0 "$RC"
# without --ref-date, nothing dates 今年, 6月29日, 上半年 in an undated text:
# time is null (SPEC §3). (regression: they were put in year 0000)
printf '今年新建学校3所。\n6月29日新建学校4所。\n上半年新建学校5所。\n' | "$ZM" >"$O" 2>"$E"
assert_summary "undated text: 3 metrics" "$O" "document - 3 *"
assert_eq "undated text: no time" '[null]|[null]|[null]' "$(zmc sig "$O" time | paste -sd'|')"

# ---- --version, --help: exit 0 on stdout
run "$O" "$E" --version
assert_eq "--version: exit" 0 "$RC"
assert_match "--version: output" '^zhmetrics [0-9]+\.[0-9]+' "$(cat "$O")"
for h in --help -h; do
    run "$O" "$E" "$h"
    assert_eq "$h: exit" 0 "$RC"
    assert_match "$h: usage" 'Usage: zhmetrics' "$(head -1 "$O")"
    assert_empty "$h: nothing on stderr" "$E"
done

# ---- usage errors: exit 2, a message on stderr, no records. (Input is a
# throw-away copy, and options missing their value come last: `-o FILE`
# must never be given a file worth keeping.)
for args in "--no-such-option" "-Z" "--format xml" "--max-bytes x" "--max-bytes 0"; do
    # shellcheck disable=SC2086
    run "$O" "$E" $args "$T/sample.txt" </dev/null
    assert_eq "'$args': exit" 2 "$RC"
    check "'$args': message on stderr" [ -s "$E" ]
    assert_empty "'$args': nothing on stdout" "$O"
done
for opt in --format -o --output --glob --ref-date --dict --data-dir --max-bytes -j --jobs --lexicon; do
    run "$O" "$E" "$T/sample.txt" "$opt" </dev/null
    assert_eq "'$opt' without its value: exit" 2 "$RC"
    check "'$opt' without its value: message on stderr" [ -s "$E" ]
    assert_empty "'$opt' without its value: nothing on stdout" "$O"
done
# a negative --max-bytes is refused (regression: wrapped to a huge limit)
for v in -5 -1; do
    run "$O" "$E" --max-bytes "$v" "$T/sample.txt" </dev/null
    assert_eq "'--max-bytes $v': usage error" 2 "$RC"
    assert_empty "'--max-bytes $v': nothing on stdout" "$O"
done
assert_file_eq "usage errors left the input alone" "$SAMPLE" "$T/sample.txt"
run "$O" "$E" "$T/sample.txt" --no-such-option
assert_eq "unknown option after a file: exit" 2 "$RC"
assert_match "unknown option: stderr names it" 'no-such-option' "$(cat "$E")"

# ---- -q: no warnings on stderr, records unchanged
run "$O" "$E" -q "$T/missing.txt"
assert_eq "-q: exit" 1 "$RC"
assert_summary "-q: error record still written" "$O" "error $T/missing.txt *"
assert_empty "-q: nothing on stderr" "$E"

# ---- --explain adds the rule to each metric, nothing else changes
run "$O" "$E" --explain "$SAMPLE"
zmc_ok "--explain: same records but explain" same "$O" "$T/file.jsonl" explain
assert_match "--explain: rule" '"explain":\{"rule":' "$(sed -n 2p "$O")"

# ---- output errors: exit 2 with a message
"$ZM" corpus/*.txt >/dev/full 2>"$E"; RC=$?
assert_eq "> /dev/full: exit" 2 "$RC"
assert_match "> /dev/full: message" 'write error|No space' "$(cat "$E")"
"$ZM" --format json "$SAMPLE" >/dev/full 2>"$E"; RC=$?
assert_eq "--format json > /dev/full: exit" 2 "$RC"
check "--format json > /dev/full: message" [ -s "$E" ]
"$ZM" "$T/sample.txt" >&- 2>"$E"; RC=$?
assert_eq "stdout closed: exit" 2 "$RC"
check "stdout closed: message" [ -s "$E" ]
# (regression: --version and --help said nothing on stderr)
for a in --version --help; do
    "$ZM" $a >/dev/full 2>"$E"; RC=$?
    assert_eq "$a > /dev/full: exit" 2 "$RC"
    check "$a > /dev/full: message on stderr" [ -s "$E" ]
done

# ---- --cache-dir: the compiled lexicon goes there (and is used from there
# the next time, same output); '' writes none, wherever HOME points
O=$T/cache.jsonl E=$T/cache.err
run "$O" "$E" --cache-dir "$T/lexcache" corpus/002_731d9b2d5a921bef.txt
assert_eq "--cache-dir: exit" 0 "$RC"
assert_eq "--cache-dir: one compiled lexicon there" 1 "$(ls "$T/lexcache" 2>/dev/null | grep -c '^lexicon-.*\.bin$')"
run "$T/cache2.jsonl" "$E" --cache-dir "$T/lexcache" corpus/002_731d9b2d5a921bef.txt
assert_file_eq "--cache-dir: the cached lexicon gives the same records" "$O" "$T/cache2.jsonl"
mkdir -p "$T/home"
HOME=$T/home XDG_CACHE_HOME= ZHMETRICS_CACHE=$T/envcache "$ZM" --cache-dir '' corpus/002_731d9b2d5a921bef.txt >"$T/cache3.jsonl" 2>"$E"
assert_file_eq "--cache-dir '': the same records" "$O" "$T/cache3.jsonl"
assert_eq "--cache-dir '': no cache written (the option wins over ZHMETRICS_CACHE)" "" \
    "$(ls -A "$T/home" "$T/envcache" 2>/dev/null | grep -v '^/\|^$' || true)"

cksum corpus/*.txt tests/docs/*.txt >"$T/inputs.cksum2"
assert_file_eq "corpus and test documents unchanged" "$T/inputs.cksum" "$T/inputs.cksum2"

finish
