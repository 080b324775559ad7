#!/usr/bin/env python3
"""Wraps a UTF-8 text at a page width as a PDF-to-text converter does:
every line broken after WIDTH display columns (a Chinese character 2, ASCII 1).
   wrap.py WIDTH IN OUT"""
import sys

width, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
out = []
with open(src, encoding="utf-8") as f:
    for line in f.read().split("\n"):
        cur, w = "", 0
        for ch in line:
            cw = 1 if ord(ch) < 128 else 2
            if w + cw > width:
                out.append(cur)
                cur, w = "", 0
            cur += ch
            w += cw
        out.append(cur)
with open(dst, "w", encoding="utf-8") as f:
    f.write("\n".join(out))
