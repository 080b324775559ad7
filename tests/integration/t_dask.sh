#!/usr/bin/env bash
# scripts/dask-run.py on a real Dask cluster (docs/integration.md): a
# scheduler and two worker processes on 127.0.0.1, started and stopped
# here, each worker with its own local directory (the binary and the
# dictionary reach them only as the shipped bundle).
#   1. files (corpus, tests/docs, tests/heldout, a binary file, files that
#      cannot be read, GB18030 and UTF-16, a name with " and \): the records of one zhmetrics over the same files,
#      document by document; JSON Lines (bad lines too): the same bytes as
#      one `zhmetrics --jsonl-in`;
#   2. the same files with one worker SIGKILLed while it runs a task: the
#      scheduler gives that task to the other worker, and every input still
#      has exactly one document or error record, the records of one process.
. "$(dirname "$0")/lib.sh"

scripts/install-deps.sh dask >"$T/install.log" 2>&1 || true
# the Debian packages are for the system python, which may not be $PYTHON
DPY=""
for p in "$PYTHON" /usr/bin/python3; do
    if [ -n "$p" ] && "$p" -c 'import distributed, dask.bag' 2>/dev/null; then DPY=$p; break; fi
done
[ -n "$DPY" ] ||
    skip "Dask is not installed and could not be installed (scripts/install-deps.sh dask: $(tail -1 "$T/install.log"))"
PYTHON=$DPY # py_ok's checks too

# ---- the inputs: the documents, and bad ones
mkdir -p "$T/bad"
printf 'x\0y' >"$T/bad/binary.txt"
ln -s "$T/no-such-file" "$T/bad/gone.txt"    # cannot be read: ENOENT
printf '共有学校3所。' >"$T/bad/locked.txt"
chmod 000 "$T/bad/locked.txt"                # cannot be read, unless root
# and what only a file's bytes tell (its encoding), a name to escape
mkdir -p "$T/more"
printf '\xb9\xb2\xd3\xd0\xd1\xa7\xd0\xa33\xcb\xf9\xa1\xa3' >"$T/more/gb18030.txt"
printf '\xff\xfe\x71\x51\x09\x67\x66\x5b\x21\x68\x33\x00\x40\x62' >"$T/more/utf16.txt"
printf '共有学校3所。' >"$T/more/引号\"与\\反斜杠 空格.txt"
inputs=(corpus tests/docs tests/heldout "$T/bad" "$T/more")
"$ZM" -q "${inputs[@]}" >"$T/one.jsonl"
assert_eq "one process over the inputs: exit 1 (error records)" 1 "$?"
check "one process gives the binary file's error" grep -q '"doc":"[^"]*/binary.txt","error":"not text' "$T/one.jsonl"
check "one process gives the unreadable file's error" grep -q '/gone.txt","error":"cannot read' "$T/one.jsonl"
check "one process reads GB18030 and UTF-16" bash -c "grep -q '\"encoding\":\"gb18030\"' '$T/one.jsonl' && grep -q '\"encoding\":\"utf-16le\"' '$T/one.jsonl'"
n_inputs=$(grep -c '^{"type":"\(document\|error\)"' "$T/one.jsonl")

# same_records WHAT ONE DASK [PARTS]: DASK has the records of ONE, grouped by
# document and sorted, each input exactly once; PARTS/index.json names each
# input once
same_records() {
    py_ok "$1" "$2" "$3" "${4:-}" <<'PY'
import json, os, sys
one, dask, parts = sys.argv[1:]
def docs(path):
    groups, order = {}, []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if r["type"] in ("document", "error"):
            order.append(r["doc"])
        groups.setdefault(r["doc"], []).append(line)
    return groups, order
a, a_order = docs(one)
b, b_order = docs(dask)
twice = sorted({d for d in b_order if b_order.count(d) > 1})
lost = sorted(set(a_order) - set(b_order))
extra = sorted(set(b_order) - set(a_order))
assert not twice and not lost and not extra, \
    "inputs with more than one record: %s; lost: %s; unknown: %s" % (twice[:5], lost[:5], extra[:5])
diff = [d for d in a if a[d] != b.get(d)]
assert not diff, "records differ for %d documents, first %s" % (len(diff), diff[0])
if parts:
    index = json.load(open(os.path.join(parts, "index.json"), encoding="utf-8"))
    listed = [d for p in index["parts"] for d in p["inputs"]]
    assert sorted(listed) == sorted(a_order), "index.json does not list each input once"
    held = []
    for p in index["parts"]:
        with open(os.path.join(parts, p["part"]), encoding="utf-8") as f:
            held += [json.loads(l)["doc"] for l in f if '"type":"metric"' not in l[:20]]
    assert sorted(held) == sorted(a_order), "the part files do not hold each input once"
print(len(a_order), "inputs")
PY
}

