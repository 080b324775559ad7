"""Records equal the CLI's JSON Lines, field for field and value for value."""
import datetime
import decimal
import os

import pytest

import zhmetrics
from conftest import DOC_DIRS, doc_files, run_cli


def test_docs_are_there():
    # the equality tests below must not pass vacuously
    assert len(doc_files()) >= 15


@pytest.mark.parametrize("path", doc_files())
def test_extract_equals_cli(model, path):
    with open(path, "rb") as f:
        data = f.read()
    got = model.extract(data, name=path)
    assert got == run_cli(path)
    assert got[0]["type"] == "document"
    assert got[0]["metrics"] == len(got) - 1 > 0


def test_extract_str_equals_bytes(model):
    path = doc_files()[0]
    with open(path, "rb") as f:
        data = f.read()
    assert model.extract(data.decode("utf-8"), name=path) == model.extract(data, name=path)


def test_extract_files_equals_cli_walk(model):
    # directories walked as the CLI walks them, in its order
    expected = run_cli(*DOC_DIRS)
    got = list(model.extract_files(DOC_DIRS))
    assert got == expected
    assert sorted(r["doc"] for r in got if r["type"] == "document") == doc_files()


def test_extract_files_jobs_keeps_order(model):
    expected = run_cli("-j", "2", *DOC_DIRS)
    assert list(model.extract_files(DOC_DIRS, jobs=2)) == expected
    assert list(model.extract_files(DOC_DIRS, jobs=3)) == expected


def test_extract_files_single_path(model):
    path = doc_files()[1]
    assert list(model.extract_files(path)) == run_cli(path)


def test_values_exact(model):
    recs = model.extract("入籍率79.68％，共投入资金2269万元。", name="v")
    values = {r["text"]: r["value"] for r in recs[1:]}
    assert values["79.68％"] == decimal.Decimal("79.68")
    assert isinstance(values["79.68％"], decimal.Decimal)
    assert values["2269万元"] == 22690000 and type(values["2269万元"]) is int


def test_ref_date_as_cli(model):
    path = "tests/docs/t01_tongxi_summary_2018.txt"
    with open(path, "rb") as f:
        data = f.read()
    expected = run_cli("--ref-date", "2030-05-01", path)
    assert expected != run_cli(path)  # the date must matter for this test
    assert model.extract(data, name=path, ref_date="2030-05-01") == expected
    assert model.extract(data, name=path, ref_date=datetime.date(2030, 5, 1)) == expected


def test_unreadable_inputs_are_error_records(model, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_bytes("共投入资金2269万元。".encode())
    (tmp_path / "d" / ".hidden.txt").write_bytes(b"x")
    (tmp_path / "d" / "skip.md").write_bytes(b"x")
    os.mkfifo(tmp_path / "d" / "fifo.txt")
    missing = str(tmp_path / "missing.txt")
    inputs = [missing, str(tmp_path / "d")]
    got = list(model.extract_files(inputs))
    assert got == run_cli(*inputs)
    assert got[0] == {"type": "error", "doc": missing, "error": "cannot read: No such file or directory"}
    assert [r["doc"] for r in got if r["type"] != "metric"] == [
        missing, str(tmp_path / "d" / "a.txt"), str(tmp_path / "d" / "fifo.txt")]


def test_not_text_is_error_record(model, tmp_path):
    p = tmp_path / "bin.txt"
    p.write_bytes(b"\x00\x01\x02\xff" * 1000)
    got = model.extract(p.read_bytes(), name=str(p))
    assert len(got) == 1 and got[0]["type"] == "error"
    assert got == run_cli(str(p))


@pytest.mark.parametrize("kwargs", [
    {"ref_date": "2020-02-30"}, {"ref_date": "20200101"}, {"ref_date": 20200101}, {"name": 3}, {"name": "a\0b"},
])
def test_bad_arguments(model, kwargs):
    with pytest.raises(ValueError):
        model.extract("共投入资金2269万元。", **kwargs)


def test_bad_text_type(model):
    with pytest.raises(ValueError):
        model.extract(12)
    with pytest.raises(ValueError):
        model.extract("\ud800")  # not encodable text


@pytest.mark.parametrize("jobs", [0, 257, "2", True, 1.5])
def test_bad_jobs(model, jobs):
    with pytest.raises(ValueError):
        model.extract_files("corpus", jobs=jobs)


def test_version():
    with open("include/zhmetrics.h") as f:
        assert '#define ZM_VERSION "%s"' % zhmetrics.__version__ in f.read()


def test_limit_and_devices(model, monkeypatch):
    # a device named explicitly is read up to the limit, not forever
    monkeypatch.setattr(zhmetrics, "_MAX_BYTES", 1 << 16)
    got = list(model.extract_files("/dev/zero"))
    assert len(got) == 1 and got[0]["type"] == "error" and got[0]["error"].startswith("limit:")
    # a file over the limit is not read at all
    path = doc_files()[0]
    monkeypatch.setattr(zhmetrics, "_MAX_BYTES", 1000)
    got = list(model.extract_files(path))
    assert got == run_cli("--max-bytes", "1000", path)
    assert len(got) == 1 and got[0]["type"] == "error"


def test_docstring_examples():
    import doctest
    failed, tried = doctest.testmod(zhmetrics)
    assert tried > 0 and failed == 0
