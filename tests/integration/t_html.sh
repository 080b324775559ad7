#!/usr/bin/env bash
# --html FILE: one self-contained review page per run. Read statically (one
# highlight per metric record, in order, with its text; one table row each;
# nothing loaded from elsewhere; input text escaped) and in headless
# Chromium (Debian's chromium): the page loads without console errors, its
# self-check counts as many highlights as metric records, and clicking,
# filtering and sorting work (review.html#zm-selftest). The screenshot is
# kept in build/artifacts/review.png.
. "$(dirname "$0")/lib.sh"

SAMPLE=corpus/002_731d9b2d5a921bef.txt
iconv -f UTF-8 -t GB18030 "$SAMPLE" >"$T/gb18030.txt"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$SAMPLE"; } >"$T/utf16le.txt"
{ printf '\xef\xbb\xbf'; cat "$SAMPLE"; } >"$T/bom.txt"
printf '标题<script>alert(1)</script>\r\n共有"学校"3所 & 幼儿园<b>5</b>所。\r单独回车后教师120名。\n' >"$T/markup.txt"
inputs=(corpus/*.txt tests/docs/*.txt "$T/gb18030.txt" "$T/utf16le.txt" "$T/bom.txt" "$T/markup.txt" "$T/missing.txt")

"$ZM" --html "$T/review.html" --format jsonl "${inputs[@]}" >"$T/all.jsonl" 2>"$T/err"
assert_eq "--html with a missing input: exit 1" 1 "$?"
"$ZM" "${inputs[@]}" >"$T/ref.jsonl" 2>/dev/null
assert_file_eq "--html --format jsonl: the stream unchanged" "$T/ref.jsonl" "$T/all.jsonl"
"$ZM" --html "$T/review2.html" -j 2 "${inputs[@]}" >"$T/out" 2>/dev/null
assert_file_eq "--html -j 2: the same page" "$T/review.html" "$T/review2.html"
assert_eq "--html alone: nothing on stdout" "" "$(cat "$T/out")"
check "no temporary file left" bash -c "! ls '$T' | grep -q tmp"
n=$(count_metrics "$T/all.jsonl")
check "many metrics" [ "$n" -gt 500 ]

py_ok "static reading of the page" "$T/review.html" "$T/all.jsonl" <<'PY'
import html.parser, json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
metrics = [r for r in recs if r["type"] == "metric"]

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks, self.rows, self.cur, self.ext, self.stack = [], 0, None, [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href"):
            if k in a and not a[k].startswith("#"):
                self.ext.append((tag, a[k]))
        if tag == "link":
            self.ext.append((tag, a.get("href")))
        if tag == "mark" and "zm" in a.get("class", "").split():
            self.cur = [a, ""]
        if tag == "tr" and a.get("id", "").startswith("r-"):
            self.rows += 1
        if tag == "script" and self.cur is not None:
            raise SystemExit("a <script> inside a highlight: input not escaped")
    def handle_endtag(self, tag):
        if tag == "mark" and self.cur is not None:
            self.marks.append(self.cur)
            self.cur = None
    def handle_data(self, d):
        if self.cur is not None:
            self.cur[1] += d

p = P()
p.feed(page)
assert not p.ext, "external resources: %r" % p.ext[:3]
assert len(p.marks) == len(metrics), "%d highlights for %d metrics" % (len(p.marks), len(metrics))
assert p.rows == len(metrics), "%d rows for %d metrics" % (p.rows, len(metrics))
for (a, text), m in zip(p.marks, metrics):
    assert text == m["text"], "%s: highlight %r, metric text %r" % (m["id"], text, m["text"])
    cls = a["class"].split()
    assert "k-" + m["kind"] in cls and "s-" + m["status"] in cls, (m["id"], cls)
    assert m["kind"] in a["title"] and m["status"] in a["title"], (m["id"], a["title"])
assert "<script>alert(1)" not in page, "input markup not escaped"
assert page.count("<script>") == 2, "the page's own scripts only"
n_err = sum(r["type"] == "error" for r in recs)
assert 'data-errors="%d"' % n_err in page and 'data-metrics="%d"' % len(metrics) in page
# every encoding is shown as text: the GB18030/UTF-16/BOM copies as the original
for name in ("gb18030.txt", "utf16le.txt", "bom.txt"):
    sec = re.search(r'<section class="doc" id="d-\d+">\n<h2>[^<]*%s</h2>.*?</section>' % re.escape(name), page, re.S)
    assert sec and '<pre class="text">' in sec.group(0), name + ": no text"
print(len(p.marks))
PY

# a page that cannot be written: exit 2, a message
"$ZM" --html "$T/no/such/dir/r.html" "$SAMPLE" >/dev/null 2>"$T/err"
assert_eq "--html in a missing directory: exit" 2 "$?"
check "--html in a missing directory: message" [ -s "$T/err" ]

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
cp "$T/review.html" "$ART/review.html"
chrome --dump-dom "file://$T/review.html#zm-selftest" >"$T/dom.html" 2>"$T/chrome.err"
assert_eq "chromium --dump-dom: exit" 0 "$?"
check_attr=$(grep -o 'data-zm-check="[^"]*"' "$T/dom.html" | head -1)
assert_eq "in Chromium: one highlight and one row per metric record, no error" \
    "data-zm-check=\"highlights=$n metrics=$n rows=$n errors=0\"" "$check_attr"
assert_match "in Chromium: a click shows the fields and selects the row; filter, sort both ways" \
    '^data-zm-selftest="details=1[0-9] rowsel=1 filter=ok unfilter=ok sort=ok sortdesc=ok"$' \
    "$(grep -o 'data-zm-selftest="[^"]*"' "$T/dom.html")"
if grep -q 'CONSOLE' "$T/chrome.err"; then
    fail "console messages: $(grep CONSOLE "$T/chrome.err" | head -3)"
else ok; fi

chrome --window-size=1400,900 --hide-scrollbars --screenshot="$ART/review.png" "file://$T/review.html" \
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
