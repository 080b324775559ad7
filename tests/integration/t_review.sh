#!/usr/bin/env bash
# The review page at archive scale (--html, issue 20), in headless Chromium:
# a generated archive of ZM_REVIEW_DOCS (5,000) documents plus one with a
# hostile name and text (scripts/review-archive.py), extracted with -j 2
# and --html, then opened by scripts/review-browser.py (Chromium's
# DevTools protocol over a pipe). Asserted: the first screen in under 5 s;
# opening a document (by link and by a click in the list), sorting all
# metrics (by value both ways, by subject) and filtering them (kind, status,
# region, text) each under 1 s, with the counts and order the records give;
# the metrics table virtualised (few rows in the DOM); for 20 sampled
# documents every highlight's text, byte span, kind and status equal to
# the JSON Lines records; the hostile document opened without anything
# executing, no on* attribute anywhere, the Content-Security-Policy present
# and enforced; no error in the page. The measurements (times, JS heap,
# Chromium's RSS) are printed and kept in build/artifacts/review-scale.json.
. "$(dirname "$0")/lib.sh"

N=${ZM_REVIEW_DOCS:-5000}
scripts/install-deps.sh browser >"$T/install.log" 2>&1 || true
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed and could not be installed (scripts/install-deps.sh browser: $(tail -1 "$T/install.log"))"

t0=$(date +%s)
hostile=$("$PYTHON" scripts/review-archive.py "$T/archive" "$N" --hostile)
check "archive generated" [ -f "$hostile" ]
mkdir "$T/out"
(cd "$T/archive" && "$ZM" -j 2 --html "$T/out/review.html" --format jsonl d* "$hostile") >"$T/all.jsonl" 2>"$T/err"
assert_eq "zhmetrics --html on $N documents: exit" 0 "$?"
docs=$(grep -c '^{"type":"document"' "$T/all.jsonl")
assert_eq "every document extracted" "$((N + 1))" "$docs"
echo "note [$TEST_NAME]: $N documents generated and extracted in $(($(date +%s) - t0)) s: $(count_metrics "$T/all.jsonl") metrics," \
    "page data $(du -sm "$T/out/review.data" | cut -f1) MB"

"$PYTHON" scripts/review-browser.py "$T/out/review.html" --jsonl "$T/all.jsonl" --hostile "$hostile" --sample 20 \
    >"$T/res.json" 2>"$T/browser.err"
rc=$?
cp "$T/res.json" "$ART/review-scale.json" 2>/dev/null
if [ "$rc" -eq 0 ]; then ok; else
    fail "review-browser.py exit $rc: $(head -c 2000 "$T/res.json") $(tail -5 "$T/browser.err")"; fi
"$PYTHON" - "$T/res.json" <<'PY' || fail "no measurements"
import json, sys
r = json.load(open(sys.argv[1]))
m, o = r["memory_after_ops"], r["ops"]
print("note [t_review]: %d documents, %d metrics: first screen %d ms, all metrics loaded at %d ms; "
      "ops (ms) %s; JS heap %.0f MB, Chromium RSS %.0f MB (renderer %.0f MB); %d rows in the DOM; "
      "highlights compared: %s"
      % (r["documents"], r["metrics"], r["open_ms"], r["ready_ms"],
         " ".join("%s=%d" % (k.replace("_ms", ""), v) for k, v in o.items()),
         m["js_heap_used_mb"], m["browser_rss_mb"], m["renderer_rss_mb"], r["dom_rows"], r["highlights_compared"]))
for f in r["failures"]:
    print("FAIL [t_review]: " + f, file=sys.stderr)
PY
finish
