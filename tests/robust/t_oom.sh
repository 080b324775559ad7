#!/usr/bin/env bash
# Out of memory (issue 16, item 1): under a sweep of address-space limits
# (ulimit -v), every input still gets its record: a complete document, or
# an `error` record "limit: out of memory ..." and a non-zero exit; never
# an empty-looking document with exit 0, never a missing record (-j 2,
# --format csv too). Out of memory loading the dictionary is exit 4, not 3
# (a broken dictionary).
# Skipped under ASan (its shadow memory cannot run under ulimit -v).
. "$(dirname "$0")/lib.sh"

if [ -n "${ASAN_OPTIONS:-}" ] || ldd "$ZM" 2>/dev/null | grep -q libasan; then
    echo "[t_oom] skipped: sanitizer build"
    exit 0
fi
N=$(scaled 160000)
D=$T/dense.txt
"$PYTHON" -c "import sys; open(sys.argv[1], 'w', encoding='utf-8').write('学校1所，' * int(sys.argv[2]))" "$D" "$N"
S=corpus/003_9ffadad1f1d3667d.txt
# check.py MODE RC OUT ERR N: the invariants of one run, one line per failure
cat >"$T/check.py" <<'PY'
import json, sys
mode, rc, out, err, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
errtext = open(err, encoding="utf-8", errors="replace").read()
text = open(out, encoding="utf-8", newline="").read()
oom = "out of memory" in errtext
bad = []
if rc == 3: bad.append("exit 3 (broken dictionary) for out of memory")
if rc > 4: bad.append("crashed: exit %d" % rc)
if rc == 4:
    if "out of memory loading the dictionary" not in errtext: bad.append("exit 4 without its message")
    if text: bad.append("exit 4 with output")
elif rc == 0 and oom: bad.append("out of memory on stderr, exit 0")
elif mode != "csv" and rc in (0, 1):
    recs = [json.loads(l) for l in text.splitlines()] if mode == "jsonl" else json.loads("[" + text.replace("}\n{", "},\n{") + "]") if text else []
    for name in ("DENSE", "SMALL"):
        mine = [r for r in recs if r.get("doc") == sys.argv[6 if name == "DENSE" else 7] and r.get("type") in ("document", "error")]
        if not mine: bad.append("%s: no record" % name); continue
        last = mine[-1]
        if last["type"] == "error":
            if not last["error"].startswith("limit: out of memory"): bad.append("%s: error %r" % (name, last["error"]))
            if rc == 0: bad.append("%s: error record, exit 0" % name)
        elif name == "DENSE" and last["metrics"] != n:
            bad.append("DENSE: document with %d metrics of %d" % (last["metrics"], n))
elif mode == "csv" and rc == 0:
    rows = text.count("\r\n") - 1
    if rows < n: bad.append("csv: %d rows of at least %d, exit 0" % (rows, n))
print("\n".join(bad))
print("OOM" if oom else "FULL", file=sys.stderr)
PY
# The sweep starts at the least address space the binary starts in (its
# shared libraries: the PDF and HTML readers' alone take tens of MB), so
# that every limit tests running out inside the run, not at exec.
base=0
for kb in 20000 30000 45000 60000 80000 110000 150000 200000 260000; do
    if ( ulimit -v "$kb"; exec "$ZM" --version ) >/dev/null 2>&1; then base=$kb; break; fi
done
if [ "$base" -eq 0 ]; then
    echo "[t_oom] skipped: the binary does not start in 260 MB of address space"
    exit 0
fi
hits=0
for kb in "$base" $((base + 15000)) $((base + 40000)) $((base + 100000)) $((base + 300000)); do
    for mode in jsonl j2 csv json; do
        case $mode in
            jsonl) args=() ;; j2) args=(-j 2) ;; csv) args=(--format csv) ;; json) args=(--format json) ;;
        esac
        ( ulimit -v "$kb"; exec timeout 120 "$ZM" "${args[@]}" "$D" "$S" ) >"$T/out" 2>"$T/err"
        RC=$?
        fm=$mode; [ "$mode" = j2 ] && fm=jsonl
        res=$("$PYTHON" "$T/check.py" "$fm" "$RC" "$T/out" "$T/err" "$N" "$D" "$S" 2>"$T/kind")
        [ "$(cat "$T/kind")" = OOM ] && hits=$((hits + 1))
        if [ -z "$res" ]; then ok; else fail "ulimit -v $kb, $mode (exit $RC): $res"; fi
    done
done
echo "[t_oom] $hits runs of 20 ran out of memory"
check "the sweep ran out of memory in some runs" [ "$hits" -gt 0 ]
check "the sweep completed some runs" [ "$hits" -lt 20 ]
finish
