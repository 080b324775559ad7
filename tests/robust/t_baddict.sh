#!/usr/bin/env bash
# Broken data files: a malformed line in a dictionary or rule file (bad
# regex, bad number, wrong column count ...) is reported on stderr as
# "zhmetrics: FILE:LINE: message" and the program exits 3 before reading
# any input (the input here is a FIFO nobody writes to: opening it would
# hang) and writes nothing on stdout. Checked both for a user dictionary
# (--dict DIR) and, for the first case of each file, for a copy of the main
# one (--data-dir DIR), the bad line always line 2 (after a comment line).
. "$(dirname "$0")/lib.sh"

mkfifo "$T/in.fifo"
U=$T/user D=$T/data
declare -A done_main

# bad FILE LINE-TEXT WHAT [ERE for the message]
bad() {
    local file=$1 line=$2 what=$3 re=${4:-.}
    # user dictionary: the bad line as line 2
    rm -rf "$U" && mkdir -p "$U"
    printf '# a comment\n%s\n' "$line" >"$U/$file"
    expect_3 "--dict, $file: $what" "$U/$file" 2 "$re" --dict "$U"
    # main dictionary copy: line 2 of the file (the first case of each file)
    [ -z "${done_main[$file]:-}" ] || return 0
    done_main[$file]=1
    rm -rf "$D" && cp -r dict "$D"
    { head -1 "dict/$file"; printf '%s\n' "$line"; tail -n +2 "dict/$file"; } >"$D/$file"
    expect_3 "--data-dir, $file: $what" "$D/$file" 2 "$re" --data-dir "$D"
}

# expect_3 WHAT PATH LINE ERE ARGS...
expect_3() {
    local what=$1 path=$2 line=$3 re=$4; shift 4
    timed "$T/out" "$T/err" 10 "$@" "$T/in.fifo"
    if [ "$RC" -eq 124 ]; then fail "$what: read the input before failing (hung on the FIFO)"; return; fi
    assert_eq "$what: exit" 3 "$RC"
    assert_empty "$what: nothing on stdout" "$T/out"
    assert_eq "$what: one line on stderr" 1 "$(grep -c . "$T/err")"
    assert_match "$what: 'zhmetrics: FILE:LINE: message'" "^zhmetrics: $path:$line: .*$re" "$(head -1 "$T/err")"
}

