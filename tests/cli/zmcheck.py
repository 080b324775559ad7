"""Checks over zhmetrics output for tests/cli/*.sh (called through lib.sh).

    zmcheck.py jsonl OUT              every line is a JSON object of a known type
    zmcheck.py stream OUT             jsonl + the record grammar of SPEC §1
    zmcheck.py summary OUT            stream, then one line per input:
                                      "document<TAB>doc<TAB>metrics<TAB>encoding"
                                      or "error<TAB>doc<TAB>message"
    zmcheck.py spans OUT TEXT [MIN]   stream, and every metric's text is
                                      TEXT[span] and its line is right
                                      (TEXT: the decoded UTF-8 bytes); at least
                                      MIN metrics
    zmcheck.py same OUT REF [KEYS]    both streams valid and equal record by
                                      record, ignoring the keys KEYS
                                      (comma-separated; default doc,id)
    zmcheck.py count OUT TYPE         number of records of TYPE
    zmcheck.py field OUT N EXPR       EXPR over record r (N-th line, 1-based)
    zmcheck.py sig OUT FIELDS         the FIELDS of each metric, one line each
    zmcheck.py pretty OUT JSONL       --format json output OUT holds the same
                                      records as the JSON Lines output JSONL

Exit status 1 with a message on stderr when a check fails.
"""
import bisect
import json
import re
import sys

TYPES = ("document", "metric", "error")


