"""to_dataframe: one row per metric, document fields joined, dates as
datetime64, exact values beside float ones."""
import decimal
import os
import subprocess
import sys

import pytest

import zhmetrics
from conftest import DOC_DIRS, ROOT

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def records(model):
    return list(model.extract_files(DOC_DIRS))


def test_rows_and_join(records):
    df = zhmetrics.to_dataframe(records)
    metrics = [r for r in records if r["type"] == "metric"]
    docs = {r["doc"]: r for r in records if r["type"] == "document"}
    assert len(df) == len(metrics) > 100
    assert list(df["id"]) == [m["id"] for m in metrics]
    for (_, row), m in zip(df.iterrows(), metrics):
        d = docs[m["doc"]]
        assert row["region"] == d["region"] or (row["region"] is None and d["region"] is None)
        assert row["title"] == d["title"]
        assert row["genre"] == d["genre"]
        assert decimal.Decimal(row["value_exact"]) == m["value"]
        assert row["value"] == float(m["value"])
        if m["time"] is None:
            assert pd.isna(row["time.from"])
        else:
            assert row["time.from"].strftime("%Y-%m-%d") == m["time"]["from"]
            assert row["time.to"].strftime("%Y-%m-%d") == m["time"]["to"]


def test_columns_and_dtypes(records):
    df = zhmetrics.to_dataframe(records)
    metric_keys = [k for k in next(r for r in records if r["type"] == "metric") if k not in ("type", "time")]
    for k in metric_keys:
        assert k in df.columns
    for k in ("time.text", "time.from", "time.to", "title", "region", "period.from", "period.to", "encoding",
              "value_exact", "value_max_exact"):
        assert k in df.columns
    assert "type" not in df.columns
    assert df.columns.get_loc("value_exact") == df.columns.get_loc("value") + 1
    assert str(df["value"].dtype) == "float64"
    assert str(df["value_max"].dtype) == "float64"
    assert df["value_exact"].dtype == object
    assert all(isinstance(v, str) for v in df["value_exact"])
    for k in ("time.from", "time.to", "period.from", "period.to"):
        assert str(df[k].dtype) == "datetime64[ns]", k
    assert str(df["line"].dtype) == "int64"
    assert str(df["bytes"].dtype) == "int64"
    assert str(df["title_inferred"].dtype) == "bool"


def test_value_exact_keeps_digits():
    recs = [
        {"type": "document", "doc": "a", "region": "甲县"},
        {"type": "metric", "doc": "a", "id": "a#1", "value": 12345678901234567890, "value_max": None},
        {"type": "metric", "doc": "a", "id": "a#2", "value": decimal.Decimal("0.1000"),
         "value_max": decimal.Decimal("2.5")},
    ]
    df = zhmetrics.to_dataframe(recs)
    assert list(df["value_exact"]) == ["12345678901234567890", "0.1000"]
    assert df["value_max_exact"][0] is None and df["value_max_exact"][1] == "2.5"
    assert list(df["region"]) == ["甲县", "甲县"]


def test_field_name_clash_and_new_fields():
    # a document field a metric also has is prefixed; unknown fields pass through
    recs = [
        {"type": "document", "doc": "a", "format": "txt", "script": "hans"},
        {"type": "metric", "doc": "a", "id": "a#1", "value": 1, "script": "hant", "currency": "CNY"},
    ]
    df = zhmetrics.to_dataframe(recs)
    assert df["script"][0] == "hant" and df["document.script"][0] == "hans"
    assert df["currency"][0] == "CNY" and df["format"][0] == "txt"


def test_errors_and_empty_give_no_rows():
    df = zhmetrics.to_dataframe([{"type": "error", "doc": "x", "error": "cannot read"}])
    assert len(df) == 0


def test_pandas_not_imported_by_the_package():
    code = "import sys, zhmetrics; assert 'pandas' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=dict(os.environ))