TAB=$'\t'
# rules.tsv
bad rules.tsv "x${TAB}metric${TAB}-${TAB}(?<num>[0-9]+(" "bad regex" 'regex|parenthes'
bad rules.tsv "x${TAB}metric${TAB}-${TAB}(?<num>[0-9]+)[" "bad regex: unterminated class" 'regex|class'
bad rules.tsv "x${TAB}metric${TAB}-${TAB}{NO_SUCH_MACRO}" "unknown macro" 'NO_SUCH_MACRO'
bad rules.tsv "x${TAB}metric${TAB}(?<num>[0-9]+)" "3 columns, not 4" 'column'
bad rules.tsv "x${TAB}metric${TAB}-${TAB}a${TAB}b" "5 columns, not 4" 'column'
bad rules.tsv "x${TAB}explode${TAB}-${TAB}a" "unknown action" 'explode'
bad rules.tsv "x${TAB}metric${TAB}-${TAB}(?<num>\\d+)\\" "regex ending in a backslash" 'regex|\\'
# the kind column is checked (was: kind 'ration' loaded and was output
# as "kind":"ration", exit 0); only metric rules take one
bad rules.tsv "x${TAB}metric${TAB}ration${TAB}(?<num>[0-9]+)%" "unknown kind" "unknown kind 'ration'"
bad rules.tsv "x${TAB}time${TAB}ratio${TAB}(?<y>[0-9]{4})年" "kind on a time rule" "takes no kind"
# an empty pattern (was BUG-16: heap-buffer-overflow in zm_rules_load)
bad rules.tsv "x${TAB}metric${TAB}-${TAB}" "empty pattern" 'pattern|regex|empty'
# numerals.tsv
bad numerals.tsv "万${TAB}many${TAB}section" "bad number" 'many'
bad numerals.tsv "万${TAB}1e4${TAB}section" "bad number (1e4)" '1e4'
bad numerals.tsv "万${TAB}-10000${TAB}section" "negative number" '-10000'
bad numerals.tsv "万${TAB}${TAB}section" "empty number" 'value'
bad numerals.tsv "万${TAB}10000" "2 columns, not 3" 'column'
bad numerals.tsv "万${TAB}10000${TAB}section${TAB}x" "4 columns, not 3" 'column'
bad numerals.tsv "万${TAB}10000${TAB}huge" "unknown kind" 'huge'
bad numerals.tsv "万万${TAB}10000${TAB}section" "two characters" 'character'
# units.tsv
bad units.tsv "台${TAB}count${TAB}台" "3 columns, not 4" 'column'
bad units.tsv "台${TAB}count${TAB}台${TAB}-${TAB}x" "5 columns, not 4" 'column'
bad units.tsv "台${TAB}things${TAB}台${TAB}-" "unknown kind" 'things'
bad units.tsv "台${TAB}count${TAB}台${TAB}sideways" "unknown flag" 'sideways'
bad units.tsv "台${TAB}count${TAB}台${TAB}scale=abc" "bad scale" 'scale'
# the other tables
bad qualifiers.tsv "逾${TAB}pre" "2 columns, not 3" 'column'
bad qualifiers.tsv "逾${TAB}sideways${TAB}over" "bad position" 'position'
bad cues.tsv "力争" "1 column, not 2" 'column'
bad cues.tsv "力争${TAB}wishful" "unknown cue class" 'wishful'
bad docwords.tsv "局" "1 column, not 2" 'column'
bad docwords.tsv "局${TAB}org_sufix" "unknown document word class" "org_sufix"
bad periods.tsv "寒假${TAB}01-15" "2 columns, not 3" 'column'
bad periods.tsv "寒假${TAB}01-15${TAB}13-40" "bad date" 'date'
bad words.txt "教育局 many n" "bad frequency" 'many'

# a value past int64 (was BUG-8: taken as 9223372036854775807, no error)
bad numerals.tsv "万${TAB}99999999999999999999${TAB}section" "number past int64" '99999999999999999999.*range'
# days that do not exist (was BUG-8: an absolute period with 02-30 loaded,
# and was output); 02-29 only in a leap year, or in a relative period
bad periods.tsv "特别期${TAB}2021-02-30${TAB}2021-03-31" "impossible date 02-30" 'date'
bad periods.tsv "特别期${TAB}2021-02-29${TAB}2021-03-31" "02-29 in a common year" 'date'
bad periods.tsv "特别期${TAB}2021-01-01${TAB}2021-04-31" "impossible date 04-31" 'date'
bad periods.tsv "特别期${TAB}04-31${TAB}05-31" "impossible relative date 04-31" 'date'
# invalid UTF-8 in a table (was BUG-2: blamed on dict/rules.tsv, where the
# table becomes a regex macro)
bad units.tsv $'\xff'"${TAB}count${TAB}台${TAB}-" "invalid UTF-8" 'UTF-8'
bad periods.tsv $'\xe5\x8d'"${TAB}01-01${TAB}01-31" "invalid UTF-8" 'UTF-8'
bad rules.tsv "x${TAB}metric${TAB}-${TAB}(?<num>[0-9]+)"$'\xc0\x80' "invalid UTF-8 in a pattern" 'UTF-8'
bad words.txt $'\xe6\x95\x99\xe8'" 5 n" "invalid UTF-8" 'UTF-8'

