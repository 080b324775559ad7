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

# ---- a dictionary error under a path over 511 bytes of Chinese names:
# the message stays valid UTF-8 (it was cut mid-character) and keeps the
# file's name
seg=$(printf '词典目录%.0s' $(seq 10)) # 120 bytes
long=$T/$seg/$seg/$seg/$seg/$seg
mkdir -p "$long"
cp dict/* "$long/" 2>/dev/null
printf '万\tmany\tsection\n' >"$long/numerals.tsv"
run "$T/stdout" "$T/err" --data-dir "$long" corpus/003_9ffadad1f1d3667d.txt
assert_eq "long dictionary path: exit" 3 "$RC"
check "long dictionary path: the message is valid UTF-8" \
    "$PYTHON" -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$T/err"
assert_match "long dictionary path: the file's name kept" 'numerals\.tsv:1' "$(cat "$T/err")"
finish
