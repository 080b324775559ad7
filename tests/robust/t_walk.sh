#!/usr/bin/env bash
# The directory walk skips nothing in silence (issue 16, item 3): a
# directory deeper than 64 levels, a path over PATH_MAX, a symlink loop, a
# subdirectory that cannot be searched each give an error record in their
# place, and the walk goes on.
. "$(dirname "$0")/lib.sh"

W=$T/w
mkdir -p "$W"
printf '某县2020年新建学校3所。\n' >"$W/top.txt"
# 70 levels: the 65th is not walked
"$PYTHON" - "$W" <<'PY'
import os, sys
p = sys.argv[1]
for i in range(70):
    p = os.path.join(p, "d")
os.makedirs(p)
open(os.path.join(p, "deep.txt"), "w").write("新建学校3所。\n")
# a path over PATH_MAX (4096): 30 levels of 200-character names, made
# from inside (mkdir -p would fail on the whole path)
os.chdir(sys.argv[1])
os.mkdir("long"); os.chdir("long")
for i in range(30):
    os.mkdir("L" * 200); os.chdir("L" * 200)
open("far.txt", "w").write("新建学校3所。\n")
PY
ln -s loop2 "$W/loop1"
ln -s loop1 "$W/loop2"
run "$T/out" "$T/err" "$W"
assert_eq "walk: exit" 1 "$RC"
check "walk: the top file read" grep -q '"type":"document","doc":"'"$W"'/top.txt"' "$T/out"
check "walk: 64 levels walked, the 65th an error record" \
    grep -q '"type":"error","doc":"'"$W"'\(/d\)\{65\}","error":"limit: directory deeper than 64 levels' "$T/out"
check "walk: a path over PATH_MAX is an error record" grep -q '"type":"error","doc":"'"$W"'/long/L*.*File name too long' "$T/out"
check "walk: a symlink loop is an error record" grep -q '"type":"error","doc":"'"$W"'/loop1","error":"cannot read: Too many levels' "$T/out"

# a subdirectory of a listable but not searchable directory (as an
# unprivileged user: root searches anything)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    U=$(mktemp -d /tmp/zmwalk.XXXXXX)
    chmod 755 "$U"
    mkdir -p "$U/noexec/sub"
    printf '新建学校3所。\n' >"$U/noexec/sub/a.txt"
    chmod 744 "$U/noexec"
    setpriv --reuid=65534 --regid=65534 --clear-groups "$ZM" "$U" >"$T/out" 2>"$T/err"
    RC=$?
    assert_eq "unsearchable: exit" 1 "$RC"
    check "unsearchable: the subdirectory is an error record" \
        grep -q '"type":"error","doc":"'"$U"'/noexec/sub","error":"cannot read: Permission denied"' "$T/out"
    rm -rf "$U"
else
    echo "[t_walk] unsearchable directory: skipped (needs root and setpriv)"
fi
finish
