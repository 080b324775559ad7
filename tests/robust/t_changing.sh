#!/usr/bin/env bash
# A file that grows or shrinks while it is read and extracted (issue 16,
# item 6): an error record "cannot read: file changed while read", not a
# complete-looking document of neither version.
. "$(dirname "$0")/lib.sh"

F=$T/grow.txt
mk() { "$PYTHON" -c "import sys; open(sys.argv[1], 'w', encoding='utf-8').write('学校1所，' * int(sys.argv[2]))" "$1" "$(scaled 200000)"; }

# change F by "$@" every 50 ms while process $pid runs: whenever it reads
# F, F changes while it extracts it (50000 figures take far longer)
change_while() {
    while kill -0 "$pid" 2>/dev/null; do "$@"; sleep 0.05; done
}

# grows: appended to during the run
mk "$F"
"$ZM" "$F" >"$T/out" 2>"$T/err" &
pid=$!
change_while sh -c 'printf "新增学校5所。\n" >>"$1"' sh "$F"
wait "$pid"
RC=$?
assert_eq "grown: exit" 1 "$RC"
assert_match "grown: an error record" '"type":"error".*file changed while read' "$(head -1 "$T/out")"

# shrinks: truncated during the run
mk "$F"
"$ZM" -j 2 "$F" corpus/003_9ffadad1f1d3667d.txt >"$T/out" 2>"$T/err" &
pid=$!
change_while truncate -s -13 "$F" # one clause 学校1所， (13 bytes): never mid-character
wait "$pid"
RC=$?
assert_eq "shrunk: exit" 1 "$RC"
assert_match "shrunk: an error record" '"type":"error".*file changed while read' "$(head -1 "$T/out")"
check "shrunk: the other input still extracted" grep -q '"type":"document","doc":"corpus/003' "$T/out"

# unchanged: a document
mk "$F"
run "$T/out" "$T/err" "$F"
assert_eq "unchanged: exit" 0 "$RC"
assert_match "unchanged: a document" '"type":"document"' "$(head -1 "$T/out")"
finish
