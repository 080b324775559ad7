#!/usr/bin/env bash
# Bad inputs: each yields exactly the documented record and the batch goes on
# (SPEC §1: one document or error line per input; exit 1 when an input gave
# an error record, 0 otherwise).
. "$(dirname "$0")/lib.sh" || exit 1

O=$T/out.jsonl E=$T/err.txt

# ---- missing file: one error record naming it (doc = the path as given), exit 1
missing="$T/../$(basename "$T")/no such file.txt"
run "$O" "$E" "$missing"
assert_eq "missing file: exit" 1 "$RC"
assert_json_lines "$O"
assert_summary "missing file: one error record, doc as given" "$O" "error $missing *No such file*"
assert_match "missing file: stderr names it" 'no such file\.txt' "$(cat "$E")"

# ---- empty file: a document with "metrics":0, exit 0
: >"$T/empty.txt"
run "$O" "$E" "$T/empty.txt"
assert_eq "empty file: exit" 0 "$RC"
assert_summary "empty file: document with 0 metrics" "$O" "document $T/empty.txt 0 utf-8"
printf '\n\n \t \n\n' >"$T/blank.txt"
run "$O" "$E" "$T/blank.txt"
assert_eq "blank lines only: exit" 0 "$RC"
assert_summary "blank lines only: document with 0 metrics" "$O" "document $T/blank.txt 0 *"

# ---- binary file (NUL bytes): an error record whose message mentions NUL
printf '全县共有学校3所。\0\0\1\2binary' >"$T/bin.txt"
run "$O" "$E" "$T/bin.txt"
assert_eq "binary file: exit" 1 "$RC"
assert_summary "binary file: error mentioning NUL (offset 25)" "$O" "error $T/bin.txt *NUL*offset 25*"

# ---- invalid UTF-8 that is not GB18030 either: an error record
printf '全县共有学校3所。\x80\xff\xfe\n' >"$T/badutf8.txt"
run "$O" "$E" "$T/badutf8.txt"
assert_eq "invalid UTF-8: exit" 1 "$RC"
assert_summary "invalid UTF-8, not GB18030: error" "$O" "error $T/badutf8.txt *UTF-8*"
printf '全县共有学校3所。\xe5\x85' >"$T/trunc.txt"
run "$O" "$E" "$T/trunc.txt"
assert_eq "truncated UTF-8 sequence at EOF: exit" 1 "$RC"
assert_summary "truncated UTF-8 sequence at EOF: error" "$O" "error $T/trunc.txt *"

# ---- the sample in other encodings gives what the UTF-8 original gives
run "$T/orig.jsonl" "$E" "$SAMPLE"
assert_eq "sample: exit" 0 "$RC"
n_orig=$(count_type "$T/orig.jsonl" metric)
assert_summary "sample: one document" "$T/orig.jsonl" "document $SAMPLE $n_orig utf-8"
check "sample has metrics" [ "$n_orig" -gt 20 ]

# same_as_orig WHAT FILE ENCODING: a document with that encoding, and all
# records equal those of the UTF-8 original but doc, id, encoding and bytes:
# same metric count, values, texts, and spans (they refer to the decoded
# UTF-8 text, which is the original file).
same_as_orig() {
    local what=$1 file=$2 enc=$3
    run "$T/enc.jsonl" "$E" "$file"
    assert_eq "$what: exit" 0 "$RC"
    assert_summary "$what: document, encoding $enc" "$T/enc.jsonl" "document $file $n_orig $enc"
    zmc_ok "$what: same records as the UTF-8 original" same "$T/enc.jsonl" "$T/orig.jsonl" doc,id,encoding,bytes
    zmc_ok "$what: spans in the decoded text" spans "$T/enc.jsonl" "$SAMPLE"
}

