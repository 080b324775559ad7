#!/usr/bin/env bash
# Memory for a figure-dense input (issue 16, item 8): records stream in
# every format, so --format csv and -j 2 take no more memory than JSON
# Lines at -j 1 (which holds the document, not its output): at most 1.25
# times its peak RSS (/usr/bin/time -f %M). They took 1.7 to 1.8 times:
# the whole CSV, and every prepared output with -j N, built in memory.
# Skipped under ASan (its own allocator and shadow memory).
. "$(dirname "$0")/lib.sh"

if [ -n "${ASAN_OPTIONS:-}" ] || ldd "$ZM" 2>/dev/null | grep -q libasan; then
    echo "[t_memory] skipped: sanitizer build"
    exit 0
fi
if [ ! -x /usr/bin/time ]; then
    echo "[t_memory] skipped: /usr/bin/time not installed"
    exit 0
fi
F=$T/dense.txt
"$PYTHON" -c "import sys; open(sys.argv[1], 'w', encoding='utf-8').write('学校1所，' * int(sys.argv[2]))" "$F" "$(scaled 160000)"
peak() { /usr/bin/time -f %M -o "$T/mem" "$ZM" -q "$@" "$F" >/dev/null 2>"$T/err"; RC=$?; cat "$T/mem"; }
base=$(peak -j 1)
assert_eq "-j 1: exit" 0 "$RC"
printf '%-22s %10s KB (input %s bytes)\n' "-j 1 JSON Lines" "$base" "$(stat -c %s "$F")"
for mode in "--format csv" "-j 2" "-j 2 --format csv"; do
    # shellcheck disable=SC2086
    kb=$(peak $mode)
    printf '%-22s %10s KB\n' "$mode" "$kb"
    check "$mode: peak RSS $kb KB within 1.25 x -j 1's $base KB" awk -v a="$kb" -v b="$base" 'BEGIN { exit !(a <= 1.25 * b) }'
done
finish
