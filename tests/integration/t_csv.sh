#!/usr/bin/env bash
# --format csv: RFC 4180 (CRLF, quoted fields with doubled quotes), a header
# row, one row per metric with its document's fields repeated, the same
# values as the JSON Lines records; NULL is an empty field, an empty string
# is "". Documents without metrics and error records give no row.
. "$(dirname "$0")/lib.sh"

files=(corpus/*.txt tests/docs/*.txt)
"$ZM" "${files[@]}" >"$T/all.jsonl" 2>/dev/null
"$ZM" --format csv "${files[@]}" >"$T/all.csv" 2>"$T/err"
assert_eq "csv: exit" 0 "$?"
"$ZM" --format csv -j 2 "${files[@]}" >"$T/all2.csv" 2>/dev/null
assert_file_eq "csv -j 2 = -j 1" "$T/all.csv" "$T/all2.csv"
"$ZM" --format csv --output "$T/out.csv" "${files[@]}" 2>/dev/null
assert_file_eq "csv -o FILE = stdout" "$T/all.csv" "$T/out.csv"

COLUMNS="doc,title,title_inferred,org,region,doc_no,date,period_text,period_from,period_to,genre,encoding,doc_bytes,doc_metrics,id,n,kind,status,text,span_start,span_end,line,value,value_max,unit,unit_text,qualifier,subject,time_text,time_from,time_to,change,section,sentence,explain,script,format,currency,page,indicator,target_type"
assert_eq "header row" "$COLUMNS" "$(head -1 "$T/all.csv" | tr -d '\r')"

# same_as_jsonl CSV JSONL: every row is the metric record of the same rank,
# with its document's fields; RFC 4180 line ends and quoting.
same_as_jsonl() {
    py_ok "$1" "$2" "$3" <<'PY'
import csv, io, json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), "last line not ended by CRLF"
text = raw.decode("utf-8")
# every record ends with CRLF: no bare LF outside quotes
rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
header, rows = rows[0], rows[1:]
docs, metrics = {}, []
for l in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(l)
    if r["type"] == "document":
        docs[r["doc"]] = r
    elif r["type"] == "metric":
        metrics.append(r)
assert len(rows) == len(metrics), "%d rows for %d metrics" % (len(rows), len(metrics))
s = lambda v: "" if v is None else str(v)
for row, m in zip(rows, metrics):
    assert len(row) == len(header), "%s: %d fields" % (m["id"], len(row))
    c = dict(zip(header, row))
    d = docs[m["doc"]]
    per = d["period"] or {}
    t = m["time"] or {}
    want = {
        "doc": d["doc"], "title": s(d["title"]),
        "title_inferred": "true" if d["title_inferred"] else "false", "org": s(d["org"]), "region": s(d["region"]),
        "doc_no": s(d["doc_no"]), "date": s(d["date"]), "period_text": s(per.get("text")),
        "period_from": s(per.get("from")), "period_to": s(per.get("to")), "genre": d["genre"],
        "encoding": d["encoding"], "doc_bytes": str(d["bytes"]), "doc_metrics": str(d["metrics"]),
        "id": m["id"], "n": m["id"].rsplit("#", 1)[1], "kind": m["kind"], "status": m["status"],
        "text": m["text"], "span_start": str(m["span"][0]), "span_end": str(m["span"][1]),
        "line": str(m["line"]), "value": s(m["value"]), "value_max": s(m["value_max"]),
        "unit": m["unit"], "unit_text": s(m["unit_text"]), "qualifier": m["qualifier"],
        "subject": s(m["subject"]), "time_text": s(t.get("text")), "time_from": s(t.get("from")),
        "time_to": s(t.get("to")), "change": s(m["change"]), "sentence": m["sentence"],
        "explain": json.dumps(m["explain"], ensure_ascii=False, separators=(",", ":")) if "explain" in m else "",
        "script": d["script"], "format": d["format"], "currency": s(m["currency"]), "page": s(m["page"]),
    }
    for k, v in want.items():
        got = c[k]
        if k == "value" or k == "value_max":  # JSON numbers: compare as decimals
            from decimal import Decimal
            ok = (got == v) or (got and v and Decimal(got) == Decimal(v))
        elif k == "explain" and got:
            ok = json.loads(got) == m["explain"]
        else:
            ok = got == v
        assert ok, "%s: %s is %r, expected %r" % (m["id"], k, got, v)
    assert json.loads(c["section"]) == m["section"], "%s: section %r" % (m["id"], c["section"])
print(len(rows))
PY
}
same_as_jsonl "corpus: rows = metric records" "$T/all.csv" "$T/all.jsonl"
check "corpus: many rows" [ "$(grep -c . "$T/all.csv")" -gt 400 ]
"$ZM" --explain corpus/002_731d9b2d5a921bef.txt >"$T/ex.jsonl" 2>/dev/null
"$ZM" --explain --format csv corpus/002_731d9b2d5a921bef.txt >"$T/ex.csv" 2>/dev/null
same_as_jsonl "--explain: the explain column" "$T/ex.csv" "$T/ex.jsonl"

# quoting: names with commas, quotes and spaces; a sentence with a quote;
# a document without metrics and a bad line give no row
"$PYTHON" - >"$T/in.jsonl" <<'PY'
import json
w = lambda o: print(json.dumps(o, ensure_ascii=False))
w({"id": 'a,"b" c', "text": '他说"全县共有学校3所"，其中新建2所。\n另有幼儿园5所。'})
w({"id": "empty", "text": "没有数字。"})
print('{"id": "bad"')
w({"id": "多行\n名", "text": "投入资金2269万元。"})
PY
"$ZM" --jsonl-in <"$T/in.jsonl" >"$T/q.jsonl" 2>/dev/null
"$ZM" --jsonl-in --format csv <"$T/in.jsonl" >"$T/q.csv" 2>"$T/err"
assert_eq "a bad input line: exit 1" 1 "$?"
assert_match "a bad input line: reported on stderr" "stdin:3|bad JSON" "$(cat "$T/err")"
same_as_jsonl "quoted fields read back" "$T/q.csv" "$T/q.jsonl"
assert_match "a field with a comma and quotes is quoted, quotes doubled" '^"a,""b"" c",' "$(sed -n 2p "$T/q.csv")"
assert_eq "a name with a line break stays one field" 1 "$(grep -c '^"多行$' "$T/q.csv")"
# NULL (title, value_max, change) => empty; the row of 3所 has no value_max
assert_match "NULL fields are empty, unquoted" ',3,,所,所,' "$(sed -n 2p "$T/q.csv")"
printf '\n' | "$ZM" --format csv >"$T/none.csv" 2>/dev/null
assert_eq "no metrics: the header alone" 1 "$(wc -l <"$T/none.csv")"
finish
