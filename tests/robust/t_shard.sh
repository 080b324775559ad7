#!/usr/bin/env bash
# scripts/parallel-shard.sh gives one zhmetrics run's records and exit
# status (issue 16, item 4): the inputs zhmetrics reports as errors
# (dangling links, FIFOs, symlink loops, directories too deep) were
# dropped by `find -L -type f 2>/dev/null`, with exit 0.
. "$(dirname "$0")/lib.sh"

if ! command -v parallel >/dev/null; then
    echo "[t_shard] skipped: GNU parallel not installed (scripts/install-deps.sh)"
    exit 0
fi
W=$T/w
mkdir -p "$W/a" "$W/b"
cp corpus/000_52bde1dff1b34489.txt corpus/001_291d74e3b595cf49.txt "$W/a/"
cp corpus/003_9ffadad1f1d3667d.txt "$W/b/"
ln -s nowhere.txt "$W/a/dangling.txt"
mkfifo "$W/b/fifo.txt"
ln -s loop2 "$W/loop1"
ln -s loop1 "$W/loop2"
"$PYTHON" -c 'import os, sys; os.makedirs(os.path.join(sys.argv[1], *["d"] * 66))' "$W"

run "$T/one" "$T/one.err" -q "$W"
one_rc=$RC
bash scripts/parallel-shard.sh -j 2 -n 1 -z "$ZM" "$W" -- -q >"$T/shard" 2>"$T/shard.err"
shard_rc=$?
assert_eq "exit status: parallel-shard's is zhmetrics'" "$one_rc" "$shard_rc"
assert_eq "one run: exit" 1 "$one_rc"
LC_ALL=C sort "$T/one" >"$T/one.sorted"
LC_ALL=C sort "$T/shard" >"$T/shard.sorted"
assert_file_eq "records: parallel-shard's are zhmetrics' (sorted)" "$T/one.sorted" "$T/shard.sorted"
assert_eq "error records: 5 (dangling, fifo, two loop links, depth)" 5 "$(grep -c '"type":"error"' "$T/one")"

# only good inputs: exit 0 both
run "$T/one" "$T/one.err" -q "$W/a/000_52bde1dff1b34489.txt" "$W/b"
bash scripts/parallel-shard.sh -n 1 -z "$ZM" "$W/a/000_52bde1dff1b34489.txt" "$W/b" -- -q >"$T/shard" 2>/dev/null
assert_eq "good inputs: the same exit status" "$RC" "$?"
finish
