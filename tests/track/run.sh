#!/usr/bin/env bash
# `zhmetrics track` (issue 14, SPEC section 8): the gold pairs of
# tests/track/gold.jsonl, --from-jsonl against extraction, regions kept
# apart, bad records, and the CSV, SQLite and HTML outputs. Run by
# `make track-test` (part of `make test`).
set -u
cd "$(dirname "$0")/../.."
ZM=${ZM:-bin/zhmetrics}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got [$2], want [$3]"; fi; }
py() { python3 - "$@"; }

docs=(tests/track/*.txt)
"$ZM" "${docs[@]}" >"$T/recs.jsonl" 2>/dev/null
"$ZM" track "${docs[@]}" >"$T/track.jsonl" 2>"$T/err"
check "track over the documents: exit 0" "$?" 0
# noregion2022 names no place (全县 is no name): reported, counted. The
# half-year summary's title names its place without 县 (清溪2021年上半年…):
# region 清溪, paired as 清溪县
check "the region-less document is reported" "$(grep 'no region: left out of pairing' "$T/err")" \
    "zhmetrics: tests/track/noregion2022_summary.txt: no region: left out of pairing"
grep -q '1 left out (no region)' "$T/err" && ok "and counted" || bad "no count of left-out documents: $(tail -1 "$T/err")"
check "a place named without 县 before the title's year is the region" \
    "$(grep '"type":"document","doc":"tests/track/qingxi2021h1_summary.txt"' "$T/recs.jsonl" | grep -o '"region":[^,]*')" '"region":"清溪"'

# ---- every gold record, with its verdict, actual, progress and located ids
if python3 tests/track/check.py tests/track/gold.jsonl tests/track/known_missing.tsv "$T/track.jsonl" "$T/recs.jsonl" >"$T/gold.out"; then
    ok "$(tail -1 "$T/gold.out")"
else
    cat "$T/gold.out"
    bad "gold track records"
fi

# ---- --from-jsonl (a file: two passes; stdin: one) and -j 2 give the same records
"$ZM" track --from-jsonl "$T/recs.jsonl" >"$T/from.jsonl" 2>/dev/null
cmp -s "$T/from.jsonl" "$T/track.jsonl" && ok "--from-jsonl FILE = extraction" || bad "--from-jsonl FILE differs"
"$ZM" track --from-jsonl - <"$T/recs.jsonl" >"$T/stdin.jsonl" 2>/dev/null
cmp -s "$T/stdin.jsonl" "$T/track.jsonl" && ok "--from-jsonl - = extraction" || bad "--from-jsonl - differs"
"$ZM" track -j 2 tests/track/ >"$T/j2.jsonl" 2>/dev/null
cmp -s "$T/j2.jsonl" "$T/track.jsonl" && ok "-j 2 over the directory = extraction" || bad "-j 2 differs"
# any input order: the records reversed, document by document
py "$T/recs.jsonl" >"$T/rev.jsonl" <<'PY'
import sys
blocks = []
for l in open(sys.argv[1], encoding="utf-8"):
    if '"type":"document"' in l:
        blocks.append([])
    blocks[-1].append(l)
for b in reversed(blocks):
    sys.stdout.write("".join(b))
PY
"$ZM" track --from-jsonl "$T/rev.jsonl" >"$T/rev.track" 2>/dev/null
cmp -s "$T/rev.track" "$T/track.jsonl" && ok "documents in reverse order: the same records" || bad "input order changes the records"

# ---- regions not mixed: every figure of a record is from a document of its region,
# and a region's records are the same alone as beside the others
py "$T/recs.jsonl" "$T/track.jsonl" <<'PY' && ok "each record's figures come from its own region" || bad "a record mixes regions"
import json, sys
region = {}
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["type"] == "document":
        region[r["doc"]] = (r.get("region") or "").replace("教育局", "").replace("人民政府办公室", "")
bad = 0
for l in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(l)
    for f in [r["target"], r["actual"]] + r["progress"] + r["conflicts"]:
        # a name without its place suffix is the same place (清溪 = 清溪县)
        dr = f and region.get(f["doc"])
        if f and not (dr and (dr == r["region"] or (r["region"].startswith(dr) and r["region"][len(dr):] in ("县", "区", "市")))):
            print("  %s in a %s record (its region: %s)" % (f["doc"], r["region"], region.get(f["doc"])))
            bad = 1
sys.exit(bad)
PY
for pair in "yunling shiqiao" "qingxi yunling"; do
    set -- $pair
    "$ZM" track tests/track/$1*.txt >"$T/a.jsonl" 2>/dev/null
    "$ZM" track tests/track/$2*.txt >"$T/b.jsonl" 2>/dev/null
    "$ZM" track tests/track/$1*.txt tests/track/$2*.txt >"$T/ab.jsonl" 2>/dev/null
    sort "$T/a.jsonl" "$T/b.jsonl" >"$T/sep"
    sort "$T/ab.jsonl" >"$T/tog"
    [ -s "$T/a.jsonl" ] && [ -s "$T/b.jsonl" ] && cmp -s "$T/sep" "$T/tog" \
        && ok "$1 and $2 together = each alone" || bad "$1 and $2 mixed in one run"
done

# ---- bad records: reported with their line, counted; the rest still paired.
# Conflicting actuals (same time, different values): the later document's
# answers, the other is listed in conflicts.
cat >"$T/bad.jsonl" <<'J'
{"type":"document","doc":"p.txt","region":"青山县教育局","date":"2021-02-01","period":{"from":"2021-01-01","to":"2021-12-31"}}
{"type":"metric","doc":"p.txt","id":"p.txt#1","status":"target","value":90,"unit":"%","qualifier":"at_least","text":"90%以上","time":{"from":"2021-01-01","to":"2021-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
{"type":"document","version":7,"doc":"future.txt","region":"青山县"}
this is not JSON
{"type":"metric","doc":"p.txt","id":"p.txt#2","status":"actual","value":95,"unit":"%","qualifier":"exact","time":{"from":"2021-01-01","to":"2021-12-31"}}
{"type":"document","doc":"n.txt","region":null,"date":"2022-01-03","period":{"from":"2021-01-01","to":"2021-12-31"}}
{"type":"metric","doc":"n.txt","id":"n.txt#1","status":"actual","value":99,"unit":"%","qualifier":"exact","time":{"from":"2021-01-01","to":"2021-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
{"type":"document","doc":"s1.txt","region":"青山","date":"2022-01-05","period":{"from":"2021-01-01","to":"2021-12-31"}}
{"type":"metric","doc":"s1.txt","id":"s1.txt#1","status":"actual","value":91,"unit":"%","qualifier":"exact","time":{"from":"2021-01-01","to":"2021-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
{"type":"document","doc":"s2.txt","region":"青山县","date":"2022-03-01","period":{"from":"2021-01-01","to":"2021-12-31"}}
{"type":"metric","doc":"s2.txt","id":"s2.txt#1","status":"actual","value":89,"unit":"%","qualifier":"exact","time":{"from":"2021-01-01","to":"2021-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
J
"$ZM" track --from-jsonl "$T/bad.jsonl" >"$T/bad.out" 2>"$T/bad.err"
check "bad records: exit 1" "$?" 1
grep -q 'bad.jsonl:3: a record of an unknown version' "$T/bad.err" && ok "unknown version reported with its line" || bad "unknown version: $(cat "$T/bad.err")"
grep -q 'bad.jsonl:4: not a JSON object' "$T/bad.err" && ok "malformed line reported with its line" || bad "malformed line not reported"
grep -q 'bad.jsonl:5: .*without "indicator" (version 1)' "$T/bad.err" && ok "a version-1 metric reported" || bad "version-1 metric not reported"
grep -q 'bad.jsonl:6: n.txt: no region' "$T/bad.err" && ok "a document without a region reported" || bad "no-region document not reported"
grep -q '1 left out (no region), 3 bad records' "$T/bad.err" && ok "counted on stderr" || bad "counts: $(tail -1 "$T/bad.err")"
py "$T/bad.out" <<'PY' && ok "conflicting actuals: the later document's (89, missed), 91 listed; 青山 = 青山县教育局" || bad "conflicting actuals"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(recs) == 1, recs
r = recs[0]
assert r["region"] == "青山县", r["region"]
assert r["actual"]["doc"] == "s2.txt" and r["actual"]["value"] == 89, r["actual"]
assert [(c["doc"], c["value"]) for c in r["conflicts"]] == [("s1.txt", 91)], r["conflicts"]
assert r["verdict"] == "missed", r["verdict"]
PY
# the same records in another order: the same choice
py "$T/bad.jsonl" >"$T/bad2.jsonl" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
sys.stdout.write("".join(lines[9:11] + lines[7:9] + lines[0:2]))
PY
"$ZM" track --from-jsonl "$T/bad2.jsonl" 2>/dev/null | cmp -s - "$T/bad.out" \
    && ok "conflict choice does not depend on input order" || bad "conflict choice depends on input order"

# ---- a five-year plan's deadline (target table 2025年, 到2025年: time 2025)
# is tracked over the plan's period: the yearly actuals before 2025 are
# progress. A 年内 target of the same plan keeps its year; a one-year
# document's 2025 target is not widened.
cat >"$T/dl.jsonl" <<'J'
{"type":"document","doc":"plan.txt","region":"青山县","date":"2021-08-01","period":{"from":"2021-01-01","to":"2025-12-31"}}
{"type":"metric","doc":"plan.txt","id":"plan.txt#1","status":"target","value":92,"unit":"%","qualifier":"at_least","text":"≥92","time":{"from":"2025-01-01","to":"2025-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
{"type":"metric","doc":"plan.txt","id":"plan.txt#2","status":"target","value":95,"unit":"%","qualifier":"at_least","text":"95%以上","time":{"from":"2021-01-01","to":"2021-12-31"},"change":null,"indicator":"edu.special.enrolment_rate"}
{"type":"document","doc":"p2025.txt","region":"青山县","date":"2025-02-01","period":{"from":"2025-01-01","to":"2025-12-31"}}
{"type":"metric","doc":"p2025.txt","id":"p2025.txt#1","status":"target","value":94,"unit":"%","qualifier":"at_least","text":"94%以上","time":{"from":"2025-01-01","to":"2025-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
{"type":"document","doc":"s2021.txt","region":"青山县","date":"2022-01-05","period":{"from":"2021-01-01","to":"2021-12-31"}}
{"type":"metric","doc":"s2021.txt","id":"s2021.txt#1","status":"actual","value":88,"unit":"%","qualifier":"exact","time":{"from":"2021-01-01","to":"2021-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
{"type":"metric","doc":"s2021.txt","id":"s2021.txt#2","status":"actual","value":96,"unit":"%","qualifier":"exact","time":{"from":"2021-01-01","to":"2021-12-31"},"change":null,"indicator":"edu.special.enrolment_rate"}
{"type":"document","doc":"s2022.txt","region":"青山县","date":"2023-01-05","period":{"from":"2022-01-01","to":"2022-12-31"}}
{"type":"metric","doc":"s2022.txt","id":"s2022.txt#1","status":"actual","value":89.5,"unit":"%","qualifier":"exact","time":{"from":"2022-01-01","to":"2022-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
{"type":"document","doc":"s2025.txt","region":"青山县","date":"2026-01-05","period":{"from":"2025-01-01","to":"2025-12-31"}}
{"type":"metric","doc":"s2025.txt","id":"s2025.txt#1","status":"actual","value":93,"unit":"%","qualifier":"exact","time":{"from":"2025-01-01","to":"2025-12-31"},"change":null,"indicator":"edu.preschool.gross_enrolment_rate"}
J
"$ZM" track --from-jsonl "$T/dl.jsonl" >"$T/dl.out" 2>/dev/null
py "$T/dl.out" <<'PY' && ok "a plan's 2025 deadline: tracked 2021-2025, 2021 and 2022 as progress; 年内 and one-year targets keep their year" || bad "deadline of a five-year plan"
import json, sys
recs = {r["target"]["id"]: r for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
r = recs["plan.txt#1"]
assert (r["target"]["time"]["from"], r["target"]["time"]["to"]) == ("2021-01-01", "2025-12-31"), r["target"]
assert [(p["doc"], p["value"]) for p in r["progress"]] == [("s2021.txt", 88), ("s2022.txt", 89.5)], r["progress"]
assert r["actual"]["doc"] == "s2025.txt" and r["verdict"] == "met", r
r = recs["plan.txt#2"]
assert r["target"]["time"]["from"] == "2021-01-01" and r["target"]["time"]["to"] == "2021-12-31", r["target"]
assert r["actual"]["doc"] == "s2021.txt" and r["progress"] == [] and r["verdict"] == "met", r
r = recs["p2025.txt#1"]
assert r["target"]["time"]["from"] == "2025-01-01" and r["progress"] == [], r
assert r["actual"]["value"] == 93 and r["verdict"] == "missed", r
PY

# ---- a level and its change in one sentence (覆盖率达到86.5%，比上年提高
# 2.6个百分点): the level answers a level target, the change is no conflict;
# a change alone, or ending later, is still chosen (not_comparable)
printf '青山县教育局2021年工作要点\n\n    2021年，全县普惠性幼儿园覆盖率达到85%%以上。\n\n青山县教育局\n2021年2月1日\n' >"$T/qs_plan.txt"
printf '青山县教育局2021年工作总结\n\n    2021年，全县普惠性幼儿园覆盖率达到86.5%%，比上年提高2.6个百分点。\n\n青山县教育局\n2022年1月5日\n' >"$T/qs_sum.txt"
"$ZM" track "$T/qs_plan.txt" "$T/qs_sum.txt" >"$T/qs.out" 2>/dev/null
"$ZM" "$T/qs_plan.txt" "$T/qs_sum.txt" >"$T/qs.jsonl" 2>/dev/null
# the documents reversed, and each one's metrics too
py "$T/qs.jsonl" >"$T/qs_rev.jsonl" <<'PY'
import sys
blocks = []
for l in open(sys.argv[1], encoding="utf-8"):
    if '"type":"document"' in l:
        blocks.append([l])
    else:
        blocks[-1].insert(1, l)
for b in reversed(blocks):
    sys.stdout.write("".join(b))
PY
"$ZM" track --from-jsonl "$T/qs_rev.jsonl" >"$T/qs_rev.out" 2>/dev/null
py "$T/qs.out" "$T/qs_rev.out" <<'PY' && ok "a level and its change in one sentence: the level answers (met), no conflict, in any order" || bad "a level beside its change"
import json, sys
for path in sys.argv[1:3]:
    recs = [json.loads(l) for l in open(path, encoding="utf-8")]
    assert len(recs) == 1, recs
    r = recs[0]
    assert r["actual"]["value"] == 86.5 and r["verdict"] == "met" and r["conflicts"] == [], r
PY

# ---- memory follows the targets: with --from-jsonl FILE (two passes) the
# actuals no target waits for (another region's, an indicator nobody
# targets) are not kept, however many documents hold them
base_kept=$("$ZM" track --from-jsonl "$T/recs.jsonl" 2>&1 >/dev/null | sed -n 's/.* \([0-9]*\) actuals kept.*/\1/p')
py "$T/recs.jsonl" >"$T/more.jsonl" <<'PY'
import json, sys
sys.stdout.write(open(sys.argv[1], encoding="utf-8").read())
for i in range(300):
    d = "gen/%d.txt" % i
    region = "白沙县" if i % 2 else "云岭县"  # a region without targets; a region with some
    print(json.dumps({"type": "document", "doc": d, "region": region, "date": "2024-01-05",
                      "period": {"from": "2023-01-01", "to": "2023-12-31"}}, ensure_ascii=False))
    for k, ind in enumerate(("edu.preschool.gross_enrolment_rate", "edu.schools.total", "edu.students.total")):
        if region == "云岭县" and k == 0:
            ind = "edu.buildings.new_area"  # 云岭县 targets no building area
        print(json.dumps({"type": "metric", "doc": d, "id": "%s#%d" % (d, k + 1), "status": "actual",
                          "value": 90 + i, "unit": "%", "qualifier": "exact",
                          "time": {"from": "2023-01-01", "to": "2023-12-31"}, "change": None,
                          "indicator": ind}, ensure_ascii=False))
PY
more_kept=$("$ZM" track --from-jsonl "$T/more.jsonl" 2>&1 >/dev/null | sed -n 's/.* \([0-9]*\) actuals kept.*/\1/p')
[ -n "$base_kept" ] && [ "$more_kept" = "$base_kept" ] \
    && ok "two passes: 300 more documents of actuals nobody targets keep no more ($base_kept actuals)" \
    || bad "two passes kept $more_kept actuals with 300 documents nobody targets, $base_kept without"
"$ZM" track --from-jsonl "$T/more.jsonl" 2>/dev/null | cmp -s - "$T/track.jsonl" \
    && ok "  and give the same records" || bad "actuals nobody targets change the records"

# ---- the document record's region from a title naming a place without
# its suffix before the year; deictics, topics and organs are no place
for title in 清溪2021年上半年教育工作总结 石门2022年教育工作要点 全县2021年教育工作总结 我校2021年工作总结 \
    教育部2021年工作要点 区教体局2020年工作总结 教育工作2021年总结 县委2021年工作要点; do
    printf '%s\n\n一、主要工作\n全年新增学位540个。\n\n县教育局\n2021年12月9日\n' "$title" >"$T/$title.txt"
done
zm_abs=$(cd "$(dirname "$ZM")" && pwd)/$(basename "$ZM")
(cd "$T" && "$zm_abs" 清溪*.txt 石门*.txt 全县*.txt 我校*.txt 教育部*.txt 区教体局*.txt 教育工作*.txt 县委*.txt) >"$T/titles.jsonl" 2>/dev/null
got=$(py "$T/titles.jsonl" <<'PY'
import json, sys
print(" ".join("%s=%s" % (r["doc"][:2], r["region"]) for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))
               if r["type"] == "document"))
