#!/usr/bin/env bash
# The PostgreSQL recipe of docs/integration.md (zm-load.sql, taken from the
# page itself), run against a real server started here on a Unix socket:
# the CSV loads, a second load replaces the rows, values are exact.
# Skipped, with the reason, when PostgreSQL cannot be installed or run.
. "$(dirname "$0")/lib.sh"

scripts/install-deps.sh postgres >"$T/install.log" 2>&1 || true
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ] || ! command -v psql >/dev/null; then
    skip "PostgreSQL is not installed and could not be installed (scripts/install-deps.sh postgres: $(tail -1 "$T/install.log"))"
fi
AS=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no 'postgres' user to run the server as"
    AS=(runuser -u postgres --)
fi

# the recipe, as the page gives it
sed -n '/<!-- BEGIN zm-load.sql -->/,/<!-- END zm-load.sql -->/p' docs/integration.md |
    sed '1,2d;$d' | sed '$d' >"$T/zm-load.sql"
check "recipe found in docs/integration.md" grep -q '^\\copy zm_load FROM pstdin' "$T/zm-load.sql"
check "recipe: ends the transaction" grep -q '^COMMIT;$' "$T/zm-load.sql"

PGD=$T/pg
mkdir -p "$PGD/sock"
[ ${#AS[@]} -gt 0 ] && chown -R postgres "$PGD"
if ! "${AS[@]}" "$PGBIN/initdb" -D "$PGD/data" -A trust -U zm -E UTF8 --locale=C.UTF-8 --no-sync >"$T/initdb.log" 2>&1; then
    skip "initdb failed: $(tail -2 "$T/initdb.log")"
fi
if ! "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $PGD/sock -c fsync=off -c full_page_writes=off" start >"$T/pgctl.log" 2>&1; then
    skip "the PostgreSQL server did not start: $(tail -2 "$PGD/server.log" 2>/dev/null)"
fi
CLEANUP+=("${AS[*]} $PGBIN/pg_ctl -D $PGD/data -m immediate stop >/dev/null 2>&1")
export PGHOST=$PGD/sock PGUSER=zm PGDATABASE=postgres PGCLIENTENCODING=UTF8
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }

files=(corpus/*.txt tests/docs/*.txt)
"$ZM" "${files[@]}" >"$T/all.jsonl" 2>/dev/null
"$ZM" --format csv "${files[@]}" >"$T/all.csv" 2>/dev/null
n=$(count_metrics "$T/all.jsonl")
load() { psql -X -q -v ON_ERROR_STOP=1 -f "$T/zm-load.sql" <"$1" >"$T/psql.log" 2>&1; }

if load "$T/all.csv"; then ok; else fail "first load: $(cat "$T/psql.log")"; fi
assert_eq "rows = metric records" "$n" "$(sql 'SELECT count(*) FROM zm_metrics')"
if load "$T/all.csv"; then ok; else fail "second load: $(cat "$T/psql.log")"; fi
assert_eq "second load of the same CSV: rows replaced, not added" "$n" "$(sql 'SELECT count(*) FROM zm_metrics')"

# exact values: the sum per kind equals the decimal sum of the records
"$PYTHON" - "$T/all.jsonl" >"$T/want" <<'PY'
import json, sys
from decimal import Decimal
s = {}
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["type"] == "metric":
        s[r["kind"]] = s.get(r["kind"], Decimal(0)) + Decimal(str(r["value"]))
for k in sorted(s):
    print("%s|%s" % (k, format(s[k].normalize(), "f")))
PY
sql "SELECT kind, trim_scale(sum(value)) FROM zm_metrics GROUP BY kind ORDER BY kind" >"$T/got"
assert_file_eq "sum(value) per kind is exact" "$T/want" "$T/got"
assert_eq "a record read back whole" \
    "$(grep -m1 '"id":"corpus/002_731d9b2d5a921bef.txt#29"' "$T/all.jsonl" | "$PYTHON" -c '
import json, sys
r = json.loads(sys.stdin.read())
print("|".join([r["text"], str(r["value"]), r["unit"], r["subject"] or "", r["time"]["from"], " > ".join(r["section"])]))')" \
    "$(sql "SELECT text, value, unit, coalesce(subject, ''), time_from, (SELECT string_agg(s, ' > ') FROM jsonb_array_elements_text(section) s)
            FROM zm_metrics WHERE id = 'corpus/002_731d9b2d5a921bef.txt#29'")"
assert_eq "NULL and empty kept apart" "0" "$(sql "SELECT count(*) FROM zm_metrics WHERE subject = '' OR value_max IS NOT NULL AND value_max < value")"

# a document loaded again with other figures: its rows replaced, the rest kept
printf '全县共有学校3所，幼儿园5所。\n' >"$T/x.txt"
"$ZM" --format csv "$T/x.txt" >"$T/x.csv" 2>/dev/null
load "$T/x.csv"
printf '全县共有学校3所，幼儿园5所，教师120名。\n' >"$T/x.txt"
"$ZM" --format csv "$T/x.txt" >"$T/x.csv" 2>/dev/null
load "$T/x.csv"
assert_eq "changed document: its rows replaced, the others kept" "3|$((n + 3))" \
    "$(sql "SELECT (SELECT count(*) FROM zm_metrics WHERE doc = '$T/x.txt'), count(*) FROM zm_metrics")"
# a broken file changes nothing (one transaction)
head -c 2000 "$T/all.csv" >"$T/broken.csv"
if load "$T/broken.csv"; then fail "a truncated CSV loaded"; else ok; fi
assert_eq "a failed load changes nothing" "$((n + 3))" "$(sql 'SELECT count(*) FROM zm_metrics')"
finish
