#!/usr/bin/env python3
"""Opens a zhmetrics review page (--html) in headless Chromium and measures it.

usage: scripts/review-browser.py PAGE [--jsonl RECORDS] [--sample N]
                                 [--hostile NAME] [--chromium PATH] [--quick]

Drives Chromium through its DevTools protocol over a pipe
(--remote-debugging-pipe: no port, no WebSocket library, only Python's
standard library). Prints one JSON object:
  open_ms        navigation to the first screen drawn (wall clock, and the
                 page's own performance.now() at that moment: first_ms)
  ready_ms       the page's performance.now() once every metric is loaded
  ops            opening a document (by link and by a click in the list),
                 sorting the whole table by value both ways and by subject,
                 filtering by kind, status, qualifier, region and text: ms
                 each,
                 measured in the page from the action to the next frame
  memory         JS heap (performance.memory, Performance.getMetrics) and
                 the RSS of Chromium's processes (/proc), MB
  dom_rows       rows of the metrics table in the DOM (virtualised: few)
  checks         with --jsonl: what the page shows against the records
                 (filter counts, sort order, and for --sample documents
                 every highlight's text, byte span, kind and status); with
                 --hostile NAME: that document opened, nothing executed,
                 no element with an on* attribute, the policy present and
                 enforced. A failed check is listed in "failures".
Exit status: 0, 1 when a check failed, 2 when the page could not be opened.
"""
import argparse
import fcntl
import json
import os
import random
import subprocess
import sys
import tempfile
import time


