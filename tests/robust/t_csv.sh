#!/usr/bin/env bash
# CSV formula injection (issue 16, item 11): a text cell starting with
# = + - @ tab or CR (a file name, a sentence, a subject) gets a leading '
# so that a spreadsheet shows it as text; --csv-raw writes it as it is;
# number cells are never changed.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/c"
printf '某县2020年工作总结\n=1+2，新建学校3所。\n@SUM，投入资金500万元。\n-项目，完成投资-200万元。\n' >"$T/c/=HYPERLINK(1).txt"
# cells: doc sentence value (tab-separated), read with Python's csv module
cells() {
    "$PYTHON" -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    print("\t".join([r["doc"], r["sentence"], r["value"]]))'
}
( cd "$T/c" && "$ZM" --format csv '=HYPERLINK(1).txt' ) | cells >"$T/safe"
( cd "$T/c" && "$ZM" --format csv --csv-raw '=HYPERLINK(1).txt' ) | cells >"$T/raw"
assert_match "default: a formula-like doc name gets a '" "^'=HYPERLINK\\(1\\)\\.txt	" "$(head -1 "$T/safe")"
assert_match "default: a sentence starting with = gets a '" "	'=1\\+2，新建学校3所。	3$" "$(sed -n 1p "$T/safe")"
assert_match "default: a sentence starting with @ gets a '" "	'@SUM，" "$(sed -n 2p "$T/safe")"
assert_match "default: a sentence starting with - gets a '" "	'-项目，" "$(sed -n 3p "$T/safe")"
check "default: no cell starts with = + - @ (but numbers)" \
    "$PYTHON" -c '
import sys
for line in open(sys.argv[1], encoding="utf-8"):
    for c in line.rstrip("\n").split("\t")[:2]:
        if c[:1] in "=+-@\t\r": sys.exit(1)' "$T/safe"
assert_match "--csv-raw: the name as it is" "^=HYPERLINK\\(1\\)\\.txt	=1\\+2" "$(head -1 "$T/raw")"
assert_eq "values the same with and without --csv-raw" "$(cut -f3 "$T/raw")" "$(cut -f3 "$T/safe")"
finish
