#!/usr/bin/env bash
# The CLI built against the shared library (only the functions of
# include/zhmetrics.h are exported) writes the same records as bin/zhmetrics
# (static), in every output format, and reports the library's version.
set -u
fail=0 n=0
T=$(mktemp -d /tmp/zmarch.XXXXXX)
trap 'rm -rf "$T"' EXIT
export ZHMETRICS_DATA=${ZHMETRICS_DATA:-$PWD/dict}
if ldd "$ZM_SHARED" | grep -q 'libzhmetrics\.so'; then n=$((n + 1)); else
    echo "FAIL [shared_cli]: $ZM_SHARED is not linked against libzhmetrics.so"; fail=1; fi
for args in "" "--format json" "--format csv" "--explain"; do
    # shellcheck disable=SC2086
    "$ZM" -q $args corpus/*.txt tests/docs/*.txt >"$T/static" 2>&1
    # shellcheck disable=SC2086
    "$ZM_SHARED" -q $args corpus/*.txt tests/docs/*.txt >"$T/shared" 2>&1
    if [ -s "$T/static" ] && cmp -s "$T/static" "$T/shared"; then n=$((n + 1)); else
        echo "FAIL [shared_cli]: output differs with '$args'"; fail=1; fi
done
# the review page names its data directory (p.data): one name in two folders
mkdir "$T/s" "$T/b"
"$ZM_SHARED" -q --sqlite "$T/s.db" --html "$T/s/p.html" corpus/*.txt >/dev/null 2>&1
"$ZM" -q --sqlite "$T/b.db" --html "$T/b/p.html" corpus/*.txt >/dev/null 2>&1
if [ -s "$T/b/p.data/index.js" ] && cmp -s "$T/s/p.html" "$T/b/p.html" && diff -r "$T/s/p.data" "$T/b/p.data" >/dev/null &&
    [ "$(sqlite3 "$T/s.db" 'select count(*) from metrics')" = \
    "$(sqlite3 "$T/b.db" 'select count(*) from metrics')" ]; then n=$((n + 1)); else
    echo "FAIL [shared_cli]: --sqlite/--html differ"; fail=1; fi
if [ "$("$ZM_SHARED" --version)" = "$("$ZM" --version)" ]; then n=$((n + 1)); else
    echo "FAIL [shared_cli]: --version differs"; fail=1; fi
[ "$fail" = 0 ] && echo "[shared_cli] $n checks passed"
exit "$fail"
