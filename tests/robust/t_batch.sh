#!/usr/bin/env bash
# No data lost: a directory of 1,000 files of which 50 are bad gives 950
# document records and 50 error records (each naming its file), exit 1,
# every line complete JSON; the same with -j 2, with -o FILE, and with the
# files named on the command line. The bad files: NUL bytes (binary saved
# as .txt), invalid UTF-8 that is not GB18030, odd-length and lone-surrogate
# UTF-16, UTF-8 cut inside a character, dangling symlinks, over --max-bytes.
. "$(dirname "$0")/lib.sh"

D=$T/archive
mkdir -p "$D/a" "$D/b/c"
"$PYTHON" - "$D" "$SAMPLE" <<'PY'
import os, sys
d, sample = sys.argv[1], sys.argv[2]
lines = [l for l in open(sample, encoding="utf-8").read().split("\n") if l.strip()]
good = bad = 0
def path(i):
    sub = ["", "a/", "b/c/"][i % 3]
    return os.path.join(d, "%sf%04d.txt" % (sub, i))
for i in range(1000):
    p = path(i)
    text = "某县教育局2020年工作总结\n" + lines[i % len(lines)] + "\n共有学校%d所。\n" % (i + 1)
    k = i % 20
    if k == 7:  # 50 bad files: one in 20
        kind = (i // 20) % 7
        if kind == 0:
            data = text.encode() + b"\x00\x01\x02binary"
        elif kind == 1:
            data = text.encode() + b"\x80\xff\xfe\n"
        elif kind == 2:
            data = b"\xff\xfe" + text.encode("utf-16-le") + b"x"
        elif kind == 3:
            data = b"\xff\xfe\x00\xd8\x41\x00"
        elif kind == 4:
            data = text.encode() + "教".encode()[:2]
        elif kind == 5:
            os.symlink("nowhere-%d.txt" % i, p)
            bad += 1
            continue
        else:
            data = ("共有学校3所。" * 20000).encode()  # 360 KB > --max-bytes 200k
        open(p, "wb").write(data)
        bad += 1
    else:
        enc = ["utf-8", "utf-8-sig", "gb18030", "utf-16"][i % 4]
        open(p, "wb").write(text.encode(enc))
        good += 1
assert (good, bad) == (950, 50), (good, bad)
PY
# the expected names, sorted as the directory walk gives them
(cd "$D" && find . -name '*.txt' \( -type f -o -type l \) | sed "s|^\./|$D/|" | LC_ALL=C sort) >"$T/names"
assert_eq "fixture: 1000 files" 1000 "$(wc -l <"$T/names")"

# batch_ok WHAT OUT: 950 documents + 50 errors, one per file, valid stream
batch_ok() {
    local what=$1 out=$2
    assert_stream "$out"
    assert_eq "$what: document records" 950 "$(count_type "$out" document)"
    assert_eq "$what: error records" 50 "$(count_type "$out" error)"
    zmc summary "$out" | cut -f2 | LC_ALL=C sort >"$T/got"
    if cmp -s "$T/names" "$T/got"; then ok; else
        fail "$what: not one record per file: $(diff "$T/names" "$T/got" | head -5)"; fi
}

for j in 1 2; do
    timed "$T/out.jsonl" "$T/err" 120 -j "$j" --max-bytes 200k "$D"
    echo "directory, -j $j: ${SECS}s"
    assert_eq "directory -j $j: exit" 1 "$RC"
    batch_ok "directory -j $j" "$T/out.jsonl"
    assert_eq "directory -j $j: one stderr line per bad file" 50 "$(grep -c . "$T/err")"
done
# the directory walk is sorted: -j 2 gives the -j 1 stream
timed "$T/out1.jsonl" "$T/err" 120 --max-bytes 200k "$D"
timed "$T/out2.jsonl" "$T/err" 120 -j 2 --max-bytes 200k "$D"
assert_file_eq "-j 2 gives the -j 1 stream" "$T/out1.jsonl" "$T/out2.jsonl"

# -o FILE: the same records, no temporary file left
timed /dev/null "$T/err" 120 -j 2 --max-bytes 200k -o "$T/o.jsonl" "$D"
assert_eq "-o: exit" 1 "$RC"
batch_ok "-o" "$T/o.jsonl"
assert_file_eq "-o gives the stdout stream" "$T/out1.jsonl" "$T/o.jsonl"
assert_eq "-o: no temporary file left" "" "$(ls "$T" | grep -F 'o.jsonl.' || true)"

# the files named on the command line (xargs-style batch)
mapfile -t files <"$T/names"
timed "$T/args.jsonl" "$T/err" 120 --max-bytes 200k "${files[@]}"
assert_eq "file arguments: exit" 1 "$RC"
batch_ok "file arguments" "$T/args.jsonl"

# an empty directory in the walk: no record, no harm (was BUG-12: qsort of
# a NULL list, undefined behaviour that UBSan aborts on)
mkdir -p "$D/empty/emptier"
timed "$T/out.jsonl" "$T/err" 120 --max-bytes 200k "$D"
assert_eq "with empty directories: exit" 1 "$RC"
batch_ok "with empty directories" "$T/out.jsonl"
rm -r "$D/empty"

# the good files alone: exit 0
grep -v -E 'f[0-9]{2}(07|27|47|67|87)\.txt$' "$T/names" >"$T/goodnames"
assert_eq "fixture: 950 good" 950 "$(wc -l <"$T/goodnames")"
mapfile -t files <"$T/goodnames"
timed "$T/good.jsonl" "$T/err" 120 "${files[@]}"
assert_eq "950 good files: exit 0" 0 "$RC"
assert_eq "950 good files: 950 documents" 950 "$(count_type "$T/good.jsonl" document)"
finish
