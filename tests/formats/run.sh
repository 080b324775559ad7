#!/usr/bin/env bash
# make formats-test: HTML, .docx and PDF fixtures of the test documents
# give the plain text's figures (value, unit, status: >= 98% of them, and
# at most 2% more), broken inputs give an error record or a document and
# never a crash, the directory walk takes the formats. Fixtures are made
# by tests/formats/make-fixtures.sh and committed.
set -u
cd "$(dirname "$0")/../.." || exit 1
ZM=${ZM:-bin/zhmetrics}
FIX=tests/formats/fixtures
T=$(mktemp -d "${TMPDIR:-/tmp}/zmfmt.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
fails=0 checks=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*" >&2; }

# ---- the same figures as the plain text ----
for fmt in html docx pdf; do
    matched=0 total=0 extra=0
    for f in "$FIX"/*."$fmt"; do
        b=$(basename "${f%.*}")
        src=tests/docs/$b.txt
        [ -f "$src" ] || src=corpus/$b.txt
        [ -f "$src" ] || continue
        "$ZM" "$src" >"$T/plain.jsonl" && "$ZM" "$f" >"$T/fmt.jsonl" || { bad "$f: exit $?"; continue; }
        grep -q "\"format\":\"$fmt\"" "$T/fmt.jsonl" && ok || bad "$f: no \"format\":\"$fmt\""
        read -r m n x < <(python3 tests/formats/compare.py "$T/plain.jsonl" "$T/fmt.jsonl" 2>"$T/diff")
        [ "$m" = "$n" ] || { echo "  $f: $m of $n"; sed 's/^/  /' "$T/diff"; }
        matched=$((matched + m)) total=$((total + n)) extra=$((extra + x))
    done
    echo "$fmt: $matched of $total plain-text figures found, $extra extra"
    [ "$total" -gt 0 ] && [ $((matched * 100)) -ge $((total * 98)) ] && [ $((extra * 100)) -le $((total * 2)) ] && ok ||
        bad "$fmt: $matched/$total figures, $extra extra (need >= 98%, <= 2% extra)"
done

# Word's generated heading numbers (一、 （一） from numbering.xml) are in
# the text: the same figures, statuses (三、2021年工作打算 is a plan
# section) and section paths as the plain text
"$ZM" tests/docs/t04_meichuan_review_2020.txt >"$T/plain.jsonl"
"$ZM" "$FIX/numbered/t04_meichuan_review_2020.docx" >"$T/num.jsonl"
python3 - "$T/plain.jsonl" "$T/num.jsonl" <<'PY' && ok || bad "numbered .docx: sections or figures differ"
import json, sys
a, b = ([json.loads(l) for l in open(p) if '"type":"metric"' in l] for p in sys.argv[1:3])
key = lambda r: (r["value"], r["unit"], r["status"], r["section"])
assert a and [key(r) for r in a] == [key(r) for r in b], [(key(x), key(y)) for x, y in zip(a, b) if key(x) != key(y)][:3]
PY

# PDF metrics carry page, and the multi-page document's figures span pages
"$ZM" "$FIX/002_731d9b2d5a921bef.pdf" >"$T/p.jsonl"
python3 - "$T/p.jsonl" <<'PY' && ok || bad "PDF pages"
import json, sys
pages = [json.loads(l).get("page") for l in open(sys.argv[1]) if '"type":"metric"' in l]
assert pages and all(isinstance(p, int) and p >= 1 for p in pages), pages[:5]
assert pages == sorted(pages) and pages[-1] >= 2, pages
PY
# a text metric's page is null (docs/format.md), as the field table writes it
"$ZM" tests/docs/t01_tongxi_summary_2018.txt >"$T/t.jsonl"
python3 - "$T/t.jsonl" <<'PY' && ok || bad "a text metric has a page"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
metrics = [r for r in recs if r["type"] == "metric"]
assert metrics and all("page" in r and r["page"] is None for r in metrics), metrics[:1]
assert recs[0]["format"] == "text", recs[0]
PY
# format and page reach every output through the field table: --format
# json and csv, --sqlite, --html give the JSON Lines' values
"$ZM" --format json "$FIX/002_731d9b2d5a921bef.pdf" tests/docs/t01_tongxi_summary_2018.txt >"$T/pt.json"
"$ZM" --format csv "$FIX/002_731d9b2d5a921bef.pdf" tests/docs/t01_tongxi_summary_2018.txt >"$T/pt.csv"
rm -f "$T/pt.db"
"$ZM" --sqlite "$T/pt.db" --html "$T/pt.html" "$FIX/002_731d9b2d5a921bef.pdf" tests/docs/t01_tongxi_summary_2018.txt
python3 - "$T" <<'PY' && ok || bad "format or page missing from an output"
import csv, json, sqlite3, sys
t = sys.argv[1]
recs = [json.loads(l) for f in ("p.jsonl", "t.jsonl") for l in open(f"{t}/{f}")]
pages = [r["page"] for r in recs if r["type"] == "metric"]
formats = {r["doc"]: r["format"] for r in recs if r["type"] == "document"}
assert set(formats.values()) == {"pdf", "text"}, formats
dec = json.JSONDecoder()
s, at, objs = open(f"{t}/pt.json").read(), 0, []
while s[at:].strip():
    at += len(s[at:]) - len(s[at:].lstrip())
    o, at = dec.raw_decode(s, at)
    objs.append(o)
assert [o["format"] for o in objs] == list(formats.values()), [o.get("format") for o in objs]
assert [m["page"] for o in objs for m in o["metrics"]] == pages
rows = list(csv.DictReader(open(f"{t}/pt.csv", newline="")))
assert [int(r["page"]) if r["page"] else None for r in rows] == pages
assert [r["format"] for r in rows] == [formats[r["doc"]] for r in rows]
db = sqlite3.connect(f"{t}/pt.db")
assert dict(db.execute("select doc, format from documents")) == formats
assert [p for (p,) in db.execute("select page from metrics order by doc = 'tests/docs/t01_tongxi_summary_2018.txt', n")] == pages
# the review page's data: index.js names the columns, rows-NNNN.js hold them
load = lambda f: json.loads((lambda x: x[x.index("{"):x.rindex("}") + 1])(open(f, encoding="utf-8").read()))
idx = load(f"{t}/pt.data/index.js")
col = next(f["col"] for f in idx["fields"] if f["name"] == "page")
rows = [v for k in range(1, idx["chunks"]["rows"] + 1) for v in load(f"{t}/pt.data/rows-{k:04d}.js")["c"][col]]
assert rows == pages, rows[:5]
nd = len(idx["docfields"])
assert {e[-nd:][0]: dict(zip(idx["docfields"], e[-nd:]))["format"] for e in idx["docs"]} == formats, idx["docs"]
PY
"$ZM" tests/docs/t01_tongxi_summary_2018.txt | head -1 | grep -q '"format":"text"' && ok || bad "text: format"

# ---- pages of navigation only; broken inputs ----
"$ZM" "$FIX/broken/nav-only.html" >"$T/nav.jsonl"
grep -q '"type":"document".*"metrics":0' "$T/nav.jsonl" && ! grep -q '"type":"metric"' "$T/nav.jsonl" && ok ||
    bad "nav-only page gave metrics: $(head -c 300 "$T/nav.jsonl")"
"$ZM" "$FIX/broken/gb2312-nocharset.htm" | head -1 | grep -q '"title":"北塘区2022年教育事业发展统计公报".*"encoding":"gb18030"' &&
    ok || bad "GB2312 page without a charset"
python3 -c "
import sys
n = 100000
sys.stdout.write('<html><body>' + '<div>' * n + '<p>全县共有学校12所。</p>' + '</div>' * n + '</body></html>')" >"$T/deep.html"
expect() { # FILE REGEX [ARGS]: one record for the file, matching REGEX; no crash
    local f=$1 re=$2
    shift 2
    "$ZM" "$@" "$f" >"$T/out.jsonl" 2>"$T/err"
    local rc=$?
    if [ $rc -gt 1 ]; then bad "$f: exit $rc $(head -c 300 "$T/err")"; return; fi
    [ "$(grep -c '"type":"\(document\|error\)"' "$T/out.jsonl")" = 1 ] && grep -q "$re" "$T/out.jsonl" && ok ||
        bad "$f: expected /$re/, got $(head -c 300 "$T/out.jsonl")"
}
expect "$T/deep.html" '"type":"error".*nested deeper'
expect "$FIX/broken/corrupt.docx" '"type":"error".*corrupt .docx'
expect "$FIX/broken/crc.docx" '"type":\("document"\|"error"\)'
expect "$FIX/broken/bomb.docx" '"type":"error".*limit:.*zip bomb' --max-bytes 1M
expect "$FIX/broken/bomb-lying.docx" '"type":"error".*limit:.*unpacks to more than' --max-bytes 1M
expect "$FIX/broken/notword.docx" '"type":"error".*not a Word'
expect "$FIX/broken/old.doc" '"type":"error".*legacy Word .doc.*convert it to .docx'
expect "$FIX/broken/old.wps" '"type":"error".*WPS.*convert it to .docx'
expect "$FIX/broken/truncated.pdf" '"type":\("document"\|"error"\)'
expect "$FIX/broken/encrypted.pdf" '"type":"error".*encrypted'
expect "$FIX/broken/image-only.pdf" '"type":"error".*no text layer.*OCR'
# JavaScript in a PDF is not run (poppler has no interpreter): read as usual
expect "$FIX/broken/js.pdf" '"type":"document".*"format":"pdf"'
# every input still gets its record in a batch, -j 2 too
"$ZM" -j 2 "$FIX"/broken/* "$T/deep.html" >"$T/all.jsonl" 2>/dev/null
[ "$(grep -c '"type":"\(document\|error\)"' "$T/all.jsonl")" = $(($(ls "$FIX"/broken | wc -l) + 1)) ] && ok ||
    bad "batch of broken inputs: $(grep -c '"type":"\(document\|error\)"' "$T/all.jsonl") records"

# the same records with -j 2 (poppler, libxml2 and libzip from two threads)
"$ZM" -j 1 "$FIX" >"$T/j1.jsonl" 2>/dev/null
"$ZM" -j 2 "$FIX" "$FIX" >"$T/j2.jsonl" 2>/dev/null
cat "$T/j1.jsonl" "$T/j1.jsonl" | cmp -s - "$T/j2.jsonl" && ok || bad "-j 2 differs from -j 1"

# ---- the directory walk ----
n_all=$("$ZM" "$FIX" 2>/dev/null | grep -c '"type":"\(document\|error\)"')
n_files=$(find "$FIX" -type f \( -name '*.txt' -o -name '*.htm' -o -name '*.html' -o -name '*.docx' -o -name '*.pdf' \) | wc -l)
[ "$n_all" = "$n_files" ] && ok || bad "walk took $n_all of $n_files files"
n_pdf=$("$ZM" --glob '*.pdf' "$FIX" 2>/dev/null | grep -c '"type":"\(document\|error\)"')
[ "$n_pdf" = "$(find "$FIX" -name '*.pdf' | wc -l)" ] && ok || bad "--glob '*.pdf' took $n_pdf files"
# a kind is read from the content, not the name
cp "$FIX/t03_beitang_bulletin_2022.docx" "$T/report.txt"
"$ZM" "$T/report.txt" | head -1 | grep -q '"format":"docx"' && ok || bad "a .docx named .txt"

echo "formats: $((checks - fails)) passed, $fails failed"
[ $fails -eq 0 ]
