#!/usr/bin/env python3
"""Figures per region and indicator, notebook style, with zhmetrics and pandas.

    make python
    PYTHONPATH=python /usr/bin/python3 examples/indicators.py corpus/
    PYTHONPATH=python /usr/bin/python3 examples/indicators.py --csv out.csv corpus/

Extracts every report under the given paths (default corpus/), puts the
metrics into a DataFrame and sums them per region, indicator, status and
unit. The indicator is the records' ``indicator`` field when the library
writes one, else the metric's ``subject``. Sums are exact (Decimal), from
the exact values beside the float column.
"""
import argparse
import decimal
import os
import sys

import zhmetrics


def indicator_column(df):
    return "indicator" if "indicator" in df.columns else "subject"


def summary(df):
    """One row per (region, indicator, status, unit): how many figures, their
    exact sum, and the latest period end they refer to."""
    ind = indicator_column(df)
    df = df.assign(
        region=df["region"].fillna("(unknown)"),
        indicator=df[ind].fillna("(none)"),
        exact=df["value_exact"].map(decimal.Decimal),
    )
    keys = ["region", "indicator", "status", "unit"]
    aggs = {"figures": ("exact", "size"), "total": ("exact", lambda s: sum(s, decimal.Decimal(0)))}
    if "time.to" in df.columns:  # no column when nothing in the input is dated
        aggs["latest"] = ("time.to", "max")
    out = df.groupby(keys, sort=True).agg(**aggs)
    return out.reset_index()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", default=["corpus"])
    ap.add_argument("--csv", help="write the summary as CSV to this file")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)

    model = zhmetrics.Model()
    records = list(model.extract_files(args.paths, jobs=args.jobs))
    for r in records:
        if r["type"] == "error":
            print("%s: %s" % (r["doc"], r["error"]), file=sys.stderr)
    df = zhmetrics.to_dataframe(records)
    table = summary(df)
    if args.csv:
        table.to_csv(args.csv, index=False)
    import pandas as pd
    with pd.option_context("display.max_rows", 40, "display.width", 160):
        print("%d figures in %d documents; by region and %s:" % (
            len(df), df["doc"].nunique(), indicator_column(df)))
        print(table)


if __name__ == "__main__":
    main()
