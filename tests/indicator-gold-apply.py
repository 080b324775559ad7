#!/usr/bin/env python3
"""Apply the hand-made indicator decisions of tests/indicator-gold-decisions.tsv
(issue 13, SPEC section 7) to the gold files.

Each TSV row names a located gold file and a record number n (1-based, the
document line not counted), with the record's text, context and span as a check,
and the chosen indicator id (empty = null) with a short reason.  The script sets
"indicator" on that record of the located file and on the same record of its
hand-written source (tests/docs/gold-src for t01-t06, gold-src/ of the heldout and
genres sets; the corpus documents 000-003 have no source here).  Nothing else in a
record changes: the key goes right after "change" (after "time_to" where a record
has no "change"), and lines are written back as they were read (json.dumps default
separators, ensure_ascii off).

    python3 tests/indicator-gold-apply.py          # apply
    python3 tests/indicator-gold-apply.py --check  # exit 1 if a file would change
"""
import csv, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(ROOT, 'tests', 'indicator-gold-decisions.tsv')


def source_of(located):
    d, b = os.path.split(located)
    b = b.replace('.located.jsonl', '.jsonl')
    if d == os.path.join('tests', 'gold'):
        if b[:3] in ('000', '001', '002', '003'):
            return None
        return os.path.join('tests', 'docs', 'gold-src', b)
    return os.path.join(os.path.dirname(d), 'gold-src', b)


def unesc(s):
    return s.replace('\\n', '\n').replace('\\t', '\t')


def with_indicator(rec, iid):
    out = {}
    anchor = 'change' if 'change' in rec else 'time_to'
    for k, v in rec.items():
        if k == 'indicator':
            continue
        out[k] = v
        if k == anchor:
            out['indicator'] = iid
    if 'indicator' not in out:
        out['indicator'] = iid
    return out


def main():
    check = '--check' in sys.argv
    dec = {}
    with open(TSV, encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE):
            dec.setdefault(row['file'], {})[int(row['n'])] = row
    changed = []
    for loc, rows in sorted(dec.items()):
        targets = [(loc, True)]
        src = source_of(loc)
        if src:
            targets.append((src, False))
        for path, located in targets:
            full = os.path.join(ROOT, path)
            text = open(full, encoding='utf-8').read()
            lines = text.split('\n')
            body = [i for i, l in enumerate(lines) if l.strip()]
            if len(body) - 1 != len(rows):
                sys.exit(f'{path}: {len(body) - 1} records, {len(rows)} decisions')
            for n, li in enumerate(body[1:], 1):
                rec = json.loads(lines[li])
                row = rows[n]
                if rec['text'] != unesc(row['text']) or rec['context'] != unesc(row['context']):
                    sys.exit(f'{path}:{li + 1}: record {n} is not {row["text"]!r} / {row["context"]!r}')
                if located and json.dumps(rec['span']) != row['span']:
                    sys.exit(f'{path}:{li + 1}: span {rec["span"]} != {row["span"]}')
                lines[li] = json.dumps(with_indicator(rec, row['indicator'] or None), ensure_ascii=False)
            new = '\n'.join(lines)
            if new != text:
                changed.append(path)
                if not check:
                    open(full, 'w', encoding='utf-8').write(new)
    if check and changed:
        print('would change:', *changed, sep='\n  ')
        sys.exit(1)
    print(('would change' if check else 'changed'), len(changed), 'files')


if __name__ == '__main__':
    main()
