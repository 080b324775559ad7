#!/usr/bin/env bash
# Encoding detection by plausibility (issue 16, item 13): a short GBK text
# that is also valid UTF-8 (学校3000元) was read as UTF-8 (Cyrillic, no
# figures); Big5 text was read as GB18030 (rare characters, no figures).
# Now the reading that looks like Chinese wins: GBK, and Big5 through
# iconv; UTF-8 Chinese stays UTF-8.
. "$(dirname "$0")/lib.sh"

enc_of() { "$PYTHON" -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["type"] == "document": print(r["encoding"], r["metrics"])' "$1"; }

printf '学校3000元' | iconv -t GBK >"$T/gbk.txt"
run "$T/out" "$T/err" "$T/gbk.txt"
assert_eq "short GBK, also valid UTF-8: read as GB18030, its figure found" "gb18030 1" "$(enc_of "$T/out")"

printf '某縣教育局2020年工作總結\n全縣新建學校3所，學生人數達到12000人。\n' | iconv -t BIG5 >"$T/big5.txt"
run "$T/out" "$T/err" "$T/big5.txt"
assert_eq "Big5: read as Big5, its figures found" "big5 2" "$(enc_of "$T/out")"
check "Big5: the text decoded (學校 in a subject)" grep -q '學' "$T/out"

printf '学校3000元' >"$T/utf8.txt"
run "$T/out" "$T/err" "$T/utf8.txt"
assert_eq "UTF-8 Chinese stays UTF-8" "utf-8 1" "$(enc_of "$T/out")"
printf '某县2020年新建学校3所。\n' | iconv -t GBK >"$T/gbk2.txt"
run "$T/out" "$T/err" "$T/gbk2.txt"
assert_eq "GBK (not valid UTF-8) stays GB18030" "gb18030 1" "$(enc_of "$T/out")"
printf 'Привет, мир: 3 школы.\n' >"$T/ru.txt"
run "$T/out" "$T/err" "$T/ru.txt"
assert_eq "Russian UTF-8 is not taken for GBK" "utf-8" "$(enc_of "$T/out" | cut -d' ' -f1)"
finish
