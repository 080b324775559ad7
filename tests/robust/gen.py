#!/usr/bin/env python3
"""Hostile inputs for tests/robust/*.sh, generated at run time (never
committed): gen.py CASE N OUT writes case CASE with size parameter N.

  digits    a number of N digits in a sentence
  brackets  N nested （ around a figure, then N ）
  line      exactly N bytes on one line: a corpus sentence line repeated
  wan       a numeral of N 万 (一万万万…元)
  quotes    N unbalanced “ before a figure
  headings  N heading-like lines (一、 （一） 1. cycling), each with a figure
  dun       N enumerators 一、 on one line
  spaced    N figures "3 " on one line, no sentence end, no unit
  clauses   N clauses 学校3所， on one line, no sentence end
  cnfigs    N Chinese-numeral figures 三所 on one line, no separator
"""
import sys

HEAD = "某县教育局2020年工作总结\n"
SAMPLE = "corpus/002_731d9b2d5a921bef.txt"


def main():
    case, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if case == "line":
        line = open(SAMPLE, "rb").read().split(b"\n")[4]
        data = (line * (n // len(line) + 1))[:n]
        # cut on a character boundary, then pad to exactly n bytes
        while data and (data[-1] & 0xC0) == 0x80:
            data = data[:-1]
        if data and data[-1] >= 0xC0:
            data = data[:-1]
        open(out, "wb").write(data + b"." * (n - len(data)))
        return
    if case == "digits":
        body = "共有学生" + "1" * n + "人。\n"
    elif case == "brackets":
        body = "（" * n + "新建学校3所" + "）" * n + "\n"
    elif case == "wan":
        body = "投入资金一" + "万" * n + "元。\n"
    elif case == "quotes":
        body = "“" * n + "共有学校3所。\n"
    elif case == "headings":
        cyc = ["%s、第%d部分\n", "（%s）小节%d\n", "%s.共有学校%d所\n"]
        nums = "一二三四五六七八九十"
        parts = []
        for i in range(n):
            k = i % 3
            parts.append(cyc[k] % ((nums[i // 3 % 10] if k < 2 else str(i // 3 % 9 + 1)), i))
        body = "".join(parts)
    elif case == "dun":
        body = "一、" * n + "\n"
    elif case == "spaced":
        body = "3 " * n + "\n"
    elif case == "clauses":
        body = "学校3所，" * n + "\n"
    elif case == "cnfigs":
        body = "三所 " * n + "\n"
    else:
        sys.exit("gen.py: unknown case " + case)
    open(out, "w", encoding="utf-8").write(HEAD + body)


main()