class Fail(Exception):
    pass


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        raise Fail("%s: last line not terminated by a newline" % path)
    out = []
    for n, raw in enumerate(data.split(b"\n")[:-1] if data else [], 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Fail("%s:%d: not UTF-8: %s" % (path, n, e))
        try:
            r = json.loads(line)
        except ValueError as e:
            raise Fail("%s:%d: not JSON (%s): %.200s" % (path, n, e, line))
        if not isinstance(r, dict):
            raise Fail("%s:%d: not a JSON object" % (path, n))
        if r.get("type") not in TYPES:
            raise Fail("%s:%d: bad type %r" % (path, n, r.get("type")))
        out.append((n, r))
    return out


def stream(path):
    """SPEC §1: each input gives one document or error line followed by its
    metric lines; the document's "metrics" is the number of its metrics;
    metric ids are doc#1, doc#2, ... Returns the records."""
    recs = records(path)
    cur = None  # [lineno, record, metrics seen]

    def close():
        if cur and cur[1]["type"] == "document" and cur[1].get("metrics") != cur[2]:
            raise Fail("%s:%d: document %r says metrics=%r but %d metric lines follow"
                       % (path, cur[0], cur[1]["doc"], cur[1].get("metrics"), cur[2]))

    for n, r in recs:
        t = r["type"]
        if t in ("document", "error"):
            close()
            if not isinstance(r.get("doc"), str):
                raise Fail("%s:%d: %s without doc" % (path, n, t))
            if t == "error" and not isinstance(r.get("error"), str):
                raise Fail("%s:%d: error record without an error message" % (path, n))
            cur = [n, r, 0]
        else:
            if cur is None:
                raise Fail("%s:%d: metric before any document" % (path, n))
            if cur[1]["type"] == "error":
                raise Fail("%s:%d: metric after an error record" % (path, n))
            if r.get("doc") != cur[1]["doc"]:
                raise Fail("%s:%d: metric of %r under document %r"
                           % (path, n, r.get("doc"), cur[1]["doc"]))
            cur[2] += 1
            want = "%s#%d" % (cur[1]["doc"], cur[2])
            if r.get("id") != want:
                raise Fail("%s:%d: metric id %r, expected %r" % (path, n, r.get("id"), want))
    close()
    return [r for _, r in recs]


def summary(path):
    out = []
    for r in stream(path):
        if r["type"] == "document":
            out.append("document\t%s\t%s\t%s" % (r["doc"], r["metrics"], r.get("encoding")))
        elif r["type"] == "error":
            out.append("error\t%s\t%s" % (r["doc"], r["error"]))
    return out


_BREAK = re.compile(rb"\r\n|\r|\n")


def line_starts(text):
    """Offsets where lines start (LF, CRLF and a lone CR end a line)."""
    return [0] + [m.end() for m in _BREAK.finditer(text)]


def spans(path, text_path, minimum=0):
    with open(text_path, "rb") as f:
        text = f.read()
    starts = line_starts(text)
    bad = []
    n = 0
    for r in stream(path):
        if r["type"] != "metric":
            continue
        n += 1
        s, e = r["span"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            bad.append("%s: span %r out of range" % (r["id"], r["span"]))
            continue
        got = text[s:e].decode("utf-8", "replace")
        if got != r["text"]:
            bad.append("%s: text %r but span %r holds %r" % (r["id"], r["text"], r["span"], got))
        line = bisect.bisect_right(starts, s)
        if line != r["line"]:
            bad.append("%s: %r on line %r, expected %d" % (r["id"], r["text"], r["line"], line))
        if r["text"] not in (r.get("sentence") or ""):
            bad.append("%s: text %r not in its sentence" % (r["id"], r["text"]))
    if bad:
        raise Fail("%s: %d bad metric(s):\n  %s" % (path, len(bad), "\n  ".join(bad[:10])))
    if n < minimum:
        raise Fail("%s: %d metrics, expected at least %d" % (path, n, minimum))
    return n


def same(path, ref, ignore="doc,id"):
    keys = ignore.split(",")

    def load(p):
        rs = stream(p)
        for r in rs:
            for k in keys:
                r.pop(k, None)
        return rs

    a, b = load(ref), load(path)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            diff = {k: [x.get(k), y.get(k)] for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)}
            raise Fail("record %d differs from the reference ([reference, got]): %s"
                       % (i + 1, json.dumps(diff, ensure_ascii=False)))
    if len(a) != len(b):
        raise Fail("%d records, the reference has %d" % (len(b), len(a)))


def pretty(path, jsonl):
    """--format json: a sequence of pretty objects, one per input, each the
    document (or error) record with its metrics as an array."""
    with open(path, encoding="utf-8") as f:
        s = f.read()
    dec = json.JSONDecoder()
    objs, i = [], 0
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i >= len(s):
            break
        try:
            o, i = dec.raw_decode(s, i)
        except ValueError as e:
            raise Fail("%s: not a sequence of JSON objects: %s" % (path, e))
        objs.append(o)
    if "\n" not in s.strip():
        raise Fail("%s: not pretty-printed (one line)" % path)
    flat = []
    for o in objs:
        if not isinstance(o, dict):
            raise Fail("%s: not an object: %.100r" % (path, o))
        o = dict(o)
        if o.get("type") == "document":
            ms = o.get("metrics")
            if not isinstance(ms, list):
                raise Fail("%s: document %r: metrics is not an array" % (path, o.get("doc")))
            o["metrics"] = len(ms)
            flat.append(o)
            flat.extend(ms)
        else:
            flat.append(o)
    ref = stream(jsonl)
    if flat != ref:
        for i, (x, y) in enumerate(zip(ref, flat)):
            if x != y:
                raise Fail("%s: record %d differs from the JSON Lines output" % (path, i + 1))
        raise Fail("%s: %d records, JSON Lines has %d" % (path, len(flat), len(ref)))
    return len(objs)


def main(argv):
    cmd, args = argv[0], argv[1:]
    if cmd == "jsonl":
        records(args[0])
    elif cmd == "stream":
        stream(args[0])
    elif cmd == "summary":
        for l in summary(args[0]):
            print(l)
    elif cmd == "spans":
        print(spans(args[0], args[1], int(args[2]) if len(args) > 2 else 0))
    elif cmd == "same":
        same(*args)
    elif cmd == "count":
        print(sum(1 for _, r in records(args[0]) if r["type"] == args[1]))
    elif cmd == "field":
        with open(args[0], encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if n == int(args[1]):
                    break
            else:
                raise Fail("%s: no line %s" % (args[0], args[1]))
        try:
            r = json.loads(line)
        except ValueError as e:
            raise Fail("%s:%s: not JSON (%s)" % (args[0], args[1], e))
        v = eval(args[2], {"r": r, "json": json})
        print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
    elif cmd == "sig":
        fields = args[1].split(",")
        for r in stream(args[0]):
            if r["type"] == "metric":
                print(json.dumps([r.get(k) for k in fields], ensure_ascii=False))
    elif cmd == "pretty":
        print(pretty(args[0], args[1]))
    else:
        raise SystemExit("zmcheck.py: unknown command %r" % cmd)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Fail as e:
        print(e, file=sys.stderr)
        sys.exit(1)
    except (OSError, IndexError, KeyError, TypeError, ValueError) as e:
        print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
