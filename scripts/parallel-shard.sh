#!/usr/bin/env bash
# Runs zhmetrics over many files with GNU parallel: the files under the
# given directories (and the files named) are sorted, cut into shards and
# each shard goes to one zhmetrics process, on the local cores or on the
# hosts of -S. The records of all shards are written to stdout, shard after
# shard in order: the records of one zhmetrics over the same files (their
# order can differ: sort both to compare).
#
#   scripts/parallel-shard.sh reports/ > all.jsonl
#   scripts/parallel-shard.sh -j 8 -S :,8/node2 /shared/reports/ > all.jsonl
#   scripts/parallel-shard.sh reports/ -- --format csv --explain > all.csv
#
# Options (before the inputs; zhmetrics options after --):
#   -j N      processes at once on each host (default: its cores)
#   -S HOSTS  GNU parallel --sshlogin list (':' is this machine); the hosts
#             need zhmetrics (on PATH, or -z) and the same paths
#             (a shared filesystem)
#   -n N      files per shard (default: four shards per job slot)
#   -g GLOB   names taken from directories (default *.txt, as zhmetrics)
#   -z PATH   the zhmetrics binary (default: bin/zhmetrics beside this
#             script's directory if built, else zhmetrics on PATH)
# Exit status: the highest of the shards' (zhmetrics: 0 all inputs
# processed, 1 some gave error records, 2 usage or output error, 3
# dictionary error); 2 when parallel itself cannot run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
jobs="" hosts="" per="" glob='*.txt' zm=""
usage() { sed -n '2,25s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while getopts "j:S:n:g:z:h" opt; do
    case $opt in
    j) jobs=$OPTARG ;;
    S) hosts=$OPTARG ;;
    n) per=$OPTARG ;;
    g) glob=$OPTARG ;;
    z) zm=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
inputs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do inputs+=("$1"); shift; done
[ $# -gt 0 ] && shift
zm_opts=("$@")
[ ${#inputs[@]} -gt 0 ] || usage
if [ -z "$zm" ]; then
    if [ -x "$here/../bin/zhmetrics" ]; then zm=$(cd "$here/../bin" && pwd)/zhmetrics; else zm=zhmetrics; fi
fi
command -v parallel >/dev/null || { echo "parallel-shard: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }
[ -n "$jobs" ] || jobs=$(nproc 2>/dev/null || echo 2)
case "$jobs$per" in *[!0-9]*) echo "parallel-shard: -j and -n take numbers" >&2; exit 2 ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zmshard.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
# the file list, NUL-separated, from zhmetrics itself (--list-inputs): the
# same walk (symlinks, hidden names, depth, the glob), and the error
# records of what it would not read (dangling links, FIFOs, loops,
# unreadable directories), written here, so that the records and the exit
# status are one zhmetrics run's
"$zm" "${zm_opts[@]}" --list-inputs --glob "$glob" -- "${inputs[@]}" >"$tmp/list"
list_status=$?
[ "$list_status" -le 1 ] || exit "$list_status"
: >"$tmp/files"
: >"$tmp/errors"
while IFS= read -r -d '' entry; do
    case $entry in
    F*) printf '%s\0' "${entry#F}" >>"$tmp/files" ;;
    E*) printf '%s\n' "${entry#E}" >>"$tmp/errors" ;;
    esac
done <"$tmp/list"
total=$(tr -cd '\0' <"$tmp/files" | wc -c)
csv=0
for ((i = 0; i < ${#zm_opts[@]}; i++)); do
    case "${zm_opts[$i]}" in
    --format=csv) csv=1 ;;
    --format) [ "${zm_opts[$((i + 1))]:-}" = csv ] && csv=1 ;;
    esac
done
# the error records first (CSV has no error rows: stderr only)
if [ -s "$tmp/errors" ]; then
    if [ "$csv" = 1 ]; then
        sed 's/^/parallel-shard: /' "$tmp/errors" >&2
    else
        cat "$tmp/errors"
    fi
fi
[ "$total" -gt 0 ] || exit "$list_status"
if [ -z "$per" ]; then
    slots=$jobs
    [ -n "$hosts" ] && slots=$((jobs * $(tr ',' '\n' <<<"$hosts" | grep -c .)))
    per=$(((total + 4 * slots - 1) / (4 * slots)))
fi
[ "$per" -ge 1 ] || per=1

remote=()
[ -n "$hosts" ] && remote=(-S "$hosts")
# -q: the command's words are quoted as given; -k: outputs in shard order
parallel --will-cite -0 -q -k -j "$jobs" -n "$per" "${remote[@]}" --joblog "$tmp/log" \
    "$zm" "${zm_opts[@]}" -- :::: "$tmp/files" |
    if [ "$csv" = 1 ]; then
        # one header: the first shard's
        awk 'NR == 1 { h = $0; print; next } $0 != h'
    else
        cat
    fi
pipe=("${PIPESTATUS[@]}")
# the highest exit status of the shards; a shard that did not run: 2
status=$(awk 'NR > 1 { if ($7 > s) s = $7; if ($8 != 0) s = (s > 2 ? s : 2) } END { print s + 0 }' "$tmp/log" 2>/dev/null)
[ -s "$tmp/log" ] || status=2
[ "${status:-2}" -le 3 ] || status=2 # e.g. 127: the binary did not run
[ "${pipe[1]}" -eq 0 ] || status=2
[ "${status:-2}" -ge "$list_status" ] || status=$list_status
exit "${status:-2}"
