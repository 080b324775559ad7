#!/usr/bin/env bash
# --html FILE: the review page (FILE) and its data directory beside it
# (FILE's stem + .data/: review.js, review.css, index.js, docs-NNNN.js,
# rows-NNNN.js). Read statically: every data file is zmLoad(kind, n, JSON);
# one highlight per metric record, in order, with its text, kind and
# status; as many rows as records; input text escaped (no '<' and no raw
# U+2028 in any data file); the page has no inline script and a
# Content-Security-Policy; written by rename (no temporary left, a second
# run replaces the data directory, a directory it did not write is never
# replaced). Then in headless Chromium (Debian's chromium): a document
# opened by link shows its highlights, no console error, the Targets tab
# drawn from a track chunk (SPEC section 8 records). The archive-scale
# browser test is t_review.sh. The screenshot is kept in
# build/artifacts/review.png.
. "$(dirname "$0")/lib.sh"

SAMPLE=corpus/002_731d9b2d5a921bef.txt
iconv -f UTF-8 -t GB18030 "$SAMPLE" >"$T/gb18030.txt"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$SAMPLE"; } >"$T/utf16le.txt"
{ printf '\xef\xbb\xbf'; cat "$SAMPLE"; } >"$T/bom.txt"
printf '标题<script>alert(1)</script>\r\n共有"学校"3所 & 幼儿园<b>5</b>所。\r单独回车后教师120名。\xe2\x80\xa8分隔后学生300人。\n' >"$T/markup.txt"
inputs=(corpus/*.txt tests/docs/*.txt "$T/gb18030.txt" "$T/utf16le.txt" "$T/bom.txt" "$T/markup.txt" "$T/missing.txt")

"$ZM" --html "$T/review.html" --format jsonl "${inputs[@]}" >"$T/all.jsonl" 2>"$T/err"
assert_eq "--html with a missing input: exit 1" 1 "$?"
"$ZM" "${inputs[@]}" >"$T/ref.jsonl" 2>/dev/null
assert_file_eq "--html --format jsonl: the stream unchanged" "$T/ref.jsonl" "$T/all.jsonl"
mkdir "$T/j2"
"$ZM" --html "$T/j2/review.html" -j 2 "${inputs[@]}" >"$T/out" 2>/dev/null
assert_file_eq "--html -j 2: the same page" "$T/review.html" "$T/j2/review.html"
check "--html -j 2: the same data files" diff -r "$T/review.data" "$T/j2/review.data"
assert_eq "--html alone: nothing on stdout" "" "$(cat "$T/out")"
assert_eq "no temporary file or directory left" "" "$(find "$T" -name '*.tmp.*')"
n=$(count_metrics "$T/all.jsonl")
check "many metrics" [ "$n" -gt 500 ]

py_ok "static reading of the page and its data" "$T/review.html" "$T/all.jsonl" <<'PY'
import glob, json, os, re, sys
page_path, recs = sys.argv[1], [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
page = open(page_path, encoding="utf-8").read()
data = page_path[:-len(".html")] + ".data"
metrics = [r for r in recs if r["type"] == "metric"]
names = [r["doc"] for r in recs if r["type"] in ("document", "error")]

def load(name):
    raw = open(os.path.join(data, name), "rb").read()
    assert b"<" not in raw, name + ": a '<' in a data file (not escaped)"
    assert b"\xe2\x80\xa8" not in raw and b"\xe2\x80\xa9" not in raw, name + ": raw U+2028/2029"
    m = re.fullmatch(r'zmLoad\("(\w+)",(\d+),(.*)\);\n', raw.decode("utf-8"), re.S)
    assert m, name + ": not a zmLoad(kind, n, data) call"
    return m.group(1), int(m.group(2)), json.loads(m.group(3))

# the page: no inline script or style, a policy without unsafe-inline
scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
assert scripts and all('src="' in a and not body.strip() for a, body in scripts), "inline script in the page"
assert not re.search(r"<[^>]+\son\w+=", page), "an event handler attribute in the page"
csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page)
assert csp and "script-src 'self'" in csp.group(1) and "unsafe-inline" not in csp.group(1), "policy: %r" % csp
assert 'data-zm-data="review.data/"' in page

kind, _, idx = load("index.js")
assert kind == "index" and idx["documents"] == len(names) and idx["metrics"] == len(metrics)
assert idx["errors"] == sum(r["type"] == "error" for r in recs)
S = idx["strings"]
# the fields are the library's field table: every field of the records is
# on the page (index.js describes them), the documents' too
F = {f["name"]: f for f in idx["fields"]}
DOC = {n: 5 + i for i, n in enumerate(idx["docfields"])}
for r in recs:
    if r["type"] in ("metric", "document"):
        have = F if r["type"] == "metric" else DOC
        assert set(r) - {"type"} <= set(have), (r["type"], sorted(set(r) - {"type"} - set(have)))
assert [d[DOC["doc"]] for d in idx["docs"]] == names, "documents' list out of input order"
docrec = {r["doc"]: r for r in recs if r["type"] == "document"}
for d in idx["docs"]:
    r = docrec.get(d[DOC["doc"]])
    for name in ("title", "region", "genre", "encoding", "bytes", "metrics", "script", "format"):
        if r and name in DOC:
            assert d[DOC[name]] == r.get(name), (d[DOC["doc"]], name, d[DOC[name]], r.get(name))
files = sorted(os.listdir(data))
want = ["docs-%04d.js" % i for i in range(1, idx["chunks"]["docs"] + 1)] + ["index.js", "review.css", "review.js"] + \
       ["rows-%04d.js" % i for i in range(1, idx["chunks"]["rows"] + 1)]
assert files == sorted(want), "data files %r, index says %r" % (files, want)
# the summary counts equal the records'
def counts(field):
    return {S[c]: n for c, n in zip(idx["counts"][field][::2], idx["counts"][field][1::2])}
for field, key in (("kind", "kind"), ("status", "status"), ("qualifier", "qualifier")):
    want = {}
    for m in metrics:
        want[m[key]] = want.get(m[key], 0) + 1
    assert counts(field) == want, (field, counts(field), want)

texts = {}
for i in range(1, idx["chunks"]["docs"] + 1):
    for e in load("docs-%04d.js" % i)[2]:
        texts[e[0]] = e
per_doc = {}
for m in metrics:
    per_doc.setdefault(m["doc"], []).append(m)
n_marks = 0
for d, row in enumerate(idx["docs"]):
    if row[3]:  # an error
        assert d not in texts
        continue
    e = texts[d]
    seg, marks = e[1], e[2]
    name = row[DOC["doc"]]
    exp = per_doc.get(name, [])
    assert len(seg) == 2 * len(exp) + 1 and len(marks) == 3 * len(exp), name
    at = 0
    for k, m in enumerate(exp):
        at += len(seg[2 * k].encode("utf-8"))
        t = seg[2 * k + 1]
        assert t == m["text"], "%s: highlight %r, metric text %r" % (m["id"], t, m["text"])
        if e[3] == 1:
            assert [at, at + len(t.encode("utf-8"))] == m["span"], (m["id"], at, m["span"])
        at += len(t.encode("utf-8"))
        assert S[marks[3 * k + 1]] == m["kind"] and S[marks[3 * k + 2]] == m["status"], m["id"]
        assert marks[3 * k] == row[1] + k, "row index"
        n_marks += 1
    # every encoding is shown as text: the GB18030/UTF-16/BOM copies as the original
    if name.endswith(("gb18030.txt", "utf16le.txt", "bom.txt", "markup.txt")):
        assert e[3] == 1, name + ": no text"
assert n_marks == len(metrics), "%d highlights for %d metrics" % (n_marks, len(metrics))
rows = 0
for i in range(1, idx["chunks"]["rows"] + 1):
    _, _, ch = load("rows-%04d.js" % i)
    assert all(len(c) == ch["n"] for c in ch["c"]), "ragged columns"
    assert len(ch["c"]) == len(idx["cols"])
    c, p = ch["c"], ch["p"]
    # every field of every metric, decoded as review.js does, equals the record's
    def value(f, k):
        a = c[f["col"]]
        t = f["type"]
        if t == "doc":
            return idx["docs"][a[k]][DOC["doc"]]
        if t == "id":
            return "%s#%d" % (idx["docs"][c[F["doc"]["col"]][k]][DOC["doc"]], a[k])
        if t == "code":
            return S[a[k]] or None
        if t == "number":
            return json.loads(a[k]) if a[k] else None
        if t == "text":
            return a[k] or None
        if t == "pool":
            return p[a[k]]
        if t == "range":
            x = [p[c[f["col"] + j][k]] for j in range(3)]
            return x if x[0] else None
        if t == "span":
            return [a[k], c[f["col"] + 1][k]]
        return a[k]  # int
    for k in range(ch["n"]):
        m = metrics[rows + k]
        for name, f in F.items():
            if name not in m:
                continue
            want = m[name]
            if name == "section":
                want = " \u203a ".join(want)
            elif f["type"] == "range" and want is not None:
                want = [want.get("text") or "", want.get("from") or "", want.get("to") or ""]
            elif f["type"] == "pool" and want is None:
                want = ""
            assert value(f, k) == want, (m["id"], name, value(f, k), want)
    rows += ch["n"]
assert rows == len(metrics), "%d rows for %d metrics" % (rows, len(metrics))
print(n_marks)
PY

# a second run to the same name replaces the data directory (no stale chunk)
"$ZM" --html "$T/review.html" "$SAMPLE" >/dev/null 2>&1
assert_eq "second run: one document in the list" 1 "$("$PYTHON" -c '
import json, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
print(json.loads(re.fullmatch(r"zmLoad\(\"index\",0,(.*)\);\n", s, re.S).group(1))["documents"])' "$T/review.data/index.js")"
assert_eq "second run: its chunk files only" "docs-0001.js index.js review.css review.js rows-0001.js" \
    "$(ls "$T/review.data" | tr '\n' ' ' | sed 's/ $//')"
# a directory the page did not write is never replaced: exit 2, nothing written
mkdir -p "$T/mine/keep.data" && echo precious >"$T/mine/keep.data/notes.txt"
"$ZM" --html "$T/mine/keep.html" "$SAMPLE" >/dev/null 2>"$T/err"
assert_eq "--html beside a foreign .data directory: exit" 2 "$?"
assert_match "--html beside a foreign .data directory: message" "not a review page's data directory" "$(cat "$T/err")"
assert_eq "--html beside a foreign .data directory: left as it was" "notes.txt" "$(ls "$T/mine/keep.data")"
check "--html beside a foreign .data directory: no page" [ ! -e "$T/mine/keep.html" ]
# a page that cannot be written: exit 2, a message, nothing left
"$ZM" --html "$T/no/such/dir/r.html" "$SAMPLE" >/dev/null 2>"$T/err"
assert_eq "--html in a missing directory: exit" 2 "$?"
check "--html in a missing directory: message" [ -s "$T/err" ]
"$ZM" --html "$T/review.html" --format jsonl "${inputs[@]}" >"$T/all.jsonl" 2>/dev/null

# ---- headless Chromium
scripts/install-deps.sh browser >"$T/install.log" 2>&1 || true
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "static checks passed ($CHECKS); chromium is not installed and could not be installed (scripts/install-deps.sh browser: $(tail -1 "$T/install.log"))"
chrome() {
    local profile
    profile=$(mktemp -d "$T/profile.XXXXXX")
    timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
        --user-data-dir="$profile" --enable-logging=stderr --v=0 --virtual-time-budget=5000 "$@"
}
# the markup document, opened by link: its highlights in the DOM
d=$(grep -c '^{"type":"\(document\|error\)"' <(sed -n '1,/markup.txt/p' "$T/all.jsonl"))
d=$((d - 1))
want=$(grep -c '^{"type":"metric","doc":"[^"]*markup.txt"' "$T/all.jsonl")
chrome --dump-dom "file://$T/review.html#doc=$d" >"$T/dom.html" 2>"$T/chrome.err"
assert_eq "chromium --dump-dom: exit" 0 "$?"
assert_match "in Chromium: every metric loaded" 'data-zm-state="ready"' "$(head -c 2000 "$T/dom.html")"
assert_match "in Chromium: the document opened by link" "data-zm-open=\"$d\"" "$(head -c 2000 "$T/dom.html")"
assert_eq "in Chromium: its highlights" "$want" "$(grep -o '<mark class="zm ' "$T/dom.html" | wc -l)"
check "in Chromium: its markup shown as text" grep -q '标题&lt;script&gt;alert(1)&lt;/script&gt;' "$T/dom.html"
check "in Chromium: the metrics table" grep -q "of $n metrics" "$T/dom.html"
if grep -q 'CONSOLE' "$T/chrome.err"; then
    fail "console messages: $(grep CONSOLE "$T/chrome.err" | head -3)"
else ok; fi

# the Targets tab: one more chunk kind (track-NNNN.js, SPEC section 8
# records as written), listed in index.js
cp -r "$T/review.html" "$T/review.data" "$T/j2/" 2>/dev/null
cat >"$T/j2/review.data/track-0001.js" <<'JS'
zmLoad("track",1,[
{"type":"track","region":"建始县","indicator":"edu.preschool.gross_enrolment_rate","target":{"doc":"plan2021.txt","id":"plan2021.txt#14","value":90,"qualifier":"at_least","unit":"%","time":{"from":"2021-01-01","to":"2021-12-31"}},"actual":{"doc":"summary2021.txt","id":"summary2021.txt#9","value":91.2,"unit":"%","time":{"from":"2021-01-01","to":"2021-12-31"}},"verdict":"met"},
{"type":"track","region":"\u003cimg src=x onerror=alert(1)\u003e","indicator":"edu.schools.total","target":{"doc":"plan2021.txt","id":"plan2021.txt#20","value":12,"qualifier":"exact","unit":"所","time":{"from":"2025-01-01","to":"2025-12-31"}},"actual":null,"verdict":"pending"}
]);
JS
sed -i 's/"track":0}/"track":1}/' "$T/j2/review.data/index.js"
chrome --dump-dom "file://$T/j2/review.html" >"$T/dom2.html" 2>"$T/chrome2.err"
check "Targets tab present" grep -q 'data-tab="targets"' "$T/dom2.html"
assert_eq "Targets tab: one row per track record" 2 "$(grep -o 'data-track="[0-9]*"' "$T/dom2.html" | sort -u | wc -l)"
check "Targets tab: region, indicator, target with qualifier, actual, verdict" \
    grep -q '<span class="w5">建始县</span><span class="w10">edu.preschool.gross_enrolment_rate</span><span class="w10">at_least 90 %</span><span class="w8">2021-01-01…2021-12-31</span><span class="w6">91.2 %</span><span class="w8">2021-01-01…2021-12-31</span><span class="w5 verdict-met">met</span>' "$T/dom2.html"
check "Targets tab: a hostile region shown as text" grep -q '&lt;img src=x onerror=alert(1)&gt;' "$T/dom2.html"
if grep -q 'CONSOLE' "$T/chrome2.err"; then fail "console messages (targets)"; else ok; fi

chrome --window-size=1400,900 --hide-scrollbars --screenshot="$ART/review.png" "file://$T/review.html#doc=$d" \
    >/dev/null 2>"$T/shot.err"
check "screenshot kept in build/artifacts/review.png" [ -s "$ART/review.png" ]
assert_eq "screenshot is a 1400x900 PNG" "1400x900" "$("$PYTHON" - "$ART/review.png" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(24)
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
print("%dx%d" % struct.unpack(">II", d[16:24]))
PY
)"
if grep -q 'CONSOLE' "$T/shot.err"; then fail "console messages (screenshot run)"; else ok; fi
fc-list :lang=zh 2>/dev/null | grep -q . ||
    echo "note [$TEST_NAME]: no CJK font installed: the screenshot shows boxes for Chinese (apt-get install fonts-wqy-microhei)"
finish
