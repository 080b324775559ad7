# shellcheck shell=bash
# Helpers for the integration tests (tests/integration/t_*.sh, run by
# run.sh). Source it first: it cds to the repo root and sets ZM (the
# binary), PYTHON, T (a temp dir removed on exit) and ART (build/artifacts,
# kept). Assertions count failures; `finish` ends the test (exit 1 if any
# failed); `skip REASON` ends it as skipped (exit 77) with a clear message.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
ZM=${ZM:-$ROOT/bin/zhmetrics}
TEST_NAME=$(basename "$0" .sh)
ART=$ROOT/build/artifacts
FAILS=0
CHECKS=0
PYTHON=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)}
mkdir -p "$ART"
if [ ! -x "$ZM" ]; then
    echo "FAIL [$TEST_NAME]: $ZM not built (run make)" >&2
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/zmint.XXXXXX") || exit 1
chmod 755 "$T"
CLEANUP=()
cleanup() {
    local c
    for c in "${CLEANUP[@]}"; do eval "$c"; done
    rm -rf "$T"
}
trap cleanup EXIT

fail() { FAILS=$((FAILS + 1)); echo "FAIL [$TEST_NAME]: $*" >&2; return 1; }
ok() { CHECKS=$((CHECKS + 1)); return 0; }
check() { local what=$1; shift; if "$@"; then ok; else fail "$what"; fi; }
assert_eq() {
    if [ "$2" == "$3" ]; then ok; else
        fail "$1:"$'\n'"  expected: $2"$'\n'"  actual:   $3"; fi
}
assert_match() { if [[ $3 =~ $2 ]]; then ok; else fail "$1: '$3' does not match /$2/"; fi; }
assert_file_eq() {
    if cmp -s "$2" "$3"; then ok; else fail "$1: $2 and $3 differ: $(cmp "$2" "$3" 2>&1 | head -1)"; fi
}
# py WHAT SCRIPT ARGS...: a python check (script on stdin) that must exit 0;
# its output is shown on failure.
py_ok() {
    local what=$1 msg; shift
    if msg=$("$PYTHON" - "$@" 2>&1); then ok; else fail "$what: $msg"; fi
}
# count_metrics JSONL: number of metric records.
count_metrics() { grep -c '^{"type":"metric"' "$1"; }
# sorted FILE: its lines sorted bytewise.
sorted() { LC_ALL=C sort "$1"; }

skip() {
    echo "SKIP [$TEST_NAME]: $*"
    exit 77
}

finish() {
    if [ "$FAILS" -gt 0 ]; then
        echo "[$TEST_NAME] $FAILS failed, $CHECKS passed" >&2
        exit 1
    fi
    echo "[$TEST_NAME] $CHECKS checks passed"
    exit 0
}
