#!/usr/bin/env bash
# Dictionaries: a user dictionary (--dict DIR) extends the main one; a broken
# or missing dictionary (--data-dir, --dict, --lexicon) stops the run with
# exit 3 before any input is read, naming file:line on stderr.
. "$(dirname "$0")/lib.sh" || exit 1

O=$T/out.jsonl E=$T/err.txt
FIX=$LIBDIR/fixtures

# ---- user dictionary: an extra unit
echo '今年全县共收购茶叶300担。' >"$T/jin.txt"
run "$O" "$E" "$T/jin.txt"
assert_eq "no user dict: exit" 0 "$RC"
assert_summary "no user dict: 300担 is no metric" "$O" "document $T/jin.txt 0 *"
run "$O" "$E" --dict "$FIX/userdict" "$T/jin.txt"
assert_eq "user dict units.tsv: exit" 0 "$RC"
assert_summary "user dict units.tsv: 300担 is a metric" "$O" "document $T/jin.txt 1 *"
assert_eq "user dict units.tsv: the metric" '["300担", 300, "measure", "担", "担"]' \
    "$(zmc sig "$O" text,value,kind,unit,unit_text)"

# ---- user dictionary: an extra goal cue makes the figure a target
echo '设想新增学位360个。' >"$T/cue.txt"
run "$O" "$E" "$T/cue.txt"
assert_eq "no user cue: status" '["360个", "actual"]' "$(zmc sig "$O" text,status)"
run "$O" "$E" --dict "$FIX/userdict" "$T/cue.txt"
assert_eq "user dict cues.tsv: exit" 0 "$RC"
assert_eq "user dict cues.tsv (设想 goal): status" '["360个", "target"]' "$(zmc sig "$O" text,status)"

