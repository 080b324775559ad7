#!/usr/bin/env bash
# --jsonl-in from a pipe (issue 16, item 15): each line's records come out
# before the next line is read, not at 64 KiB or EOF (a Spark pipe, a live
# stream): the first line's records must be there while stdin stays open.
. "$(dirname "$0")/lib.sh"

for jobs in 1 2; do
    rm -f "$T/in" "$T/out"
    mkfifo "$T/in"
    "$ZM" -j "$jobs" --jsonl-in <"$T/in" >"$T/out" 2>"$T/err" &
    pid=$!
    exec 3>"$T/in"
    printf '{"id":"live1","text":"某县2020年新建学校3所。"}\n' >&3
    seen=0
    for _ in $(seq 100); do
        if grep -q '"doc":"live1"' "$T/out" 2>/dev/null; then seen=1; break; fi
        sleep 0.1
    done
    check "-j $jobs: the first line's records while stdin is still open" [ "$seen" = 1 ]
    printf '{"id":"live2","text":"投入资金500万元。"}\n' >&3
    exec 3>&-
    wait "$pid"
    assert_eq "-j $jobs: exit" 0 "$?"
    assert_eq "-j $jobs: both documents" 2 "$(grep -c '"type":"document"' "$T/out")"
done
finish
