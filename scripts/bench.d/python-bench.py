#!/usr/bin/env python3
"""The Python package against the CLI (issue 19); not part of make test.

    make python && /usr/bin/python3 scripts/bench.d/python-bench.py [--copies N] [--runs R]

1. corpus extraction: the CLI over a directory (JSON Lines to /dev/null)
   against a python3 process that loads the model and turns every record
   into dicts (list(model.extract_files(dir))), both whole processes, on
   corpus/ itself and on corpus/ copied N times (so that start-up does not
   hide the per-document cost); the overhead is (python - cli) / cli, medians
   of R runs. Also the same with the model already loaded (in-process
   extraction only) against the CLI minus its run on no input.
2. extract() on 2 threads against 1, over the same documents: the speed-up
   (the GIL is released inside the C library).
Times are wall-clock medians; this machine may be shared, so run it quiet.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
sys.path.insert(0, os.path.join(ROOT, "python"))
import zhmetrics  # noqa: E402

CLI = os.path.join(ROOT, "bin", "zhmetrics")


def median_time(fn, runs):
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def median_cpu(fn, runs):
    """CPU seconds (user + sys) of fn, its child processes included: steadier
    than wall-clock on a machine others share."""
    ts = []
    for _ in range(runs):
        s0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        fn()
        s1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        ts.append(sum(getattr(b, f) - getattr(a, f) for a, b in ((s0, s1), (c0, c1)) for f in ("ru_utime", "ru_stime")))
    return statistics.median(ts)


def run(cmd, env):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    env = dict(os.environ, ZHMETRICS_DATA=os.path.join(ROOT, "dict"),
               PYTHONPATH=os.path.join(ROOT, "python"))
    os.environ.update(env)

    big = os.path.join(ROOT, "build", "bench-python", "corpus-x%d" % args.copies)
    if not os.path.isdir(big):
        os.makedirs(big)
        for i in range(args.copies):
            for f in sorted(os.listdir(os.path.join(ROOT, "corpus"))):
                shutil.copy(os.path.join(ROOT, "corpus", f), os.path.join(big, "%03d_%s" % (i, f)))
    size = sum(os.path.getsize(os.path.join(big, f)) for f in os.listdir(big))

    py_proc = [sys.executable, "-c",
               "import sys, zhmetrics; m = zhmetrics.Model(); "
               "r = list(m.extract_files(sys.argv[1], jobs=int(sys.argv[2])))"]
    print("== 1. corpus extraction: CLI vs module, whole processes (records as dicts), median of %d" % args.runs)
    print("   load average %.1f on %d cores" % (os.getloadavg()[0], os.cpu_count()))
    for label, d in (("corpus/", os.path.join(ROOT, "corpus")),
                     ("corpus/ x%d (%.1f MB, %d files)" % (args.copies, size / 1e6, len(os.listdir(big))), big)):
        for jobs in (1, 2):
            cli_cmd = [CLI, "-j", str(jobs), d]
            py_cmd = py_proc + [d, str(jobs)]
            run(cli_cmd, env)  # warm the caches
            cw, pw = median_time(lambda: run(cli_cmd, env), args.runs), median_time(lambda: run(py_cmd, env), args.runs)
            cc, pc = median_cpu(lambda: run(cli_cmd, env), args.runs), median_cpu(lambda: run(py_cmd, env), args.runs)
            print("%-34s -j %d  wall: cli %7.1f ms python %7.1f ms (%+.0f%%)   cpu: cli %7.1f ms python %7.1f ms (%+.0f%%)"
                  % (label, jobs, cw * 1e3, pw * 1e3, (pw - cw) / cw * 100, cc * 1e3, pc * 1e3, (pc - cc) / cc * 100))

    model = zhmetrics.Model()
    empty = os.path.join(ROOT, "build", "bench-python", "empty")
    os.makedirs(empty, exist_ok=True)
    files = [os.path.join(big, f) for f in sorted(os.listdir(big))]
    cli_start = median_cpu(lambda: run([CLI, empty], env), args.runs)
    cli = median_cpu(lambda: run([CLI, big], env), args.runs) - cli_start
    py = median_cpu(lambda: list(model.extract_files(big)), args.runs)
    raw = median_cpu(lambda: [model.extract_json(open(f, "rb").read(), f, None) for f in files], args.runs)
    print("in-process, model loaded, cpu: cli (minus its %.1f ms with no input) %.1f ms;" % (cli_start * 1e3, cli * 1e3))
    print("  module without dicts (extract_json: C extraction + the JSON text) %.1f ms (%+.0f%%)"
          % (raw * 1e3, (raw - cli) / cli * 100))
    print("  module with dicts (extract_files) %.1f ms (%+.0f%%)" % (py * 1e3, (py - cli) / cli * 100))

    print("== 2. extract() on 2 threads vs 1 (median of %d)" % args.runs)
    docs = []
    for f in sorted(os.listdir(big)):
        with open(os.path.join(big, f), "rb") as fh:
            docs.append((f, fh.read()))

    def serial():
        for name, data in docs:
            model.extract(data, name=name)

    def two_threads():
        def part(k):
            for name, data in docs[k::2]:
                model.extract(data, name=name)
        ts = [threading.Thread(target=part, args=(k,)) for k in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    def two_threads_raw():
        def part(k):
            for name, data in docs[k::2]:
                model.extract_json(data, name, None)
        ts = [threading.Thread(target=part, args=(k,)) for k in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    t1 = median_time(serial, args.runs)
    t2 = median_time(two_threads, args.runs)
    r1 = median_time(lambda: [model.extract_json(d, n, None) for n, d in docs], args.runs)
    r2 = median_time(two_threads_raw, args.runs)
    print("extract():      1 thread %.1f ms, 2 threads %.1f ms: speed-up %.2fx" % (t1 * 1e3, t2 * 1e3, t1 / t2))
    print("C part only:    1 thread %.1f ms, 2 threads %.1f ms: speed-up %.2fx (extract_json, no dicts)"
          % (r1 * 1e3, r2 * 1e3, r1 / r2))
    print("cores: %d" % os.cpu_count())


if __name__ == "__main__":
    main()
