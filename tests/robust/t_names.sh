#!/usr/bin/env bash
# Non-UTF-8 file names and ids (issue 16, item 12): a GBK name (zips made
# on Chinese Windows) is decoded as GB18030, other bytes are kept visible
# as \xNN; JSON Lines, CSV, the review page and SQLite stay valid UTF-8.
. "$(dirname "$0")/lib.sh"

N=$T/n
mkdir -p "$N"
cp corpus/003_9ffadad1f1d3667d.txt "$N/$(printf '\xb1\xa8\xb8\xe6.txt')"   # 报告.txt in GBK
cp corpus/003_9ffadad1f1d3667d.txt "$N/$(printf 'a\xff.txt')"
"$ZM" -q --format csv -o "$T/out.csv" --sqlite "$T/m.db" --html "$T/p.html" "$N" 2>"$T/err"
assert_eq "outputs: exit" 0 "$?"
run "$T/out.jsonl" "$T/err" -q "$N"
assert_eq "jsonl: exit" 0 "$RC"
utf8() { "$PYTHON" -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1"; }
for f in out.jsonl out.csv p.html; do
    check "$f: valid UTF-8" utf8 "$T/$f"
done
check "jsonl: valid JSON Lines" "$PYTHON" -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"): json.loads(l)' "$T/out.jsonl"
assert_match "the GBK name decoded" '"doc":"[^"]*/报告\.txt"' "$(grep '"type":"document"' "$T/out.jsonl" | head -2)"
assert_match "the invalid byte kept visible" '"doc":"[^"]*/a\\\\xFF\.txt"' "$(grep '"type":"document"' "$T/out.jsonl")"
check "sqlite: the names valid UTF-8" "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.text_factory = bytes
names = [r[0].decode("utf-8") for r in db.execute("SELECT doc FROM documents")]
assert any(n.endswith("报告.txt") for n in names), names' "$T/m.db"
# a --jsonl-in id with a byte that is not UTF-8
printf '{"id":"x\xff","text":"新建学校3所。"}\n' | "$ZM" --jsonl-in >"$T/ids.jsonl" 2>"$T/err"
check "jsonl-in id: valid UTF-8 output" utf8 "$T/ids.jsonl"
finish
