#!/usr/bin/env python3
"""Checks `zhmetrics track` output against tests/track/gold.jsonl.

usage: check.py GOLD KNOWN_MISSING TRACK.jsonl RECORDS.jsonl

Every gold record must be found (same region, indicator, target document,
value, qualifier, unit and period) with the gold verdict, the gold actual
(document, value, unit, end of time; or none) and the gold progress
(documents and values, in order). The target's and the actual's ids are
located in the metric records: the metric's text is the gold *_text and
its sentence overlaps the gold *_context. A gold record may be left out
only when KNOWN_MISSING lists it with the SPEC reading that allows it (its
why cites SPEC); a listed record must not be found (the list is kept
honest). Exit 1 on any difference, with one line per problem.
"""
import json
import re
import sys

gold_path, missing_path, track_path, recs_path = sys.argv[1:5]
gold = [json.loads(l) for l in open(gold_path, encoding="utf-8") if l.strip()]
track = [json.loads(l) for l in open(track_path, encoding="utf-8") if l.strip()]
metrics = {}
for l in open(recs_path, encoding="utf-8"):
    r = json.loads(l)
    if r.get("type") == "metric":
        metrics[r["id"]] = r
missing = set()
problems = []
for n, l in enumerate(open(missing_path, encoding="utf-8"), 1):
    if l.strip() and not l.startswith("#"):
        f = l.rstrip("\n").split("\t")
        if len(f) < 4 or "SPEC" not in f[3]:
            problems.append("%s:%d: a known-missing record needs its SPEC reading" % (missing_path, n))
            continue
        missing.add((f[0], f[1], float(f[2])))

ws = re.compile(r"\s+")


def squeeze(s):
    return ws.sub("", s or "")


def located(fig_id, text, context):
    m = metrics.get(fig_id)
    if not m:
        return "id %s is no metric" % fig_id
    if squeeze(m["text"]) != squeeze(text):
        return "id %s is %r, gold %r" % (fig_id, m["text"], text)
    s, c = squeeze(m["sentence"]), squeeze(context)
    if c not in s and s not in c:
        return "id %s: sentence %r does not hold %r" % (fig_id, m["sentence"], context)
    return None


def key(r):
    t = r["target"]
    return (r["region"], r["indicator"], t["doc"], float(t["value"]), t["qualifier"], t["unit"],
            t["time"]["from"], t["time"]["to"])


by_key = {}
for r in track:
    by_key.setdefault(key(r), []).append(r)

found = 0
for g in gold:
    k = key(g)
    short = (g["region"], g["indicator"], float(g["target"]["value"]))
    got = by_key.get(k)
    if short in missing:
        if got:
            problems.append("listed as missing but found: %s" % (short,))
        continue
    if not got:
        problems.append("not found: %s" % (k,))
        continue
    if len(got) > 1:
        problems.append("%d records for %s" % (len(got), k))
    r = got[0]
    before = len(problems)
    if r["verdict"] != g["verdict"]:
        problems.append("%s: verdict %s, gold %s" % (k, r["verdict"], g["verdict"]))
    err = located(r["target"]["id"], g["target_text"], g["target_context"])
    if err:
        problems.append("%s: target %s" % (k, err))
    ga, ra = g["actual"], r["actual"]
    if (ga is None) != (ra is None):
        problems.append("%s: actual %s, gold %s" % (k, ra, ga))
    elif ga:
        want = (ga["doc"], float(ga["value"]), ga["unit"], ga["time"]["to"])
        have = (ra["doc"], float(ra["value"]), ra["unit"], ra["time"]["to"])
        if want != have:
            problems.append("%s: actual %s, gold %s" % (k, have, want))
        err = located(ra["id"], g["actual_text"], g["actual_context"])
        if err:
            problems.append("%s: actual %s" % (k, err))
    want = [(p["doc"], float(p["value"])) for p in g.get("progress") or []]
    have = [(p["doc"], float(p["value"])) for p in r.get("progress") or []]
    if want != have:
        problems.append("%s: progress %s, gold %s" % (k, have, want))
    found += len(problems) == before

# the test documents must keep covering every verdict of SPEC section 8
verdicts = {"met", "missed", "pending", "no_report", "not_comparable"}
lacking = verdicts - {g["verdict"] for g in gold if (g["region"], g["indicator"], float(g["target"]["value"])) not in missing}
if lacking:
    problems.append("no gold record (not listed as missing) has the verdict %s" % ", ".join(sorted(lacking)))

for p in problems:
    print("track gold: " + p)
print("track gold: %d of %d found right, %d listed as missing, %d problems"
      % (found, len(gold), len(missing), len(problems)))
sys.exit(1 if problems else 0)
