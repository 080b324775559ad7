#!/usr/bin/env bash
# --sqlite FILE: tables documents and metrics with indexes, read back with
# the sqlite3 CLI; the rows equal the JSON Lines records; a re-run on the
# same inputs replaces their rows instead of adding copies.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || scripts/install-deps.sh >/dev/null 2>&1 || true
command -v sqlite3 >/dev/null || skip "the sqlite3 CLI is not installed and could not be installed (apt-get install sqlite3)"
q() { sqlite3 -batch -noheader "$DB" "$@"; }

DB=$T/m.db
files=(corpus/*.txt tests/docs/*.txt)
"$ZM" "${files[@]}" "$T/missing.txt" >"$T/all.jsonl" 2>/dev/null
"$ZM" --sqlite "$DB" "${files[@]}" "$T/missing.txt" >"$T/out" 2>"$T/err"
assert_eq "--sqlite with a missing input: exit 1" 1 "$?"
assert_eq "--sqlite alone: no records on stdout" "" "$(cat "$T/out")"
assert_match "--sqlite: the missing input on stderr" "missing\.txt" "$(cat "$T/err")"
n_metrics=$(count_metrics "$T/all.jsonl")
n_inputs=$((${#files[@]} + 1))
assert_eq "metrics rows" "$n_metrics" "$(q 'SELECT count(*) FROM metrics')"
assert_eq "documents rows (error included)" "$n_inputs" "$(q 'SELECT count(*) FROM documents')"
assert_eq "the error row" "error|$T/missing.txt|cannot read: No such file or directory" \
    "$(q "SELECT type, doc, error FROM documents WHERE type = 'error'")"
assert_eq "indexes" "documents_date documents_org metrics_doc metrics_kind_status metrics_subject metrics_time" \
    "$(q "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name" | tr '\n' ' ' | sed 's/ $//')"
assert_eq "values are numbers" "" "$(q "SELECT id FROM metrics WHERE typeof(value) NOT IN ('integer', 'real')")"

# every field as in the JSON Lines records
q -json 'SELECT * FROM metrics ORDER BY rowid' >"$T/metrics.json"
q -json 'SELECT * FROM documents ORDER BY rowid' >"$T/documents.json"
py_ok "rows = records" "$T/all.jsonl" "$T/metrics.json" "$T/documents.json" <<'PY'
import json, sys
from decimal import Decimal
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
rows = {r["id"]: r for r in json.load(open(sys.argv[2], encoding="utf-8"))}
docs = {r["doc"]: r for r in json.load(open(sys.argv[3], encoding="utf-8"))}
n = 0
for r in recs:
    if r["type"] in ("document", "error"):
        d = docs[r["doc"]]
        assert d["type"] == r["type"], r["doc"]
        if r["type"] == "document":
            per = r["period"] or {}
            for k in ("title", "org", "region", "doc_no", "date", "genre", "encoding"):
                assert d[k] == r[k], (r["doc"], k, d[k], r[k])
            assert (d["period_text"], d["period_from"], d["period_to"]) == (per.get("text"), per.get("from"), per.get("to"))
            assert (d["bytes"], d["metrics"]) == (r["bytes"], r["metrics"]), r["doc"]
            assert d["title_inferred"] == int(r["title_inferred"]), r["doc"]
            assert (d["script"], d["format"]) == (r["script"], r["format"]), r["doc"]
        continue
    n += 1
    m = rows[r["id"]]
    t = r["time"] or {}
    assert m["doc"] == r["doc"] and m["n"] == int(r["id"].rsplit("#", 1)[1]), r["id"]
    for k in ("kind", "status", "text", "line", "unit", "unit_text", "qualifier", "subject", "change", "sentence",
              "currency", "page"):
        assert m[k] == r[k], (r["id"], k, m[k], r[k])
    assert [m["span_start"], m["span_end"]] == r["span"], r["id"]
    assert Decimal(m["value_text"]) == Decimal(str(r["value"])), (r["id"], m["value_text"], r["value"])
    assert abs(float(m["value"]) - float(r["value"])) <= 1e-9 * max(1.0, abs(float(r["value"]))), r["id"]
    assert (m["value_max_text"] is None) == (r["value_max"] is None), r["id"]
    assert (m["time_text"], m["time_from"], m["time_to"]) == (t.get("text"), t.get("from"), t.get("to")), r["id"]
    assert json.loads(m["section"]) == r["section"], r["id"]
assert n == len(rows), "%d records, %d rows" % (n, len(rows))
print(n)
PY

# ---- a re-run on the same inputs: no copies; -j 2 stores the same rows
q 'SELECT * FROM metrics ORDER BY id' >"$T/dump1"
q 'SELECT * FROM documents ORDER BY doc' >"$T/docs1"
"$ZM" --sqlite "$DB" -j 2 "${files[@]}" "$T/missing.txt" >/dev/null 2>&1
assert_eq "re-run: metrics rows" "$n_metrics" "$(q 'SELECT count(*) FROM metrics')"
assert_eq "re-run: documents rows" "$n_inputs" "$(q 'SELECT count(*) FROM documents')"
q 'SELECT * FROM metrics ORDER BY id' >"$T/dump2"
q 'SELECT * FROM documents ORDER BY doc' >"$T/docs2"
assert_file_eq "re-run with -j 2: the same metrics rows" "$T/dump1" "$T/dump2"
assert_file_eq "re-run with -j 2: the same documents rows" "$T/docs1" "$T/docs2"

# ---- an input that changed: its rows replaced, the others kept
printf '全县共有学校3所。\n' >"$T/changing.txt"
"$ZM" --sqlite "$DB" "$T/changing.txt" 2>/dev/null
printf '全县共有学校3所，幼儿园5所，教师120名。\n' >"$T/changing.txt"
"$ZM" --sqlite "$DB" "$T/changing.txt" 2>/dev/null
assert_eq "changed input: its new metrics" "3|3" \
    "$(q "SELECT count(*), (SELECT metrics FROM documents WHERE doc = '$T/changing.txt') FROM metrics WHERE doc = '$T/changing.txt'")"
assert_eq "changed input: the other rows kept" "$((n_metrics + 3))" "$(q 'SELECT count(*) FROM metrics')"

# ---- a database of the first schema (no documents.title_inferred) is updated
sqlite3 "$T/v1.db" "CREATE TABLE documents (doc TEXT PRIMARY KEY, type TEXT NOT NULL, error TEXT, title TEXT, org TEXT,
    region TEXT, doc_no TEXT, date TEXT, period_text TEXT, period_from TEXT, period_to TEXT, genre TEXT, encoding TEXT,
    bytes INTEGER, metrics INTEGER); INSERT INTO documents(doc, type) VALUES ('old', 'document'); PRAGMA user_version=1;"
"$ZM" --sqlite "$T/v1.db" corpus/002_731d9b2d5a921bef.txt 2>"$T/err"
assert_eq "schema 1 database: exit" 0 "$?"
assert_eq "schema 1 database: now schema 3" 3 "$(sqlite3 "$T/v1.db" 'PRAGMA user_version')"
assert_eq "schema 1 database: the old row kept, the new one with title_inferred" "old|
corpus/002_731d9b2d5a921bef.txt|0" "$(sqlite3 "$T/v1.db" 'SELECT doc, title_inferred FROM documents ORDER BY doc DESC')"

# ---- a database of schema 2 (no script, format, currency, page) gets the
# columns of the fields added since, from the field table
"$ZM" corpus/002_731d9b2d5a921bef.txt >"$T/ref2.jsonl" 2>/dev/null
sqlite3 "$T/v2.db" "CREATE TABLE documents (doc TEXT PRIMARY KEY, type TEXT NOT NULL, error TEXT, title TEXT,
    title_inferred INTEGER, org TEXT, region TEXT, doc_no TEXT, date TEXT, period_text TEXT, period_from TEXT,
    period_to TEXT, genre TEXT, encoding TEXT, bytes INTEGER, metrics INTEGER);
    CREATE TABLE metrics (id TEXT PRIMARY KEY, doc TEXT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    n INTEGER NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, text TEXT NOT NULL, span_start INTEGER,
    span_end INTEGER, line INTEGER, value NUMERIC, value_max NUMERIC, value_text TEXT, value_max_text TEXT,
    unit TEXT, unit_text TEXT, qualifier TEXT, subject TEXT, time_text TEXT, time_from TEXT, time_to TEXT,
    change TEXT, section TEXT, sentence TEXT, explain TEXT); PRAGMA user_version=2;"
"$ZM" --sqlite "$T/v2.db" corpus/002_731d9b2d5a921bef.txt 2>"$T/err"
assert_eq "schema 2 database: exit" 0 "$?"
assert_eq "schema 2 database: now schema 3" 3 "$(sqlite3 "$T/v2.db" 'PRAGMA user_version')"
assert_eq "schema 2 database: script and format stored" "simplified|text" \
    "$(sqlite3 "$T/v2.db" 'SELECT script, format FROM documents')"
assert_eq "schema 2 database: currency of the amounts" "$(grep -c '"kind":"amount"' "$T/ref2.jsonl")" \
    "$(sqlite3 "$T/v2.db" "SELECT count(*) FROM metrics WHERE currency = 'CNY'")"

# ---- with --format (or -o) the stream is written too
"$ZM" --sqlite "$T/b.db" --format jsonl corpus/002_731d9b2d5a921bef.txt >"$T/s.jsonl" 2>/dev/null
"$ZM" corpus/002_731d9b2d5a921bef.txt >"$T/ref.jsonl" 2>/dev/null
assert_file_eq "--sqlite --format jsonl: the stream too" "$T/ref.jsonl" "$T/s.jsonl"

# ---- a database that cannot be written: exit 2, a message, nothing touched
"$ZM" --sqlite "$T/no/such/dir/m.db" corpus/002_731d9b2d5a921bef.txt >"$T/out" 2>"$T/err"
assert_eq "--sqlite in a missing directory: exit" 2 "$?"
assert_match "--sqlite in a missing directory: message" "m\.db" "$(cat "$T/err")"
echo "not a database" >"$T/text.db"
"$ZM" --sqlite "$T/text.db" corpus/002_731d9b2d5a921bef.txt >"$T/out" 2>"$T/err"
assert_eq "--sqlite on a file that is not a database: exit" 2 "$?"
assert_eq "--sqlite on a file that is not a database: left alone" "not a database" "$(cat "$T/text.db")"
finish
