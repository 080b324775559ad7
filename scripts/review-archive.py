#!/usr/bin/env python3
"""Generates an archive of N documents for the review page's tests and bench.

usage: scripts/review-archive.py DIR N [--reports] [--hostile]

Default (fast, for tests): document i is source i mod S (corpus/*.txt and
tests/docs/*.txt) with every Arabic number scaled by a factor that depends
on i, and a title line naming it; 1,000 documents per sub-directory.
--reports: the bench's report generator (scripts/bench: 10-40 KB documents
recombined from the same sources), as `make bench` uses.
--hostile: one more document whose file name and text are hostile markup
(an <img onerror>, </script>, quotes, U+2028); its name is printed.
Deterministic: the same N gives the same files.
"""
import importlib.machinery
import importlib.util
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOSTILE_NAME = "<img src=x onerror=\"window.__pwned=1\">'\u2028.txt"
HOSTILE_TEXT = ("<img src=x onerror=\"window.__pwned=2\"></script><script>window.__pwned=3</script>关于学校的报告\n"
                "一、概况\n全县共有学校\u202812所，\"教师\"</script>320名，<b onclick=\"window.__pwned=4\">学生</b>5600人。\n"
                "二、目标\n到2025年，力争新建幼儿园3所。\n")
NUMBER = re.compile(r"(?<![0-9.])([0-9]+)(?:\.([0-9]+))?")


def sources():
    out = []
    for d in ("corpus", os.path.join("tests", "docs")):
        p = os.path.join(REPO, d)
        if os.path.isdir(p):
            out += [open(os.path.join(p, f), encoding="utf-8").read() for f in sorted(os.listdir(p)) if f.endswith(".txt")]
    return out


def vary(text, i):
    k = 1 + (i % 97) / 100.0

    def scale(m):
        n = int(m.group(1))
        if 1900 <= n <= 2100 and not m.group(2):   # years stay years
            return m.group(0)
        v = int(n * k) or 1
        return str(v) + ("." + m.group(2) if m.group(2) else "")
    return NUMBER.sub(scale, text)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    root, n = args[0], int(args[1])
    reports = "--reports" in sys.argv
    if reports:
        loader = importlib.machinery.SourceFileLoader("zm_bench", os.path.join(REPO, "scripts", "bench"))
        spec = importlib.util.spec_from_loader("zm_bench", loader)
        bench = importlib.util.module_from_spec(spec)
        loader.exec_module(bench)
        docs, _ = bench.load_sources()
        regions = sorted({r for d in docs for r in d["regions"]})
    else:
        src = sources()
    for i in range(n):
        d = os.path.join(root, "d%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        if reports:
            data = bench.make_report(docs, regions, i)
        else:
            data = ("第%d号\n" % i + vary(src[i % len(src)], i)).encode("utf-8")
        with open(os.path.join(d, "r%05d.txt" % i), "wb") as f:
            f.write(data)
    if "--hostile" in sys.argv:
        with open(os.path.join(root, HOSTILE_NAME), "w", encoding="utf-8") as f:
            f.write(HOSTILE_TEXT)
        print(os.path.join(root, HOSTILE_NAME))


if __name__ == "__main__":
    main()
