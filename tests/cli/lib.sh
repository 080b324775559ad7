# shellcheck shell=bash disable=SC2034
# Helper library for the zhmetrics CLI tests. Source it from a test script:
#   . "$(dirname "$0")/lib.sh"
# It cds to the repo root and sets ZM (the binary), SAMPLE (a corpus file),
# T (a temp dir, removed on exit); assertions count failures, and `finish`
# (call it last) prints a summary and exits 1 if anything failed.
# Checks of the JSON output are in zmcheck.py (python3).

# `make cli-test` runs every tests/cli/*.sh, this file included: on its own
# it has nothing to check.
if [ "${BASH_SOURCE[0]}" == "$0" ]; then exit 0; fi

set -u
shopt -s extglob
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
ZM=${ZM:-$ROOT/bin/zhmetrics}
SAMPLE=corpus/002_731d9b2d5a921bef.txt
LIBDIR=$ROOT/tests/cli
TEST_NAME=$(basename "$0" .sh)
# the repo's own dictionary, whatever the caller's environment
unset ZHMETRICS_DATA
FAILS=0
CHECKS=0
RC=0

if [ ! -x "$ZM" ]; then
    echo "FAIL [$TEST_NAME]: $ZM not built (run make)" >&2
    exit 1
fi
# python3 runs the JSON checks (stdlib only). Use the interpreter itself,
# not a version-manager shim (a pyenv shim costs half a second a call).
if [ -z "${PYTHON:-}" ]; then
    PYTHON=$(command -v python3)
    case $PYTHON in
        */shims/*) PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) ;;
    esac
fi
if [ -z "$PYTHON" ]; then
    echo "FAIL [$TEST_NAME]: python3 not found" >&2
    exit 1
fi
# pyrun ARGS...: python3 without site-packages or environment (faster start)
pyrun() { "$PYTHON" -I -S "$@"; }
T=$(mktemp -d "${TMPDIR:-/tmp}/zmcli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# fail MESSAGE...: record and print a failure.
fail() {
    FAILS=$((FAILS + 1))
    echo "FAIL [$TEST_NAME]: $*" >&2
    return 1
}

# ok: count a passed check.
ok() { CHECKS=$((CHECKS + 1)); return 0; }

# check WHAT CMD...: CMD must succeed.
check() {
    local what=$1; shift
    if "$@"; then ok; else fail "$what"; fi
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
    if [ "$2" == "$3" ]; then ok; else
        fail "$1:"$'\n'"  expected: $2"$'\n'"  actual:   $3"; fi
}

# assert_ne WHAT UNEXPECTED ACTUAL
assert_ne() {
    if [ "$2" != "$3" ]; then ok; else fail "$1: did not expect '$3'"; fi
}

# assert_match WHAT ERE STRING
assert_match() {
    if [[ $3 =~ $2 ]]; then ok; else fail "$1: '$3' does not match /$2/"; fi
}

# assert_lt WHAT LIMIT VALUE (integers)
assert_lt() {
    if [ "$3" -lt "$2" ]; then ok; else fail "$1: expected < $2, got $3"; fi
}

# assert_file_eq WHAT FILE1 FILE2: byte-identical.
assert_file_eq() {
    if cmp -s "$2" "$3"; then ok; else
        fail "$1: $2 and $3 differ: $(cmp "$2" "$3" 2>&1 | head -1)"; fi
}

# assert_empty WHAT FILE: the file exists and is empty.
assert_empty() {
    if [ -f "$2" ] && [ ! -s "$2" ]; then ok; else
        fail "$1: expected nothing, got: $(head -c 300 "$2" 2>&1)"; fi
}

# zmc CMD ARGS...: run tests/cli/zmcheck.py (see its docstring).
zmc() { pyrun "$LIBDIR/zmcheck.py" "$@"; }

# zmc_ok WHAT CMD ARGS...: a zmcheck.py check that must pass.
zmc_ok() {
    local what=$1 msg; shift
    if msg=$(zmc "$@" 2>&1); then ok; else fail "$what: $msg"; fi
}

# assert_json_lines FILE: every line parses as a JSON object with a known type.
assert_json_lines() { zmc_ok "assert_json_lines" jsonl "$1"; }

# assert_stream FILE: JSON Lines and the record grammar of SPEC §1.
assert_stream() { zmc_ok "assert_stream" stream "$1"; }

# count_type FILE TYPE: number of records of TYPE.
count_type() { zmc count "$1" "$2"; }

# field FILE N EXPR: a python expression over record r (N-th line).
field() { zmc field "$@"; }

# assert_summary WHAT FILE PATTERN...: the stream is valid and has one
# input per PATTERN, each summary line (zmcheck.py summary, tabs shown as
# spaces: "document DOC METRICS ENCODING" or "error DOC MESSAGE") matching
# its bash glob PATTERN ('*' matches anything; extglob is on, so
# '@(a|b)' matches a or b).
assert_summary() {
    local what=$1 file=$2 out g e i=0 good=1; shift 2
    if ! out=$(zmc summary "$file" 2>&1); then fail "$what: $out"; return 1; fi
    out=${out//$'\t'/ }
    local -a got=()
    [ -n "$out" ] && mapfile -t got <<<"$out"
    [ "${#got[@]}" -eq "$#" ] || good=0
    for e in "$@"; do
        g=${got[$i]-}
        # shellcheck disable=SC2053
        [[ $g == $e ]] || good=0
        i=$((i + 1))
    done
    if [ "$good" = 1 ]; then ok; else
        fail "$what:"$'\n'"  expected:$(printf '\n    %s' "$@")"$'\n'"  actual:$(printf '\n    %s' "${got[@]}")"
    fi
}

# run OUT ERR ARGS...: zhmetrics ARGS, stdout to OUT, stderr to ERR; sets RC.
run() {
    local out=$1 err=$2; shift 2
    "$ZM" "$@" >"$out" 2>"$err"; RC=$?
}

# ms_since START: milliseconds since START (from `date +%s%N`).
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# Checks that fail because of a known, reported bug are guarded with
#   if [ -n "${ZM_KNOWN_BUGS:-}" ]; then ...; fi
# so the suite stays green; run `ZM_KNOWN_BUGS=1 make cli-test` to see them.

# finish: summary line and exit status.
finish() {
    if [ "$FAILS" -gt 0 ]; then
        echo "[$TEST_NAME] $FAILS failed, $CHECKS passed" >&2
        exit 1
    fi
    echo "[$TEST_NAME] $CHECKS checks passed"
    exit 0
}