class Browser:
    """Chromium with its DevTools protocol on fds 3 (in) and 4 (out)."""

    def __init__(self, chromium, profile):
        r_in, w_in = os.pipe()    # we write, Chromium reads (its fd 3)
        r_out, w_out = os.pipe()  # Chromium writes (its fd 4), we read
        # above fd 4 first, so that the dup2s below cannot overwrite each other
        hi_in, hi_out = fcntl.fcntl(r_in, fcntl.F_DUPFD, 10), fcntl.fcntl(w_out, fcntl.F_DUPFD, 10)
        os.close(r_in)
        os.close(w_out)
        r_in, w_out = hi_in, hi_out

        def child_fds():
            os.dup2(r_in, 3)
            os.dup2(w_out, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", "--enable-precise-memory-info", "--window-size=1400,900",
             "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(r_in)
        os.close(w_out)
        self.w = os.fdopen(w_in, "wb", buffering=0)
        self.r = os.fdopen(r_out, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_msg(self):
        while b"\0" not in self.buf:
            chunk = self.r.read(1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.w.write(json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read_msg()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def eval(self, expr, timeout=60):
        r = self.call("Runtime.evaluate", {"expression": expr, "awaitPromise": True, "returnByValue": True,
                                           "timeout": timeout * 1000})
        if "exceptionDetails" in r:
            raise RuntimeError("in the page: %s" % json.dumps(r["exceptionDetails"])[:800])
        return r["result"].get("value")

    def open_tab(self):
        t = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        a = self.call("Target.attachToTarget", {"targetId": t["targetId"], "flatten": True}, session=False)
        self.session = a["sessionId"]
        for m in ("Runtime.enable", "Log.enable", "Page.enable", "Performance.enable"):
            self.call(m)

    def rss_mb(self):
        """RSS of the browser and all its descendants, and of its renderer
        processes alone (where the page lives), MB."""
        kids, rss, renderer = {}, {}, set()
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % p) as f:
                    st = f.read().rsplit(")", 1)[1].split()
                with open("/proc/%s/statm" % p) as f:
                    pages = int(f.read().split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(int(st[1]), []).append(int(p))
            try:
                with open("/proc/%s/cmdline" % p, "rb") as f:
                    if b"--type=renderer" in f.read():
                        renderer.add(int(p))
            except OSError:
                pass
            rss[int(p)] = pages * os.sysconf("SC_PAGE_SIZE")
        total, rend, todo = 0, 0, [self.proc.pid]
        while todo:
            p = todo.pop()
            total += rss.get(p, 0)
            rend += rss.get(p, 0) if p in renderer else 0
            todo += kids.get(p, [])
        return total / 1e6, rend / 1e6

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def console_problems(self):
        out = []
        for e in self.events:
            if e["method"] == "Runtime.exceptionThrown":
                out.append("exception: " + json.dumps(e["params"]["exceptionDetails"])[:300])
            elif e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "warning", "assert"):
                out.append("console: " + json.dumps(e["params"]["args"])[:300])
            elif e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
                out.append("log: " + e["params"]["entry"].get("text", "")[:300])
        return out


# In-page helpers: each action timed from the action to the next frame.
HELPERS = r"""
window.__t = {
  frame: function () { return new Promise(function (r) { requestAnimationFrame(function () { setTimeout(r, 0); }); }); },
  until: function (f, ms) {
    var t0 = performance.now();
    return new Promise(function (res, rej) {
      (function poll() {
        var v; try { v = f(); } catch (e) { v = null; }
        if (v) return res(v);
        if (performance.now() - t0 > (ms || 20000)) return rej(new Error('timed out'));
        setTimeout(poll, 5);
      })();
    });
  },
  openDoc: async function (d) {
    var t0 = performance.now();
    location.hash = 'doc=' + d;
    await __t.until(function () { return document.documentElement.getAttribute('data-zm-open') === String(d); });
    await __t.frame();
    return performance.now() - t0;
  },
  clickDoc: async function (d) {
    document.querySelector('nav.tabs button[data-tab=docs]').click();
    var box = document.getElementById('doc-list');
    box.scrollTop = d * 22; box.dispatchEvent(new Event('scroll'));
    await __t.frame();
    var row = box.querySelector('.vrow[data-doc="' + d + '"]');
    if (!row) throw new Error('row of document ' + d + ' not in the list');
    var t0 = performance.now();
    row.click();
    await __t.until(function () { return document.documentElement.getAttribute('data-zm-open') === String(d); });
    await __t.frame();
    return performance.now() - t0;
  },
  marks: function () {
    var pre = document.querySelector('#doc-view pre.text');
    if (!pre) return null;
    var enc = new TextEncoder(), at = 0, out = [];
    pre.childNodes.forEach(function (n) {
      var len = enc.encode(n.textContent).length;
      if (n.nodeName === 'MARK') {
        var k = /\bk-(\S+)/.exec(n.className), s = /\bs-(\S+)/.exec(n.className);
        out.push([at, at + len, n.textContent, k ? k[1] : '', s ? s[1] : '']);
      }
      at += len;
    });
    return out;
  },
  metricsTab: function () { document.querySelector('nav.tabs button[data-tab=metrics]').click(); },
  shown: function () { return +document.getElementById('metric-count').getAttribute('data-n'); },
  column: function (key) {
    var heads = Array.prototype.slice.call(document.querySelectorAll('#metrics-pane .vhead > span'));
    var i = heads.findIndex(function (h) { return h.getAttribute('data-col') === key; });
    var rows = Array.prototype.slice.call(document.querySelectorAll('#metric-list .vrow:not([hidden])'));
    rows.sort(function (a, b) { return parseFloat(a.style.top) - parseFloat(b.style.top); });
    return rows.map(function (r) { return r.children[i].textContent; });
  },
  sort: async function (key) {
    __t.metricsTab();
    var h = document.querySelector('#metrics-pane .vhead > span[data-col="' + key + '"]');
    var t0 = performance.now();
    h.click();
    await __t.frame();
    return [performance.now() - t0, h.getAttribute('aria-sort')];
  },
  filter: async function (key, value) {
    __t.metricsTab();
    var s = document.querySelector('select[data-filter="' + key + '"]');
    var o = Array.prototype.find.call(s.options, function (o) { return o.textContent.replace(/ \(\d+\)$/, '') === value; });
    if (!o && value !== null) throw new Error('no option ' + value + ' in ' + key);
    var t0 = performance.now();
    s.value = value === null ? '-1' : o.value;
    s.dispatchEvent(new Event('change'));
    await __t.frame();
    return [performance.now() - t0, __t.shown()];
  },
  search: async function (q) {
    __t.metricsTab();
    var i = document.getElementById('metric-q'), t0 = performance.now();
    i.value = q;
    i.dispatchEvent(new Event('input'));
    await __t.frame();
    return [performance.now() - t0, __t.shown()];
  }
};
true;
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("page")
    ap.add_argument("--jsonl", help="the run's JSON Lines records, to check the page against")
    ap.add_argument("--sample", type=int, default=20, help="documents whose highlights are compared")
    ap.add_argument("--hostile", help="name of a document with hostile name and text")
    ap.add_argument("--chromium", default=None)
    ap.add_argument("--quick", action="store_true", help="open time and memory only (bench)")
    a = ap.parse_args()
    chromium = a.chromium or next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)),
                                  "chromium")
    res, failures = {"page": a.page}, []

    def check(ok, what):
        if not ok:
            failures.append(what)

    profile = tempfile.mkdtemp(prefix="zmreview.")
    b = Browser(chromium, profile)
    try:
        b.open_tab()
        url = "file://" + os.path.abspath(a.page)
        t0 = time.monotonic()
        b.call("Page.navigate", {"url": url})
        deadline = t0 + 60
        while True:
            # the old document may still be there, or none yet
            st = b.eval("document.documentElement && location.href.indexOf('file:') === 0 ? "
                        "document.documentElement.getAttribute('data-zm-state') : null")
            if st in ("index", "ready"):
                break
            if time.monotonic() > deadline:
                print(json.dumps({"page": a.page, "error": "first screen not drawn in 60 s",
                                  "console": b.console_problems()}))
                return 2
            time.sleep(0.02)
        res["open_ms"] = round((time.monotonic() - t0) * 1000)
        res["first_ms"] = int(b.eval("+document.documentElement.getAttribute('data-zm-first-ms')"))
        b.eval(HELPERS)
        b.eval("__t.until(function () { return document.documentElement.getAttribute('data-zm-state') === 'ready'; }, 120000)",
               timeout=130)
        res["ready_ms"] = int(b.eval("+document.documentElement.getAttribute('data-zm-ready-ms')"))
        res["metrics"] = b.eval("+/(\\d+) metrics/.exec(document.getElementById('summary').textContent)[1]")
        res["documents"] = b.eval("+/(\\d+) documents/.exec(document.getElementById('summary').textContent)[1]")

        def memory():
            pm = b.eval("performance.memory ? [performance.memory.usedJSHeapSize, performance.memory.totalJSHeapSize] : null")
            met = {m["name"]: m["value"] for m in b.call("Performance.getMetrics")["metrics"]}
            rss = b.rss_mb()
            return {"js_heap_used_mb": round((pm or [met.get("JSHeapUsedSize", 0)])[0] / 1e6, 1),
                    "js_heap_total_mb": round(met.get("JSHeapTotalSize", 0) / 1e6, 1),
                    "dom_nodes": int(met.get("Nodes", 0)),
                    "browser_rss_mb": round(rss[0], 1), "renderer_rss_mb": round(rss[1], 1)}

        res["memory_loaded"] = memory()
        ops = res["ops"] = {}
        ndocs = res["documents"]
        ops["open_doc_link_ms"] = round(b.eval("__t.openDoc(%d)" % (ndocs // 2)))
        ops["open_doc_click_ms"] = round(b.eval("__t.clickDoc(%d)" % (ndocs // 3)))
        if not a.quick:
            t, sort = b.eval("__t.sort('value')")
            ops["sort_value_asc_ms"] = round(t)
            asc = b.eval("__t.column('value')")
            t, sort2 = b.eval("__t.sort('value')")
            ops["sort_value_desc_ms"] = round(t)
            desc = b.eval("__t.column('value')")
            t, _ = b.eval("__t.sort('subject')")
            ops["sort_subject_ms"] = round(t)
            subj = b.eval("__t.column('subject')")
            res["dom_rows"] = b.eval("document.querySelectorAll('#metric-list .vrow').length")
            check(res["dom_rows"] < 200, "metrics table not virtualised: %d rows in the DOM" % res["dom_rows"])
            check(sort == "ascending" and sort2 == "descending", "sort direction %s %s" % (sort, sort2))

            def num(v):
                try:
                    return float(v.split("\u2013")[0])
                except ValueError:
                    return float("-inf")
            check(all(num(x) <= num(y) for x, y in zip(asc, asc[1:])), "value ascending: %r" % asc[:10])
            check(all(num(x) >= num(y) for x, y in zip(desc, desc[1:])), "value descending: %r" % desc[:10])
            check(all(x <= y for x, y in zip(subj, subj[1:])), "subject ascending: %r" % subj[:10])
            filt = {}
            for key, val in (("kind", "ratio"), ("status", "target")):
                t, n = b.eval("__t.filter(%s, %s)" % (json.dumps(key), json.dumps(val)))
                ops["filter_%s_ms" % key] = round(t)
                filt[key] = n
            t, n_both = b.eval("__t.search('学校')")
            ops["search_ms"] = round(t)
            filt["ratio_target_学校"] = n_both
            for key in ("kind", "status"):
                b.eval("__t.filter(%s, null)" % json.dumps(key))
            t, n_q = b.eval("__t.search('学校')")
            filt["学校"] = n_q
            b.eval("__t.search('')")
            t, n_qual = b.eval("__t.filter('qualifier', 'over')")
            ops["filter_qualifier_ms"] = round(t)
            filt["qualifier"] = n_qual
            b.eval("__t.filter('qualifier', null)")
            region = b.eval("(function(){var s=document.querySelector('select[data-filter=region]');"
                            "var o=Array.prototype.find.call(s.options,function(o){return +o.value>0;});"
                            "return o ? o.textContent.replace(/ \\(\\d+\\)$/, '') : null;})()")
            if region:
                t, n_r = b.eval("__t.filter('region', %s)" % json.dumps(region))
                ops["filter_region_ms"] = round(t)
                filt["region:" + region] = n_r
                b.eval("__t.filter('region', null)")
            res["filter_counts"] = filt
            check(b.eval("__t.shown()") == res["metrics"], "filters cleared: not every metric shown")
        res["memory_after_ops"] = memory()
        slow = {k: v for k, v in ops.items() if v >= 1000}
        check(not slow, "operations of 1 s or more: %r" % slow)
        check(res["open_ms"] < 5000, "first screen in %d ms (>= 5 s)" % res["open_ms"])

        if a.jsonl:
            recs = [json.loads(l) for l in open(a.jsonl, encoding="utf-8")]
            names = []
            per_doc = {}
            for r in recs:
                if r["type"] in ("document", "error"):
                    names.append(r["doc"])
                if r["type"] == "metric":
                    per_doc.setdefault(r["doc"], []).append(r)
            metrics = [r for r in recs if r["type"] == "metric"]
            check(res["metrics"] == len(metrics), "page says %s metrics, records %d" % (res["metrics"], len(metrics)))
            check(res["documents"] == len(names), "page says %s documents, records %d" % (res["documents"], len(names)))
            doc_region = {r["doc"]: r.get("region") for r in recs if r["type"] == "document"}
            if not a.quick:
                want = {"kind": sum(m["kind"] == "ratio" for m in metrics),
                        "status": sum(m["kind"] == "ratio" and m["status"] == "target" for m in metrics),
                        "qualifier": sum(m["qualifier"] == "over" for m in metrics),
                        "ratio_target_学校": sum(m["kind"] == "ratio" and m["status"] == "target" and
                                               ("学校" in (m.get("subject") or "") or "学校" in m["sentence"])
                                               for m in metrics),
                        "学校": sum("学校" in (m.get("subject") or "") or "学校" in m["sentence"] for m in metrics)}
                for k in filt:
                    if k.startswith("region:"):
                        want[k] = sum(doc_region.get(m["doc"]) == k[7:] for m in metrics)
                check(filt == want, "filter counts %r, records say %r" % (filt, want))
                vals = [float(m["value"]) for m in metrics if m.get("value") is not None]
                if vals:
                    check(num(asc[0]) == min(vals), "smallest value %r, records %r" % (asc[:1], min(vals)))
                    check(num(desc[0]) == max(vals), "largest value %r, records %r" % (desc[:1], max(vals)))
            rng = random.Random(20)
            with_metrics = [i for i, n in enumerate(names) if per_doc.get(n)]
            sample = sorted(rng.sample(with_metrics, min(a.sample, len(with_metrics))))
            if a.hostile and a.hostile in names:
                sample.append(names.index(a.hostile))
            compared = spans = 0
            t_open = []
            for i in sample:
                t_open.append(b.eval("__t.openDoc(%d)" % i))
                got = b.eval("__t.marks()")
                exp = [[m["span"][0], m["span"][1], m["text"], m["kind"], m["status"]] for m in per_doc.get(names[i], [])]
                if got != exp:
                    failures.append("%s: highlights differ from the records (%d vs %d; first %r vs %r)" %
                                    (names[i], len(got or []), len(exp), (got or [None])[:1], exp[:1]))
                compared += 1
                spans += len(exp)
            res["highlights_compared"] = {"documents": compared, "metrics": spans,
                                          "open_doc_max_ms": round(max(t_open)) if t_open else None}
            check(not t_open or max(t_open) < 1000, "opening a document took %d ms" % max(t_open or [0]))
        if a.hostile:
            names_js = json.dumps(a.hostile)
            hostile = b.eval("""(async function () {
              var d = -1, list = [];
              await __t.until(function () { return document.getElementById('doc-list'); });
              var q = document.getElementById('doc-q');
              q.value = %s; q.dispatchEvent(new Event('input'));
              await __t.frame();
              var row = document.querySelector('#doc-list .vrow:not([hidden])');
              if (row) { row.click(); d = row.getAttribute('data-doc'); }
              await __t.until(function () { return document.documentElement.getAttribute('data-zm-open') === String(d); });
              await __t.frame();
              q.value = ''; q.dispatchEvent(new Event('input'));
              var on = [];
              document.querySelectorAll('*').forEach(function (e) {
                for (var i = 0; i < e.attributes.length; i++) if (/^on/i.test(e.attributes[i].name)) on.push(e.nodeName + ' ' + e.attributes[i].name);
              });
              var csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
              /* the policy enforced: an inline handler put in by hand does not run */
              var probe = document.createElement('div');
              probe.innerHTML = '<img src="data:," onerror="window.__zmInline = 1">';
              document.body.appendChild(probe);
              await new Promise(function (r) { setTimeout(r, 200); });
              probe.remove();
              return {opened: d, h2: (document.querySelector('#doc-view h2') || {}).textContent,
                      pwned: window.__pwned === undefined ? null : String(window.__pwned),
                      imgs: document.querySelectorAll('#app img').length, scripts: document.scripts.length,
                      on_attributes: on, csp: csp ? csp.content : null,
                      inline_ran: window.__zmInline === 1,
                      text_has_script: ((document.querySelector('#doc-view pre') || {}).textContent || '').indexOf('</script>') >= 0};
            })()""" % names_js)
            res["hostile"] = hostile
            check(hostile["opened"] != -1 and hostile["h2"] == a.hostile, "hostile document not opened by name: %r" % hostile)
            check(hostile["pwned"] is None and hostile["imgs"] == 0, "hostile text executed or became markup: %r" % hostile)
            check(not hostile["on_attributes"], "elements with on* attributes: %r" % hostile["on_attributes"])
            check(hostile["csp"] and "script-src 'self'" in hostile["csp"] and "unsafe-inline" not in hostile["csp"],
                  "Content-Security-Policy: %r" % hostile["csp"])
            check(not hostile["inline_ran"], "an inline event handler ran: the policy is not enforced")
            check(hostile["text_has_script"], "the text's </script> not shown as text")
        errs = b.eval("window.__zmErrors.slice(0, 5)")
        check(not errs, "errors in the page: %r" % errs)
        problems = [p for p in b.console_problems() if "__zmInline" not in p and "Content Security Policy" not in p]
        check(not problems, "console: %r" % problems[:3])
    finally:
        b.close()
        subprocess.run(["rm", "-rf", profile])
    res["failures"] = failures
    print(json.dumps(res, ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
