"""Model.track: the library's pairing (src/lib/track.c) from Python gives
what `zhmetrics track` writes (tests/track/)."""
import json
import os
import subprocess

import pytest

import zhmetrics

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCS = sorted(os.path.join("tests", "track", f) for f in os.listdir(os.path.join(ROOT, "tests", "track"))
              if f.endswith(".txt"))


@pytest.fixture(scope="module")
def model():
    return zhmetrics.Model(os.path.join(ROOT, "dict"))


def test_track_matches_cli(model):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        records = list(model.extract_files(DOCS))
        problems = []
        tracks = model.track(records, problems)
        cli = subprocess.run([os.path.join(ROOT, "bin", "zhmetrics"), "track"] + DOCS,
                             capture_output=True, text=True, check=True)
    finally:
        os.chdir(cwd)
    want = [json.loads(l) for l in cli.stdout.splitlines()]
    assert len(tracks) == len(want) > 20
    for t, w in zip(tracks, want):
        assert (t["region"], t["indicator"], t["target"]["id"], t["verdict"]) == \
            (w["region"], w["indicator"], w["target"]["id"], w["verdict"])
    assert sorted(m for _, m in problems) == [
        "tests/track/noregion2022_summary.txt: no region: left out of pairing"]


def test_track_bad_record(model):
    doc = {"type": "document", "doc": "a.txt", "region": "青山县", "date": "2022-01-01",
           "period": {"from": "2021-01-01", "to": "2021-12-31"}}
    with pytest.raises(ValueError, match="unknown version"):
        model.track([doc, '{"type":"metric","version":9}'])
    problems = []
    assert model.track([doc, "nonsense"], problems) == []
    assert problems == [(2, "not a JSON object")]
