#!/usr/bin/env bash
# make chop: every corpus document (corpus/*.txt, tests/docs/*.txt, and the
# sample re-encoded as GB18030, UTF-16LE and UTF-8 with BOM) truncated at
# many offsets (the first and last 16 bytes, then every CHOP_STEP-th byte,
# default: ~200 cuts per file; CHOP_STEP=1 cuts at every byte), and the
# binary run on each: none may crash or hang, every cut gives exactly one
# document or error record, and the stream is valid JSON Lines.
# The cuts run as one batch (a directory); if it fails, the batch is
# bisected down to the culprits, which are copied to build/chop-failures/.
# Uses $ZM (default bin/zhmetrics): ZM=build-asan/zhmetrics make chop runs
# the cuts under ASan.
. "$(dirname "$0")/lib.sh"

C=$T/cuts
mkdir -p "$C" "$T/src"
srcs=(corpus/*.txt tests/docs/*.txt)
iconv -f UTF-8 -t GB18030 "$SAMPLE" >"$T/src/sample.gb18030.txt"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$SAMPLE"; } >"$T/src/sample.utf16le.txt"
{ printf '\xef\xbb\xbf'; cat "$SAMPLE"; } >"$T/src/sample.bom.txt"
srcs+=("$T"/src/*.txt)
"$PYTHON" - "$C" "${CHOP_STEP:-0}" "${srcs[@]}" <<'PY'
import os, sys
out, step = sys.argv[1], int(sys.argv[2])
n = 0
for p in sys.argv[3:]:
    data = open(p, "rb").read()
    size = len(data)
    st = step or max(1, size // 200)
    cuts = set(range(0, min(16, size))) | set(range(max(0, size - 16), size)) | set(range(0, size, st))
    base = os.path.basename(p)
    for c in sorted(cuts):
        open(os.path.join(out, "%s.%06d.txt" % (base, c)), "wb").write(data[:c])
        n += 1
print("chop: %d cuts of %d files" % (n, len(sys.argv) - 3))
PY
ncuts=$(ls "$C" | wc -l)
timed "$T/out.jsonl" "$T/err" 600 -q "$C"
echo "chop: one batch of $ncuts cuts: exit $RC in ${SECS}s"
if crashed || [ "$RC" -gt 1 ]; then
    fail "chop: the batch crashed or failed (rc $RC): $(grep -m3 -E 'ERROR|runtime error|#[0-4] ' "$T/err")"
    mkdir -p "$ROOT/build/chop-failures"
    # bisect: run halves of the failing set until single culprits remain
    bad_in() {
        timeout 600 "$ZM" -q "$@" >/dev/null 2>"$T/one.err"; RC=$?
        crashed || [ "$RC" -gt 1 ]
    }
    bisect() {
        if [ $# -eq 1 ]; then
            cp "$1" "$ROOT/build/chop-failures/"
            fail "chop: $(basename "$1") (rc $RC) saved in build/chop-failures/: $(grep -m3 -E 'ERROR|runtime error|#[0-4] ' "$T/one.err")"
            return
        fi
        local half=$(($# / 2))
        if bad_in "${@:1:half}"; then bisect "${@:1:half}"; fi
        if bad_in "${@:half+1}"; then bisect "${@:half+1}"; fi
    }
    bisect "$C"/*
else
    assert_stream "$T/out.jsonl"
    zmc summary "$T/out.jsonl" >"$T/summary"
    assert_eq "chop: one record per cut" "$ncuts" "$(wc -l <"$T/summary")"
    echo "chop: $(grep -c '^document' "$T/summary") documents, $(grep -c '^error' "$T/summary") errors" \
        "($(cut -f3 "$T/summary" | grep -v '^[0-9]*$' | sed 's/ at offset.*//' | sort | uniq -c | sort -rn | head -4 | tr -s ' ' | tr '\n' ';'))"
fi
finish
