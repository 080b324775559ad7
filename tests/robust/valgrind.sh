#!/usr/bin/env bash
# make check-valgrind: memcheck (errors and definite/indirect/possible
# leaks are failures) over
#   - every unit test binary ($UNIT_TESTS),
#   - the CLI on corpus/ and tests/docs/ (-j 1 and -j 2), on bad inputs
#     (binary, invalid UTF-8, truncated, UTF-16 broken, missing, over
#     --max-bytes, a dangling symlink), on --jsonl-in with bad lines, on
#     --format json, and failing runs (broken dictionary: exit 3; write
#     error: exit 2),
#   - the fuzz targets replaying their seeds and regression inputs
#     ($REPLAY_BINS; known open bugs skipped).
# Environment from the make target: VALGRIND (the command), ZM, UNIT_TESTS,
# REPLAY_BINS, FUZZ_TARGETS.
. "$(dirname "$0")/lib.sh"

VG=${VALGRIND:-valgrind --error-exitcode=99 --leak-check=full}
LOGS=$ROOT/build/valgrind
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

# vg NAME EXPECTED-EXIT CMD...: runs CMD under valgrind; its exit must be
# EXPECTED-EXIT (99 = valgrind found something)
vg() {
    local name=$1 want=$2 start; shift 2
    start=$(date +%s)
    $VG --log-file="$LOGS/$name.log" "$@" >"$T/vg.out" 2>"$T/vg.err"; RC=$?
    printf '  %-34s exit %3s  %4ss\n' "$name" "$RC" "$(( $(date +%s) - start ))"
    if [ "$RC" -eq 99 ] || grep -qE 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]|possibly lost: [1-9]' "$LOGS/$name.log"; then
        fail "$name: valgrind reports errors or leaks:"$'\n'"$(grep -E '==[0-9]+== ' "$LOGS/$name.log" | head -40)"
    else
        assert_eq "$name: exit" "$want" "$RC"
    fi
}

echo "== unit tests"
for t in ${UNIT_TESTS:-}; do
    vg "unit-$(basename "$t")" 0 "$t"
done

echo "== CLI"
B=$T/bad
mkdir -p "$B"
printf '全县共有学校3所。\0\0\1\2binary' >"$B/bin.txt"
printf '全县共有学校3所。\x80\xff\xfe\n' >"$B/badutf8.txt"
printf '全县共有学校3所。\xe5\x85' >"$B/trunc.txt"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$SAMPLE"; printf 'x'; } >"$B/odd16.txt"
printf '\xff\xfe\x00\xd8\x41\x00' >"$B/surrogate.txt"
iconv -f UTF-8 -t GB18030 "$SAMPLE" >"$B/gb18030.txt"
: >"$B/empty.txt"
ln -s nowhere.txt "$B/dangling.txt"
gen clauses 300 "$B/clauses.txt"
gen headings 3000 "$B/headings.txt"
gen brackets 3000 "$B/brackets.txt"
docs=(corpus/*.txt tests/docs/*.txt)
vg cli-corpus 0 "$ZM" "${docs[@]}"
vg cli-corpus-j2 0 "$ZM" -j 2 "${docs[@]}"
vg cli-corpus-json 0 "$ZM" --format json --explain "${docs[@]}"
vg cli-bad-inputs 1 "$ZM" "$B" "$B/missing.txt"
vg cli-bad-inputs-j2 1 "$ZM" -j 2 "$B"
vg cli-max-bytes 1 "$ZM" --max-bytes 2000 "${docs[@]}"
vg cli-stdin 0 "$ZM" - <"$SAMPLE"
printf '{"id":"a","text":"共有学校3所。"}\nnot json\n{"id":"b"}\n{"id":"c","text":"x\\u0000y"}\n' >"$T/in.jsonl"
vg cli-jsonl-in 1 "$ZM" --jsonl-in <"$T/in.jsonl"
mkdir -p "$T/baddict"
printf 'x\tmetric\t-\t(?<num>[0-9]+(\n' >"$T/baddict/rules.tsv"
vg cli-bad-dict 3 "$ZM" --dict "$T/baddict" "$SAMPLE"
vg cli-dev-full 2 sh -c 'exec "$0" "$@" >/dev/full' "$ZM" "${docs[@]}"
vg cli-output-file 0 "$ZM" -o "$T/out.jsonl" "${docs[@]}"

if [ -n "${REPLAY_BINS:-}" ]; then
    echo "== fuzz targets over their seeds and regression inputs"
    for b in $REPLAY_BINS; do
        t=$(basename "$b")
        files=()
        for f in tests/fuzz/regress/"$t"/* tests/fuzz/corpus/"$t"/*; do
            [ -f "$f" ] || continue
            grep -qF "$t/$(basename "$f")" tests/fuzz/regress/KNOWN 2>/dev/null && continue
            files+=("$f")
        done
        vg "replay-$t" 0 "$b" "${files[@]}"
    done
fi
echo "valgrind logs: build/valgrind/"
finish
