#!/usr/bin/env python3
"""Architecture checks (make arch-test, part of make test).

1. No include cycle joins two library modules (src/lib: a module is a .c
   and its .h; an edge is an #include "x.h" of another module's header).
2. No call cycle joins two library modules: from the object files, module
   A calls B when a symbol A needs is defined by B (nm). Each stage's module
   calls only earlier stages and shared utilities.
3. CLI sources include no library-internal header: only
   include/zhmetrics.h and the CLI's own headers.
4. Stage products are written by their stage only (ctx.h): the writable
   member of a product (layout_rw, facts_rw) and a non-const pointer to
   its type are named only in the files of the stage that makes it (and
   in extract.c, the driver that hands it over), and so is a cast of its
   elements to a writable type; every other module sees the product
   through `const T *` (ctx->layout, ctx->facts), whose arrays hold const
   elements (ZM_CVEC), so that the compiler refuses a write.

Usage: check.py --lib-dir src/lib --cli-dir src/cli --objs OBJ...
On the code before the src/lib and src/cli split the directories were one:
  check.py --lib-dir src --objs build/*.o --cli-files src/cli.c src/emit_csv.c ...
fails there (cli.c includes model.h and util.h; structure.c and extract.c
call each other).
"""
import argparse, glob, os, re, subprocess, sys
from collections import defaultdict

# Stage products (src/lib/ctx.h): type, writable member in zm_ctx, the files
# of the stage that writes it, the element types of its arrays.
PRODUCTS = [
    ("zm_layout", "layout_rw", ["structure.c"], ["zm_line", "zm_heading", "zm_sentence", "zm_range"]),
    ("zm_docfacts", "facts_rw", ["docinfo.c", "notes.c", "notes.h"], []),
]

INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], [0]
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1
        stack.append(v); on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib-dir", required=True)
    ap.add_argument("--cli-dir")
    ap.add_argument("--cli-files", nargs="*", default=[])
    ap.add_argument("--objs", nargs="+", required=True, help="the library's object files")
    a = ap.parse_args()
    cli = set(a.cli_files)
    if a.cli_dir:
        cli |= set(glob.glob(os.path.join(a.cli_dir, "*.[ch]")))
    lib = [f for f in glob.glob(os.path.join(a.lib_dir, "*.[ch]")) if f not in cli]
    mods = {stem(f) for f in lib}
    fails = []

    # 1. includes
    inc = defaultdict(set)
    for f in lib:
        for h in INC.findall(open(f, encoding="utf-8", errors="replace").read()):
            if stem(h) in mods and stem(h) != stem(f):
                inc[stem(f)].add(stem(h))
    for c in cycles(inc):
        fails.append("include cycle among library modules: " + " ".join(c))

    # 2. calls
    defs, need = {}, defaultdict(set)
    for o in a.objs:
        m = stem(o)
        if m not in mods:
            continue
        out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDBRCW":
                defs[p[2]] = m
            elif len(p) == 2 and p[0] == "U":
                need[m].add(p[1])
    calls = defaultdict(set)
    for m, syms in need.items():
        for s in syms:
            if s in defs and defs[s] != m:
                calls[m].add(defs[s])
    if not defs:
        fails.append("no library object read: " + " ".join(a.objs[:3]))
    for c in cycles(calls):
        why = ["%s->%s (%s)" % (x, y, ",".join(sorted(s for s in need[x] if defs.get(s) == y)[:3]))
               for x in c for y in c if y in calls[x]]
        fails.append("call cycle among library modules: " + "; ".join(why))

    # 3. the CLI sees the public header only
    cli_names = {os.path.basename(f) for f in cli}
    for f in sorted(cli):
        for h in INC.findall(open(f, encoding="utf-8", errors="replace").read()):
            if h != "zhmetrics.h" and os.path.basename(h) not in cli_names:
                fails.append("%s includes %s, a library-internal header" % (f, h))

    # 4. stage products: who may name the writable product
    nprod = 0
    uncomment = lambda m: re.sub(r'[^\n]', ' ', m.group(0))  # keeps line numbers
    for typ, member, writers, elems in PRODUCTS:
        nprod += 1
        allowed = set(writers) | {"ctx.h", "extract.c"}
        pat = r'(?<!const )\b%s\s*\*|\b%s\b' % (typ, member)
        if elems:  # a cast to a writable element: (zm_heading *)
            pat += r'|\(\s*(?:%s)\s*\*\s*\)' % "|".join(elems)
        wr = re.compile(pat)
        for f in sorted(lib):
            if os.path.basename(f) in allowed:
                continue
            text = re.sub(r'/\*.*?\*/|//[^\n]*', uncomment,
                          open(f, encoding="utf-8", errors="replace").read(), flags=re.S)
            for line in sorted({text.count("\n", 0, mt.start()) + 1 for mt in wr.finditer(text)}):
                fails.append("%s:%d: %s is written by %s only (read it through const %s *)"
                             % (f, line, typ, " and ".join(writers), typ))

    for f in fails:
        print("FAIL [arch]: " + f)
    if not fails:
        print("[arch] %d library modules: no include or call cycle (%d call edges); %d CLI files use zhmetrics.h only;"
              " %d stage products written by their stage only"
              % (len(mods), sum(len(v) for v in calls.values()), len(cli), nprod))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
