#!/usr/bin/env python3
"""Writes the seed corpora tests/fuzz/corpus/<target>/ (small files only).

Run from anywhere: tests/fuzz/make-seeds.py. Sources: short pieces of
corpus/*.txt and tests/docs/*.txt, the case tables tests/cases/*.tsv, the
number and time forms of SPEC.md, and hand-made broken encodings. Seeds are
named by content hash, so rerunning only adds what is new.
"""
import glob
import hashlib
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
MAX = 4096


def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX:
        data = data[:MAX]
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as fh:
        fh.write(data)


def docs():
    return sorted(glob.glob(os.path.join(ROOT, "corpus", "*.txt"))) + \
        sorted(glob.glob(os.path.join(ROOT, "tests", "docs", "*.txt")))


def lines_with_digits():
    out = []
    for p in docs():
        for l in open(p, encoding="utf-8"):
            l = l.rstrip("\n")
            if re.search(r"[0-9０-９一二三四五六七八九十百千万亿两]", l) and 8 < len(l) < 300:
                out.append(l)
    return out


def cases(name):
    out = []
    p = os.path.join(ROOT, "tests", "cases", name)
    if not os.path.exists(p):
        return out
    for l in open(p, encoding="utf-8"):
        l = l.rstrip("\n")
        if not l or l.startswith("#"):
            continue
        f = l.split("\t")[0]
        out.append(f.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t").replace("\\\\", "\\"))
    return out


lines = lines_with_digits()
sample = lines[::max(1, len(lines) // 40)][:40]

# ---- fuzz_decode: encodings, good and broken
for d in docs()[:4]:
    text = open(d, encoding="utf-8").read()[:300]
    b = text.encode("utf-8")
    put("fuzz_decode", b)
    put("fuzz_decode", b"\xef\xbb\xbf" + b)
    put("fuzz_decode", text.encode("gb18030"))
    put("fuzz_decode", b"\xff\xfe" + text.encode("utf-16-le"))
    put("fuzz_decode", b"\xfe\xff" + text.encode("utf-16-be"))
    put("fuzz_decode", b[:-1])  # cut inside a character, maybe
    put("fuzz_decode", b"\xff\xfe" + text.encode("utf-16-le")[:-1])  # odd length
for raw in [b"", b"\x00", b"ab\x00cd", "全县共有学校3所。".encode() + b"\x80\xff\xfe\n",
            "全县".encode() + b"\xe5\x85", b"\xc0\x80", b"\xed\xa0\x80\xed\xb0\x80", b"\xf4\x90\x80\x80",
            b"\xf0\x9f\x98\x80", b"\xff\xfe\x00\xd8\x41\x00", b"\xfe\xff\xd8\x00", b"\xff\xfe",
            b"\xfe\xff\x00\x00", b"\xef\xbb\xbf", b"\xef\xbb\xbf\x00", b"\x81\x30\x81\x30",
            b"\x84\x31\xa4\x39", b"\xfe\x39\xfe\x39", "１２３％".encode(), "\u3000\u00a0".encode()]:
    put("fuzz_decode", raw)

# ---- fuzz_seg: sentences, full-width forms, ASCII runs
for l in sample:
    put("fuzz_seg", l)
for s in ["三支驻村尖刀班队伍", "进一步加强", "入籍率７９．６８％", "ABC123abc.5%教育", "１２３万元",
          "\u3000\u3000一、工作完成情况", "a", "。", "2019年，累计为县内就读贫困家庭学生发放资助资金2644.2375万元"]:
    put("fuzz_seg", s)

# ---- fuzz_numex: numerals of the case table, and ranges
for n in cases("numex.tsv"):
    put("fuzz_numex", n)
for s in ["1-2", "3至5", "80-90", "1.2万", "3千万", "5万", "两万五", "一万五", "三百五", "壹佰万", "二〇二〇",
          "99999999999999999", "0.0000000000000001", "1,234,567.89", "十", "十一", "一百零一", "三亿五千万",
          "9亿9", "一千二百万", "一亿亿", "万万万", "亿亿亿亿"]:
    put("fuzz_numex", s)

# ---- fuzz_timex: time forms of SPEC §3, and sentences with dates
for s in ["2020年上半年", "上半年", "下半年", "一季度", "四季度", "年初", "年底", "年内", "1-9月份",
          "3月30日至4月8日", "2016年至2020年间", "“十四五”", "“十三五”", "春季学期", "秋季学期", "6月29日",
          "7月10复学", "二〇二〇年六月", "12月份前", "6月底前", "年底前", "截止目前", "到2020年底",
          "2019年12月31日", "2月30日", "2020年2月29日", "2019年2月29日",
          "十二月三十一日", "2021年1月-3月", "6月上旬", "6月中旬", "6月下旬", "9月初", "2023年"]:
    put("fuzz_timex", s)
for l in sample:
    if re.search(r"[年月日]", l):
        put("fuzz_timex", l[:200])

# ---- fuzz_extract: pieces of documents, the extraction cases, encodings
for d in docs():
    text = open(d, encoding="utf-8").read()
    put("fuzz_extract", text[:1200])
    mid = len(text) // 2
    put("fuzz_extract", text[mid:mid + 1000])
    put("fuzz_extract", text[:400].encode("gb18030"))
for c in cases("extract.tsv"):
    put("fuzz_extract", c)
for l in sample[:20]:
    put("fuzz_extract", l)

# ---- forms of issue 12: the genre documents (statistical bulletins, work
# reports, a Macao report in traditional script), the number and unit form
# cases (tests/cases/forms.tsv), currencies and traditional numerals
def genres():
    """(name, text) of each genre document; one is GB18030 (GBK) on disk."""
    out = []
    for p in sorted(glob.glob(os.path.join(ROOT, "tests", "genres", "*.txt"))):
        raw = open(p, "rb").read()
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            put("fuzz_extract", raw[:1200])  # the bytes as read
            out.append(raw.decode("gb18030", "replace"))
    return out


for text in genres():
    put("fuzz_extract", text[:1200])
    mid = len(text) // 2
    put("fuzz_extract", text[mid:mid + 1000])
for c in cases("forms.tsv"):
    put("fuzz_extract", c)
NUMERAL = r"[-负負]?[0-9０-９][0-9０-９.,．，]*[万萬亿億千仟百佰]*|[-负負]?[零〇一二两兩三四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾佰仟百千万萬亿億点點]{2,}"
seen = set()
for c in cases("forms.tsv") + [l for t in genres() for l in t.split("\n")]:
    for m in re.findall(NUMERAL, c):
        if m not in seen and len(seen) < 120:
            seen.add(m)
            put("fuzz_numex", m)
for s in ["兩萬五千", "壹億貳仟萬", "參拾", "陸佰柒拾捌萬", "一萬二千", "五億", "1.5萬", "3,000萬", "八點五",
          "負3.9", "负3.9", "-1.5", "二〇二二", "百分之五點五", "千分之五", "六個百分點", "12.8亿美元",
          "5306亿台币", "50元6角三分", "五元三毛", "4人民币", "3.5萬澳門元", "2億港元", "一千萬歐元", "7.２成"]:
    put("fuzz_numex", s)
    put("fuzz_extract", "全年共投入" + s + "。")

# ---- fuzz_dict: selector byte + a user dictionary file
names = ["numerals.tsv", "units.tsv", "qualifiers.tsv", "cues.tsv", "periods.tsv", "rules.tsv", "words.txt"]
for i, n in enumerate(names):
    p = os.path.join(ROOT, "dict", n)
    data = [l for l in open(p, encoding="utf-8") if not l.startswith("#")]
    put("fuzz_dict", bytes([i]) + "".join(data[:12]).encode())
    put("fuzz_dict", bytes([i]))
broken = {
    "numerals.tsv": ["亿\t1e8\tsection\n", "万\t10000\n", "兆\t1000000000000\tsection\n", "X\t-1\tdigit\n"],
    "units.tsv": ["台\tcount\n", "台\tcount\t台\tscale=99999999999\n", "套\tcount\t套\tneed=goal\n"],
    "qualifiers.tsv": ["逾\tpre\n", "约莫\tpre\tabout\n"],
    "cues.tsv": ["力争\n", "预期\tgoal\n"],
    "periods.tsv": ["寒假\t01-15\t02-30\n", "全年\t+1-01-01\t12-31\n", "暑期\t2020-07-01\t08-31\n"],
    "rules.tsv": ["bad\tmetric\t-\t(?<num>{NUM}(\n", "x\tblock\t-\t(a)\\1\n", "y\tmetric\t-\t{NOPE}\n",
                  "z\tmetric\tcount\t(?<num>{NUM})(?<unit>台)\n", "too\tfew\n"],
    "words.txt": ["教育局 abc n\n", "扶贫 100 n\n", "x" * 300 + " 5 n\n"],
}
for n, ls in broken.items():
    i = names.index(n)
    for l in ls:
        put("fuzz_dict", bytes([i]) + (l.encode("utf-8") if isinstance(l, str) else l))
print("seeds:", {t: len(os.listdir(os.path.join(OUT, t))) for t in sorted(os.listdir(OUT))})
