#!/usr/bin/env python3
"""compare.py PLAIN.jsonl FORMAT.jsonl: how many of the plain text's figures
(value, unit, status) the other format's records give, and how many they
add. Prints "matched total extra" and the differences."""
import collections, json, sys


def figs(path):
    c = collections.Counter()
    doc = None
    for l in open(path, encoding="utf-8"):
        r = json.loads(l)
        if r["type"] == "metric":
            c[(r["value"], r["unit"], r["status"])] += 1
        else:
            doc = r
    return c, doc


a, _ = figs(sys.argv[1])
b, doc = figs(sys.argv[2])
common = sum((a & b).values())
print("%d %d %d" % (common, sum(a.values()), sum((b - a).values())))
for k, v in (a - b).items():
    print("  missing", k, v, file=sys.stderr)
for k, v in (b - a).items():
    print("  extra  ", k, v, file=sys.stderr)
