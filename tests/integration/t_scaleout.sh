#!/usr/bin/env bash
# Scale-out recipes of docs/integration.md:
#   --jsonl-in as a Hadoop Streaming mapper (splits at line boundaries, the
#   binary and the dictionary shipped into the task's directory, map-only
#   and with a sort/shuffle) and as a Spark pipe (partitions through a
#   subprocess): the records of one process;
#   scripts/parallel-shard.sh (GNU parallel) over a directory: the records
#   of one process, after sorting; exit status and CSV headers kept right;
#   parallel --pipe over JSON Lines: the same bytes.
. "$(dirname "$0")/lib.sh"

# the reports, and docs.jsonl made by the page's own snippet
mkdir -p "$T/reports/sub"
cp corpus/*.txt "$T/reports/"
cp tests/docs/*.txt "$T/reports/sub/"
sed -n "/^python3 -c '$/,/^' reports\/ > docs.jsonl$/p" docs/integration.md >"$T/mkjsonl.sh"
check "docs.jsonl snippet found in docs/integration.md" grep -q 'json.dumps' "$T/mkjsonl.sh"
(cd "$T" && bash "$T/mkjsonl.sh")
n_docs=$(ls "$T"/reports/*.txt "$T"/reports/sub/*.txt | wc -l)
assert_eq "docs.jsonl: one line per report" "$n_docs" "$(wc -l <"$T/docs.jsonl")"

"$ZM" --jsonl-in <"$T/docs.jsonl" >"$T/one.jsonl" 2>"$T/err"
assert_eq "one mapper over everything: exit" 0 "$?"
check "records have no tab (Hadoop's key/value separator)" bash -c "! grep -q \$'\\t' '$T/one.jsonl'"

# ---- Hadoop Streaming, simulated: 3 input splits at line boundaries; each
# task runs in its own directory holding what -files and -archives ship
# (the binary, dict.tar.gz unpacked as dictdir/), with a bare environment
tar czf "$T/dict.tar.gz" -C "$ROOT" dict
split -n l/3 -d "$T/docs.jsonl" "$T/split-"
check "3 splits" [ "$(ls "$T"/split-* | wc -l)" = 3 ]
i=0
for s in "$T"/split-*; do
    task=$T/task$i
    mkdir -p "$task/dictdir"
    cp "$ZM" "$task/zhmetrics"
    tar xzf "$T/dict.tar.gz" -C "$task/dictdir"
    (cd "$task" && env -i PATH=/usr/bin:/bin HOME="$task" \
        sh -c "./zhmetrics --jsonl-in --data-dir dictdir/dict -q" <"$s" >"$T/part-0000$i")
    assert_eq "map task $i: exit" 0 "$?"
    i=$((i + 1))
done
cat "$T"/part-0000* >"$T/maponly.jsonl"
assert_file_eq "Hadoop map-only: the parts concatenated = one process" "$T/one.jsonl" "$T/maponly.jsonl"
LC_ALL=C sort "$T"/part-0000* >"$T/shuffled.jsonl"
sorted "$T/one.jsonl" >"$T/one.sorted"
assert_file_eq "Hadoop with a shuffle (sorted keys): = one process sorted" "$T/one.sorted" "$T/shuffled.jsonl"

# ---- Spark rdd.pipe, simulated: 4 contiguous partitions, each through
# "zhmetrics --jsonl-in -q" with ZHMETRICS_DATA, the lines collected
py_ok "Spark pipe: the union of the partitions = one process" "$ZM" "$ROOT/dict" "$T/docs.jsonl" "$T/one.jsonl" <<'PY'
import os, subprocess, sys
zm, dict_dir, docs, one = sys.argv[1:]
lines = open(docs, "rb").read().splitlines(keepends=True)
k = 4
parts = [lines[i * len(lines) // k:(i + 1) * len(lines) // k] for i in range(k)]
env = dict(os.environ, ZHMETRICS_DATA=dict_dir)
out = []
for p in parts:
    r = subprocess.run([zm, "--jsonl-in", "-q"], input=b"".join(p), stdout=subprocess.PIPE, env=env, check=True)
    out.extend(r.stdout.splitlines())
want = open(one, "rb").read().splitlines()
assert out == want, "%d lines, %d expected" % (len(out), len(want))
print(len(out))
PY

# ---- GNU parallel
scripts/install-deps.sh parallel >"$T/install.log" 2>&1 || true
command -v parallel >/dev/null ||
    skip "Hadoop and Spark checks passed ($CHECKS); GNU parallel is not installed and could not be installed (scripts/install-deps.sh parallel: $(tail -1 "$T/install.log"))"

"$ZM" "$T/reports" >"$T/single.jsonl" 2>/dev/null
sorted "$T/single.jsonl" >"$T/single.sorted"
scripts/parallel-shard.sh -j 2 -n 3 "$T/reports" >"$T/sharded.jsonl" 2>"$T/err"
assert_eq "parallel-shard.sh: exit" 0 "$?"
sorted "$T/sharded.jsonl" >"$T/sharded.sorted"
assert_file_eq "parallel-shard.sh -j 2 -n 3: sorted records = one process sorted" "$T/single.sorted" "$T/sharded.sorted"
scripts/parallel-shard.sh "$T/reports" >"$T/sharded2.jsonl" 2>/dev/null
assert_file_eq "parallel-shard.sh defaults: the same records" "$T/single.sorted" <(sorted "$T/sharded2.jsonl")
# through parallel's --sshlogin path, this machine as the host
scripts/parallel-shard.sh -S 2/: -n 4 "$T/reports" >"$T/sharded3.jsonl" 2>"$T/err"
assert_eq "parallel-shard.sh -S 2/:: exit" 0 "$?"
assert_file_eq "parallel-shard.sh -S 2/:: the same records" "$T/single.sorted" <(sorted "$T/sharded3.jsonl")

# options after --; CSV: one header row
"$ZM" --format csv "$T/reports" >"$T/single.csv" 2>/dev/null
scripts/parallel-shard.sh -j 2 -n 2 "$T/reports" -- --format csv >"$T/sharded.csv" 2>/dev/null
assert_eq "CSV through shards: one header row" 1 "$(grep -c '^doc,title,' "$T/sharded.csv")"
assert_eq "CSV through shards: header first" "$(head -1 "$T/single.csv")" "$(head -1 "$T/sharded.csv")"
py_ok "CSV through shards: the same rows" "$T/single.csv" "$T/sharded.csv" <<'PY'
import csv, sys
rows = lambda p: sorted(csv.reader(open(p, encoding="utf-8", newline="")))
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert a == b, "%d rows vs %d" % (len(a), len(b))
print(len(a))
PY

# a bad file: its error record, exit 1 as zhmetrics; hidden files skipped
printf 'x\0y' >"$T/reports/sub/bad.txt"
printf '共有学校3所。' >"$T/reports/.hidden.txt"
"$ZM" -q "$T/reports" >"$T/single.jsonl"
rc1=$?
scripts/parallel-shard.sh -j 2 -n 2 "$T/reports" -- -q >"$T/sharded.jsonl" 2>/dev/null
assert_eq "a bad input: exit 1 like one process" "$rc1 1" "$? $rc1"
assert_file_eq "a bad input: the same records" <(sorted "$T/single.jsonl") <(sorted "$T/sharded.jsonl")
scripts/parallel-shard.sh -z "$T/no-such-zhmetrics" "$T/reports" >/dev/null 2>&1
check "a binary that does not run: exit >= 2" [ "$?" -ge 2 ]

# ---- parallel --pipe over JSON Lines (the page's recipe, small blocks)
parallel --will-cite --pipe -k --block 30k "$ZM" --jsonl-in -q <"$T/docs.jsonl" >"$T/piped.jsonl" 2>"$T/err"
assert_file_eq "parallel --pipe -k over docs.jsonl = one process" "$T/one.jsonl" "$T/piped.jsonl"
finish
