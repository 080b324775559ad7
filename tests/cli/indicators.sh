#!/usr/bin/env bash
# The indicator catalog (dict/indicators.tsv, SPEC section 7): its page
# docs/indicators.md is generated from it and must be current.
. "$(dirname "$0")/lib.sh" || exit 1

# ---- docs/indicators.md is what scripts/gen-indicators-doc makes
if scripts/gen-indicators-doc --check 2>"$T/stale"; then ok; else fail "docs/indicators.md: $(cat "$T/stale")"; fi
# and the check notices a change (a stale page must fail)
cp dict/indicators.tsv "$T/ind.tsv"
printf 'edu.test.only\t测试\t测试词\t-\t-\tcount\t人\tup\ttest\n' >>"$T/ind.tsv"
if scripts/gen-indicators-doc --check "$T/ind.tsv" docs/indicators.md 2>/dev/null; then
    fail "gen-indicators-doc --check passes a page that lacks an entry"
else ok; fi

finish