# indicators.tsv (the indicator catalog): the first case also runs in a
# copy of the main catalog, so it uses no @list
I="edu.x.y${TAB}名称${TAB}词"
bad indicators.tsv "$I${TAB}-${TAB}-${TAB}count${TAB}人${TAB}up" "8 columns, not 9" 'column'
bad indicators.tsv "$I${TAB}-${TAB}-${TAB}count${TAB}人${TAB}up${TAB}d${TAB}x" "10 columns, not 9" 'column'
bad indicators.tsv "$I${TAB}-${TAB}-${TAB}things${TAB}人${TAB}up${TAB}d" "unknown kind" 'things'
bad indicators.tsv "$I${TAB}-${TAB}-${TAB}count${TAB}人${TAB}sideways${TAB}d" "unknown direction" 'sideways'
bad indicators.tsv "Edu.X${TAB}名称${TAB}词${TAB}-${TAB}-${TAB}count${TAB}人${TAB}up${TAB}d" "bad id syntax" 'Edu\.X'
bad indicators.tsv "edu${TAB}名称${TAB}词${TAB}-${TAB}-${TAB}count${TAB}人${TAB}up${TAB}d" "id of one segment" 'id'
bad indicators.tsv "edu.ptr.primary${TAB}名称${TAB}词${TAB}-${TAB}-${TAB}count${TAB}人${TAB}up${TAB}d" "duplicate id (of the main catalog)" 'duplicate.*indicators\.tsv:[0-9]'
bad indicators.tsv "edu.x.y${TAB}名称${TAB}-${TAB}-${TAB}-${TAB}count${TAB}人${TAB}up${TAB}d" "no words" 'words'
bad indicators.tsv "edu.x.y${TAB}名称${TAB}a||b${TAB}-${TAB}-${TAB}count${TAB}人${TAB}up${TAB}d" "empty word" 'empty word'
bad indicators.tsv "edu.x.y${TAB}名称${TAB}词${TAB}生师比${TAB}-${TAB}count${TAB}人${TAB}up${TAB}d" "scope item without contexts" 'WORD:CONTEXT'
bad indicators.tsv "edu.x.y${TAB}名称${TAB}词${TAB}-${TAB}@nosuch${TAB}count${TAB}人${TAB}up${TAB}d" "unknown word list" 'nosuch'
bad indicators.tsv "@part${TAB}农村${TAB}x" "word list with 3 columns" 'column'
bad indicators.tsv "edu.x.y${TAB}名称"$'\xe8\xaf'"${TAB}-${TAB}-${TAB}count${TAB}人${TAB}up${TAB}d" "invalid UTF-8" 'UTF-8'

# ---- not errors: CRLF line ends, comments only, an empty file
rm -rf "$U" && mkdir -p "$U"
printf '# units\r\n台\tcount\t台\t-\r\n' >"$U/units.tsv"
printf '# nothing\n' >"$U/cues.tsv"
: >"$U/periods.tsv"
printf '某县2020年工作总结\n购置电脑120台。\n' >"$T/doc.txt"
run "$T/out" "$T/err" --dict "$U" "$T/doc.txt"
assert_eq "CRLF, comment-only and empty user files: exit" 0 "$RC"
assert_summary "CRLF user units.tsv: the unit is read" "$T/out" "document $T/doc.txt 1 utf-8"
# 02-29 of a leap year, or in a relative period (clipped to the 28th in
# common years); the largest int64 value
rm -rf "$U" && mkdir -p "$U"
printf '闰期\t2020-02-29\t2020-03-31\n冬末\t01-01\t02-29\n' >"$U/periods.tsv"
printf '兆\t9223372036854775807\tunit\n' >"$U/numerals.tsv"
run "$T/out" "$T/err" --dict "$U" "$T/doc.txt"
assert_eq "02-29 in a leap year and in a relative period, int64 max: exit" 0 "$RC"

# ---- missing directories and unreadable tables: exit 3 with the path
timed "$T/out" "$T/err" 10 --dict "$T/nowhere" "$T/in.fifo"
assert_eq "--dict missing: exit" 3 "$RC"
assert_match "--dict missing: names it" "$T/nowhere" "$(cat "$T/err")"
timed "$T/out" "$T/err" 10 --data-dir "$T/nowhere" "$T/in.fifo"
assert_eq "--data-dir missing: exit" 3 "$RC"
rm -rf "$D" && cp -r dict "$D" && rm "$D/units.tsv" && mkdir "$D/units.tsv"
timed "$T/out" "$T/err" 10 --data-dir "$D" "$T/in.fifo"
assert_eq "a directory where units.tsv should be: exit" 3 "$RC"
assert_match "a directory where units.tsv should be: names it" 'units\.tsv' "$(cat "$T/err")"
finish
