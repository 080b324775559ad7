#!/usr/bin/env bash
# docs/zhmetrics.1 matches `zhmetrics --help`: the same options, the same
# defaults and exit statuses, the version of the header; it renders without
# warnings. (Its installation is checked in t_library.sh.)
. "$(dirname "$0")/lib.sh"

MAN=docs/zhmetrics.1
"$ZM" --help >"$T/help"
py_ok "the same options in --help and the man page" "$T/help" "$MAN" <<'PY'
import re, sys
help_text = open(sys.argv[1], encoding="utf-8").read()
roff = open(sys.argv[2], encoding="utf-8").read().replace("\\-", "-")
opt = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")
in_help = set()
for line in help_text.splitlines():
    m = re.match(r"^  (-\S.*?)(?:  |$)", line)
    if m:
        in_help.update(opt.findall(m.group(1)))
lines = roff.splitlines()
in_man = set()
for i, line in enumerate(lines):
    if line.startswith(".TP") and i + 1 < len(lines) and lines[i + 1].startswith(".B"):
        in_man.update(opt.findall(lines[i + 1]))
assert len(in_help) > 15, in_help
missing, extra = in_help - in_man, in_man - in_help
assert not missing and not extra, "only in --help: %s; only in the man page: %s" % (sorted(missing), sorted(extra))
print(len(in_help))
PY
V=$(sed -n 's/^#define ZM_VERSION "\(.*\)"/\1/p' include/zhmetrics.h)
assert_match "man page version = ZM_VERSION" "^\.TH ZHMETRICS 1 .*\"zhmetrics $V\"" "$(grep '^\.TH' "$MAN")"
for fact in 67108864 '\*\.txt' 'ZHMETRICS_DATA' 'RFC 4180' 'MB/s'; do
    if grep -q "$fact" "$T/help" && sed 's/\\-/-/g; s/\\f[BIR]//g' "$MAN" | grep -q "$fact"; then ok; else
        fail "'$fact' in --help and in the man page"; fi
done
for code in 0 1 2 3; do
    check "exit status $code in the man page" grep -q -A1 "^\.B $code$" "$MAN"
done
if command -v man >/dev/null; then
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" >"$T/out" 2>"$T/warn"
    assert_eq "man -l: renders" 0 "$?"
    assert_eq "man --warnings: none" "" "$(cat "$T/warn")"
    assert_match "rendered: the synopsis" "zhmetrics \[OPTIONS\] \[FILE\|DIR\|-\]\.\.\." "$(cat "$T/out")"
else
    echo "note [$TEST_NAME]: man is not installed: rendering not checked"
fi
finish
