"""The dicts built in C from the field table (_records.c) against the
library's own JSON Lines: the same records for the cases the corpus does
not cover, and no mutable value shared between records."""
import copy
import decimal
import json

import pytest

from conftest import doc_files, run_cli


def parse_array(text):
    return json.loads(text, parse_float=decimal.Decimal)


@pytest.mark.parametrize("text", [
    "共投入资金2269万元，é𠀀x。入籍率79.68％。",          # one, two, three and four bytes a character
    "共投入资金2269万元，résumé ÿ ok。再增加2所以上。",
    "投入资金2.5亿元，比上年增长3.5%，新建学校12所。",       # fractions: Decimal
    "",                                                       # no metrics
])
@pytest.mark.parametrize("name", ["a.txt", "données-𠀀.txt", "目录/报告.txt"])
def test_dicts_equal_library_json(model, text, name):
    data = text.encode()
    got = model.extract(data, name=name)
    assert got == parse_array(model.extract_json(data, name, None))
    assert got[0]["type"] == "document" and got[0]["doc"] == name
    for i, r in enumerate(got[1:], 1):
        assert r["id"] == "%s#%d" % (name, i)


def test_explain_as_cli(model):
    # explain (a JSON field) only when asked, parsed once, as the CLI's --explain
    path = doc_files()[0]
    with open(path, "rb") as f:
        data = f.read()
    got = model._extract(data, path, None, True)
    assert got == run_cli("--explain", path)
    assert all(isinstance(r["explain"], dict) for r in got[1:])
    assert all("explain" not in r for r in model.extract(data, name=path)[1:])


def test_no_shared_mutable_values(model):
    # records are built from their predecessor: lists and dicts must still
    # be each record's own, as json.loads makes them
    path = doc_files()[0]
    with open(path, "rb") as f:
        recs = model.extract(f.read(), name=path)
    seen = set()
    for r in recs:
        assert id(r) not in seen
        seen.add(id(r))
        for v in r.values():
            if isinstance(v, (list, dict)):
                assert id(v) not in seen
                seen.add(id(v))
    before = copy.deepcopy(recs[1:3])
    recs[1]["section"].append("x")
    recs[1]["span"][0] = -1
    if recs[1]["time"] is not None:
        recs[1]["time"]["text"] = "x"
    assert recs[2] == before[1]


def test_repeated_calls_same_records(model):
    # per-Model state (keys, templates, which fields are worth caching)
    # never changes a value
    path = doc_files()[2]
    with open(path, "rb") as f:
        data = f.read()
    first = model.extract(data, name=path)
    for _ in range(3):
        assert model.extract(data, name=path) == first


@pytest.mark.parametrize("data", [
    b"", b"a", b"ascii only #1", "résumé ÿ".encode(), "共投入资金".encode(), "é𠀀x".encode(),
    "𠀀".encode(), "\u07ff\u0800\uffff\U00010000\U0010ffff".encode(),
    ("x" * 20 + "共").encode(), ("abcdefghé" + "ÿ").encode(), "Āx".encode(), "ab𠀀共".encode(),
    ("共" * 400).encode(), ("é" * 600).encode(), ("x" * 2000 + "共𠀀").encode(),   # past the one-pass buffer
])
def test_record_strings_decode_as_python(data):
    # the records' own UTF-8 decoder (_str.c): each width gives the same
    # str, of the same (narrowest) kind, as bytes.decode
    import sys
    from zhmetrics import _core
    got = _core._utf8_str(data)
    assert got == data.decode("utf-8") and type(got) is str
    assert sys.getsizeof(got) == sys.getsizeof(data.decode("utf-8"))


@pytest.mark.parametrize("data", [
    b"\x80", b"a\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xed\xa0\x80", b"\xf0\x80\x80\x80",
    b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xe4\xb8", b"\xe4\xb8x", b"\xff",
    "共".encode() * 3 + b"\xed\xa0\x80", b"x" * 9 + b"\xc3", "共".encode() * 500 + b"\xe4\xb8",
])
def test_record_strings_malformed_raise_as_python(data):
    from zhmetrics import _core
    with pytest.raises(UnicodeDecodeError) as want:
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError) as got:
        _core._utf8_str(data)
    assert str(got.value) == str(want.value)