PY
)
check "region from a title's bare place name" "$got" "清溪=清溪 石门=石门 全县=None 我校=None 教育=None 区教=None 教育=None 县委=None"

# ---- CSV: the same pairs
"$ZM" track --format csv tests/track/*.txt >"$T/track.csv" 2>/dev/null
py "$T/track.csv" "$T/track.jsonl" <<'PY' && ok "--format csv: one row per record, same pairs" || bad "--format csv"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(rows) == len(recs) > 0, (len(rows), len(recs))
for w, r in zip(rows, recs):
    assert (w["region"], w["indicator"], w["target_id"], w["verdict"]) == \
        (r["region"], r["indicator"], r["target"]["id"], r["verdict"]), (w, r)
    assert (w["actual_id"] or None) == (r["actual"] and r["actual"]["id"])
    assert len(json.loads(w["progress"])) == len(r["progress"])
PY

# ---- SQLite: a tracking table beside documents and metrics
if command -v sqlite3 >/dev/null 2>&1; then
    "$ZM" track --sqlite "$T/t.db" tests/track/*.txt 2>/dev/null
    check "--sqlite: tracking rows" "$(sqlite3 "$T/t.db" 'SELECT count(*) FROM tracking')" "$(wc -l <"$T/track.jsonl")"
    want=$(py "$T/track.jsonl" <<'PY'
import json, sys, collections
c = collections.Counter(json.loads(l)["verdict"] for l in open(sys.argv[1], encoding="utf-8"))
print(" ".join("%s=%d" % kv for kv in sorted(c.items())))
PY
)
    check "--sqlite: verdicts" "$(sqlite3 "$T/t.db" "SELECT group_concat(v, ' ') FROM (SELECT verdict || '=' || count(*) v FROM tracking GROUP BY verdict ORDER BY verdict)")" "$want"
    check "--sqlite: every target joins its metric" \
        "$(sqlite3 "$T/t.db" "SELECT count(*) FROM tracking t JOIN metrics m ON m.id = t.target_id AND m.status = 'target' AND m.indicator = t.indicator")" \
        "$(wc -l <"$T/track.jsonl")"
    check "--sqlite: a re-run replaces the rows" \
        "$("$ZM" track --sqlite "$T/t.db" tests/track/*.txt 2>/dev/null; sqlite3 "$T/t.db" 'SELECT count(*) FROM tracking')" \
        "$(wc -l <"$T/track.jsonl")"
else
    echo "skip --sqlite checks (no sqlite3 shell)"
fi

# ---- HTML: the review page's Targets tab reads track-NNNN.js chunks
# (zmLoad("track", n, [records])); index.js counts them
"$ZM" track --html "$T/t.html" tests/track/*.txt 2>/dev/null
py "$T/t.data" "$T/track.jsonl" <<'PY' && ok "--html: track chunks hold the records, index.js counts them" || bad "--html track chunks"
import glob, json, os, re, sys
d = sys.argv[1]
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
idx = open(os.path.join(d, "index.js"), encoding="utf-8").read()
n = int(re.search(r'"track":(\d+)', idx).group(1))
files = sorted(glob.glob(os.path.join(d, "track-*.js")))
assert n == len(files) >= 1, (n, files)
got = []
for i, f in enumerate(files, 1):
    t = open(f, encoding="utf-8").read()
    head = 'zmLoad("track",%d,[' % i
    assert t.startswith(head) and t.endswith("]);\n"), f
    got += json.loads("[" + t[len(head):-4] + "]")
assert got == recs, "chunk records differ from the JSON Lines"
PY
# the Targets tab in a browser: each target's link selects its highlight
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium-browser ]; then
    if timeout 300 python3 tests/track/browser.py "$T/t.html" "$T/track.jsonl" --max 100 >"$T/browser.out" 2>&1; then
        ok "$(tail -1 "$T/browser.out")"
    else
        cat "$T/browser.out"
        bad "Targets tab in Chromium"
    fi
else
    echo "skip the Targets tab in a browser (no chromium)"
fi

# ---- usage and input errors: exit 2, a message, no records
"$ZM" track --format json tests/track/qingxi2021_plan.txt >"$T/u.out" 2>"$T/u.err"
check "track --format json: usage error" "$?" 2
[ ! -s "$T/u.out" ] && grep -q 'do not apply' "$T/u.err" && ok "  and says why" || bad "--format json message: $(cat "$T/u.err")"
"$ZM" track --from-jsonl "$T/no-such.jsonl" >"$T/u.out" 2>"$T/u.err"
check "track --from-jsonl MISSING: exit 2" "$?" 2
grep -q 'no-such.jsonl: No such file' "$T/u.err" && ok "  and names it" || bad "missing file message: $(cat "$T/u.err")"

if [ "$fails" -gt 0 ]; then
    echo "track: $fails failed"
    exit 1
fi
echo "track: all passed"
