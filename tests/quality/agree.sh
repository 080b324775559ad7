#!/usr/bin/env bash
# Agreement test: scripts/eval must give exactly the figures of the
# reference scorer ../shared/eval/score.py (F1, P, R, tp/fp/fn and every
# field accuracy, in total and per document) on the same input:
#   1. bin/zhmetrics on corpus/*.txt, scored on the dev gold, and on
#      tests/genres/*.txt, scored on its gold (currency figures too);
#   2. synthetic predictions made from tests/gold: perfect, empty,
#      false positives only, and one full of edge cases (dropped, shifted,
#      extra, duplicated and wrong-field records; optional gold; ties).
# Skips (exit 0) when the repository was cloned without ../shared.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=$(cd "$ROOT/.." && pwd)/shared
SCORE=$SHARED/eval/score.py
if [ ! -f "$SCORE" ]; then
    echo "skip: ../shared not found"
    exit 0
fi
cd "$ROOT" || exit 2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/zhmetrics-agree.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

if [ ! -x bin/zhmetrics ]; then
    echo "FAIL: bin/zhmetrics not built (run make)"
    exit 1
fi
bin/zhmetrics -q corpus/*.txt > "$TMP/dev.jsonl"
rc=$?
if [ $rc -gt 1 ]; then
    echo "FAIL: bin/zhmetrics exited with status $rc"
    exit 1
fi

# Synthetic prediction files from the gold records.
python3 - "$ROOT/tests/gold" "$TMP" <<'PY' || { echo "FAIL: could not make synthetic predictions"; exit 1; }
import json, os, sys
gdir, out = sys.argv[1], sys.argv[2]
names = sorted(f[:-len(".located.jsonl")] for f in os.listdir(gdir)
               if f.endswith(".located.jsonl"))

def where(n):
    return ("corpus/" if os.path.exists(os.path.join("corpus", n)) else "tests/docs/") + n

def load(n):
    head, items = None, []
    for line in open(os.path.join(gdir, n + ".located.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        if r.get("type") == "document": head = r
        else: items.append(r)
    return head, items

def docrec(n, h):
    r = {"type": "document", "doc": where(n)}
    for k in ("title", "org", "region", "doc_no", "date", "genre"):
        r[k] = h.get(k)
    r["period"] = {"text": "x", "from": h.get("period_from"), "to": h.get("period_to")}
    return r

def metric(n, g, **kw):
    r = {"type": "metric", "doc": where(n), "text": g["text"], "span": list(g["span"]),
         "kind": g["kind"], "status": g["status"], "value": g["value"],
         "value_max": g.get("value_max"), "unit": g["unit"], "qualifier": g["qualifier"],
         "subject": g["subject"], "time": {"from": g.get("time_from"), "to": g.get("time_to")},
         "change": g.get("change"), "sentence": g.get("context", "")}
    for k in ("currency", "indicator"):  # version-2 fields, where the gold has them
        if k in g:
            r[k] = g[k]
    r.update(kw)
    return r

def write(fname, lines):
    with open(os.path.join(out, fname), "w", encoding="utf-8") as fh:
        for l in lines:
            fh.write(l if isinstance(l, str) else json.dumps(l, ensure_ascii=False))
            fh.write("\n")

perfect, edge, fponly = [], [], []
SYN = {"人": "名", "%": "％"}
for n in names:
    h, gold = load(n)
    perfect.append(docrec(n, h))
    perfect += [metric(n, g) for g in gold]
    d = docrec(n, h)
    d["title"] = (h.get("title") or "") + "x"; d["period"] = None
    edge.append(d)
    end = max(g["span"][1] for g in gold) if gold else 0
    fponly.append(metric(n, gold[0], span=[end + 100, end + 106]) if gold else {"type": "document", "doc": n})
    for i, g in enumerate(gold):
        s, e = g["span"]
        v = g["value"]
        k = i % 13
        if g.get("optional"):
            # matched once, plus a second prediction inside it: not an FP
            edge.append(metric(n, g, kind="wrong"))
            edge.append(metric(n, g, span=[s + 1, e], value=-1))
            continue
        if k == 0:
            continue                                   # dropped: FN
        elif k == 1:
            edge.append(metric(n, g, span=[s + 3, e + 3]))   # shifted, still overlapping
        elif k == 2:
            edge.append(metric(n, g, value=(v or 0) * 10 + 1, unit="件"))
        elif k == 3:
            vv = v * (1 + 5e-7) if isinstance(v, (int, float)) else v
            edge.append(metric(n, g, value=vv, unit=SYN.get(g["unit"], g["unit"]),
                               qualifier=None if g["qualifier"] == "exact" else "about"))
        elif k == 4:
            edge.append(metric(n, g, value=str(v), value_max=(v or 0) + 1, kind="count",
                               qualifier=""))
        elif k == 5:
            edge.append(metric(n, g, status="target" if g["status"] == "actual" else "actual",
                               time=None, change="increase"))
        elif k == 6:
            edge.append(metric(n, g, time={"from": g.get("time_from")},
                               subject=(g["subject"] or "")[:1]))
        elif k == 7:
            edge.append(metric(n, g, subject=(g["subject"] or "") + "总额",
                               value=(v * (1 + 2e-6) if isinstance(v, (int, float)) else v)))
        elif k == 8:
            # tie: two predictions with the same span, different fields
            edge.append(metric(n, g, subject=None, kind="ratio"))
            edge.append(metric(n, g, subject=(g["subject"] or "")[1:3]))
        elif k == 9:
            # a wider prediction that also overlaps the next gold record
            nxt = gold[i + 1]["span"][1] if i + 1 < len(gold) else e + 2
            edge.append(metric(n, g, span=[s, nxt]))
        elif k == 10:
            edge.append(metric(n, g, span=None))       # no span: FP; gold FN
        elif k == 11:
            edge.append(metric(n, g, doc="/elsewhere/" + n, qualifier="over"))  # basename match
            edge.append(metric(n, g, span=[e + 9000, e + 9003]))               # extra: FP
        else:
            x = metric(n, g)
            for key in ("unit", "subject", "change", "time", "qualifier", "value_max"):
                x.pop(key, None)
            edge.append(x)
edge.append({"type": "metric", "doc": "corpus/not-in-gold.txt", "span": [0, 9]})
edge.append({"type": "error", "doc": "corpus/broken.txt", "error": "not text"})
edge.append("{not json")
edge.append("")
edge.append("\u3000" + json.dumps({"type": "document", "doc": "x.txt"}))
write("perfect.jsonl", perfect)
write("edge.jsonl", edge)
write("fponly.jsonl", fponly)
write("empty.jsonl", [])
PY

DEV_DOCS=$(cd corpus && ls *.txt | paste -sd, -)
TEST_DOCS=$(cd tests/docs && ls *.txt | paste -sd, -)
fail=0
# compare NAME PRED GOLD_DIR SET [--docs LIST]
compare() {
    local name=$1 pred=$2 gold=$3 set=$4; shift 4
    python3 "$SCORE" "$pred" "$gold" "$@" --json > "$TMP/ref.out" 2> "$TMP/ref.err" ||
        { echo "FAIL $name: score.py failed"; cat "$TMP/ref.err"; fail=1; return; }
    scripts/eval --pred "$pred" --gold "$gold" --set "$set" --json > "$TMP/our.json" 2> "$TMP/our.err" ||
        { echo "FAIL $name: scripts/eval --json failed"; cat "$TMP/our.err"; fail=1; return; }
    scripts/eval --pred "$pred" --gold "$gold" --set "$set" 2>/dev/null | tail -n 1 > "$TMP/our.line"
    python3 - "$name" "$TMP/ref.out" "$TMP/our.json" "$TMP/our.line" <<'PY'
import json, sys
name, ref_out, our_json, our_line = sys.argv[1:]
lines = open(ref_out, encoding="utf-8").read().rstrip("\n").split("\n")
ref, ref_line = json.loads("\n".join(lines[:-1])), lines[-1]
our = json.loads(open(our_json, encoding="utf-8").read())
line = open(our_line, encoding="utf-8").read().strip()
bad = []
def cmp(where, r, o):
    for k, v in r.items():
        if k not in o or o[k] != v or type(o[k]) != type(v):
            bad.append("%s %s: score.py=%r eval=%r" % (where, k, v, o.get(k)))
cmp("total", ref["total"], our["total"])
if sorted(ref["docs"]) != sorted(our["docs"]):
    bad.append("documents differ: %s vs %s" % (sorted(ref["docs"]), sorted(our["docs"])))
for d, r in ref["docs"].items():
    cmp(d, r, our["docs"].get(d, {}))
for text in (line, our["summary"]):
    if not text.startswith(ref_line + " change="):
        bad.append("summary line differs:\n  score.py: %s\n  eval:     %s" % (ref_line, text))
if bad:
    print("FAIL %s:" % name)
    for b in bad[:20]: print("  " + b)
    sys.exit(1)
t = ref["total"]
print("ok   %-26s tp=%d fp=%d fn=%d  %s" % (name, t["tp"], t["fp"], t["fn"], ref_line))
PY
    [ $? -eq 0 ] || fail=1
}

# the genre set: its gold has version-2 fields (currency) and a GB18030 document
bin/zhmetrics -q tests/genres/*.txt > "$TMP/genres.jsonl"
[ $? -gt 1 ] && { echo "FAIL: bin/zhmetrics failed on tests/genres"; exit 1; }
compare "genres run"            "$TMP/genres.jsonl" tests/genres/gold genres
compare "dev run (shared gold)" "$TMP/dev.jsonl" "$SHARED/gold" dev
compare "dev run (tests/gold)"  "$TMP/dev.jsonl" tests/gold dev --docs "$DEV_DOCS"
for f in perfect edge fponly empty; do
    compare "$f, dev"   "$TMP/$f.jsonl" tests/gold dev   --docs "$DEV_DOCS"
    compare "$f, tests" "$TMP/$f.jsonl" tests/gold tests --docs "$TEST_DOCS"
    compare "$f, all"   "$TMP/$f.jsonl" tests/gold gold
done

# The perfect prediction must score 1.0 everywhere, change and doc fields too.
scripts/eval --pred "$TMP/perfect.jsonl" --set all | tail -n 1 | grep -q \
  '^F1=1.0 P=1.0 R=1.0 value=1.0 unit=1.0 kind=1.0 qualifier=1.0 status=1.0 time=1.0 subject=1.0 all=1.0\( currency=1.0\)\? indicator=1.0 change=1.0 doc_fields=1.0 indicator_P=1.0 indicator_R=1.0$' ||
  { echo "FAIL perfect prediction does not score 1.0 on every figure"; fail=1; }

if [ $fail -ne 0 ]; then
    echo "agree: FAIL (scripts/eval disagrees with $SCORE)"
    exit 1
fi
echo "agree: ok (scripts/eval matches score.py)"
