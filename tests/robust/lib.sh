# shellcheck shell=bash
# Helpers for tests/robust/t_*.sh: the assertions, $ZM, $T and zmcheck.py of
# tests/cli/lib.sh, plus:
#   gen CASE N FILE          a hostile input (tests/robust/gen.py)
#   timed OUT ERR LIMIT ARGS  zhmetrics ARGS under `timeout LIMIT`; sets RC,
#                            SECS (wall seconds) and CPU (user+sys seconds)
#   scaled N                 N divided by $ROBUST_SCALE (default 1; the ASan
#                            run uses 4: its binary is slower)
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
ROBUST=$ROOT/tests/robust
ROBUST_SCALE=${ROBUST_SCALE:-1}

gen() { "$PYTHON" "$ROBUST/gen.py" "$@"; }

scaled() { echo $(( $1 / ROBUST_SCALE )); }

timed() {
    local out=$1 err=$2 limit=$3 t; shift 3
    t=$( { TIMEFORMAT='%R %U %S'; time timeout "$limit" "$ZM" "$@" >"$out" 2>"$err"; echo "rc $?" >"$err.rc"; } 2>&1 )
    RC=$(sed -n 's/^rc //p' "$err.rc")
    rm -f "$err.rc"
    read -r SECS CPU <<<"$(echo "$t" | tail -1 | awk '{ printf "%.2f %.2f", $1, $2 + $3 }')"
}

# crashed: RC says the process died of a signal (or timeout's 124/137).
crashed() { [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ] || [ "$RC" -gt 3 ]; }