# ---- the cluster: scheduler and workers on free ports (port 0), found
# through the scheduler file; every process stopped on exit, by its pid
pids=()
CLEANUP+=('for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done')
"$DPY" -m distributed.cli.dask_scheduler --host 127.0.0.1 --port 0 --no-dashboard \
    --scheduler-file "$T/sched.json" >"$T/scheduler.log" 2>&1 &
pids+=($!)
start_worker() { # NAME: a worker process (no nanny: killing it loses it)
    mkdir -p "$T/$1"
    (cd "$T/$1" && exec env -u ZHMETRICS_DATA "$DPY" -m distributed.cli.dask_worker --scheduler-file "$T/sched.json" \
        --host 127.0.0.1 --no-nanny --nthreads 1 --no-dashboard --memory-limit 0 \
        --local-directory "$T/$1" --name "$1" >"$T/$1.log" 2>&1) &
    pids+=($!)
}
for _ in $(seq 100); do [ -s "$T/sched.json" ] && break; sleep 0.1; done
start_worker w1
start_worker w2
w1=${pids[1]} w2=${pids[2]}
py_ok "the scheduler and two workers are up" "$T/sched.json" <<'PY'
import sys
from distributed import Client
with Client(scheduler_file=sys.argv[1], timeout=30) as c:
    c.wait_for_workers(2, timeout=60)
    print(len(c.scheduler_info()["workers"]))
