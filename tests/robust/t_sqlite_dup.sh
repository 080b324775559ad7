#!/usr/bin/env bash
# Two inputs of one name in one run (issue 16, item 5): the SQLite output
# kept only the last (JSON Lines both); now the second is refused with a
# message naming it and the exit status is 1, the first stays stored. A
# later run still replaces a name's rows.
. "$(dirname "$0")/lib.sh"

DB=$T/m.db
printf '%s\n' '{"id":"same","text":"新建学校3所。"}' '{"id":"same","text":"投入资金500万元，新建医院2所。"}' \
    '{"id":"other","text":"新建学校4所。"}' >"$T/in.jsonl"
"$ZM" --jsonl-in --sqlite "$DB" -o "$T/out.jsonl" <"$T/in.jsonl" 2>"$T/err"
RC=$?
assert_eq "duplicate id: exit" 1 "$RC"
assert_match "duplicate id: message" 'same: a second input named so in this run' "$(cat "$T/err")"
q() { "$PYTHON" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
assert_eq "duplicate id: the first kept (its 1 metric)" 1 "$(q "SELECT count(*) FROM metrics WHERE doc='same'")"
assert_eq "duplicate id: the other stored" 1 "$(q "SELECT count(*) FROM documents WHERE doc='other'")"
assert_eq "duplicate id: JSON Lines keeps both" 2 "$(grep -c '"type":"document","doc":"same"' "$T/out.jsonl")"
# a later run replaces the rows of its names
printf '%s\n' '{"id":"same","text":"投入资金500万元，新建医院2所。"}' | "$ZM" --jsonl-in --sqlite "$DB" 2>"$T/err"
assert_eq "re-run: exit" 0 "$?"
assert_eq "re-run: the rows replaced" 2 "$(q "SELECT count(*) FROM metrics WHERE doc='same'")"
finish
