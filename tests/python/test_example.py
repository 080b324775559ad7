"""examples/indicators.py runs, and its table is the records' own sums."""
import collections
import csv
import decimal
import os
import subprocess
import sys

import pytest

from conftest import DOC_DIRS, ROOT

pytest.importorskip("pandas")


def test_indicators_example(model, tmp_path):
    out = tmp_path / "summary.csv"
    p = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "indicators.py"), "--csv", str(out),
                        "--jobs", "2", *DOC_DIRS], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ))
    assert p.returncode == 0, p.stderr
    assert "figures in" in p.stdout

    # the same sums computed from the records by hand
    recs = list(model.extract_files(DOC_DIRS))
    region = {r["doc"]: r["region"] for r in recs if r["type"] == "document"}
    want = collections.defaultdict(lambda: [0, decimal.Decimal(0)])
    for r in recs:
        if r["type"] != "metric":
            continue
        ind = r.get("indicator", r["subject"])
        key = (region[r["doc"]] or "(unknown)", ind or "(none)", r["status"], r["unit"])
        want[key][0] += 1
        want[key][1] += decimal.Decimal(str(r["value"]))
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    got = {(r["region"], r["indicator"], r["status"], r["unit"]): [int(r["figures"]), decimal.Decimal(r["total"])]
           for r in rows}
    assert len(got) > 20
    assert got == {k: v for k, v in want.items()}


def test_readme_example(capsys):
    # the README's Python example runs as written (from the root)
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    start = readme.index("```python\n") + len("```python\n")
    code = readme[start:readme.index("```", start)]
    exec(compile(code, "README.md", "exec"), {})
    assert "元" in capsys.readouterr().out
