"""Shared fixtures of the Python package's tests (run by `make python-test`:
PYTHONPATH=python, ZHMETRICS_DATA=dict, ZM=the CLI to compare with)."""
import decimal
import glob
import json
import os
import subprocess

import pytest

import zhmetrics

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
# Every corpus and test document, as the CLI names them from the root.
DOC_DIRS = ["corpus", "tests/docs", "tests/heldout"]
# Under check-asan-python: slower, and RSS says nothing (ASan's quarantine).
ASAN = bool(os.environ.get("ZM_PY_ASAN"))


def cli_path():
    return os.environ.get("ZM") or os.path.join(ROOT, "bin", "zhmetrics")


def parse_jsonl(text):
    """JSON Lines as the package promises to parse them: int or Decimal."""
    return [json.loads(line, parse_float=decimal.Decimal) for line in text.splitlines() if line]


def run_cli(*args, cwd=ROOT):
    """The CLI's records for args (run from cwd, so names match)."""
    p = subprocess.run([cli_path(), *args], cwd=cwd, capture_output=True, check=False)
    assert p.returncode in (0, 1), p.stderr.decode(errors="replace")
    return parse_jsonl(p.stdout.decode("utf-8"))


def doc_files():
    """Every *.txt under DOC_DIRS (subdirectories too, as the CLI walks)."""
    files = []
    for d in DOC_DIRS:
        files += glob.glob(os.path.join(d, "**", "*.txt"), root_dir=ROOT, recursive=True)
    return sorted(files)


@pytest.fixture(scope="session")
def model():
    return zhmetrics.Model()


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Names in records are the paths as given: run from the root, as the CLI."""
    monkeypatch.chdir(ROOT)
