#!/usr/bin/env bash
# Text converted from PDF keeps the page's line breaks. The same reports
# wrapped at 50, 70 and 90 columns give the records of the reports as they
# are (text, value, unit, kind, status, subject, change, time), and each
# record's line is the line of the wrapped text it stands on.
. "$(dirname "$0")/lib.sh" || exit 1

E=$T/err.txt
docs="corpus/000_52bde1dff1b34489.txt corpus/001_291d74e3b595cf49.txt corpus/002_731d9b2d5a921bef.txt tests/docs/t01_tongxi_summary_2018.txt tests/docs/t03_beitang_bulletin_2022.txt"
for w in 50 70 90; do
    mkdir -p "$T/w$w"
    for f in $docs; do python3 "$LIBDIR/wrap.py" "$w" "$f" "$T/w$w/$(basename "$f")"; done
    "$ZM" $docs >"$T/plain.jsonl" 2>"$E"
    (cd "$T/w$w" && "$ZM" $(for f in $docs; do basename "$f"; done)) >"$T/wrapped.jsonl" 2>"$E"
    assert_eq "wrapped at $w: exit" 0 "$?"
    out=$(python3 - "$T/plain.jsonl" "$T/wrapped.jsonl" "$T/w$w" <<'PY'
import json, sys
from collections import Counter
def recs(p):
    return [json.loads(l) for l in open(p, encoding="utf-8") if '"metric"' in l]
def key(r):
    t = r["time"]
    return (r["text"].replace("\n", ""), r["value"], r["unit"], r["kind"], r["status"],
            r["subject"], r["change"], t and (t["from"], t["to"]))
a, b = recs(sys.argv[1]), recs(sys.argv[2])
same = sum((Counter(map(key, a)) & Counter(map(key, b))).values())
# each record's line holds the start of its span in the wrapped file
bad = 0
for r in b:
    data = open(sys.argv[3] + "/" + r["doc"], "rb").read()
    if data[:r["span"][0]].count(b"\n") + 1 != r["line"]:
        bad += 1
print(len(a), same, bad)
PY
)
    set -- $out
    # at least 98% of the records come out the same (before unwrapping: 73%-86%)
    assert_eq "wrapped at $w: records found the same ($2 of $1, at least 98%)" 1 "$(( $2 * 100 >= $1 * 98 ))"
    assert_eq "wrapped at $w: lines of the wrapped text" 0 "$3"
done
finish
