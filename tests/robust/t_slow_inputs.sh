#!/usr/bin/env bash
# Inputs built to be slow finish in time linear in their size, or give an
# error record; never a hang. Each runs under `timeout`, at full size and at
# a quarter of it: the output must be a complete, valid stream with one
# document or error record, and the full-size run may take at most 8 times
# the quarter-size one in CPU time (4 for linear, slack for noise) once it
# takes >= 1 s.
# Sizes are divided by ROBUST_SCALE (make robust-slow: 1; check-asan: 4).
# Prints a table: case, bytes, seconds, quarter seconds, ratio, records.
. "$(dirname "$0")/lib.sh"

printf '%-9s %11s %8s %8s %8s %6s  %s\n' case bytes seconds cpu cpu/4 ratio result
# slow NAME N LIMIT [KNOWN-BUG-NOTE]
slow() {
    local name=$1 n=$2 limit=$3 bug=${4:-} f=$T/$1.txt q=$T/$1.q.txt qs rec ratio
    gen "$name" "$n" "$f"
    gen "$name" $((n / 4)) "$q"
    timed "$T/q.jsonl" "$T/q.err" "$limit" "$q"
    qs=$CPU
    timed "$T/o.jsonl" "$T/o.err" "$limit" "$f"
    ratio=$(awk -v a="$CPU" -v b="$qs" 'BEGIN { printf "%.1f", (b > 0.01) ? a / b : 0 }')
    rec=$(head -c 300 "$T/o.jsonl" | grep -o '"type":"[a-z]*"' | head -1)
    printf '%-9s %11s %8s %8s %8s %6s  rc %s %s %s lines%s\n' "$name" "$(stat -c %s "$f")" "$SECS" "$CPU" "$qs" "$ratio" \
        "$RC" "${rec#*:}" "$(wc -l <"$T/o.jsonl")" "${bug:+  (known: $bug)}"
    if [ -n "$bug" ] && [ -z "${ZM_KNOWN_BUGS:-}" ]; then
        rm -f "$f" "$q" "$T"/*.jsonl
        return 0
    fi
    check "$name: finishes within ${limit}s (rc $RC)" [ "$RC" -ne 124 ]
    if crashed; then fail "$name: crashed or killed (rc $RC): $(head -c 500 "$T/o.err")"; fi
    check "$name: exit 0 or 1 (rc $RC)" [ "$RC" -le 1 ]
    assert_stream "$T/o.jsonl"
    assert_match "$name: first record is a document or an error" '^"(document|error)"$' "${rec#*:}"
    if awk -v a="$CPU" 'BEGIN { exit !(a >= 1) }'; then
        check "$name: time linear in size (CPU: full ${CPU}s vs quarter ${qs}s)" \
            awk -v r="$ratio" 'BEGIN { exit !(r <= 8) }'
    fi
    rm -f "$f" "$q" "$T"/*.jsonl
}

slow digits "$(scaled 1000000)" 60
slow brackets "$(scaled 100000)" 60
slow line "$(scaled $((50 * 1024 * 1024)))" 120
slow wan "$(scaled 1000000)" 60
slow quotes "$(scaled 100000)" 60
slow headings "$(scaled 100000)" 60
slow dun "$(scaled 100000)" 60
slow spaced "$(scaled 1000000)" 60
# Many figures in one unterminated sentence (BUG-4, was quadratic: clause
# and cue scans from the sentence start for every figure).
slow clauses "$(scaled 100000)" 60
# Chinese-numeral figures in one clause (issue 16 item 7, was quadratic:
# each figure read its clause from the start: clause scan, qualifier reach,
# segmentation window; 8 s for 30000, minutes for 300000).
slow cnfigs "$(scaled 300000)" 60
finish
