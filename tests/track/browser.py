#!/usr/bin/env python3
"""The review page's Targets tab in headless Chromium (scripts/review-browser.py's
Browser): for each track record (up to --max), its row's details link the
target to its highlight; following the link opens the target's document
with the highlight of the target's text selected.

usage: tests/track/browser.py PAGE TRACK.jsonl [--max N]
Exit 0, 1 on a failed check (listed), 2 when the page cannot be opened.
"""
import importlib.util
import json
import os
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("rb", os.path.join(here, "..", "..", "scripts", "review-browser.py"))
rb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rb)

page, track = sys.argv[1], sys.argv[2]
limit = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--max" else 8
recs = [json.loads(l) for l in open(track, encoding="utf-8")]
chromium = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), "chromium")
b = rb.Browser(chromium, tempfile.mkdtemp(prefix="zmtrack."))
failures = []
try:
    b.open_tab()
    b.call("Page.navigate", {"url": "file://" + os.path.abspath(page)})
    deadline = time.monotonic() + 60
    while b.eval("document.documentElement && location.href.indexOf('file:') === 0 ? "
                 "document.documentElement.getAttribute('data-zm-state') : null") != "ready":
        if time.monotonic() > deadline:
            print("page not ready in 60 s")
            sys.exit(2)
        time.sleep(0.05)
    b.eval("document.querySelector('button[data-tab=targets]').click()")
    shown = b.eval("document.getElementById('track-count').textContent")
    if shown != "%d of %d targets" % (len(recs), len(recs)):
        failures.append("count shown: %r" % shown)
    for i, r in enumerate(recs[:limit]):
        href = b.eval("""(function () {
            document.querySelector('button[data-tab=targets]').click();
            var box = document.getElementById('track-list');
            var sel = '.vrow:not([hidden])[data-track="%d"]';
            var row = box.querySelector(sel);
            if (!row) { /* the list is virtualised: scroll the row into the DOM */
                var any = box.querySelector('.vrow');
                box.scrollTop = Math.max(0, %d * (any ? any.offsetHeight : 24) - 48);
                box.dispatchEvent(new Event('scroll'));
                row = box.querySelector(sel);
            }
            if (!row) return null;
            row.click();
            var a = document.querySelector('#targets-pane a[data-link=target]');
            return a ? a.getAttribute('href') : null; })()""" % (i, i))
        if not href:
            failures.append("record %d: no target link" % i)
            continue
        b.eval("location.hash = %s" % json.dumps(href))
        t0 = time.monotonic()
        text = None
        while time.monotonic() - t0 < 20:
            text = b.eval("(function () { var m = document.querySelector('#doc-view mark.sel'); "
                          "return document.documentElement.getAttribute('data-zm-open') !== 'loading' && m ? m.textContent : null; })()")
            if text is not None:
                break
            time.sleep(0.05)
        if text != r["target"]["text"]:
            failures.append("record %d: link %s selects %r, target %r" % (i, href, text, r["target"]["text"]))
        b.eval("location.hash = ''")
    errs = b.eval("window.__zmErrors.length")
    if errs:
        failures.append("page errors: %s" % b.eval("window.__zmErrors.join('; ')"))
finally:
    b.close()
for f in failures:
    print("FAIL " + f)
print("targets tab: %d records, %d followed, %d failures" % (len(recs), min(limit, len(recs)), len(failures)))
sys.exit(1 if failures else 0)