PY
[ "$FAILS" -eq 0 ] || { tail -n 5 "$T"/*.log >&2; finish; }
# a run that hangs fails the test instead of CI
run() { timeout 300 "$DPY" scripts/dask-run.py --scheduler-file "$T/sched.json" "$@"; }

# ---- 1. the whole run, no failure
run -n 4 --parts "$T/parts1" "${inputs[@]}" >"$T/dask1.jsonl" 2>"$T/err1"
assert_eq "dask-run: exit 1 like one process" 1 "$?"
same_records "dask-run over files = one process, each input once" "$T/one.jsonl" "$T/dask1.jsonl" "$T/parts1"
for w in w1 w2; do
    check "the bundle (binary, dictionary, lexicon) was unpacked in $w's local directory" \
        bash -c "find '$T/$w' -path '*/zhmetrics-bundle-*/dict/units.tsv' | grep -q . &&
                 find '$T/$w' -path '*/zhmetrics-bundle-*/zhmetrics' -perm -u+x | grep -q ."
done

# JSON Lines: the docs snippet of docs/integration.md, and bad lines
sed -n "/^python3 -c '$/,/^' reports\/ > docs.jsonl$/p" docs/integration.md | sed 's/^python3 /"$DPY" /' >"$T/mkjsonl.sh"
mkdir -p "$T/reports" && cp corpus/*.txt "$T/reports/"
(cd "$T" && DPY=$DPY bash "$T/mkjsonl.sh")
{ echo 'not json'; echo '{"id":"no text"}'; echo; echo '{"text":"共有学校3所。"}'; } >>"$T/docs.jsonl"
"$ZM" -q --jsonl-in <"$T/docs.jsonl" >"$T/one-jl.jsonl"
run -n 3 --jsonl "$T/docs.jsonl" >"$T/dask-jl.jsonl" 2>"$T/err-jl"
assert_eq "dask-run --jsonl: exit 1 like one process" 1 "$?"
assert_file_eq "dask-run --jsonl = one zhmetrics --jsonl-in, byte for byte" "$T/one-jl.jsonl" "$T/dask-jl.jsonl"

# ---- 2. one worker SIGKILLed while it runs a task: small partitions, each
# task held 0.4 s, a trace of the tasks' starts and ends (the workers are
# on this machine); the kill lands when w1 has started a task and not
# ended it, after some parts are done and before the run ends
run -n 2 --task-delay 0.4 --trace "$T/trace" --parts "$T/parts2" "${inputs[@]}" >"$T/dask2.jsonl" 2>"$T/err2" &
runpid=$!
pids+=("$runpid") # stopped on exit too, if the test ends first
killed_part="" parts_at_kill="" run_alive="" w1_status=""
count_parts() { find "$1" -name 'part-*.jsonl' | wc -l; }
for _ in $(seq 600); do
    if [ -f "$T/trace" ] && [ "$(grep -c '^done' "$T/trace")" -ge 3 ]; then
        killed_part=$(awk -v p="$w1" '$3 == p { if ($1 == "start") s[$2] = 1; else delete s[$2] } END { for (k in s) print k }' "$T/trace")
        if [ -n "$killed_part" ]; then
            kill -0 "$runpid" 2>/dev/null && run_alive=yes
            kill -KILL "$w1"
            parts_at_kill=$(count_parts "$T/parts2")
            # its status; the shell's own "Killed" notice silenced
            exec 3>&2 2>/dev/null
            wait "$w1"
            w1_status=$?
            exec 2>&3 3>&-
            break
        fi
    fi
    sleep 0.05
done
wait "$runpid"
rc=$?
n_parts=$(( (n_inputs + 1) / 2 ))
check "the kill landed while w1 ran part $killed_part" [ -n "$killed_part" ]
assert_eq "the run was still going at the kill" yes "$run_alive"
check "parts were left to do at the kill ($parts_at_kill of $n_parts)" [ "${parts_at_kill:-$n_parts}" -lt "$n_parts" ]
assert_eq "w1 died of SIGKILL" 137 "$w1_status"
if [ -n "$killed_part" ]; then
    check "the killed part was run again by the other worker" \
        grep -qx "done $killed_part $w2" "$T/trace"
    check "w1 never finished the killed part" bash -c "! grep -qx 'done $killed_part $w1' '$T/trace'"
fi
assert_eq "dask-run with a lost worker: exit 1 like one process" 1 "$rc"
same_records "a lost worker: = one process, each input exactly once" "$T/one.jsonl" "$T/dask2.jsonl" "$T/parts2"
assert_eq "a lost worker: as many parts as partitions" "$n_parts" "$(count_parts "$T/parts2")"
check "a lost worker: no temporary part left" bash -c "! compgen -G '$T/parts2/*.tmp.*' >/dev/null"

# ---- 3. the merge's own check (--merge over a run's parts): it takes the
# parts as they are, and refuses a duplicated record, a lost or a stray part
merge_case() { # WHAT EDIT: parts2 copied, EDIT run in the copy, --merge
    rm -rf "$T/m" && cp -r "$T/parts2" "$T/m" && (cd "$T/m" && eval "$2")
    "$DPY" scripts/dask-run.py --merge "$T/m" >"$T/m.out" 2>"$T/m.err"
}
merge_case "intact" true
assert_eq "--merge of intact parts: exit 1 (error records)" 1 "$?"
assert_file_eq "--merge of intact parts = the run's output" "$T/dask2.jsonl" "$T/m.out"
for c in "a record twice:sed -i 2p part-00003.jsonl" \
    "a record lost:sed -i 1d part-00003.jsonl" \
    "a part lost:rm part-00002.jsonl" \
    "a part twice:cp part-00002.jsonl part-00009-copy.jsonl"; do
    merge_case "${c%%:*}" "${c#*:}"
    assert_eq "--merge with ${c%%:*}: exit 2" 2 "$?"
    check "--merge with ${c%%:*}: nothing written" [ ! -s "$T/m.out" ]
    check "--merge with ${c%%:*}: says so ($(cat "$T/m.err"))" grep -q 'dask-run: merge: ' "$T/m.err"
done

echo "   killed w1 (pid $w1) in part $killed_part, $parts_at_kill of $n_parts parts written; $(grep -c '^start' "$T/trace") task starts"
[ "$FAILS" -eq 0 ] || { tail -n 20 "$T/err2" "$T"/w*.log >&2; }
finish