iconv -f UTF-8 -t GB18030 "$SAMPLE" >"$T/gb18030.txt"
if cmp -s "$T/gb18030.txt" "$SAMPLE"; then fail "GB18030 copy is the UTF-8 bytes"; else ok; fi
same_as_orig "GB18030" "$T/gb18030.txt" gb18030
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$SAMPLE"; } >"$T/utf16le.txt"
same_as_orig "UTF-16LE with BOM" "$T/utf16le.txt" utf-16le
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$SAMPLE"; } >"$T/utf16be.txt"
same_as_orig "UTF-16BE with BOM" "$T/utf16be.txt" utf-16be
# UTF-8 with BOM: the BOM is not part of the decoded text, so the spans are
# the original's (shifted by 0) and text == decoded[span]
{ printf '\xef\xbb\xbf'; cat "$SAMPLE"; } >"$T/bom.txt"
same_as_orig "UTF-8 with BOM" "$T/bom.txt" utf-8-bom

# broken UTF-16: odd length, lone surrogate -> errors, not garbage
{ cat "$T/utf16le.txt"; printf 'x'; } >"$T/odd16.txt"
run "$O" "$E" "$T/odd16.txt"
assert_eq "odd-length UTF-16: exit" 1 "$RC"
assert_summary "odd-length UTF-16: error" "$O" "error $T/odd16.txt *"
printf '\xff\xfe\x00\xd8\x41\x00' >"$T/surrogate.txt"
run "$O" "$E" "$T/surrogate.txt"
assert_summary "UTF-16 lone surrogate: error" "$O" "error $T/surrogate.txt *"

# ---- CRLF and CR-only line endings: same metric count, values, lines as LF
sig=value,value_max,text,kind,unit,unit_text,status,qualifier,line,time,subject,section,change
zmc sig "$T/orig.jsonl" "$sig" >"$T/sig.lf"
sed 's/$/\r/' "$SAMPLE" >"$T/crlf.txt"
tr '\n' '\r' <"$SAMPLE" >"$T/cr.txt"
for v in crlf cr; do
    run "$T/$v.jsonl" "$E" "$T/$v.txt"
    assert_eq "$v: exit" 0 "$RC"
    assert_summary "$v: document, same metric count" "$T/$v.jsonl" "document $T/$v.txt $n_orig utf-8"
    zmc sig "$T/$v.jsonl" "$sig" >"$T/sig.$v"
    assert_file_eq "$v: same values, texts, lines, times as LF" "$T/sig.lf" "$T/sig.$v"
    # UTF-8 without BOM: the spans are file offsets
    zmc_ok "$v: spans are file offsets" spans "$T/$v.jsonl" "$T/$v.txt"
    if grep -q '\\r' "$T/$v.jsonl"; then fail "$v: a CR in the output (sentence?)"; else ok; fi
done

