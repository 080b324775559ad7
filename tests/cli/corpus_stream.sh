#!/usr/bin/env bash
# Every corpus file (corpus/*.txt, and the test documents in tests/docs):
# the stream is valid JSON Lines, one document line per input followed by
# its metric lines, "metrics" equals the metric lines, ids are doc#N, every
# metric's text is the bytes [span[0], span[1]) of the file, its line is
# right and its sentence holds it. Also run over the whole corpus in one
# batch: the per-file streams concatenated.
. "$(dirname "$0")/lib.sh" || exit 1

files=(corpus/*.txt tests/docs/*.txt)
check "corpus present" [ -f "${files[0]}" ]
: >"$T/concat.jsonl"
for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    run "$T/one.jsonl" "$T/err" "$f"
    assert_eq "$f: exit" 0 "$RC"
    n=$(zmc spans "$T/one.jsonl" "$f" 1 2>&1) || { fail "$f: $n"; continue; }
    ok
    assert_summary "$f: exactly one document, metrics=$n" "$T/one.jsonl" "document $f $n utf-8"
    assert_eq "$f: document bytes = file size" "$(stat -c %s "$f")" "$(field "$T/one.jsonl" 1 'r["bytes"]')"
    cat "$T/one.jsonl" >>"$T/concat.jsonl"
done

# field types and enumerations of SPEC §2, over all records of the corpus
"$ZM" "${files[@]}" >"$T/all.jsonl" 2>"$T/err"; RC=$?
assert_eq "whole corpus: exit" 0 "$RC"
assert_file_eq "whole corpus in one run = the per-file runs concatenated" "$T/concat.jsonl" "$T/all.jsonl"
assert_stream "$T/all.jsonl"
assert_empty "whole corpus: nothing on stderr" "$T/err"
if msg=$(pyrun - "$T/all.jsonl" <<'PY' 2>&1
import json, re, sys
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ENUM = {
    "kind": {"amount", "count", "ratio", "measure", "duration"},
    "status": {"actual", "target"},
    "qualifier": {"exact", "over", "at_least", "under", "at_most", "about"},
    "change": {"increase", "decrease", None},
}
bad = []
def period(p, where):
    if p is None:
        return
    if not (isinstance(p, dict) and isinstance(p.get("text"), str)
            and DATE.match(str(p.get("from"))) and DATE.match(str(p.get("to")))
            and p["from"] <= p["to"]):
        bad.append("%s: bad period %r" % (where, p))
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["type"] == "document":
        for k in ("doc", "title", "org", "region", "doc_no", "date", "period",
                  "genre", "encoding", "bytes", "metrics"):
            if k not in r:
                bad.append("%s: document without %s" % (r["doc"], k))
        if r.get("genre") not in ("summary", "plan", "mixed"):
            bad.append("%s: genre %r" % (r["doc"], r.get("genre")))
        if r.get("date") is not None and not DATE.match(r["date"]):
            bad.append("%s: date %r" % (r["doc"], r["date"]))
        period(r.get("period"), r["doc"])
    elif r["type"] == "metric":
        w = r["id"]
        for k in ("kind", "status", "text", "span", "line", "value", "value_max", "unit",
                  "unit_text", "qualifier", "subject", "time", "change", "section", "sentence"):
            if k not in r:
                bad.append("%s: no %s" % (w, k))
        for k, allowed in ENUM.items():
            if r.get(k) not in allowed:
                bad.append("%s: %s %r" % (w, k, r.get(k)))
        if not isinstance(r.get("value"), (int, float)) or isinstance(r.get("value"), bool):
            bad.append("%s: value %r" % (w, r.get("value")))
        vm = r.get("value_max")
        if vm is not None and not (isinstance(vm, (int, float)) and vm >= r["value"]):
            bad.append("%s: value_max %r < value %r" % (w, vm, r.get("value")))
        if r.get("kind") == "amount" and r.get("unit") != "元":
            bad.append("%s: amount in %r" % (w, r.get("unit")))
        if not isinstance(r.get("section"), list):
            bad.append("%s: section %r" % (w, r.get("section")))
        if not isinstance(r.get("line"), int) or r["line"] < 1:
            bad.append("%s: line %r" % (w, r.get("line")))
        period(r.get("time"), w)
if bad:
    sys.exit("%d problem(s):\n  %s" % (len(bad), "\n  ".join(bad[:15])))
PY
); then ok; else fail "field types and enumerations (SPEC §2): $msg"; fi

finish
