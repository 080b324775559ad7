#!/usr/bin/env bash
# Library: `make install` with PREFIX and DESTDIR puts the binary, the static
# and shared libraries (the shared one exporting only the functions of the
# public header), the header, zhmetrics.pc, the man page and the dictionary
# in place; the example in examples/ builds against the installed copy
# through pkg-config, linked to the shared and to the static library, and
# writes the records the CLI writes.
. "$(dirname "$0")/lib.sh"

V=$(sed -n 's/^#define ZM_VERSION "\(.*\)"/\1/p' include/zhmetrics.h)
check "version in the header" [ -n "$V" ]
FILES="bin/zhmetrics lib/libzhmetrics.a lib/libzhmetrics.so lib/libzhmetrics.so.0 lib/libzhmetrics.so.$V
include/zhmetrics.h lib/pkgconfig/zhmetrics.pc share/man/man1/zhmetrics.1 share/zhmetrics/dict/rules.tsv"

# ---- staged install: everything under DESTDIR/PREFIX, PREFIX in the .pc
if make --no-print-directory install PREFIX=/opt/zhm DESTDIR="$T/stage" >"$T/log" 2>&1; then ok; else
    fail "make install DESTDIR: $(tail -5 "$T/log")"; fi
for f in $FILES; do check "DESTDIR install has $f" [ -e "$T/stage/opt/zhm/$f" ]; done
assert_eq "DESTDIR install: nothing outside PREFIX" "opt" "$(ls "$T/stage")"
assert_eq "zhmetrics.pc: prefix is PREFIX, not DESTDIR" "prefix=/opt/zhm" \
    "$(grep '^prefix=' "$T/stage/opt/zhm/lib/pkgconfig/zhmetrics.pc")"
check "zhmetrics.pc: no DESTDIR in it" bash -c "! grep -q '$T' '$T/stage/opt/zhm/lib/pkgconfig/zhmetrics.pc'"

# ---- installed in a prefix, used from there
P=$T/prefix
if make --no-print-directory install PREFIX="$P" >"$T/log" 2>&1; then ok; else
    fail "make install PREFIX: $(tail -5 "$T/log")"; fi
export PKG_CONFIG_PATH=$P/lib/pkgconfig
assert_eq "pkg-config --modversion" "$V" "$(pkg-config --modversion zhmetrics 2>&1)"
assert_eq "pkg-config dictdir" "$P/share/zhmetrics/dict" "$(pkg-config --variable=dictdir zhmetrics)"
assert_match "pkg-config --libs" "-L$P/lib -lzhmetrics" "$(pkg-config --libs zhmetrics)"
assert_match "pkg-config --static --libs: pcre2, cJSON" "-lpcre2-8.*-lcjson|-lcjson.*-lpcre2-8" \
    "$(pkg-config --static --libs zhmetrics)"
assert_match "shared library soname" "Library soname: \[libzhmetrics\.so\.0\]" \
    "$(readelf -d "$P/lib/libzhmetrics.so.$V")"

# exported: exactly the functions of the header
sed -n 's/^[^ /*#].*[ *]\(zm_[a-z0-9_]*\)(.*/\1/p' "$P/include/zhmetrics.h" | LC_ALL=C sort >"$T/api"
nm -D --defined-only "$P/lib/libzhmetrics.so" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' |
    LC_ALL=C sort >"$T/exported"
check "the header declares functions" [ "$(wc -l <"$T/api")" -gt 20 ]
assert_file_eq "exported symbols = the header's functions" "$T/api" "$T/exported"

# the header alone compiles as C99 and as C++
printf '#include <zhmetrics.h>\nint main(void) { return zm_doc_metric_count(0) == 0; }\n' >"$T/h.c"
check "header compiles as C99 -pedantic" cc -std=c99 -pedantic -Werror -fsyntax-only $(pkg-config --cflags zhmetrics) "$T/h.c"
if command -v c++ >/dev/null; then
    check "header compiles as C++" c++ -x c++ -fsyntax-only $(pkg-config --cflags zhmetrics) "$T/h.c"
fi

# ---- the example, built out of the tree against the installed copy
cp -r examples "$T/ex"
if make --no-print-directory -C "$T/ex" all static >"$T/log" 2>&1; then ok; else
    fail "examples: make: $(tail -5 "$T/log")"; fi
check "examples: built" [ -x "$T/ex/extract" ] && check "examples: static built" [ -x "$T/ex/extract-static" ]
assert_match "examples/extract links the installed libzhmetrics.so.0" "libzhmetrics\.so\.0 => $P/lib/" \
    "$(LD_LIBRARY_PATH=$P/lib ldd "$T/ex/extract")"
if ldd "$T/ex/extract-static" | grep -q libzhmetrics; then fail "extract-static needs libzhmetrics.so"; else ok; fi

files=(corpus/*.txt tests/docs/t01_tongxi_summary_2018.txt)
"$P/bin/zhmetrics" "${files[@]}" >"$T/ref.jsonl" 2>"$T/err"
assert_eq "installed zhmetrics: exit" 0 "$?"
"$ZM" "${files[@]}" >"$T/repo.jsonl" 2>/dev/null
assert_file_eq "installed zhmetrics (its dictionary found under PREFIX) = the built one" "$T/repo.jsonl" "$T/ref.jsonl"
for exe in extract extract-static; do
    # from another directory, without ZHMETRICS_DATA: the installed dictionary
    (cd "$T" && env -u ZHMETRICS_DATA LD_LIBRARY_PATH="$P/lib" "$T/ex/$exe" --jsonl "${files[@]/#/$ROOT/}") \
        >"$T/$exe.jsonl" 2>"$T/err"
    assert_eq "$exe --jsonl: exit" 0 "$?"
    sed "s|$ROOT/||g" "$T/$exe.jsonl" >"$T/$exe.rel.jsonl"
    assert_file_eq "$exe --jsonl = the CLI's records" "$T/ref.jsonl" "$T/$exe.rel.jsonl"
done
LD_LIBRARY_PATH=$P/lib "$T/ex/extract" corpus/002_731d9b2d5a921bef.txt >"$T/summary" 2>&1
assert_match "extract: summary line" "^corpus/002_731d9b2d5a921bef.txt: 建始县2019年教育扶贫工作总结, [0-9]+ figures" \
    "$(head -1 "$T/summary")"
LD_LIBRARY_PATH=$P/lib "$T/ex/extract" "$T/missing.txt" >"$T/summary" 2>&1
assert_eq "extract: a missing file: exit 1" 1 "$?"

# ---- the man page is installed and renders
if command -v man >/dev/null; then
    assert_match "man zhmetrics renders" "zhmetrics - extract figures" \
        "$(MANPATH=$P/share/man MANWIDTH=80 man zhmetrics 2>&1 | head -5 | tr -s ' ')"
fi
finish
