#!/usr/bin/env bash
# Silent options and API edges (issue 16, item 14): each is refused with a
# message or gives an error record, never an empty success.
. "$(dirname "$0")/lib.sh"

# ---- the library: tests/robust/api_edges.c, built by mk/robust.mk
API=${ZM_API_EDGES:-$ROOT/build/robust/api_edges}
if [ -x "$API" ]; then
    "$API" >"$T/api" 2>&1
    RC=$?
    while read -r st what; do
        if [ "$st" = ok ]; then ok; else fail "api: $what"; fi
    done <"$T/api"
    assert_eq "api_edges: exit" 0 "$RC"
else
    fail "$API not built (make robust-test builds it)"
fi

# ---- empty names: a usage error (exit 2) naming the option, nothing run
for opt in --sqlite --html -o --glob; do
    rm -f "$T/stdout"
    run "$T/stdout" "$T/err" "$opt" '' corpus/
    assert_eq "$opt '': exit" 2 "$RC"
    assert_match "$opt '': message names it" "${opt#--}" "$(cat "$T/err")"
    assert_empty "$opt '': nothing on stdout" "$T/stdout"
done
run "$T/stdout" "$T/err" --glob= corpus/
assert_eq "--glob=: exit" 2 "$RC"
finish