# ---- 10 MB on a single line (a corpus sentence line repeated, no newline)
pyrun - "$SAMPLE" "$T/big.txt" <<'PY'
import sys
line = open(sys.argv[1], "rb").read().split(b"\n")[4]
assert len(line) > 100, line
open(sys.argv[2], "wb").write(line * (10 * 1024 * 1024 // len(line) + 1))
PY
start=$(date +%s%N)
run "$T/big.jsonl" "$E" "$T/big.txt"
ms=$(ms_since "$start")
assert_eq "10 MB line: exit" 0 "$RC"
assert_lt "10 MB line: run time (ms)" 20000 "$ms"
zmc_ok "10 MB line: valid stream, spans right, many metrics" spans "$T/big.jsonl" "$T/big.txt" 10000
assert_eq "10 MB line: bytes" "$(stat -c %s "$T/big.txt")" "$(field "$T/big.jsonl" 1 'r["bytes"]')"
rm -f "$T/big.txt" "$T/big.jsonl"

# ---- --max-bytes: an over-long document gives an error record, the rest go on
run "$O" "$E" --max-bytes 1000 "$SAMPLE" "$T/blank.txt"
assert_eq "--max-bytes: exit" 1 "$RC"
assert_summary "--max-bytes: error, then the next input" "$O" \
    "error $SAMPLE *1000*" "document $T/blank.txt 0 *"

# ---- mixed batch: good, missing, binary, good -> 2 document + 2 error records
# in input order, exit 1 (also with worker threads)
n3=$("$ZM" corpus/003_9ffadad1f1d3667d.txt | zmc count /dev/stdin metric)
for j in 1 2; do
    run "$O" "$E" -j "$j" "$SAMPLE" "$T/missing.txt" "$T/bin.txt" corpus/003_9ffadad1f1d3667d.txt
    assert_eq "mixed batch -j $j: exit" 1 "$RC"
    assert_summary "mixed batch -j $j: records in input order" "$O" \
        "document $SAMPLE $n_orig utf-8" \
        "error $T/missing.txt *" \
        "error $T/bin.txt *NUL*" \
        "document corpus/003_9ffadad1f1d3667d.txt $n3 utf-8"
done
assert_eq "mixed batch: one stderr message per bad input" 2 "$(grep -c . "$E")"

# ---- directories: walked recursively for *.txt in sorted order; --glob
mkdir -p "$T/tree/b/sub" "$T/tree/a" "$T/tree/c"
for f in b/sub/z.txt a/y.txt x.txt w.md b/v.md B.txt a/y.txt.bak; do
    echo "全县共有学校${#f}所。" >"$T/tree/$f"
done
run "$O" "$E" "$T/tree"
assert_eq "directory: exit" 0 "$RC"
assert_summary "directory: *.txt, recursive, sorted" "$O" \
    "document $T/tree/B.txt 1 utf-8" "document $T/tree/a/y.txt 1 utf-8" \
    "document $T/tree/b/sub/z.txt 1 utf-8" "document $T/tree/x.txt 1 utf-8"
run "$O" "$E" "$T/tree/"
assert_summary "directory with a trailing slash: same docs" "$O" \
    "document $T/tree/B.txt 1 *" "document $T/tree/a/y.txt 1 *" \
    "document $T/tree/b/sub/z.txt 1 *" "document $T/tree/x.txt 1 *"
run "$O" "$E" --glob '*.md' "$T/tree"
assert_eq "directory --glob '*.md': exit" 0 "$RC"
assert_summary "directory --glob '*.md'" "$O" "document $T/tree/b/v.md 1 *" "document $T/tree/w.md 1 *"
run "$O" "$E" --glob '*.md' "$T/tree/x.txt" "$T/tree/a"
assert_summary "a file named on the command line is read whatever the glob" "$O" \
    "document $T/tree/x.txt 1 *"
run "$O" "$E" "$T/tree/c"
assert_eq "empty directory: exit" 0 "$RC"
assert_empty "empty directory: no records" "$O"
# a dangling symlink met in the walk: an error record, the walk goes on
ln -s nowhere.txt "$T/tree/a/dangling.txt"
run "$O" "$E" "$T/tree"
assert_eq "dangling symlink: exit" 1 "$RC"
assert_summary "dangling symlink: error record in its place" "$O" \
    "document $T/tree/B.txt 1 *" "error $T/tree/a/dangling.txt *" "document $T/tree/a/y.txt 1 *" \
    "document $T/tree/b/sub/z.txt 1 *" "document $T/tree/x.txt 1 *"
rm "$T/tree/a/dangling.txt"
# a symlink cycle: the walk ends, and each file is read once
ln -s .. "$T/tree/a/up"
timeout 20 "$ZM" "$T/tree" >"$O" 2>"$E"; RC=$?
check "symlink cycle: the walk terminates" [ "$RC" -ne 124 ]
# (regression: cycles were followed, tree/a/up/a/up/.../x.txt, each file ~32 times)
assert_summary "symlink cycle: each file once" "$O" \
    "document $T/tree/B.txt 1 *" "document $T/tree/a/y.txt 1 *" \
    "document $T/tree/b/sub/z.txt 1 *" "document $T/tree/x.txt 1 *"
rm "$T/tree/a/up"

finish
