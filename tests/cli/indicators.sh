#!/usr/bin/env bash
# The indicator catalog (dict/indicators.tsv, SPEC section 7): the
# `indicator` field of metric records (after change, null when none),
# --explain naming the entry, --list-indicators, a user catalog (--dict),
# and docs/indicators.md generated from the catalog and kept current.
. "$(dirname "$0")/lib.sh" || exit 1

# ---- docs/indicators.md is what scripts/gen-indicators-doc makes
if scripts/gen-indicators-doc --check 2>"$T/stale"; then ok; else fail "docs/indicators.md: $(cat "$T/stale")"; fi
# and the check notices a change (a stale page must fail)
cp dict/indicators.tsv "$T/ind.tsv"
printf 'edu.test.only\t测试\t测试词\t-\t-\tcount\t人\tup\ttest\n' >>"$T/ind.tsv"
if scripts/gen-indicators-doc --check "$T/ind.tsv" docs/indicators.md 2>/dev/null; then
    fail "gen-indicators-doc --check passes a page that lacks an entry"
else ok; fi

# ---- the field: the last of the field table (version 2), an id or null
printf '某县教育局2020年工作总结\n一、学前教育\n全县学前三年毛入园率达到91.2%%，比上年提高3.1个百分点。农村学校专任教师1200人，共投入资金2269万元。\n' >"$T/doc.txt"
run "$T/out" "$T/err" "$T/doc.txt"
assert_eq "a document with indicators: exit" 0 "$RC"
assert_stream "$T/out"
assert_eq "indicator by figure" \
    '[["91.2%", "edu.preschool.gross_enrolment_rate"], ["3.1个百分点", "edu.preschool.gross_enrolment_rate"], ["1200人", null], ["2269万元", null]]' \
    "$(pyrun -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(json.dumps([[r["text"], r["indicator"]] for r in rows if r["type"] == "metric"], ensure_ascii=False))' "$T/out")"
# fields are appended in the order they came: page, indicator, then
# target_type (issue 12)
assert_eq "indicator follows page, target_type follows it" "page indicator target_type" \
    "$(pyrun -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["type"] == "metric":
        k = list(r)
        i = k.index("indicator")
        print(k[i - 1], k[i], *k[i + 1:]); break' "$T/out")"
# --format json carries it too
run "$T/json" "$T/err" --format json "$T/doc.txt"
assert_match "--format json has indicator" '"indicator":[[:space:]]*"edu\.preschool\.gross_enrolment_rate"' "$(cat "$T/json")"

# ---- --explain names the entry and the words, or the candidate turned down
run "$T/out" "$T/err" --explain "$T/doc.txt"
ex=$(pyrun -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["type"] == "metric":
        print(r["text"], r["explain"].get("indicator"))' "$T/out")
assert_match "--explain: entry, file:line and word" '91\.2% edu\.preschool\.gross_enrolment_rate \(indicators\.tsv:[0-9]+\): word 毛入园率' "$ex"
assert_match "--explain: a part of the population" '1200人 none: edu\.teachers\.fulltime \(indicators\.tsv:[0-9]+\) turned down, a part of the population \(农村\)' "$ex"

# ---- --list-indicators: the catalog as TSV, one line an entry
run "$T/list" "$T/err" --list-indicators
assert_eq "--list-indicators: exit" 0 "$RC"
assert_eq "--list-indicators: header" "# id	name	kind	unit	direction" "$(head -1 "$T/list")"
n_cat=$(grep -c -v -e '^#' -e '^@' -e '^$' dict/indicators.tsv)
assert_eq "--list-indicators: one line per catalog entry" "$n_cat" "$(tail -n +2 "$T/list" | wc -l)"
assert_eq "--list-indicators: 5 columns on every line" "" "$(awk -F'\t' 'NF != 5' "$T/list")"
assert_eq "--list-indicators: every id unique" "" "$(cut -f1 "$T/list" | sort | uniq -d)"
# every id of SPEC section 7 (when ../shared is beside the worktree)
if [ -f ../shared/SPEC.md ]; then
    spec_ids=$(sed -n '/^## 7\./,/^## 8\./p' ../shared/SPEC.md | grep -o '^| `[a-z0-9_.]*`' | tr -d '|` ')
    check "SPEC section 7 lists ids" [ "$(echo "$spec_ids" | wc -l)" -ge 40 ]
    missing=$(comm -23 <(echo "$spec_ids" | sort) <(cut -f1 "$T/list" | sort))
    assert_eq "every SPEC section 7 id is in --list-indicators" "" "$missing"
fi

# ---- a user catalog (--dict) adds entries, with the main word lists
mkdir -p "$T/ud"
printf 'local.beds\t学生床位数\t学生床位\t-\t@region\tcount\t张\tup\t寄宿床位\n' >"$T/ud/indicators.tsv"
printf '某县2020年工作总结\n新增学生床位300张，农村学生床位120张。\n' >"$T/beds.txt"
run "$T/out" "$T/err" --dict "$T/ud" "$T/beds.txt"
assert_eq "user catalog: exit" 0 "$RC"
assert_eq "user catalog: the new id, and @region from the main file" '["local.beds", null]' "$(pyrun -c '
import json, sys
print(json.dumps([json.loads(l)["indicator"] for l in open(sys.argv[1], encoding="utf-8") if "\"metric\"" in l]))' "$T/out")"
run "$T/list" "$T/err" --dict "$T/ud" --list-indicators
assert_match "user catalog: in --list-indicators" 'local\.beds	学生床位数	count	张	up' "$(cat "$T/list")"

finish
