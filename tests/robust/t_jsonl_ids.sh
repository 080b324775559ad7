#!/usr/bin/env bash
# --jsonl-in ids (issue 16, item 14): an id with \u0000 was cut at it (two
# ids could merge): refused now; an id or text with a lone surrogate lost
# the whole line and its id: read now, the surrogate as U+FFFD.
. "$(dirname "$0")/lib.sh"

printf '%s\n' '{"id":"a\u0000b","text":"新建学校3所。"}' '{"id":"x\ud800y","text":"新建学校3所。"}' \
    '{"id":"pair\ud83d\ude00","text":"新建学校3\udc00所。"}' '{"id":"esc\\ud800","text":"新建学校3所。"}' |
    "$ZM" --jsonl-in >"$T/out" 2>"$T/err"
RC=$?
assert_eq "exit (one refused line)" 1 "$RC"
doc() { "$PYTHON" -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["type"] in ("document", "error"): print(r["type"], r["doc"], r.get("error") or "")' "$T/out"; }
doc >"$T/docs"
assert_eq "NUL in the id: refused under stdin:1" "error stdin:1 bad JSON Lines input: \"id\" contains a NUL character" "$(sed -n 1p "$T/docs")"
assert_eq "lone surrogate in the id: kept, as U+FFFD" "document x�y " "$(sed -n 2p "$T/docs")"
assert_eq "a pair, and a lone one in the text: read" "document pair😀 " "$(sed -n 3p "$T/docs")"
assert_eq "an escaped backslash before u: not a surrogate" 'document esc\ud800 ' "$(sed -n 4p "$T/docs")"
finish
