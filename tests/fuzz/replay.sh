#!/usr/bin/env bash
# Replays the fuzz regression inputs and seeds through built fuzz targets.
#   tests/fuzz/replay.sh BINDIR TARGET...
# BINDIR holds the targets: libFuzzer builds (build-fuzz/) or the
# replay_main.c builds ($(BUILD)/fuzz-replay/); both run each file argument
# once. For each TARGET:
#   - every file of tests/fuzz/regress/TARGET/ in its own process: it must
#     not crash, unless tests/fuzz/regress/KNOWN lists it (an open, reported
#     bug): then it is reported as KNOWN and skipped, or run and expected to
#     pass with ZM_KNOWN_BUGS=1; a listed input that passes is reported so
#     its line can go;
#   - the seed corpus tests/fuzz/corpus/TARGET/ in one process.
# Exit 1 if anything that must pass crashed.
set -u
cd "$(dirname "$0")/../.." || exit 2
bindir=$1
shift
known=tests/fuzz/regress/KNOWN
fails=0
for t in "$@"; do
    bin=$bindir/$t
    if [ ! -x "$bin" ]; then
        echo "replay: $bin not built" >&2
        exit 2
    fi
    n=0 nk=0
    for f in tests/fuzz/regress/"$t"/*; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        note=$(grep -F "$t/$(basename "$f")" "$known" 2>/dev/null | head -1)
        if [ -n "$note" ] && [ -z "${ZM_KNOWN_BUGS:-}" ]; then
            nk=$((nk + 1))
            if kout=$( (ZM_KNOWN_BUGS=1 UBSAN_OPTIONS=halt_on_error=1 LSAN_OPTIONS= timeout 60 "$bin" "$f") 2>&1); then
                echo "NOTE [$t]: $f is listed in $known but passes in this build (if it is fixed, not" \
                    "just a sanitizer finding this build cannot see, remove its line)"
            else
                echo "KNOWN [$t]: $f (${note#*	})"
            fi
            continue
        fi
        if ! out=$( (timeout 60 "$bin" "$f") 2>&1); then
            echo "FAIL [$t]: regression input $f:" >&2
            echo "$out" | grep -v '^INFO:' | head -40 >&2
            fails=$((fails + 1))
        fi
    done
    seeds=tests/fuzz/corpus/$t
    if [ -d "$seeds" ] && ! out=$(timeout 600 "$bin" "$seeds"/* 2>&1); then
        echo "FAIL [$t]: a seed of $seeds:" >&2
        echo "$out" | grep -v '^INFO:' | tail -40 >&2
        fails=$((fails + 1))
    fi
    echo "replay [$t]: $n regression inputs ($nk known open bugs), $(ls "$seeds" 2>/dev/null | wc -l) seeds"
done
[ "$fails" -eq 0 ]