# a user dictionary adds, it does not replace: the corpus (no 担, no 设想)
# gives the same output with it
"$ZM" corpus/*.txt >"$T/plain.jsonl" 2>/dev/null
run "$O" "$E" --dict "$FIX/userdict" corpus/*.txt
assert_file_eq "user dict leaves the corpus output alone" "$T/plain.jsonl" "$O"

# ---- --data-dir: a copy of dict/ gives the same output
cp -r dict "$T/dd"
run "$O" "$E" --data-dir "$T/dd" corpus/*.txt
assert_eq "--data-dir copy: exit" 0 "$RC"
assert_file_eq "--data-dir copy of dict/: same output" "$T/plain.jsonl" "$O"

# broken_run WHAT DIR-OPTION DIR FILE: zhmetrics with a broken dictionary
# must exit 3 before reading any input: nothing on stdout, no complaint
# about the (missing) input file, and it does not wait for stdin (a fifo
# that never ends); stderr names FILE:line.
mkfifo "$T/fifo"
broken_run() {
    local what=$1 opt=$2 dir=$3 want=$4 holder
    run "$O" "$E" "$opt" "$dir" "$T/missing-input.txt"
    assert_eq "$what: exit" 3 "$RC"
    assert_empty "$what: no records" "$O"
    assert_match "$what: stderr has $want" "$want" "$(cat "$E")"
    if grep -q 'missing-input' "$E"; then fail "$what: input read before the dictionary"; else ok; fi
    (exec 3>"$T/fifo"; exec sleep 15) &
    holder=$!
    timeout 10 "$ZM" "$opt" "$dir" - <"$T/fifo" >"$O" 2>"$E"; RC=$?
    kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
    assert_eq "$what, stdin never ends: exit 3 at once" 3 "$RC"
}

# line_of FILE REGEX: number of the first line matching REGEX
line_of() { grep -n -m1 -P "$2" "$1" | cut -d: -f1; }

# a bad regex in rules.tsv
rm -rf "$T/dd"; cp -r dict "$T/dd"
n=$(line_of "$T/dd/rules.tsv" '^quantity\t')
check "rules.tsv has a quantity rule" [ -n "$n" ]
sed -i "${n}s/\tmetric\t-\t/\tmetric\t-\t(?<num>[0-9/" "$T/dd/rules.tsv"
broken_run "rules.tsv bad regex" --data-dir "$T/dd" "rules\\.tsv:$n: .*[a-z]"
# an undefined macro in a pattern
rm -rf "$T/dd"; cp -r dict "$T/dd"
sed -i "${n}s/{NUM}/{NO_SUCH_MACRO}/" "$T/dd/rules.tsv"
broken_run "rules.tsv unknown macro" --data-dir "$T/dd" "rules\\.tsv:$n: "

# units.tsv with a wrong column count (3 and 5)
rm -rf "$T/dd"; cp -r dict "$T/dd"
n=$(line_of "$T/dd/units.tsv" '^人次\t')
check "units.tsv has 人次" [ -n "$n" ]
sed -i "${n}s/\t[^\t]*\$//" "$T/dd/units.tsv"
broken_run "units.tsv 3 columns" --data-dir "$T/dd" "units\\.tsv:$n: .*column"
rm -rf "$T/dd"; cp -r dict "$T/dd"
sed -i "${n}s/\$/\textra/" "$T/dd/units.tsv"
broken_run "units.tsv 5 columns" --data-dir "$T/dd" "units\\.tsv:$n: .*column"
rm -rf "$T/dd"; cp -r dict "$T/dd"
sed -i "${n}s/\tcount\t/\tno_such_kind\t/" "$T/dd/units.tsv"
broken_run "units.tsv unknown kind" --data-dir "$T/dd" "units\\.tsv:$n: .*no_such_kind"

# cues.tsv: an unknown class
rm -rf "$T/dd"; cp -r dict "$T/dd"
printf '设想\tno_such_class\n' >>"$T/dd/cues.tsv"
n=$(wc -l <"$T/dd/cues.tsv")
broken_run "cues.tsv unknown class" --data-dir "$T/dd" "cues\\.tsv:$n: .*no_such_class"

# a data file missing from the directory
rm -rf "$T/dd"; cp -r dict "$T/dd"; rm "$T/dd/units.tsv"
broken_run "units.tsv missing" --data-dir "$T/dd" "units\\.tsv"

# a broken user dictionary
mkdir "$T/ud"
printf '斤\tmeasure\t斤\n' >"$T/ud/units.tsv"
broken_run "user units.tsv 3 columns" --dict "$T/ud" "units\\.tsv:1: "
printf '# comment\n\n设想\n' >"$T/ud/cues.tsv"
printf '斤\tmeasure\t斤\t-\n' >"$T/ud/units.tsv"
broken_run "user cues.tsv 1 column" --dict "$T/ud" "cues\\.tsv:3: "

# ---- missing dictionary directories
broken_run "--data-dir missing" --data-dir "$T/no-such-dir" "no-such-dir"
broken_run "--dict missing" --dict "$T/no-such-dir" "no-such-dir"
broken_run "--data-dir is a file" --data-dir "$SAMPLE" "002_731d9b2d5a921bef"

# ---- --lexicon
printf '# word freq pos\n教育扶贫 200000 n\n控辍保学\t5000\n' >"$T/lex.txt"
run "$O" "$E" --lexicon "$T/lex.txt" "$SAMPLE"
assert_eq "--lexicon FILE: exit" 0 "$RC"
assert_stream "$O"
run "$O" "$E" --lexicon '' "$SAMPLE"
assert_eq "--lexicon '': exit" 0 "$RC"
printf '教育 100 n\n扶贫 lots n\n' >"$T/badlex.txt"
broken_run "--lexicon bad frequency" --lexicon "$T/badlex.txt" "badlex\\.txt:2: "
# a --lexicon FILE that does not exist is an error like a missing --dict
# (regression: it was silently ignored, exit 0)
broken_run "--lexicon missing" --lexicon "$T/no-such-lexicon.txt" "no-such-lexicon"

finish
